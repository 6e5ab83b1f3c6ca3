// The types a Session is driven by and reports with: options, run outcomes, output and lifecycle events.
import type { Backend, LaunchSpec } from '../launch/backend';
import type { PydockError } from '../errors';
import type { Logger } from '../log';
import type {
  CodeLocation, DisplayData, NumberFormat, PythonErrorInfo, ReplayInfo, ResultMode, TablePreview,
} from '../../../shared/agentProtocol';
import type { Value } from '../../../shared/values';
import type { WarmPool } from './warmPool';

export type SessionState = 'new' | 'starting' | 'idle' | 'busy' | 'dead' | 'stopped';

export interface SessionOptions {
  /** A name for logs and labels, e.g. the workspace folder's name. */
  name: string;
  backend: () => Promise<Backend>;
  launch: Omit<LaunchSpec, 'agent'>;
  log?: Logger;
  /** How long the agent may take to say hello after the container starts. */
  startTimeoutMs?: number;
  /**
   * At start, attach to this session's agent if a window that is gone left it running (found by the workspace and
   * session labels), so its namespace survives a window reload. The CLI and the library API leave it off.
   */
  reattach?: boolean;
  /** Where a previous engine stopped reading that agent (its `resumePoint`, persisted across the reload). */
  resumeFrom?: ResumePoint;
  /** An agent that hears nothing from this engine for this long exits (its window is gone). Default 10 minutes. */
  graceMs?: number;
  /**
   * A stream quiet this long is pinged; with no answer for as long again, the backend checks the agent (a daemon that
   * stopped answering, a half-open link). Default 5 s: a lost daemon is reported within about three times this.
   */
  heartbeatMs?: number;
  /** Code run on every fresh agent before the session is ready (not after a reattach: the namespace is still there). */
  init?: string;
  /** After the agent dies (crash, out of memory, removed), start a new one and re-run `init`; see `onDidLifecycle`. */
  autoRestart?: boolean;
  /** An agent that dies this soon after an automatic restart is not restarted again. Default 30 s. */
  autoRestartWindowMs?: number;
  /** Stop (remove the container) after this long without a run; the next run starts a fresh agent. Off by default. */
  idleStopMs?: number;
  /** Keeps a started agent ready for this launch spec, so the next start is a handover. */
  warmPool?: WarmPool;
}

/** An agent and the seq of the last of its events that was read: a reattach replays what came after. */
export interface ResumePoint { agent: string; lastSeq: number }

export interface RunOptions extends CodeLocation {
  mode?: ResultMode;
  /** How the numbers of a repl result's table preview read; exact without it. */
  numbers?: NumberFormat;
  /** Interrupts the code after this long; if it ignores that, the session restarts. No limit when absent. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Receives output while the code runs. Without it, output is collected into the outcome: the first and the last
   * 2 Mi characters of each stream, with a line "… N bytes of output dropped …" between them (see `dropped`).
   */
  onStream?: (name: 'stdout' | 'stderr', text: string) => void;
  /** Receives rich output (plots) while the code runs. Without it, it is collected into the outcome: the first and the last 16 MiB of displays. */
  onDisplay?: (display: DisplayData) => void;
  /** Called when the agent starts running the code (earlier requests may keep it queued). */
  onStart?: () => void;
  /** Called with the id the request was sent under: after a window reload its output arrives as that id's orphan output. */
  onSent?: (id: number) => void;
}

export interface Timings {
  queuedAt: number;
  sentAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Time the agent spent running the code. */
  durationMs?: number;
  bytesSent: number;
  bytesReceived: number;
}

interface OutcomeBase {
  id: number;
  /** What the run printed, when no onStream took it. */
  stdout: string;
  stderr: string;
  /** Rich output, when no onDisplay took it. */
  displays: DisplayData[];
  /** Present when collected output was over its limits: what was left out between the head and the tail. */
  dropped?: DroppedOutput;
  timings: Timings;
}
/** Output a run's outcome left out. stdout and stderr say so where it was, in a line "… N bytes of output dropped …". */
export interface DroppedOutput {
  /** UTF-8 bytes left out of the middle of stdout, and of stderr. */
  stdoutBytes: number;
  stderrBytes: number;
  /** Displays left out between the first and the last ones kept. */
  displays: number;
}
export interface RunSuccess extends OutcomeBase {
  ok: true;
  pyType: string;
  repr: string;
  value: Value;
  table?: TablePreview;
  /** Rich reprs of the value, best first. */
  display?: DisplayData[];
}
export interface RunFailure extends OutcomeBase { ok: false; error: PythonErrorInfo }
/** How a run ended in Python. Failures of the session itself (death, timeout) reject instead. */
export type RunOutcome = RunSuccess | RunFailure;

/** Which run wrote some output, and how it came. */
export interface OutputOrigin {
  /** The run that wrote it; null for output written when nothing ran. */
  id: number | null;
  /** Written while no window was attached, and replayed after a reattach ("output while the window was reloading"). */
  replayed?: true;
  /** Written by a run an earlier engine sent before the reattach (see RunOptions.onSent): the panel adds it to that run's entry. */
  orphan?: true;
}
export interface StreamOutputEvent extends OutputOrigin { name: 'stdout' | 'stderr'; text: string }
/** Rich output (a plot); this engine's own runs also get it through RunOptions.onDisplay. */
export interface DisplayOutputEvent extends OutputOrigin { display: DisplayData }
export type OutputEvent = StreamOutputEvent | DisplayOutputEvent;

/** What the session did by itself, for the panel to say. */
export type LifecycleEvent =
  /**
   * A running agent was attached again, after a window reload or after the connection to it was lost; `replay` says
   * what it kept and lost.
   */
  | { kind: 'reattached'; agent: string; replay: ReplayInfo; after: 'reload' | 'connection-lost' }
  /** The connection was lost and the agent did not survive it (e.g. dockerd restarted without live-restore): a fresh one started. */
  | { kind: 'fresh-after-loss'; cause: PydockError }
  /** A run sent before the reattach ended (the panel may show its outcome); `replayed` when it ended while detached. */
  | { kind: 'orphan-finished'; id: number; ok: boolean; repr: string; error?: PythonErrorInfo; replayed: boolean }
  /** The agent died with `cause`; a new one started and `init` was re-run. */
  | { kind: 'auto-restarted'; cause: PydockError }
  /** The agent died with `cause` and was not restarted: `reason` says why (it died again soon after a restart). */
  | { kind: 'auto-restart-stopped'; cause: PydockError; reason: string }
  /** The init code raised on a fresh agent; the session runs anyway. */
  | { kind: 'init-failed'; error: PythonErrorInfo }
  /** Stopped, container removed, after `idleMs` without a run; the next run starts a fresh agent. */
  | { kind: 'idle-stopped'; idleMs: number };

export type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
