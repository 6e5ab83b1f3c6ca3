// The requests in flight on one session: what each collects from its events, how its result or error settles it, and
// which run the agent is busy with.
import { PydockError } from '../errors';
import type { DisplayData, DisplayEvent, ErrorEvent, ResultEvent, StatusEvent, StreamEvent } from '../../../shared/agentProtocol';
import { OUTPUT_LIMITS, RunOutput, type OutputLimits } from './runOutput';
import type { RunOptions, RunOutcome, Timings } from './sessionTypes';

interface Pending {
  options: RunOptions;
  /** Inspection beside user code: it does not make the session busy and is not interrupted with it. */
  background: boolean;
  /** Output that no onStream or onDisplay took, bounded. */
  output: RunOutput;
  timings: Timings;
  /** The first exception a callback of the caller's threw: the run goes on, and rejects with it once settled. */
  callbackError?: unknown;
  resolve(outcome: RunOutcome): void;
  reject(error: Error): void;
  cleanup(): void;
}

export class PendingRuns {
  private readonly runs = new Map<number, Pending>();
  /** The run the agent is running now, from its status events. */
  running: number | undefined;
  /** A run an earlier engine sent before a reattach, still running: it keeps the session busy. */
  orphan: number | undefined;

  constructor(private readonly outputLimits: OutputLimits = OUTPUT_LIMITS) {}

  /** A request just sent: it settles through its events, or rejects through `on` (its timeout, its abort signal) or rejectAll. */
  add(id: number, options: RunOptions, background: boolean, timings: Timings,
    on: { timeout(id: number): void; abort(id: number): void }): Promise<RunOutcome> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => on.abort(id);
      this.runs.set(id, {
        options, background, output: new RunOutput(this.outputLimits), timings, resolve, reject,
        cleanup: () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      });
      if (options.timeoutMs !== undefined) timer = setTimeout(() => on.timeout(id), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  has(id: number): boolean {
    return this.runs.has(id);
  }

  get(id: number | null): Pending | undefined {
    return id === null ? undefined : this.runs.get(id);
  }

  /** The runs on the agent's main thread (not inspections), in the order they were sent. */
  foregroundIds(): number[] {
    return [...this.runs].filter(([, p]) => !p.background).map(([id]) => id);
  }

  /** The requests the agent has not said it started: queued runs, and inspections (which say nothing). */
  notStarted(): number[] {
    return [...this.runs.keys()].filter((id) => id !== this.running);
  }

  /** A run of this session's on the main thread, or an earlier engine's still running. */
  isBusy(): boolean {
    if (this.orphan !== undefined) return true;
    for (const pending of this.runs.values()) if (!pending.background) return true;
    return false;
  }

  /** Tracks what the agent runs; true when the session may no longer be busy (an orphan run ended). */
  status(event: StatusEvent): boolean {
    if (event.id === null) return false;
    if (event.state === 'busy') {
      this.running = event.id;
      const pending = this.runs.get(event.id);
      if (pending) {
        pending.timings.startedAt = performance.now();
        if (pending.options.onStart) guarded(pending, pending.options.onStart);
      }
      return false;
    }
    if (this.running === event.id) this.running = undefined;
    if (this.orphan !== event.id) return false;
    this.orphan = undefined;
    return true;
  }

  /** Rejects one run now (a timeout, an abort); false when it had already settled. */
  reject(id: number, error: Error): boolean {
    const pending = this.remove(id);
    pending?.reject(error);
    return pending !== undefined;
  }

  /** The agent has ended or been let go: every run rejects with the cause. */
  rejectAll(cause: Error): void {
    const all = [...this.runs.values()];
    this.runs.clear();
    this.running = this.orphan = undefined;
    for (const pending of all) {
      pending.cleanup();
      pending.reject(cause);
    }
  }

  stream(event: StreamEvent, bytes: number): void {
    const pending = this.get(event.id);
    if (!pending) return;
    pending.timings.bytesReceived += bytes;
    const { onStream } = pending.options;
    if (onStream) guarded(pending, () => onStream(event.name, event.text));
    else pending.output.stream(event.name, event.text);
  }

  display(event: DisplayEvent, bytes: number): void {
    const pending = this.get(event.id);
    if (!pending) return;
    const display = displayOf(event);
    const { onDisplay } = pending.options;
    if (onDisplay) guarded(pending, () => onDisplay(display));
    else pending.output.display(display);
    pending.timings.bytesReceived += bytes;
  }

  /** Forgets a run, its timer and its abort listener; the caller settles it. */
  private remove(id: number): Pending | undefined {
    const pending = this.runs.get(id);
    pending?.cleanup();
    this.runs.delete(id);
    return pending;
  }

  /** Settles the run this result or error ends; false when it is none of these runs (abandoned, or sent by another engine). */
  finish(id: number, event: ResultEvent | ErrorEvent, bytes: number): boolean {
    const pending = this.remove(id);
    if (!pending) return false;
    if (pending.callbackError !== undefined) {
      pending.reject(callbackFailure(pending.callbackError, event.type === 'result'));
      return true;
    }
    const timings = { ...pending.timings, finishedAt: performance.now(), durationMs: event.durationMs, bytesReceived: pending.timings.bytesReceived + bytes };
    const base = { id, ...pending.output.collected(), timings };
    pending.resolve(event.type === 'result'
      ? {
        ...base, ok: true, pyType: event.pyType, repr: event.repr, value: event.value,
        ...(event.table ? { table: event.table } : {}), ...(event.display ? { display: event.display } : {}),
      }
      : { ...base, ok: false, error: event.error });
    return true;
  }
}

/** Calls one of the caller's callbacks; what it throws is kept for that caller, never let into the session's reading. */
function guarded(pending: Pending, callback: () => void): void {
  try {
    callback();
  } catch (error) {
    pending.callbackError ??= error;
  }
}

function callbackFailure(error: unknown, ok: boolean): PydockError {
  const failure = new PydockError('callback',
    `A callback given to this run (onOutput, onDisplay or onStart) threw: ${(error as Error)?.message ?? error}. `
    + `The run itself ${ok ? 'finished' : 'raised'}; the session and its variables are intact.`,
    'Fix the callback: its exception is this error\'s `cause`.');
  failure.cause = error;
  return failure;
}

/** A display event's data, without the event's own fields. */
export function displayOf(event: DisplayEvent): DisplayData {
  return { mime: event.mime, data: event.data, ...(event.plot !== undefined ? { plot: event.plot } : {}) };
}
