// The session panel webview: connects the extension's messages to the toolbar, the transcript and the REPL input.
import '@vscode/codicons/dist/codicon.css';
import './panel.css';
import type { SessionView } from '../../shared/webviewProtocol';
import { connectHost } from './host';
import { ReplInput } from './replInput';
import { readSavedPanel, savedPanel, Throttle } from './savedState';
import { Toolbar } from './toolbar';
import { TranscriptView } from './transcriptView';

const host = connectHost();
let session: SessionView | undefined;
const save = new Throttle(() => host.setState(savedPanel(session, transcript.transcript, transcript.scrollPosition, repl.value)));
const toolbar = new Toolbar(host.post);
const transcript = new TranscriptView(host.post, () => save.schedule());
const repl = new ReplInput((code) => {
  transcript.followBottom();
  host.post({ type: 'panel.run', code });
}, () => save.schedule(), (code, offset) => host.channel.request({ type: 'panel.complete', code, offset }));
document.body.append(toolbar.element, transcript.element, repl.element);

const saved = readSavedPanel(host.getState());
if (saved) {
  showSession(saved.session);
  transcript.reset(saved.entries, saved.scroll);
  repl.value = saved.draft;
}

host.channel.handle({
  event: (message) => {
    switch (message.type) {
      case 'panel.init':
        showSession(message.session);
        transcript.settings = message.settings;
        transcript.reset(message.entries, transcript.scrollPosition); // a reload keeps where the user was
        break;
      case 'panel.settings':
        transcript.settings = message.settings;
        transcript.reset(transcript.transcript, transcript.scrollPosition); // drawn again under the new settings
        break;
      case 'panel.session':
        showSession(message.session);
        break;
      case 'panel.update':
        transcript.apply(message.update);
        break;
      case 'panel.cleared':
        transcript.reset([]);
        break;
      default: {
        const unknown: never = message;
        throw new Error(`unknown panel message ${JSON.stringify(unknown)}`);
      }
    }
  },
  eventFailed: (message, error) => console.error(`pydock: the panel could not show ${message.type}: ${(error as Error)?.stack ?? error}`),
  requests: {},
});
host.post({ type: 'panel.ready' });
host.channel.request({ type: 'panel.history' }).then(
  (history) => repl.setHistory(history),
  (error: Error) => console.warn(`pydock: no REPL history: ${error.message}`),
);
repl.focus();

function showSession(view: SessionView | undefined): void {
  session = view;
  if (view) toolbar.show(view);
  save.schedule();
}
