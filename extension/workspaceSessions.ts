// The sessions of the workspace: per folder a default one and any named ones, started lazily, configured from
// settings and gated by Workspace Trust. Each folder has an active session that runs, the panel and the views follow.
import * as vscode from 'vscode';
import { Config } from './config';
import type { Backend } from './engine/launch/backend';
import { connectBackend } from './engine/launch/backends';
import type { ReapRequest } from './engine/docker/reaper';
import { PydockError } from './engine/errors';
import type { Logger } from './engine/log';
import { Session, type SessionState } from './engine/session/session';
import type { LifecycleEvent, OutputEvent, ResumePoint } from './engine/session/sessionTypes';
import { WarmPool } from './engine/session/warmPool';
import { ENVIRONMENT_FILE, type ResolvedEnvironment } from './engine/launch/environment';
import { confirmEnvironment, resolveFolderEnvironment } from './environmentLaunch';
import { launchProgressView } from './launchProgressView';
import { NoDockerOffer } from './noDocker';

const NO_FOLDER = 'pydock:no-folder';
export const DEFAULT_SESSION = 'default';
const ACTIVE_KEY = 'pydock.activeSessions';

interface Place { key: string; name: string; folder?: vscode.WorkspaceFolder }

export class WorkspaceSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly places = new Map<Session, Place>();
  private readonly changed = new vscode.EventEmitter<{ session: Session; state: SessionState }>();
  private readonly lifecycle = new vscode.EventEmitter<{ session: Session; event: LifecycleEvent }>();
  /** Fires when a session reattaches, restarts by itself, stops when idle, or its init code fails. */
  readonly onDidLifecycle = this.lifecycle.event;
  private readonly output = new vscode.EventEmitter<{ session: Session; output: OutputEvent }>();
  /** All output of all sessions, also what belongs to no run (threads after their run, replay after a reload). */
  readonly onDidOutput = this.output.event;
  /** Started agents kept ready when pydock.prewarm is on, shared by the workspace's sessions. */
  private readonly warmPool = new WarmPool();
  /** Asked once per window when no Docker daemon answers in auto mode. */
  private readonly noDocker = new NoDockerOffer();
  private readonly activeChanged = new vscode.EventEmitter<void>();
  /** Fires when any session changes state. */
  readonly onDidChangeState = this.changed.event;
  /** Fires when the active session of a folder changes. */
  readonly onDidChangeActive = this.activeChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.activeChanged, this.lifecycle, this.output];

  constructor(private readonly log: Logger, private readonly state: vscode.Memento, private readonly reap: (request: ReapRequest) => void) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) void this.removeFolder(folder.uri.toString());
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Config.affectsRestart(event)) void this.offerRestart('pydock settings changed.');
      }),
      watchEnvironmentFiles(() => void this.offerRestart(`${ENVIRONMENT_FILE} changed.`)),
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

  /** Whether the session is the active one of its folder (the one runs go to, and the editor's language features). */
  isActive(session: Session): boolean {
    const place = this.places.get(session);
    return place !== undefined && this.activeName(place.folder) === place.name;
  }

  /** Whether the session belongs to the folder untitled files run in (the first one, or none). */
  ownsUntitled(session: Session): boolean {
    return this.places.get(session)?.folder?.uri.toString() === folderOf(undefined)?.uri.toString();
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
    const folderPath = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
    const displayName = name === DEFAULT_SESSION ? folder?.name ?? 'no folder' : `${folder?.name ?? 'no folder'}: ${name}`;
    const progress = launchProgressView(this.log, displayName);
    // The environment is read at each start (settings and .pydock/environment.json may have changed since); an
    // invalid one is reported then, not here, where only the lifecycle options are wanted.
    let environment: ResolvedEnvironment | undefined;
    const lifecycle = tryResolve(folderPath, config)?.lifecycle ?? { autoRestart: false, idleStopMinutes: 0 };
    const session = new Session({
      name: displayName,
      log: this.log,
      backend: async () => {
        const connected = await this.connect(folder, config, displayName);
        environment = connected.environment;
        return connected.backend;
      },
      get launch() {
        environment ??= resolveFolderEnvironment(folderPath, config);
        return { ...environment.launch, workspaceLabel: key.split('#')[0], sessionLabel: name, onProgress: progress.report, signal: progress.nextSignal() };
      },
      reattach: config.reattach,
      resumeFrom: this.state.get<ResumePoint>(resumeKey(key)),
      ...(lifecycle.init ? { init: lifecycle.init } : {}),
      autoRestart: lifecycle.autoRestart,
      ...(lifecycle.idleStopMinutes > 0 ? { idleStopMs: lifecycle.idleStopMinutes * 60_000 } : {}),
      ...(config.prewarm ? { warmPool: this.warmPool } : {}),
    });
    session.onDidChangeState((state) => {
      if (state !== 'starting') progress.close();
      this.changed.fire({ session, state });
    });
    session.onDidLifecycle((event) => this.lifecycle.fire({ session, event }));
    session.onDidOutput((output) => this.output.fire({ session, output }));
    return session;
  }

  /**
   * What a start of the active folder's session would run, and where: its environment (asked about first when the
   * workspace chose it) and its backend, for commands that pull or build the image without starting Python.
   */
  async environmentHere(): Promise<{ name: string; environment: ResolvedEnvironment; backend: Backend }> {
    const folder = folderOf(vscode.window.activeTextEditor?.document.uri);
    const name = folder?.name ?? 'no folder';
    return { name, ...await this.connect(folder, new Config(folder), name) };
  }

  /** Sessions that run `image` now, e.g. to restart after a pull brought a new version of it. */
  runningOn(image: string): Session[] {
    return this.all().filter((s) => s.image === image && (s.state === 'idle' || s.state === 'busy'));
  }

  /** Trust, the folder's environment (confirmed), then the backend: Docker, or (auto, no daemon) local if the user says so. */
  private async connect(folder: vscode.WorkspaceFolder | undefined, config: Config, displayName: string): Promise<{ environment: ResolvedEnvironment; backend: Backend }> {
    if (!vscode.workspace.isTrusted) {
      throw new PydockError('untrusted', 'pydock runs code only in trusted workspaces.',
        'Trust this workspace (Workspaces: Manage Workspace Trust) to start a Python session.');
    }
    const environment = resolveFolderEnvironment(folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, config);
    for (const warning of environment.warnings) this.log.warn(`[${displayName}] ${warning}`);
    await confirmEnvironment(this.state, folder, environment, config);
    const backend = await connectBackend({
      choice: environment.backend ?? config.backend, dockerHost: config.dockerHost, python: config.localPython, kubernetes: config.kubernetes,
      log: this.log, offerLocal: (cause) => this.noDocker.offer(cause),
    });
    return { environment, backend };
  }

  /** The environment changed: running sessions use it after a restart (which rebuilds the image if need be). */
  private async offerRestart(reason: string): Promise<void> {
    const running = this.all().filter((s) => s.state === 'idle' || s.state === 'busy');
    if (running.length === 0) return;
    const choice = await vscode.window.showInformationMessage(
      `${reason} Restart the Python session with the new environment (its image is rebuilt if need be)? Its variables will be lost.`, 'Restart', 'Later');
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

  /**
   * The window is going. With reattach on, Docker and Kubernetes sessions are detached, not stopped: their containers
   * (pods) keep running with their namespaces for the next window of this workspace (a reload), and each one's resume
   * point is saved. A reaper process removes containers no window claims within pydock.reattachGraceSeconds (the window
   * closed); an unclaimed pod's agent exits when its lease runs out, and the next start collects the finished pod.
   */
  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    const keep = [...this.places].filter(([session, place]) =>
      new Config(place.folder).reattach && (session.backendKind === 'docker' || session.backendKind === 'kubernetes')
      && (session.state === 'idle' || session.state === 'busy'));
    // The reaper starts first: the extension host may not outlive deactivate by much. It waits out the grace anyway.
    const byHost = new Map<string, string[]>();
    for (const [session, place] of keep.filter(([kept]) => kept.backendKind === 'docker')) {
      const host = new Config(place.folder).dockerHost;
      const agent = session.resumePoint?.agent;
      if (agent) byHost.set(host, [...(byHost.get(host) ?? []), agent]);
    }
    const graceMs = new Config(vscode.workspace.workspaceFolders?.[0]).reattachGraceMs;
    for (const [dockerHost, containers] of byHost) this.reap({ dockerHost, containers, graceMs });
    await Promise.all([...this.places].map(async ([session, place]) => {
      if (!keep.some(([kept]) => kept === session)) return session.dispose();
      await session.detach();
      await this.state.update(resumeKey(place.key), session.resumePoint);
    }));
    this.warmPool.dispose();
    this.sessions.clear();
  }
}



function tryResolve(folder: string | undefined, config: Config): ResolvedEnvironment | undefined {
  try {
    return resolveFolderEnvironment(folder, config);
  } catch {
    return undefined;
  }
}

function watchEnvironmentFiles(changed: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${ENVIRONMENT_FILE}`);
  watcher.onDidChange(changed);
  watcher.onDidCreate(changed);
  watcher.onDidDelete(changed);
  return watcher;
}

function folderOf(uri: vscode.Uri | undefined): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
}

function folderKey(folder: vscode.WorkspaceFolder | undefined): string {
  return folder?.uri.toString() ?? NO_FOLDER;
}

function resumeKey(sessionKey: string): string {
  return `pydock.resume:${sessionKey}`;
}

/** folder#name, with the default session keyed by the folder alone (so saved transcripts stay where they were). */
function sessionKey(folder: vscode.WorkspaceFolder | undefined, name: string): string {
  return name === DEFAULT_SESSION ? folderKey(folder) : `${folderKey(folder)}#${encodeURIComponent(name)}`;
}
