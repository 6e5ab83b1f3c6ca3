// Where the time of one API result went: queued, sent, started, finished, and the bytes each way.
import type { RunRequest } from '../../shared/agentProtocol';
import type { Timings } from '../engine/session/session';

/** The timings of one result: each result is one request. Times are `performance.now()` milliseconds of this process. */
export interface Trace {
  /** The session that ran it: its label, which is also the container's `pydock.session` label. */
  session: string;
  /** The request: 'batch' for a builder's eval, which carries its defines and execs; 'call', 'ref.get', … */
  request: RunRequest['type'];
  /** How many defines, execs and evals the request carried (1 unless it is a batch). */
  steps: number;
  /** When the call was made. */
  queuedAt: number;
  /** When its request was written to the agent: after the session started (when it had to) and init ran. */
  sentAt: number;
  /** When the agent began running it, after what was queued before it on the session. */
  startedAt: number | undefined;
  /** When the result arrived. */
  finishedAt: number;
  /** Time the agent spent running it, in milliseconds. */
  runMs: number;
  /** Request bytes written, frame headers included. */
  bytesSent: number;
  /** Event bytes received for it: the result and any output. */
  bytesReceived: number;
}

export function traceOf(session: string, request: RunRequest['type'], steps: number, queuedAt: number, timings: Timings): Trace {
  return {
    session,
    request,
    steps,
    queuedAt,
    sentAt: timings.sentAt,
    startedAt: timings.startedAt,
    finishedAt: timings.finishedAt ?? performance.now(),
    runMs: timings.durationMs ?? 0,
    bytesSent: timings.bytesSent,
    bytesReceived: timings.bytesReceived,
  };
}
