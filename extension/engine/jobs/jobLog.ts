// A job's log as Docker gives it (timestamped lines per stream): lines, progress marks, a cursor that survives a reattach.
import { createdNs } from '../docker/tenancy';
import type { JobProgress, LogCursor, LogLine, StreamCursor } from './jobTypes';

/** The mark pydock.progress() writes at the start of a stderr line (python-agent/pydock/jobs.py). */
export const PROGRESS_MARK = '\x1epydock:progress ';

/** Splits a stream's text (each line "RFC3339NANO text") into lines; the rest after the last newline is returned to keep. */
export function parseLogText(text: string, stream: LogLine['stream']): { lines: LogLine[]; rest: string } {
  const parts = text.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.map((part) => parseLine(part, stream)), rest };
}

/** One line, its timestamp read; a line Docker gave no timestamp (never expected) counts as time 0. */
export function parseLine(line: string, stream: LogLine['stream']): LogLine {
  const space = line.indexOf(' ');
  try {
    return { timeNs: createdNs(line.slice(0, space)), stream, text: line.slice(space + 1).replace(/\r$/, '') };
  } catch {
    return { timeNs: 0n, stream, text: line };
  }
}

const UNREAD: StreamCursor = { timeNs: -1n, seen: 0 };

/**
 * Whether a line comes after the cursor of its stream; `seen` counts the lines at exactly that time already read. Each
 * source (the container's log from `since`, then log.txt) is a pass over the lines from the start: `restart()` between.
 */
export class CursorFilter {
  private atTime = { stdout: 0, stderr: 0 };
  constructor(private cursor: LogCursor = { stdout: UNREAD, stderr: UNREAD }) {}

  accept(line: LogLine): boolean {
    const { stream, timeNs } = line;
    if (timeNs < this.cursor[stream].timeNs) return false;
    if (timeNs > this.cursor[stream].timeNs) {
      this.cursor = { ...this.cursor, [stream]: { timeNs, seen: 0 } };
      this.atTime[stream] = 0;
    }
    this.atTime[stream]++;
    if (this.atTime[stream] <= this.cursor[stream].seen) return false;
    this.cursor = { ...this.cursor, [stream]: { timeNs, seen: this.atTime[stream] } };
    return true;
  }

  restart(): void {
    this.atTime = { stdout: 0, stderr: 0 };
  }

  get position(): LogCursor {
    return this.cursor;
  }
}

/**
 * Docker's `since` for a cursor (seconds with nanoseconds; the daemon includes lines at exactly that time): the earlier
 * stream's time, or the start while a stream has had no line read (one of its lines may sit before the other's).
 */
export function sinceOf(cursor: LogCursor | undefined): string | undefined {
  if (!cursor || cursor.stdout.timeNs < 0n || cursor.stderr.timeNs < 0n) return undefined;
  const timeNs = cursor.stdout.timeNs < cursor.stderr.timeNs ? cursor.stdout.timeNs : cursor.stderr.timeNs;
  const seconds = timeNs / 1_000_000_000n;
  return `${seconds}.${String(timeNs % 1_000_000_000n).padStart(9, '0')}`;
}

/** The progress a line reports, or undefined for an ordinary line. */
export function progressOf(line: LogLine): JobProgress | undefined {
  if (line.stream !== 'stderr' || !line.text.startsWith(PROGRESS_MARK)) return undefined;
  try {
    const { fraction, message } = JSON.parse(line.text.slice(PROGRESS_MARK.length)) as JobProgress;
    return typeof fraction === 'number' ? { fraction, message: String(message ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

/** `{ progress }` for a progress line, to spread into what a reader gets; nothing for output. */
export function progressField(line: LogLine): { progress?: JobProgress } {
  const progress = progressOf(line);
  return progress ? { progress } : {};
}

/** A line of log.txt: the time as RFC 3339 with nanoseconds, the stream, the text. */
export function formatLogLine(line: LogLine): string {
  return `${isoNs(line.timeNs)} ${line.stream === 'stderr' ? 'err' : 'out'} ${line.text}`;
}

export function isoNs(timeNs: bigint): string {
  const ms = Number(timeNs / 1_000_000n);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${String(timeNs % 1_000_000_000n).padStart(9, '0')}Z`);
}

/** Reads a line of log.txt back (for a log asked for after the container is gone). */
export function parseLogFileLine(text: string): LogLine {
  const [time, stream, ...rest] = text.split(' ');
  return parseLine(`${time} ${rest.join(' ')}`, stream === 'err' ? 'stderr' : 'stdout');
}
