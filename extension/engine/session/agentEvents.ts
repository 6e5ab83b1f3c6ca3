// Routes one session's agent events: to the runs they belong to, and to the session's output and lifecycle listeners.
// What cannot be routed (a malformed event, a request the agent could not read) fails the runs concerned.
import { PydockError } from '../errors';
import type { Logger } from '../log';
import type { AgentInfo, DapEvent, DisplayEvent, HelloEvent, PythonErrorInfo, SessionEvent, StreamEvent } from '../../../shared/agentProtocol';
import { displayOf, type PendingRuns } from './pendingRuns';
import type { LifecycleEvent, OutputEvent, OutputOrigin } from './sessionTypes';

export interface EventTargets {
  name: string;
  log: Logger;
  runs: PendingRuns;
  output(event: OutputEvent): void;
  lifecycle(event: LifecycleEvent): void;
  /** A run settled or the agent went idle: the session may be idle now. */
  settled(): void;
  /** A reattached agent has seen request ids up to `lastId`: new requests must come after. */
  idsUsed(lastId: number): void;
  /** Fails one run now, and has the agent stop or skip it. */
  abandon(id: number, cause: PydockError): void;
  /** Bytes from the agent's debugger (debug/debugChannel.ts). */
  dap(event: DapEvent): void;
}

export const PROTOCOL_HINT = 'This is a bug in pydock (please report it with the log: pydock: Show Log); the session and its variables are intact';

export class AgentEvents {
  /** What the agent said of itself in its hello. */
  info: AgentInfo | undefined;
  /** Request ids up to this one were sent by an earlier engine of the reattached agent. */
  private earlierIds = 0;
  private reattachedAfter: 'reload' | 'connection-lost' = 'reload';

  constructor(private readonly to: EventTargets) {}

  /** A new agent (fresh or reattached) is starting: its hello says again which ids were the earlier engine's. */
  reset(reattachAfter: 'reload' | 'connection-lost'): void {
    this.earlierIds = 0;
    this.reattachedAfter = reattachAfter;
  }

  dispatch(event: SessionEvent, bytes: number, replayed: boolean, agentId: string): void {
    const { runs } = this.to;
    switch (event.type) {
      case 'hello':
        this.onHello(event, agentId);
        return;
      case 'status':
        if (runs.status(event)) this.to.settled();
        return;
      case 'stream':
        runs.stream(event, bytes);
        this.to.output({ ...this.outputOf(event, replayed), name: event.name, text: event.text });
        return;
      case 'display':
        runs.display(event, bytes);
        this.to.output({ ...this.outputOf(event, replayed), display: displayOf(event) });
        return;
      case 'dap':
        if (!replayed) this.to.dap(event); // a replayed debugger's bytes belonged to a window that is gone
        return;
      case 'result':
      case 'error': {
        if (event.id === null) {
          if (event.type === 'error') this.requestLost(event.error);
          else this.to.log.warn(`[${this.to.name}] ignored a result outside any request`);
        } else if (runs.finish(event.id, event, bytes)) {
          this.to.settled();
        } else if (event.id <= this.earlierIds) {
          this.to.lifecycle({
            kind: 'orphan-finished', id: event.id, ok: event.type === 'result', replayed,
            ...(event.type === 'result' ? { repr: event.repr } : { repr: '', error: event.error }),
          });
        }
        return;
      }
      default: {
        const unknown: never = event;
        this.to.log.warn(`[${this.to.name}] unhandled event ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** A malformed event fails the run it names; the stream goes on, since its framing is intact. */
  malformed(message: unknown, problem: string): void {
    const { type, id } = (typeof message === 'object' && message !== null ? message : {}) as { type?: unknown; id?: unknown };
    const what = `The agent sent a malformed ${typeof type === 'string' ? `"${type}" ` : ''}event: ${problem}`;
    this.to.log.error(`[${this.to.name}] ${what}: ${JSON.stringify(message)?.slice(0, 300)}`);
    if (typeof id === 'number' && this.to.runs.has(id)) this.to.abandon(id, new PydockError('protocol', `${what}.`, `${PROTOCOL_HINT}; run it again.`));
  }

  /** Which request the agent could not read is unknown: those not started are cancelled, so none waits forever. */
  private requestLost(error: PythonErrorInfo): void {
    const waiting = this.to.runs.notStarted();
    this.to.log.error(`[${this.to.name}] the agent could not read a request (${error.type}: ${error.message}); cancelling ${waiting.length} not yet started`);
    const cause = new PydockError('protocol', `The agent could not read a request sent to it (${error.type}: ${error.message}).`,
      `pydock cannot tell which request it was, so the runs not yet started were cancelled. ${PROTOCOL_HINT}; run them again.`);
    for (const id of waiting) this.to.abandon(id, cause);
  }

  /** Who wrote it, as output listeners are told: flags only when set, so listeners of a fresh agent's output see none. */
  private outputOf(event: StreamEvent | DisplayEvent, replayed: boolean): OutputOrigin {
    const orphan = event.id !== null && event.id <= this.earlierIds;
    return { id: event.id, ...(replayed ? { replayed } : {}), ...(orphan ? { orphan } : {}) };
  }

  /** A reattach's hello comes before the replayed events: the earlier engine's requests are told apart from here on. */
  private onHello(event: HelloEvent, agentId: string): void {
    this.info = { python: event.python, agent: event.agent, pid: event.pid, cwd: event.cwd, modules: event.modules };
    if (!event.replay) return;
    this.earlierIds = event.lastId;
    this.to.idsUsed(event.lastId);
    this.to.runs.orphan = event.running ?? undefined;
    this.to.lifecycle({ kind: 'reattached', agent: agentId, replay: event.replay, after: this.reattachedAfter });
  }
}
