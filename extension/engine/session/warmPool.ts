// Keeps one started agent ready per launch spec (container created, agent copied in, attached, hello received), so the
// next session start with that spec is a handover instead of a cold start.
import type { AgentProcess, AgentSinks, Backend, LaunchSpec } from '../launch/backend';
import { DEFAULT_GRACE_MS, keepAlive } from './lease';
import { silentLogger, type Logger } from '../log';

const WARM_START_TIMEOUT_MS = 60_000;

export interface WarmPoolOptions {
  /** The lease warm agents get (they exit if this pool's process dies); default 10 minutes. */
  graceMs?: number;
  log?: Logger;
}

/**
 * Warm containers carry the labels of the spec they were made for (the key includes them), so a handed-over one is
 * found by a later reattach like any session container. A reattach never picks one this process holds, and prefers
 * the oldest of a dead window's containers: its session's, not the warm one made after it.
 */
export class WarmPool {
  private readonly agents = new Map<string, WarmAgent>();
  private disposed = false;
  private readonly log: Logger;

  constructor(private readonly options: WarmPoolOptions = {}) {
    this.log = options.log ?? silentLogger;
  }

  /** Starts an agent for this spec in the background, unless one is ready or on its way. */
  fill(backend: Backend, spec: LaunchSpec): void {
    const key = keyOf(backend, spec);
    if (this.disposed || this.agents.has(key)) return;
    const agent = new WarmAgent(backend, spec, this.options.graceMs ?? DEFAULT_GRACE_MS);
    this.agents.set(key, agent);
    const forget = () => { if (this.agents.get(key) === agent) this.agents.delete(key); };
    void agent.ready.then((ready) => {
      if (!ready) return forget();
      void agent.process!.exited.then(forget); // a warm agent that dies is not handed over
    }, (error: unknown) => {
      this.log.warn(`could not start a warm agent for ${spec.image}: ${(error as Error)?.message ?? error}`);
      forget();
    });
  }

  /** This spec's agent if it is ready, its hello passed on to `sinks`; undefined when none is (the caller launches one). */
  take(backend: Backend, spec: LaunchSpec, sinks: AgentSinks): AgentProcess | undefined {
    const key = keyOf(backend, spec);
    const agent = this.agents.get(key);
    if (!agent?.isReady) return undefined;
    this.agents.delete(key);
    return agent.handOver(sinks);
  }

  /** Whether this spec's agent is (or becomes) ready: for tests and benches, and for a caller that wants to wait. */
  async ready(backend: Backend, spec: LaunchSpec): Promise<boolean> {
    const agent = this.agents.get(keyOf(backend, spec));
    return agent ? agent.ready.catch(() => false) : false;
  }

  /** Removes every warm container, including those still starting. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.dispose()));
  }
}

/** One launch of the spec: its bytes are held until handover, and heartbeats keep its lease meanwhile. */
class WarmAgent {
  readonly ready: Promise<boolean>;
  process: AgentProcess | undefined;
  isReady = false;
  private readonly launched: Promise<AgentProcess>;
  private held: ['stdout' | 'stderr', Buffer][] = [];
  private sinks: AgentSinks | undefined;
  private stopHeartbeat: (() => void) | undefined;
  private disposed = false;

  constructor(backend: Backend, spec: LaunchSpec, graceMs: number) {
    let helloArrived: () => void = () => undefined;
    const hello = new Promise<void>((resolve) => { helloArrived = resolve; });
    const hold = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (this.sinks) return this.sinks[name](chunk);
      this.held.push([name, chunk]);
      if (name === 'stdout' && holdsAFrame(this.held)) helloArrived();
    };
    this.launched = backend.launch(spec, { stdout: hold('stdout'), stderr: hold('stderr') });
    this.ready = this.launched.then(async (process) => {
      this.process = process;
      const up = await Promise.race([
        hello.then(() => true),
        process.exited.then(() => false),
        new Promise<false>((resolve) => setTimeout(resolve, WARM_START_TIMEOUT_MS, false).unref()),
      ]);
      if (!up || this.disposed) {
        await process.kill().catch(() => undefined);
        return false;
      }
      this.stopHeartbeat = keepAlive((frame) => process.write(frame), () => 0, graceMs);
      this.isReady = true;
      return true;
    });
  }

  handOver(sinks: AgentSinks): AgentProcess {
    this.stopHeartbeat?.();
    this.sinks = sinks;
    for (const [name, chunk] of this.held) sinks[name](chunk);
    this.held = [];
    return this.process!;
  }

  /** Removes the container, whether or not its agent has said hello yet. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopHeartbeat?.();
    const process = await this.launched.catch(() => undefined);
    await process?.kill().catch(() => undefined);
  }
}

/** The hello is the first frame: it has arrived once the held stdout holds its 4-byte size and that many bytes. */
function holdsAFrame(held: ['stdout' | 'stderr', Buffer][]): boolean {
  const bytes = Buffer.concat(held.filter(([name]) => name === 'stdout').map(([, chunk]) => chunk));
  return bytes.length >= 4 && bytes.length >= 4 + bytes.readUInt32BE(0);
}

/** Agents are interchangeable when the backend and every launch setting (labels included) are the same. */
function keyOf(backend: Backend, spec: LaunchSpec): string {
  return `${backend.description}\n${JSON.stringify(spec)}`;
}
