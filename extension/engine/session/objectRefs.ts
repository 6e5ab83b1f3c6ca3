// Frees the Python objects behind ObjectRefs once TypeScript can no longer reach them, in batches per agent.
import type { ObjectRef } from '../../../shared/values';

/** Whatever identifies one agent process: refs from an agent that has ended name nothing and are never sent. */
type Agent = object;

export class ObjectRefTracker {
  private readonly agents = new WeakMap<ObjectRef, Agent>();
  private readonly registry = new FinalizationRegistry<{ ref: number; agent: Agent }>((held) => this.queue(held));
  private queued: { ref: number; agent: Agent }[] = [];

  /** `release` frees refs in the agent they came from; it is called at most once per turn of the event loop. */
  constructor(private readonly release: (refs: number[], agent: Agent) => void) {}

  /** Watches refs that arrived from `agent`. */
  track(refs: ObjectRef[], agent: Agent): void {
    for (const ref of refs) {
      this.agents.set(ref, agent);
      this.registry.register(ref, { ref: ref.ref, agent }, ref);
    }
  }

  /** The agent a ref came from, if this tracker saw it arrive. */
  agentOf(ref: ObjectRef): Agent | undefined {
    return this.agents.get(ref);
  }

  /** Stops watching a ref that is being released explicitly. */
  forget(ref: ObjectRef): void {
    this.registry.unregister(ref);
  }

  private queue(held: { ref: number; agent: Agent }): void {
    if (this.queued.length === 0) setImmediate(() => this.flush());
    this.queued.push(held);
  }

  private flush(): void {
    const byAgent = new Map<Agent, number[]>();
    for (const { ref, agent } of this.queued) {
      const refs = byAgent.get(agent) ?? [];
      refs.push(ref);
      byAgent.set(agent, refs);
    }
    this.queued = [];
    for (const [agent, refs] of byAgent) this.release(refs, agent);
  }
}
