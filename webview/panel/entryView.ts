// One transcript entry: a header (toggle with In [n], source, state, duration) and a body (highlighted code, outputs),
// both built the first time the entry comes near the viewport, so a transcript of thousands of entries opens fast.
import './entry.css';
import type { EntryState, TranscriptEntry } from '../../shared/transcript';
import type { PanelSettings } from '../../shared/webviewProtocol';
import { codicon, el, linkButton } from './dom';
import { highlightPython } from './highlight';
import type { Post } from './host';
import { OutputView } from './outputView';
import { durationTitle, formatDuration } from './runTimes';

const STATES: Record<EntryState, { icon: string; spin?: boolean }> = {
  queued: { icon: 'clock' },
  running: { icon: 'loading', spin: true },
  done: { icon: 'check' },
  error: { icon: 'error' },
  interrupted: { icon: 'debug-stop' },
  cancelled: { icon: 'circle-slash' },
};

/** The parts of a drawn entry that change. */
interface Drawn {
  toggle: HTMLButtonElement;
  stateIcon: HTMLElement;
  stateLabel: HTMLElement;
  duration: HTMLElement;
  outputs: HTMLElement;
  views: OutputView[];
}

export class EntryView {
  readonly element = el('article', 'pd-entry');
  private drawn: Drawn | undefined;

  /** `unfinished` is told when drawing left output to draw at a later sync (a long stream is drawn in slices). */
  constructor(
    private readonly entry: TranscriptEntry, private readonly post: Post, private readonly settings: PanelSettings,
    private readonly setCollapsed: (collapsed: boolean) => void,
    private readonly unfinished: () => void,
  ) {
    this.element.dataset.entryId = entry.id;
    this.element.classList.toggle('pd-from-pydock', entry.source === 'pydock'); // a notice: no code, count or state
    // content-visibility: auto says when the entry first becomes relevant (on or near the screen).
    this.element.addEventListener('contentvisibilityautostatechange', (event) => {
      if (!(event as Event & { skipped: boolean }).skipped) this.draw();
    });
    this.sync();
  }

  /**
   * Brings the DOM up to date with the entry (the same object the transcript updates in place). False when some
   * output is still to be drawn: sync again at the next frame.
   */
  sync(): boolean {
    const { entry, drawn } = this;
    this.element.dataset.state = entry.state;
    this.element.classList.toggle('pd-collapsed', entry.collapsed);
    if (!drawn) return true;
    drawn.toggle.setAttribute('aria-expanded', String(!entry.collapsed));
    const state = STATES[entry.state];
    drawn.stateIcon.className = `codicon codicon-${state.icon}${state.spin ? ' codicon-modifier-spin' : ''}`;
    drawn.stateLabel.textContent = entry.state;
    drawn.duration.textContent = entry.durationMs === undefined ? '' : formatDuration(entry.durationMs);
    drawn.duration.title = durationTitle(entry.startedAt, entry.durationMs, entry.timings);
    const { outputs, views } = drawn;
    let complete = true;
    entry.outputs.forEach((output, i) => {
      if (!views[i]) outputs.append((views[i] = new OutputView(output, entry.id, i, this.post, this.settings)).element);
      complete = views[i].sync(output) && complete;
    });
    for (const extra of views.splice(entry.outputs.length)) extra.element.remove();
    return complete;
  }

  /** Builds the header, code and outputs; once, and only when the entry is about to be seen. */
  private draw(): void {
    if (this.drawn) return;
    const { entry } = this;
    const toggle = el('button', 'pd-toggle');
    toggle.type = 'button';
    toggle.append(codicon('chevron-down', 'pd-chevron'), el('span', 'pd-count', `In [${entry.count}]`));
    const { file, line } = entry;
    const source = file && line
      ? linkButton(`Open ${entry.source}`, () => this.post({ type: 'panel.openLocation', file, line }), entry.source)
      : el('span', undefined, entry.source);
    source.classList.add('pd-source');
    const summary = el('span', 'pd-summary', entry.code.trimStart().split('\n', 1)[0]);
    const stateIcon = el('span');
    stateIcon.setAttribute('aria-hidden', 'true');
    const stateLabel = el('span', 'pd-state-label');
    const state = el('span', 'pd-state');
    state.append(stateIcon, stateLabel);
    const duration = el('span', 'pd-duration');
    const header = el('div', 'pd-entry-header');
    header.append(toggle, source, summary, state, duration);
    header.addEventListener('click', () => this.setCollapsed(!entry.collapsed));

    const code = el('code', 'hljs language-python');
    code.append(highlightPython(entry.code.replace(/\n+$/, '')));
    const pre = el('pre', 'pd-code');
    pre.append(code);
    const outputs = el('div', 'pd-outputs');
    const body = el('div', 'pd-entry-body');
    body.append(pre, outputs);
    this.element.append(header, body);
    this.drawn = { toggle, stateIcon, stateLabel, duration, outputs, views: [] };
    if (!this.sync()) this.unfinished();
  }
}
