// A session agent in a Docker container over dockerode's attach stream: write to it, learn how it ended (or that the
// connection to it was lost), remove it, or detach and leave it running for a later reattach.
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { AgentExit, AgentProcess, AgentSinks, WorkspaceSync } from '../launch/backend';
import { DockerDemuxer } from '../wire/framing';
import { withTimeout } from '../poll';
import { coalescingWriter } from '../wire/writer';
import { attachStdio } from './attachStdio';

/** Containers this process is attached to (full ids): a reattach never takes one, be it a warm agent or another session's. */
export const attachedHere = new Set<string>();

/** How long a detach waits for the daemon to close the stream after stdin's end, before closing it from this side. */
const DETACH_CLOSE_MS = 1000;
/** How long the daemon has to answer when the stream ended or went quiet, before it counts as gone. */
const PROBE_TIMEOUT_MS = 5000;

export interface AgentOptions {
  /** The daemon, as the user knows it (e.g. unix:///var/run/docker.sock), for messages. */
  daemon: string;
  memoryBytes?: number;
  workspaceCopy?: WorkspaceSync;
}

/** Attaches to a created or running container (before start, for a new one) and watches for its end. */
export async function attachAgent(container: Docker.Container, sinks: AgentSinks, options: AgentOptions): Promise<DockerAgent> {
  const stream = await attachStdio(container); // not container.attach(): see attachStdio.ts (Podman)
  const agent = new DockerAgent(container, stream, options);
  const demuxer = new DockerDemuxer();
  stream.on('data', (chunk: Buffer) => {
    try {
      for (const [name, data] of demuxer.push(chunk)) sinks[name](data);
    } catch (error) {
      agent.streamBroke(`its multiplexing could not be read (${(error as Error).message})`);
    }
  });
  stream.on('error', (error: Error) => agent.streamBroke(error.message));
  stream.on('close', () => agent.streamBroke('the daemon closed it'));
  return agent;
}

export class DockerAgent implements AgentProcess {
  readonly id: string;
  readonly exited: Promise<AgentExit>;
  readonly write: (chunks: Buffer[]) => void;
  readonly workspaceCopy?: WorkspaceSync;
  private readonly watching = new AbortController();
  private settle!: (exit: AgentExit) => void;
  private settled = false;
  /** This side is closing the stream (a kill or a detach): its end says nothing about the agent. */
  private closing = false;

  constructor(private readonly container: Docker.Container, private readonly stream: Duplex, private readonly options: AgentOptions) {
    this.id = container.id.slice(0, 12);
    this.write = coalescingWriter(stream);
    this.workspaceCopy = options.workspaceCopy;
    attachedHere.add(container.id);
    this.exited = new Promise((resolve) => { this.settle = resolve; });
    void this.exited.then(() => attachedHere.delete(container.id));
    const ended = container.wait({ condition: 'next-exit', abortSignal: this.watching.signal }) as Promise<{ StatusCode: number }>;
    ended.then(
      (result) => this.end(this.inspectExit(result.StatusCode)),
      // A detached agent runs on: nothing has ended. Otherwise the wait's own connection failed: look why.
      () => { if (!this.watching.signal.aborted) void this.probe(); },
    );
  }

  /** The attach stream ended or failed while this side still wanted it: the agent exited, or the connection was lost. */
  streamBroke(why: string): void {
    if (!this.closing && !this.settled) void this.probe(`the connection to the container broke: ${why}`);
  }

  /**
   * Asks the daemon how the container is, within a bounded time: running means the agent is there (a quiet stream,
   * or one that broke while the container runs on); stopped or gone settles `exited`; no answer means the daemon is gone.
   */
  async probe(why = 'the agent stopped answering'): Promise<void> {
    const state = await this.state(why);
    if (isExit(state)) return this.end(Promise.resolve(state));
    if (!state.Running) return this.end(this.inspectExit(state.ExitCode ?? null));
    if (this.stream.destroyed || this.stream.readableEnded) {
      this.end(Promise.resolve({ code: null, oomKilled: false, removed: false, lost: `${why}; the container still runs` }));
    }
  }

  async kill(): Promise<void> {
    this.closing = true;
    attachedHere.delete(this.container.id);
    this.stream.destroy();
    await this.container.remove({ force: true, v: true }).catch((error) => { // v: its anonymous volumes (copied workspace, read-only root)
      if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
    });
  }

  /**
   * Ends stdin's side of the stream after what was written (a last ack), which leaves the container's stdin open
   * (StdinOnce is false); the daemon then closes the stream. Closing it at once could lose that last write.
   */
  async detach(): Promise<void> {
    this.closing = true;
    attachedHere.delete(this.container.id);
    this.watching.abort();
    const closed = new Promise<void>((resolve) => {
      this.stream.once('close', resolve);
      setTimeout(resolve, DETACH_CLOSE_MS).unref();
    });
    this.stream.end();
    await closed;
    this.stream.destroy();
  }

  /** Settles `exited` once, with the first way the end was learnt. */
  private end(exit: Promise<AgentExit>): void {
    void exit.then((value) => {
      if (this.settled) return;
      this.settled = true;
      this.stream.destroy();
      this.settle(value);
    });
  }

  /** A SIGKILLed container may be one `docker rm -f` is about to remove; look twice before calling it killed. */
  private async inspectExit(code: number | null): Promise<AgentExit> {
    const { memoryBytes } = this.options;
    for (const delayMs of [0, 150, 400]) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const state = await this.state(`the container had exited with code ${code}`);
      if (isExit(state)) return { ...state, code };
      const exit: AgentExit = { code: state.ExitCode ?? code, oomKilled: state.OOMKilled, removed: false, memoryBytes };
      if (state.OOMKilled || exit.code !== 137) return exit;
    }
    return { code: 137, signal: 'SIGKILL', oomKilled: false, removed: false, memoryBytes };
  }

  /** The container's state; or, when the daemon says it is gone or says nothing in time, how the agent ended. */
  private async state(why: string): Promise<Docker.ContainerInspectInfo['State'] | AgentExit> {
    const { memoryBytes, daemon } = this.options;
    try {
      return (await withTimeout(this.container.inspect(), PROBE_TIMEOUT_MS)).State;
    } catch (error) {
      if (statusOf(error) === 404) return { code: null, oomKilled: false, removed: true, memoryBytes };
      return { code: null, oomKilled: false, removed: false, lost: `the Docker daemon at ${daemon} stopped answering (${(error as Error).message}; ${why})` };
    }
  }
}

function isExit(state: Docker.ContainerInspectInfo['State'] | AgentExit): state is AgentExit {
  return 'removed' in state;
}

export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}

