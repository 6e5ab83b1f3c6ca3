// What a session does besides this window's runs, put into its transcript: lifecycle notices, stray output, and the
// runs a window left running as it reloaded, followed to their end once the session has reattached (no vscode import).
import type { ReplayInfo } from '../../shared/agentProtocol';
import type { LifecycleEvent, OutputEvent, SessionState } from '../engine/session/sessionTypes';
import type { OutputItem } from '../../shared/transcript';
import type { Recorder, RunSink } from './recorder';

export class SessionFollower {
  /** The sinks of the runs a reloaded window's transcript left open, by the agent's run id. */
  private readonly resumed = new Map<number, RunSink>();
  /** What the reattach replayed, once the session has reattached since the transcript was restored. */
  private replay: ReplayInfo | undefined;

  /** Takes over the restored transcript's open entries: the runs sent are followed, the others cannot come back. */
  constructor(private readonly recorder: Recorder) {
    for (const entry of recorder.entries) {
      if (entry.state !== 'queued' && entry.state !== 'running') continue;
      const sink = recorder.follow(entry);
      if (entry.runId === undefined) sink.finish(lost('The window reloaded before this run was sent.'), 'cancelled');
      else this.resumed.set(entry.runId, sink);
    }
  }

  /** Runs still to follow: the session should start, so that it reattaches and they go on. */
  get following(): boolean {
    return this.resumed.size > 0;
  }

  /** The session's output (Session.onDidOutput): a resumed run's goes to its entry; a run of this window's has it already. */
  output(event: OutputEvent): void {
    const sink = event.orphan && event.id !== null ? this.resumed.get(event.id) : undefined;
    if (sink) {
      if ('display' in event) sink.display(event.display);
      else sink.stream(event.name, event.text);
      return;
    }
    if (event.id !== null && !event.orphan && !event.replayed) return;
    const heading = event.replayed ? 'Output while the window was reloading'
      : event.orphan ? 'Output of a run started before the window reloaded' : 'Output after its run ended';
    this.recorder.strayOutput(heading, event);
  }

  /** Session.onDidLifecycle: a resumed run's end closes its entry; the rest is said in a notice. */
  lifecycle(event: LifecycleEvent): void {
    if (event.kind === 'reattached') this.replay = event.replay;
    const sink = event.kind === 'orphan-finished' ? this.resumed.get(event.id) : undefined;
    if (event.kind === 'orphan-finished' && sink) {
      this.resumed.delete(event.id);
      if (event.ok || !event.error) sink.finish({ kind: 'result', pyType: '', repr: event.repr }, 'done');
      else sink.finish({ kind: 'error', error: event.error }, event.error.type === 'KeyboardInterrupt' ? 'interrupted' : 'error');
      return;
    }
    const notice = lifecycleNotice(event);
    this.recorder.notice(notice.level, notice.text);
  }

  /**
   * Session.onDidChangeState: resumed runs whose end can no longer come are closed, saying why. After a reattach
   * whose replay lost nothing, every run's end comes (replayed or live), so they wait for it.
   */
  state(state: SessionState): void {
    if (this.resumed.size === 0) return;
    if (state === 'dead' || state === 'stopped') {
      this.endAll('The session ended before this run\'s end arrived.');
    } else if ((state === 'idle' || state === 'busy') && !this.replay) {
      this.endAll('The window reloaded while this ran, and the session could not be reattached (its container was gone, or its settings changed): how the run ended is unknown.');
    } else if (state === 'idle' && this.replay && this.replay.droppedEvents > 0) {
      this.endAll(`How this run ended was among the ${this.replay.droppedEvents} events the session dropped, to bound its memory, while the window reloaded.`);
    }
  }

  /** The transcript was cleared: nothing is left to follow. */
  cleared(): void {
    this.resumed.clear();
  }

  private endAll(reason: string): void {
    for (const sink of this.resumed.values()) sink.finish(lost(reason), 'error');
    this.resumed.clear();
  }
}

function lost(text: string): OutputItem {
  return { kind: 'notice', level: 'warning', text };
}

/** What the transcript says when the session changes by itself. */
function lifecycleNotice(event: LifecycleEvent): { level: 'info' | 'warning' | 'error'; text: string } {
  switch (event.kind) {
    case 'reattached': {
      const lostEvents = event.replay.droppedEvents ? ` ${event.replay.droppedEvents} older events were dropped to keep memory bounded.` : '';
      const after = event.after === 'reload' ? 'the window reload' : 'the connection to it was lost';
      return { level: 'info', text: `Reattached to the running session after ${after}: variables are still there.${lostEvents}` };
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
