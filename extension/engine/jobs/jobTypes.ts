// What a job is: its spec (what runs, with what), its record (.pydock/runs/<id>/run.json) and the lines of its log.
import { randomBytes } from 'node:crypto';

/** Where a job's files live in the workspace: .pydock/runs/<id>/{run.json,log.txt,outputs/}. */
export const RUNS_DIR = '.pydock/runs';
/** The folder a job writes its results to; also in $PYDOCK_OUTPUTS. */
export const OUTPUTS_IN_CONTAINER = '/outputs';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'lost';
export const FINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled', 'lost'];

/** What a job runs: a Python file (workspace-relative) with arguments, or module:function with JSON arguments. */
export type JobTarget =
  | { kind: 'file'; file: string; args: string[] }
  | { kind: 'function'; function: string; args: unknown[] | Record<string, unknown> };

export interface JobResources {
  cpus?: number;
  memoryBytes?: number;
}

export interface JobSpec {
  target: JobTarget;
  /** Shown in lists; default: the file's or the function's name. */
  name?: string;
  /** More environment variables, over the workspace environment's. */
  env?: Record<string, string>;
  resources?: JobResources;
}

export interface CollectedOutput {
  /** Relative to the outputs folder, with / separators. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface JobRecord {
  id: string;
  name: string;
  target: string;
  args: string[] | unknown[] | Record<string, unknown>;
  image: { name: string; id?: string };
  /** The hash of the container settings, as pydock.config: the same for jobs run in the same environment. */
  environmentHash?: string;
  resources: JobResources;
  status: JobStatus;
  exitCode: number | null;
  /** ISO times. */
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  outputs: CollectedOutput[];
  /** Why the job failed to start, was lost, or what could not be collected; null when nothing went wrong. */
  error: string | null;
  /** Cancel was asked for: whoever collects the job records it cancelled (the exit code of a kill says nothing more). */
  cancelRequested?: boolean;
  /** The process that queued it (host:pid): a queued job of a live process is in its queue, not lost. */
  owner?: string;
  /** The last progress the job reported. */
  progress?: JobProgress;
  /** While queued, what its start is doing (a pull, a build, a pod pending and why): this process's, never saved. */
  starting?: string;
}

export interface JobProgress {
  fraction: number;
  message: string;
}

/** One line of a job's log: when Docker received it (ns since the epoch), from which stream, without its newline. */
export interface LogLine {
  timeNs: bigint;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Where a log reader is in one stream: lines after this time, and the first `seen` lines at exactly it are read. */
export interface StreamCursor {
  timeNs: bigint;
  seen: number;
}

/** Where a log reader is, stream by stream: Docker's times rise within a stream, but not across the two. */
export type LogCursor = Record<LogLine['stream'], StreamCursor>;

export function isFinal(status: JobStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** "train.py" or "pkg.mod:fit", as records and lists show what ran. */
export function targetText(target: JobTarget): string {
  return target.kind === 'file' ? target.file : target.function;
}

/** "pkg.mod:fn" names a function; anything else (e.g. "train.py", "a:b.py") is a file. */
export function isFunctionTarget(text: string): boolean {
  return /^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$/.test(text) && !text.endsWith('.py');
}

/** What a record's target and args ran, to run it again. */
export function targetOfRecord(record: Pick<JobRecord, 'target' | 'args'>): JobTarget {
  return isFunctionTarget(record.target)
    ? { kind: 'function', function: record.target, args: record.args as unknown[] }
    : { kind: 'file', file: record.target, args: record.args as string[] };
}

/** Splits typed arguments on spaces; "double" or 'single' quotes keep spaces inside one. Nothing else is interpreted: no shell runs. */
export function splitArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Sorts by time: 20261203-174501-3f9a2c. */
export function newJobId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** A job's name unless it was given one: the file's name or the function. */
export function defaultName(spec: JobSpec): string {
  return spec.target.kind === 'file' ? spec.target.file.split(/[\\/]/).pop()! : spec.target.function;
}

/** The record of a job known only by its id (its container, or a removal). */
export function lostRecord(id: string, error: string): JobRecord {
  return {
    id, name: id, target: '', args: [], image: { name: '' }, resources: {}, status: 'lost', exitCode: null,
    queuedAt: '', startedAt: null, finishedAt: null, durationMs: null, outputs: [], error,
  };
}
