// The sessions of the workspace: per folder a default one and any named ones, started lazily, configured from
// settings and gated by Workspace Trust. Each folder has an active session that runs, the panel and the views follow.
import * as vscode from 'vscode';
import { Config } from './config';
import { connectBackend } from './engine/backends';
import { PydockError } from './engine/errors';
import type { Logger } from './engine/log';
import { Session, type SessionState } from './engine/session';

const NO_FOLDER = 'pydock:no-folder';
export const DEFAULT_SESSION = 'default';
const ACTIVE_KEY = 'pydock.activeSessions';

interface Place { key: string; name: string; folder?: vscode.WorkspaceFolder }

export class WorkspaceSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly places = new Map<Session, Place>();
  private readonly changed = new vscode.EventEmitter<{ session: Session; state: SessionState }>();
  private readonly activeChanged = new vscode.EventEmitter<void>();
  /** Fires when any session changes state. */
  readonly onDidChangeState = this.changed.event;
  /** Fires when the active session of a folder changes. */
  readonly onDidChangeActive = this.activeChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.activeChanged];

  constructor(private readonly log: Logger, private readonly state: vscode.Memento) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) void this.removeFolder(folder.uri.toString());
      }),
      vscode.workspace.onDidChangeConfiguration((event) => void this.offerRestart(event)),
    );
  }

  /** The active session of the folder holding this document (or of the first folder, or a folder-less one). */
  forDocument(uri: vscode.Uri | undefined): Session {
    const folder = folderOf(uri);
    return this.get(folder, this.activeName(folder));
  }

  /** The active session of the active editor's folder, if it exists yet. */
  active(): Session | undefined {
    const folder = folderOf(vscode.window.activeTextEditor?.document.uri);
    return this.sessions.get(sessionKey(folder, this.activeName(folder)));
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  /** The name of the active session of the active editor's folder. */
  activeNameHere(): string {
    return this.activeName(folderOf(vscode.window.activeTextEditor?.document.uri));
  }

  /** The names of the sessions of the active editor's folder: the default one first. */
  namesHere(): string[] {
    const folder = folderOf(vscode.window.activeTextEditor?.document.uri);
    const names = [...this.places.values()].filter((p) => p.folder?.uri.toString() === folder?.uri.toString()).map((p) => p.name);
    return [DEFAULT_SESSION, ...new Set(names.filter((n) => n !== DEFAULT_SESSION))];
  }

  /** Makes a named session (created on first use) the active one of the active editor's folder. */
  async activate(name: string): Promise<Session> {
    const folder = folderOf(vscode.window.activeTextEditor?.document.uri);
    const session = this.get(folder, name);
    const active = { ...this.state.get<Record<string, string>>(ACTIVE_KEY, {}), [folderKey(folder)]: name };
    await this.state.update(ACTIVE_KEY, active);
    this.activeChanged.fire();
    return session;
  }

  /** A stable name for the session across reloads: its folder's URI and its name. */
  keyOf(session: Session): string {
    return this.places.get(session)?.key ?? sessionKey(undefined, DEFAULT_SESSION);
  }

  /** The session a saved key names, created if need be (a panel restored after a reload). */
  forKey(key: string): Session {
    const [folderUri, name = DEFAULT_SESSION] = key.split('#');
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === folderUri);
    return this.get(folder, decodeURIComponent(name));
  }

  /** The local folder mounted at /workspace, if any. */
  folderOf(session: Session): string | undefined {
    const folder = this.places.get(session)?.folder;
    return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  }

  private activeName(folder: vscode.WorkspaceFolder | undefined): string {
    return this.state.get<Record<string, string>>(ACTIVE_KEY, {})[folderKey(folder)] ?? DEFAULT_SESSION;
  }

  private get(folder: vscode.WorkspaceFolder | undefined, name: string): Session {
    const key = sessionKey(folder, name);
    let session = this.sessions.get(key);
    if (!session) {
      session = this.create(folder, name, key);
      this.sessions.set(key, session);
      this.places.set(session, { key, name, ...(folder ? { folder } : {}) });
    }
    return session;
  }

  private create(folder: vscode.WorkspaceFolder | undefined, name: string, key: string): Session {
    const config = new Config(folder);
    const session = new Session({
      name: name === DEFAULT_SESSION ? folder?.name ?? 'no folder' : `${folder?.name ?? 'no folder'}: ${name}`,
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
          workspaceLabel: key.split('#')[0],
          sessionLabel: name,
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

  private async removeFolder(folderUri: string): Promise<void> {
    const gone = [...this.places].filter(([, place]) => place.folder?.uri.toString() === folderUri);
    for (const [session, place] of gone) {
      this.sessions.delete(place.key);
      this.places.delete(session);
    }
    await Promise.all(gone.map(([session]) => session.dispose()));
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    await Promise.all(this.all().map((s) => s.dispose()));
    this.sessions.clear();
  }
}

function folderOf(uri: vscode.Uri | undefined): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
}

function folderKey(folder: vscode.WorkspaceFolder | undefined): string {
  return folder?.uri.toString() ?? NO_FOLDER;
}

/** folder#name, with the default session keyed by the folder alone (so saved transcripts stay where they were). */
function sessionKey(folder: vscode.WorkspaceFolder | undefined, name: string): string {
  return name === DEFAULT_SESSION ? folderKey(folder) : `${folderKey(folder)}#${encodeURIComponent(name)}`;
}
