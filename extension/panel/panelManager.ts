// One recorder and (when open) one panel per session: runs from the editor and the REPL land here, and
// transcripts survive a window reload through the panel serializer and workspace state.
import * as vscode from 'vscode';
import type { Logger } from '../engine/log';
import type { Session } from '../engine/session';
import type { LifecycleEvent } from '../engine/sessionTypes';
import type { TranscriptEntry } from '../../webview/shared/transcript';
import type { RunLocation, RunReporter } from '../runReporter';
import type { WorkspaceSessions } from '../workspaceSessions';
import { ReplHistory } from './history';
import { FULL_OUTPUT_SCHEME, FileOutputSpool } from './outputSpool';
import { Recorder } from './recorder';
import { PANEL_VIEW_TYPE, SessionPanel } from './sessionPanel';

/** Saved transcripts stay under this many characters of JSON per session. */
const SAVED_TRANSCRIPT_CHARS = 4_000_000;
const SAVE_DELAY_MS = 500;

/** The part of the webview's saved state the serializer needs (see webview/panel/savedState.ts). */
interface PanelState { session?: { key?: string } }

export type OpenTable = (session: Session, ref: number, title: string) => Promise<void>;

export class PanelManager implements RunReporter, vscode.Disposable {
  private readonly recorders = new Map<string, Recorder>();
  private readonly panels = new Map<string, SessionPanel>();
  private readonly saveTimers = new Map<string, NodeJS.Timeout>();
  private readonly history: ReplHistory;
  private readonly spool: FileOutputSpool;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly sessions: WorkspaceSessions,
    private readonly log: Logger,
    private readonly openTable: OpenTable,
  ) {
    this.history = new ReplHistory(context.workspaceState);
    this.spool = new FileOutputSpool(vscode.Uri.joinPath(context.globalStorageUri, 'outputs').fsPath);
    this.disposables.push(
      this.spool,
      vscode.workspace.registerTextDocumentContentProvider(FULL_OUTPUT_SCHEME, this.spool),
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: PanelState | undefined) => {
          const key = state?.session?.key;
          const session = key ? this.sessions.forKey(key) : this.sessions.forDocument(undefined);
          this.adopt(session, panel);
        },
      }),
      sessions.onDidLifecycle(({ session, event }) => {
        const notice = lifecycleNotice(event);
        if (notice) this.recorder(session).notice(notice.level, notice.text);
      }),
      sessions.onDidOutput(({ session, output }) => {
        if (output.id !== null && !output.replayed) return; // a run of this window: its entry has it
        this.recorder(session).strayOutput(output.replayed ? 'Output while the window was reloading' : 'Output after its run ended', output.name, output.text);
      }),
      sessions.onDidChangeState(({ session, state }) => {
        if (state === 'dead' && session.deathCause && !this.recorder(session).entries.some((e) => e.state === 'running' || e.state === 'queued')) {
          this.recorder(session).notice('error', `${session.deathCause.message} ${session.deathCause.hint}`.trim());
        }
      }),
    );
  }

  /** Runs editor code as a transcript entry, opening the panel beside the editor on the first run. */
  async run(session: Session, code: string, location: RunLocation): Promise<boolean> {
    this.show(session, true);
    const source = `${vscode.workspace.asRelativePath(location.file)}:${location.line}`;
    const outcome = await this.recorder(session).run({ code, source, file: location.file, line: location.line }, (options) => session.exec(code, options));
    return outcome.ok;
  }

  /** A fresh container with the same configuration, said in the transcript. */
  async restart(session: Session): Promise<void> {
    await session.restart();
    this.recorder(session).notice('info', 'Session restarted: a fresh container with the same configuration. Variables are gone.');
  }

  /** Interrupts this session's code, and offers a restart when it does not stop (C code, or SIGINT ignored). */
  async interrupt(session: Session): Promise<void> {
    if ((await session.interrupt()) !== 'ignored') return;
    const choice = await vscode.window.showWarningMessage(
      `pydock: the code in "${session.name}" did not stop within a second: it may be in C code that does not check for interrupts, or SIGINT is ignored.`,
      'Restart Session', 'Keep Waiting');
    if (choice === 'Restart Session') await this.restart(session);
  }

  /** Opens (or reveals) the session's panel. */
  show(session: Session, preserveFocus = false): SessionPanel {
    const key = this.sessions.keyOf(session);
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal(preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, `pydock: ${session.name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, { retainContextWhenHidden: true });
    return this.adopt(session, panel);
  }

  private adopt(session: Session, panel: vscode.WebviewPanel): SessionPanel {
    const key = this.sessions.keyOf(session);
    const recorder = this.recorder(session);
    const view = new SessionPanel(panel, this.context.extensionUri, session, recorder, {
      sessionKey: key,
      runRepl: async (code) => {
        await this.history.add(code);
        // A failing session is shown in the transcript, where the REPL user is looking.
        await recorder.run({ code, source: 'REPL', file: '<repl>', line: 1 }, (options) => session.exec(code, options)).catch(() => undefined);
      },
      history: () => this.history.all(),
      interrupt: () => this.interrupt(session),
      restart: () => this.restart(session),
      clear: () => {
        recorder.clear();
        view.cleared();
        this.save(key);
      },
      openFullOutput: async (entryId) => {
        const entry = recorder.entries.find((e) => e.id === entryId);
        if (!(await this.spool.open(entryId, `Out ${entry?.count ?? ''} ${session.name}`))) {
          void vscode.window.showInformationMessage('pydock: the full output of that run is no longer kept.');
        }
      },
      openTable: (ref, title) => this.openTable(session, ref, title),
      workspaceFolder: () => this.sessions.folderOf(session),
    });
    this.panels.set(key, view);
    view.onDidClose(() => this.panels.delete(key));
    return view;
  }

  private recorder(session: Session): Recorder {
    const key = this.sessions.keyOf(session);
    let recorder = this.recorders.get(key);
    if (!recorder) {
      recorder = new Recorder((update) => {
        this.panels.get(key)?.update(update);
        if (update.type === 'state' || update.type === 'add' || update.type === 'collapse') this.save(key);
      }, this.spool);
      recorder.restore(this.context.workspaceState.get<TranscriptEntry[]>(storageKey(key), []));
      this.recorders.set(key, recorder);
    }
    return recorder;
  }

  /** Saves the newest entries that fit, a moment after the last change. */
  private save(key: string): void {
    clearTimeout(this.saveTimers.get(key));
    this.saveTimers.set(key, setTimeout(() => {
      this.saveTimers.delete(key);
      const entries = this.recorders.get(key)?.entries ?? [];
      let size = 0;
      let first = entries.length;
      while (first > 0 && (size += JSON.stringify(entries[first - 1]).length) <= SAVED_TRANSCRIPT_CHARS) first--;
      void this.context.workspaceState.update(storageKey(key), entries.slice(first)).then(undefined,
        (error) => this.log.warn(`could not save the transcript: ${error}`));
      this.spool.keepOnly(new Set([...this.recorders.values()].flatMap((r) => r.entries.map((e) => e.id))));
    }, SAVE_DELAY_MS));
  }

  dispose(): void {
    for (const timer of this.saveTimers.values()) clearTimeout(timer);
    for (const panel of this.panels.values()) panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** What the transcript says when the session changes by itself. */
function lifecycleNotice(event: LifecycleEvent): { level: 'info' | 'warning' | 'error'; text: string } | undefined {
  switch (event.kind) {
    case 'reattached': {
      const lost = event.replay.droppedEvents ? ` ${event.replay.droppedEvents} older events were dropped to keep memory bounded.` : '';
      const after = event.after === 'reload' ? 'the window reload' : 'the connection to it was lost';
      return { level: 'info', text: `Reattached to the running session after ${after}: variables are still there.${lost}` };
    }
    case 'fresh-after-loss':
      return { level: 'warning', text: `${event.cause.message} The container did not survive it: this is a fresh session, and the variables from before are gone.` };
    case 'orphan-finished':
      return { level: event.ok ? 'info' : 'warning', text: `A run started before the reload ${event.ok ? 'finished' : `failed: ${event.error?.type}: ${event.error?.message}`}${event.ok && event.repr ? `: ${event.repr}` : '.'}` };
    case 'auto-restarted':
      return { level: 'warning', text: `${event.cause.message} A new session started and its init code ran again (pydock autoRestart).` };
    case 'auto-restart-stopped':
      return { level: 'error', text: `${event.cause.message} It was not restarted again: ${event.reason}` };
    case 'init-failed':
      return { level: 'error', text: `The init code raised ${event.error.type}: ${event.error.message}` };
    case 'idle-stopped':
      return { level: 'info', text: `Stopped after ${Math.round(event.idleMs / 60_000)} minutes without a run; the next run starts a fresh session.` };
    default: {
      const unknown: never = event;
      return { level: 'info', text: JSON.stringify(unknown) };
    }
  }
}

function storageKey(sessionKey: string): string {
  return `pydock.transcript:${sessionKey}`;
}
