// Routes one session's agent events: to the runs they belong to, and to the session's output and lifecycle listeners.
import type { Logger } from './log';
import type { PendingRuns } from './pendingRuns';
import type { AgentEvent, AgentInfo, DisplayEvent, HelloEvent, StreamEvent } from './protocol';
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
}

export class AgentEvents {
  /** What the agent said of itself in its hello. */
  info: AgentInfo | undefined;
  /** Request ids up to this one were sent by an earlier engine of the reattached agent. */
  private earlierIds = 0;

  constructor(private readonly to: EventTargets) {}

  /** A new agent (fresh or reattached) is starting: its hello says again which ids were the earlier engine's. */
  reset(): void {
    this.earlierIds = 0;
  }

  dispatch(event: AgentEvent, bytes: number, replayed: boolean, agentId: string): void {
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
        this.to.output({ ...this.outputOf(event, replayed), display: { mime: event.mime, data: event.data } });
        return;
      case 'result':
      case 'error': {
        if (event.id === null) {
          this.to.log.warn(`[${this.to.name}] agent error outside any request: ${event.type === 'error' ? event.error.message : ''}`);
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
    this.to.lifecycle({ kind: 'reattached', agent: agentId, replay: event.replay });
  }
}
