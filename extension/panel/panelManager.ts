// One recorder and (when open) one panel per session: runs from the editor and the REPL land here, and
// transcripts survive a window reload through the panel serializer and workspace state.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from '../config';
import type { Logger } from '../engine/log';
import type { Session, RunOptions, RunOutcome } from '../engine/session/session';
import type { RunLocation, RunReporter } from '../runReporter';
import type { ResultOrigin } from '../table/tableManager';
import type { WorkspaceSessions } from '../workspaceSessions';
import { savePlot } from '../plots/plotSaving';
import { PlotViewers } from '../plots/plotViewers';
import { plotImage, transcriptPlots, type PlotFormat, type PlotRef, type TranscriptPlot } from '../../shared/plots';
import type { EntryUpdate } from '../../shared/transcript';
import { ReplHistory } from './history';
import { ReplCompletion } from '../engine/lsp/replCompletion';
import { FULL_OUTPUT_SCHEME, FileOutputSpool } from './outputSpool';
import { Recorder } from './recorder';
import { SessionFollower } from './sessionFollower';
import { PANEL_VIEW_TYPE, SessionPanel, type PanelPlotAction } from './sessionPanel';
import { TranscriptStore } from './transcriptStore';

const SAVE_DELAY_MS = 500;

/** The part of the webview's saved state the serializer needs (see webview/panel/savedState.ts). */
interface PanelState { session?: { key?: string } }

export type OpenTable = (session: Session, ref: number, origin: ResultOrigin) => Promise<void>;

/** A session's transcript: the runs of this window, and what the session does besides. */
interface Transcript { recorder: Recorder; follower: SessionFollower }

export class PanelManager implements RunReporter, vscode.Disposable {
  private readonly transcripts = new Map<string, Transcript>();
  private readonly panels = new Map<string, SessionPanel>();
  private readonly saveTimers = new Map<string, NodeJS.Timeout>();
  private readonly history: ReplHistory;
  private readonly spool: FileOutputSpool;
  private readonly store: TranscriptStore;
  private readonly plotViewers: PlotViewers;
  private readonly disposables: vscode.Disposable[] = [];
  /** The window is going: transcripts are saved at once, since a reload will not wait for a timer. */
  private closing = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly sessions: WorkspaceSessions,
    log: Logger,
    private readonly openTable: OpenTable,
  ) {
    this.history = new ReplHistory(context.workspaceState);
    this.spool = new FileOutputSpool(vscode.Uri.joinPath(context.globalStorageUri, 'outputs').fsPath);
    this.store = new TranscriptStore(vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'transcripts').fsPath, log);
    this.plotViewers = new PlotViewers(context.extensionUri);
    this.disposables.push(
      this.spool,
      this.plotViewers,
      vscode.workspace.registerTextDocumentContentProvider(FULL_OUTPUT_SCHEME, this.spool),
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: PanelState | undefined) => {
          const key = state?.session?.key;
          const session = key ? this.sessions.forKey(key) : this.sessions.forDocument(undefined);
          this.adopt(session, panel);
        },
      }),
      sessions.onDidLifecycle(({ session, event }) => this.transcript(session).follower.lifecycle(event)),
      sessions.onDidOutput(({ session, output }) => this.transcript(session).follower.output(output)),
      sessions.onDidChangeState(({ session, state }) => {
        this.transcript(session).follower.state(state);
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
    const outcome = await this.recorder(session).run({ code, source, file: location.file, line: location.line }, (options) => this.exec(session, code, options));
    return outcome.ok;
  }

  /** A debugged run (debug/debugging.ts): an entry like any run's, its output also going to the debugger's console. */
  runDebugged(session: Session, code: string, options: Pick<RunOptions, 'file' | 'line' | 'onStream'>): Promise<RunOutcome> {
    this.show(session, true);
    const source = `${path.posix.basename(options.file ?? 'code')}:${options.line} (debug)`;
    const withStream = (run: RunOptions): RunOptions => ({
      ...run, onStream: (name, text) => { run.onStream?.(name, text); options.onStream?.(name, text); },
    });
    return this.recorder(session).run({ code, source, file: options.file, line: options.line }, (run) => this.exec(session, code, withStream(run)));
  }

  /** Runs code for the transcript, its table preview's numbers read as the settings say. */
  private exec(session: Session, code: string, options: RunOptions): Promise<RunOutcome> {
    return session.exec(code, { ...options, numbers: new Config().numbers });
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
    const completion = new ReplCompletion(session);
    const view = new SessionPanel(panel, this.context.extensionUri, session, recorder, {
      sessionKey: key,
      runRepl: async (code) => {
        await this.history.add(code);
        // A failing session is shown in the transcript, where the REPL user is looking.
        await recorder.run({ code, source: 'REPL', file: '<repl>', line: 1 }, (options) => this.exec(session, code, options)).catch(() => undefined);
      },
      history: () => this.history.all(),
      complete: (code, offset) => completion.complete(code, offset),
      interrupt: () => this.interrupt(session),
      restart: () => this.restart(session),
      clear: () => {
        recorder.clear();
        this.transcript(session).follower.cleared();
        view.cleared();
        this.plotViewers.transcriptChanged(key);
        this.save(key);
      },
      openFullOutput: async (entryId) => {
        const entry = recorder.entries.find((e) => e.id === entryId);
        if (!(await this.spool.open(entryId, `Out ${entry?.count ?? ''} ${session.name}`))) {
          void vscode.window.showInformationMessage('pydock: the full output of that run is no longer kept.');
        }
      },
      openTable: (ref, origin) => this.openTable(session, ref, origin),
      plot: (ref, action) => this.plot(session, ref, action),
      workspaceFolder: () => this.sessions.folderOf(session),
    });
    this.panels.set(key, view);
    view.onDidClose(() => this.panels.delete(key));
    return view;
  }

  private async plot(session: Session, ref: PlotRef, action: PanelPlotAction): Promise<void> {
    const recorder = this.recorder(session);
    const plot = transcriptPlots(recorder.entries).find((p) => p.entryId === ref.entryId && p.index === ref.index);
    if (!plot) throw new Error('that plot is no longer in the transcript');
    const target = { session, workspaceFolder: this.sessions.folderOf(session) };
    if (action === 'open') {
      const source = { entries: () => recorder.entries, save: (shown: TranscriptPlot, format: PlotFormat) => savePlot(shown, format, target) };
      this.plotViewers.open(this.sessions.keyOf(session), session.name, source, ref);
      return;
    }
    const saved = await savePlot(plot, action === 'save-png' ? 'png' : 'svg', target);
    if (saved) void vscode.window.setStatusBarMessage(`pydock: saved the plot to ${saved}`, 5000);
  }

  private recorder(session: Session): Recorder {
    return this.transcript(session).recorder;
  }

  /** Made on the session's first event or panel, from the saved transcript; runs a reload left open resume at once. */
  private transcript(session: Session): Transcript {
    const key = this.sessions.keyOf(session);
    let transcript = this.transcripts.get(key);
    if (!transcript) {
      const recorder = new Recorder((update) => {
        this.panels.get(key)?.update(update);
        if (showsPlot(update)) this.plotViewers.transcriptChanged(key);
        if (this.closing || update.type === 'state' || update.type === 'add' || update.type === 'collapse') this.save(key);
      }, this.spool);
      recorder.restore(this.store.load(key));
      transcript = { recorder, follower: new SessionFollower(recorder) };
      this.transcripts.set(key, transcript);
      // The session reattaches, and the runs go on in their entries; a failed start is said by the session's state.
      if (transcript.follower.following) session.start().catch(() => undefined);
    }
    return transcript;
  }

  /** Saves the transcript a moment after the last change, or at once while the window closes. */
  private save(key: string): void {
    clearTimeout(this.saveTimers.get(key));
    this.saveTimers.delete(key);
    if (this.closing) return this.saveNow(key);
    this.saveTimers.set(key, setTimeout(() => {
      this.saveTimers.delete(key);
      this.saveNow(key);
      this.spool.keepOnly(new Set([...this.transcripts.values()].flatMap((t) => t.recorder.entries.map((e) => e.id))));
    }, SAVE_DELAY_MS));
  }

  private saveNow(key: string): void {
    this.store.save(key, this.transcripts.get(key)?.recorder.entries ?? []);
  }

  /**
   * VS Code disposes this right after calling deactivate(), while the sessions detach: the output their runs received
   * until then reaches the transcripts a moment later, and is saved as it comes (what the next window resumes from).
   */
  dispose(): void {
    this.closing = true;
    for (const timer of this.saveTimers.values()) clearTimeout(timer);
    this.saveTimers.clear();
    for (const key of this.transcripts.keys()) this.saveNow(key);
    for (const panel of this.panels.values()) panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Updates that add a plot the plot viewer counts. */
function showsPlot(update: EntryUpdate): boolean {
  return update.type === 'output' && plotImage(update.output) !== undefined;
}
