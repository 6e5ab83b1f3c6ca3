// One lazily started session per workspace folder, configured from settings and gated by Workspace Trust.
import * as vscode from 'vscode';
import { Config } from './config';
import { connectBackend } from './engine/backends';
import { PydockError } from './engine/errors';
import type { Logger } from './engine/log';
import { Session, type SessionState } from './engine/session';

const NO_FOLDER = 'pydock:no-folder';

export class WorkspaceSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly places = new Map<Session, { key: string; folder?: vscode.WorkspaceFolder }>();
  private readonly changed = new vscode.EventEmitter<{ session: Session; state: SessionState }>();
  /** Fires when any session changes state. */
  readonly onDidChangeState = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly log: Logger) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) void this.remove(folder.uri.toString());
      }),
      vscode.workspace.onDidChangeConfiguration((event) => void this.offerRestart(event)),
    );
  }

  /** The session for the folder holding this document (or the first folder, or a folder-less one). */
  forDocument(uri: vscode.Uri | undefined): Session {
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
    return this.forFolder(folder);
  }

  /** The session of the active editor's folder, if it exists yet. */
  active(): Session | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
    return this.sessions.get(folder?.uri.toString() ?? NO_FOLDER);
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  /** A stable name for the session across reloads: its folder's URI. */
  keyOf(session: Session): string {
    return this.places.get(session)?.key ?? NO_FOLDER;
  }

  /** The session a saved key names, created if need be (a panel restored after a reload). */
  forKey(key: string): Session {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === key);
    return this.forFolder(folder);
  }

  /** The local folder mounted at /workspace, if any. */
  folderOf(session: Session): string | undefined {
    const folder = this.places.get(session)?.folder;
    return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  }

  forFolder(folder: vscode.WorkspaceFolder | undefined): Session {
    const key = folder?.uri.toString() ?? NO_FOLDER;
    let session = this.sessions.get(key);
    if (!session) {
      session = this.create(folder, key);
      this.sessions.set(key, session);
      this.places.set(session, { key, ...(folder ? { folder } : {}) });
    }
    return session;
  }

  private create(folder: vscode.WorkspaceFolder | undefined, key: string): Session {
    const config = new Config(folder);
    const session = new Session({
      name: folder?.name ?? 'no folder',
      log: this.log,
      backend: () => {
        if (!vscode.workspace.isTrusted) {
          throw new PydockError('untrusted', 'pydock runs code only in trusted workspaces.',
            'Trust this workspace (Workspaces: Manage Workspace Trust) to start a Python session.');
        }
        return connectBackend({ choice: config.backend, dockerHost: config.dockerHost, python: config.localPython, log: this.log });
      },
      get launch() {
        return {
          image: config.image,
          workspace: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
          workspaceReadOnly: config.workspaceMount === 'readonly',
          env: {},
          memoryBytes: config.memoryBytes,
          pidsLimit: config.pidsLimit,
          workspaceLabel: key,
          sessionLabel: 'default',
        };
      },
    });
    session.onDidChangeState((state) => this.changed.fire({ session, state }));
    return session;
  }

  private async offerRestart(event: vscode.ConfigurationChangeEvent): Promise<void> {
    const running = this.all().filter((s) => s.state === 'idle' || s.state === 'busy');
    if (running.length === 0 || !Config.affectsRestart(event)) return;
    const choice = await vscode.window.showInformationMessage(
      'pydock settings changed. Restart the Python session to use them? Its variables will be lost.', 'Restart', 'Later');
    if (choice === 'Restart') await Promise.all(running.map((s) => s.restart().catch(() => undefined)));
  }

  private async remove(key: string): Promise<void> {
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    await session?.dispose();
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    await Promise.all(this.all().map((s) => s.dispose()));
    this.sessions.clear();
  }
}
