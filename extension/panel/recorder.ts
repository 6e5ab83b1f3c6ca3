// Turns runs of a session into transcript updates: entries, coalesced streams, results, errors and notices.
// No vscode import, so tests and benchmarks drive it as the panel does.
import { PydockError, errorMessage } from '../engine/errors';
import type { DisplayData } from '../../shared/agentProtocol';
import type { RunOptions, RunOutcome } from '../engine/session/session';
import type { Timings } from '../engine/session/sessionTypes';
import {
  DEFAULT_LIMITS, applyUpdate, isElided, type DisplayView, type EntryUpdate, type OutputItem, type StreamLimits, type StreamOutput,
  type RunTimings, type TranscriptEntry,
} from '../../shared/transcript';

/** Where the complete output of an entry goes, beyond what the transcript keeps. */
export interface OutputSpool {
  write(entryId: string, name: 'stdout' | 'stderr', text: string): void;
  end(entryId: string): void;
}

/** What a run's events do to its entry (see Recorder.follow). */
export interface RunSink {
  /** The agent started it: queued becomes running. */
  start(): void;
  stream(name: 'stdout' | 'stderr', text: string): void;
  display(display: DisplayData): void;
  /** The window let go of the run (a reload); what arrived so far is in the entry, which stays open. */
  detach(): void;
  finish(output: OutputItem, state: TranscriptEntry['state'], timings?: Timings): void;
}

export type StrayOutput = { name: 'stdout' | 'stderr'; text: string } | { display: DisplayData };

export interface RunSource {
  code: string;
  /** "analysis.py:12", "REPL". */
  source: string;
  file?: string;
  line?: number;
}

/** Streams wait this long to gather chunks into one update. */
const STREAM_DELAY_MS = 16;
/**
 * An elided stream is a flood: each update redraws its whole tail (about 5 ms of the panel's main thread), so it moves
 * four times a second. At ten, a 100 MB print under load blocked the panel over 100 ms in 2 of 10 runs; at four, in none.
 */
const ELIDED_STREAM_DELAY_MS = 250;

export class Recorder {
  readonly entries: TranscriptEntry[] = [];
  private count = 0;
  private nextId = 1;
  private readonly prefix = `${Date.now().toString(36)}-`;

  constructor(
    private readonly emit: (update: EntryUpdate) => void,
    private readonly spool?: OutputSpool,
    private readonly limits: StreamLimits = DEFAULT_LIMITS,
  ) {}

  /** Restores a saved transcript (after a window reload), so counts continue where they were. */
  restore(entries: TranscriptEntry[]): void {
    this.entries.splice(0, this.entries.length, ...entries);
    this.count = entries.reduce((max, e) => Math.max(max, e.count), 0);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /**
   * Records one run as a new transcript entry: `execute` starts it with the options that stream into the entry
   * (usually `(options) => session.exec(code, options)`). Resolves when the entry is final; a failure of the
   * session itself (not of the Python code) is recorded as a notice and rethrown. A run the window let go of as it
   * reloaded stays open: the next window follows it to its end (see SessionFollower).
   */
  async run(source: RunSource, execute: (options: RunOptions) => Promise<RunOutcome>): Promise<RunOutcome> {
    const entry: TranscriptEntry = {
      id: `${this.prefix}${this.nextId++}`, count: ++this.count, code: source.code, source: source.source,
      ...(source.file ? { file: source.file } : {}), ...(source.line ? { line: source.line } : {}),
      state: 'queued', collapsed: false, outputs: [],
    };
    this.apply({ type: 'add', entry });
    const sink = this.follow(entry);
    try {
      const outcome = await execute({
        mode: 'repl', file: source.file, line: source.line,
        onSent: (runId) => this.apply({ type: 'state', id: entry.id, state: entry.state, runId }),
        onStart: sink.start, onStream: sink.stream, onDisplay: sink.display,
      });
      sink.start();
      const interrupted = !outcome.ok && outcome.error.type === 'KeyboardInterrupt';
      sink.finish(outcomeOutput(outcome), outcome.ok ? 'done' : interrupted ? 'interrupted' : 'error', outcome.timings);
      return outcome;
    } catch (error) {
      if (error instanceof PydockError && error.code === 'detached' && entry.runId !== undefined) sink.detach();
      else sink.finish(noticeFor(error), entry.state === 'queued' ? 'cancelled' : 'error');
      throw error;
    }
  }

  /** Where the output of an entry's run goes while it runs: streams gathered into few updates and spooled, displays, its end. */
  follow(entry: TranscriptEntry): RunSink {
    const streams = new StreamBatcher((name, text) => this.commitStream(entry, name, text), (name, text) => this.spool?.write(entry.id, name, text));
    let started = entry.state !== 'queued';
    const start = () => {
      if (started) return;
      started = true;
      this.apply({ type: 'state', id: entry.id, state: 'running', startedAt: Date.now() });
    };
    return {
      start,
      stream: (name, text) => { start(); streams.add(name, text); },
      display: (display) => {
        start();
        streams.flush();
        this.apply({ type: 'output', id: entry.id, output: { kind: 'display', display: displayView(display) } });
      },
      detach: () => {
        streams.flush();
        this.spool?.end(entry.id);
      },
      finish: (output, state, timings) => {
        streams.flush();
        this.apply({ type: 'output', id: entry.id, output });
        this.finish(entry, state, timings);
        this.spool?.end(entry.id);
      },
    };
  }

  /** A line of pydock's own in the transcript, e.g. "Session restarted". */
  notice(level: 'info' | 'warning' | 'error', text: string): void {
    this.apply({ type: 'add', entry: this.pydockEntry(level, text) });
  }

  /**
   * Output that belongs to no run of this window: printed by a thread or subprocess after its run ended, or kept by
   * the agent while the window was reloading. It goes into one entry under `heading`, until a run starts.
   */
  strayOutput(heading: string, output: StrayOutput): void {
    const last = this.entries[this.entries.length - 1];
    if (last?.source !== 'pydock' || last.outputs[0]?.kind !== 'notice' || last.outputs[0].text !== heading) {
      this.apply({ type: 'add', entry: this.pydockEntry('info', heading) });
    }
    const id = this.entries[this.entries.length - 1].id;
    this.apply('display' in output
      ? { type: 'output', id, output: { kind: 'display', display: displayView(output.display) } }
      : { type: 'stream', id, name: output.name, text: output.text });
  }

  private pydockEntry(level: 'info' | 'warning' | 'error', text: string): TranscriptEntry {
    return {
      id: `${this.prefix}${this.nextId++}`, count: 0, code: '', source: 'pydock', state: 'done', collapsed: false,
      outputs: [{ kind: 'notice', level, text }],
    };
  }

  /** Applies an update (from a run, or a collapse from the panel) and passes it on. */
  apply(update: EntryUpdate): void {
    applyUpdate(this.entries, update, this.limits);
    this.emit(update);
  }

  /**
   * Appends gathered stream text. The panel gets the same append while the stream is whole; when lines are first
   * elided, the stream's bounded head and tail; after that, only the elided count and the tail, since the head is
   * final. So it never receives megabytes, nor the head again. Returns whether the stream is elided.
   */
  private commitStream(entry: TranscriptEntry, name: 'stdout' | 'stderr', text: string): boolean {
    const last = entry.outputs[entry.outputs.length - 1];
    const wasElided = last?.kind === 'stream' && last.name === name && isElided(last);
    const update: EntryUpdate = { type: 'stream', id: entry.id, name, text };
    applyUpdate(this.entries, update, this.limits);
    const index = entry.outputs.length - 1;
    const stream = entry.outputs[index] as StreamOutput;
    if (!isElided(stream)) this.emit(update);
    else if (wasElided) this.emit({ type: 'streamTail', id: entry.id, index, elidedLines: stream.elidedLines, tail: stream.tail });
    else this.emit({ type: 'replaceOutput', id: entry.id, index, output: { ...stream } });
    return isElided(stream);
  }

  private finish(entry: TranscriptEntry, state: TranscriptEntry['state'], timings?: Timings): void {
    const durationMs = timings?.durationMs ?? (entry.startedAt ? Date.now() - entry.startedAt : undefined);
    this.apply({ type: 'state', id: entry.id, state, ...(durationMs !== undefined ? { durationMs } : {}), ...(timings ? { timings: runTimings(timings) } : {}) });
  }
}

/** The engine's timestamps as the spans the panel shows. */
function runTimings(t: Timings): RunTimings {
  return {
    queuedMs: t.sentAt - t.queuedAt,
    startMs: t.startedAt === undefined ? undefined : t.startedAt - t.sentAt,
    runMs: t.durationMs,
    totalMs: t.finishedAt === undefined ? undefined : t.finishedAt - t.queuedAt,
    bytesSent: t.bytesSent,
    bytesReceived: t.bytesReceived,
  };
}

/** Gathers stream chunks for a short while, so a fast printer makes a few updates a second instead of thousands. */
class StreamBatcher {
  private pending: { name: 'stdout' | 'stderr'; text: string }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private elided = false;

  constructor(
    private readonly commit: (name: 'stdout' | 'stderr', text: string) => boolean,
    private readonly record: (name: 'stdout' | 'stderr', text: string) => void,
  ) {}

  add(name: 'stdout' | 'stderr', text: string): void {
    this.record(name, text);
    const last = this.pending[this.pending.length - 1];
    if (last?.name === name) last.text += text;
    else this.pending.push({ name, text });
    if (this.timer) return;
    const delay = this.elided ? ELIDED_STREAM_DELAY_MS : STREAM_DELAY_MS;
    const wait = Math.max(0, this.lastFlush + delay - Date.now()); // the first chunk after a quiet spell goes at once
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    for (const { name, text } of this.pending) this.elided = this.commit(name, text) || this.elided;
    this.pending = [];
  }
}

export function displayView(display: DisplayData): DisplayView {
  const data = typeof display.data === 'string' ? display.data : Buffer.from(display.data).toString('base64');
  return { mime: display.mime, data, ...(display.plot !== undefined ? { plot: display.plot } : {}) };
}

function outcomeOutput(outcome: RunOutcome): OutputItem {
  if (!outcome.ok) return { kind: 'error', error: outcome.error };
  return {
    kind: 'result', pyType: outcome.pyType, repr: outcome.repr,
    ...(outcome.table ? { table: outcome.table } : {}),
    ...(outcome.display ? { display: outcome.display.map(displayView) } : {}),
  };
}

function noticeFor(error: unknown): OutputItem {
  const text = error instanceof PydockError ? [error.message, error.hint].filter(Boolean).join(' ') : errorMessage(error);
  return { kind: 'notice', level: 'error', text };
}
