// One language client per running session, talking to its agent's live-namespace server; restarted with the session.
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, type DocumentSelector } from 'vscode-languageclient/node';
import { errorMessage } from '../engine/errors';
import { completionWhenReady } from '../engine/lsp/completionWhenReady';
import { LspTunnel } from '../engine/lsp/lspTunnel';
import type { Session, SessionState } from '../engine/session/session';
import type { WorkspaceSessions } from '../workspaceSessions';
import { tunnelTransports } from './tunnelTransports';

const RUNNING: SessionState[] = ['idle', 'busy'];
/** Python servers that complete from the file's text: beside one, the agent's static (jedi) items would double theirs. */
const STATIC_PYTHON_SERVERS = ['ms-python.vscode-pylance', 'ms-pyright.pyright', 'detachhead.basedpyright'];

export class LiveLanguageClients implements vscode.Disposable {
  private readonly clients = new Map<Session, LanguageClient>();
  private readonly output = vscode.window.createOutputChannel('pydock Live Completions', { log: true });
  private readonly disposables: vscode.Disposable[];
  private count = 0;

  constructor(private readonly sessions: WorkspaceSessions) {
    this.disposables = [
      this.output,
      sessions.onDidChangeState(({ session, state }) => this.follow(session, state)),
      sessions.onDidChangeActive(() => { for (const session of sessions.all()) this.follow(session, session.state); }),
    ];
  }

  /** A client while the session runs and is its folder's active one; none otherwise (a restart makes a new one). */
  private follow(session: Session, state: SessionState): void {
    const wanted = RUNNING.includes(state) && this.sessions.isActive(session);
    const current = this.clients.get(session);
    if (wanted && !current) this.start(session);
    else if (!wanted && current) this.stop(session);
  }

  private start(session: Session): void {
    const tunnel = new LspTunnel(session);
    const client = new LanguageClient(`pydockLive${++this.count}`, `pydock live (${session.name})`,
      () => Promise.resolve(tunnelTransports(tunnel)),
      // A request that fails (the session restarting under it) is logged, not shown: the next keystroke asks again.
      { documentSelector: this.selector(session), outputChannel: this.output, revealOutputChannelOn: RevealOutputChannelOn.Never,
        initializationOptions: { staticCompletions: !STATIC_PYTHON_SERVERS.some((id) => vscode.extensions.getExtension(id)) },
        middleware: {
          provideCompletionItem: (document, position, context, token, next) =>
            completionWhenReady(async () => next(document, position, context, token), () => token.isCancellationRequested),
        } });
    this.clients.set(session, client);
    client.start().catch((error) => this.output.error(`${session.name}: the live language client did not start: ${errorMessage(error)}`));
  }

  private stop(session: Session): void {
    const client = this.clients.get(session)!;
    this.clients.delete(session);
    client.dispose(2000).catch((error) => this.output.warn(`${session.name}: the live language client stopped uncleanly: ${errorMessage(error)}`));
  }

  /** The Python files of the session's folder, and untitled Python for the folder untitled files run in. */
  private selector(session: Session): DocumentSelector {
    const folder = this.sessions.folderOf(session);
    const files = folder ? { scheme: 'file', language: 'python', pattern: `${folder.replace(/\\/g, '/')}/**/*.py` } : { scheme: 'file', language: 'python' };
    return this.sessions.ownsUntitled(session) ? [files, { scheme: 'untitled', language: 'python' }] : [files];
  }

  dispose(): void {
    for (const session of [...this.clients.keys()]) this.stop(session);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
