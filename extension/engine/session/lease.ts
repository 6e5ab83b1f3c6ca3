// Heartbeats both ways: acks that say how long the agent may go unheard (its lease), and pings when it has gone quiet.
import { encode } from '../wire/codec';
import { encodeFrame } from '../wire/framing';
import type { AckRequest, PingRequest } from '../../../shared/agentProtocol';

/** An agent that hears nothing for this long exits: its window is gone and no reload came back for it. The agent
 * starts with the same grace (python-agent/pydock_agent/lease.py), so only another one needs saying at once. */
export const DEFAULT_GRACE_MS = 10 * 60_000;

export function ackFrame(seq: number, graceMs: number): Buffer[] {
  return encodeFrame(encode({ type: 'ack', seq, graceMs } satisfies AckRequest));
}

/** How long a link may be quiet before it pings the agent; as long again without an answer, the backend is asked. */
export const DEFAULT_HEARTBEAT_MS = 5000;

export function pingFrame(): Buffer[] {
  return encodeFrame(encode({ type: 'ping' } satisfies PingRequest));
}

/** Often enough that two heartbeats can be late before the agent gives up; at most once a minute. */
export function heartbeatEveryMs(graceMs: number): number {
  return Math.max(50, Math.min(60_000, graceMs / 3));
}

/** Sends heartbeats regularly until the returned function is called; the first at once if the grace is not the default. */
export function keepAlive(write: (frame: Buffer[]) => void, seq: () => number, graceMs: number): () => void {
  if (graceMs !== DEFAULT_GRACE_MS) write(ackFrame(seq(), graceMs));
  const timer = setInterval(() => write(ackFrame(seq(), graceMs)), heartbeatEveryMs(graceMs));
  timer.unref(); // a heartbeat alone must not keep a script's process alive
  return () => clearInterval(timer);
}
