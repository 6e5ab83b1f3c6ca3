// A session agent in a Docker container over dockerode's attach stream: write to it, learn how it ended, remove it, or
// detach and leave it running for a later reattach.
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { AgentExit, AgentProcess, AgentSinks, WorkspaceSync } from '../backend';
import { DockerDemuxer } from '../framing';
import { coalescingWriter } from '../writer';
import { attachStdio } from './attachStdio';

/** Containers this process is attached to (full ids): a reattach never takes one, be it a warm agent or another session's. */
export const attachedHere = new Set<string>();

/** How long a detach waits for the daemon to close the stream after stdin's end, before closing it from this side. */
const DETACH_CLOSE_MS = 1000;

export interface AgentOptions {
  memoryBytes?: number;
  workspaceCopy?: WorkspaceSync;
}

/** Attaches to a created or running container (before start, for a new one) and watches for its end. */
export async function attachAgent(container: Docker.Container, sinks: AgentSinks, options: AgentOptions): Promise<DockerAgent> {
  const stream = await attachStdio(container); // not container.attach(): see attachStdio.ts (Podman)
  const demuxer = new DockerDemuxer();
  stream.on('data', (chunk: Buffer) => {
    for (const [name, data] of demuxer.push(chunk)) sinks[name](data);
  });
  stream.on('error', () => undefined); // the container's end is read from wait(), which says why
  return new DockerAgent(container, stream, options);
}

export class DockerAgent implements AgentProcess {
  readonly id: string;
  readonly exited: Promise<AgentExit>;
  readonly write: (chunks: Buffer[]) => void;
  readonly workspaceCopy?: WorkspaceSync;
  private readonly watching = new AbortController();

  constructor(private readonly container: Docker.Container, private readonly stream: Duplex, options: AgentOptions) {
    this.id = container.id.slice(0, 12);
    this.write = coalescingWriter(stream);
    this.workspaceCopy = options.workspaceCopy;
    attachedHere.add(container.id);
    const ended = container.wait({ condition: 'next-exit', abortSignal: this.watching.signal }) as Promise<{ StatusCode: number }>;
    this.exited = ended.then(
      (result) => this.inspectExit(result.StatusCode, options.memoryBytes),
      // A detached agent runs on: nothing has ended, and nothing will be reported.
      () => (this.watching.signal.aborted ? new Promise<never>(() => undefined) : this.inspectExit(null, options.memoryBytes)),
    );
    void this.exited.then(() => attachedHere.delete(container.id));
  }

  async kill(): Promise<void> {
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

  /** A SIGKILLed container may be one `docker rm -f` is about to remove; look twice before calling it killed. */
  private async inspectExit(code: number | null, memoryBytes: number | undefined): Promise<AgentExit> {
    for (const delayMs of [0, 150, 400]) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      let state: Docker.ContainerInspectInfo['State'];
      try {
        state = (await this.container.inspect()).State;
      } catch (error) {
        if (statusOf(error) === 404) return { code, oomKilled: false, removed: true, memoryBytes };
        return { code, oomKilled: false, removed: false, memoryBytes };
      }
      const exit: AgentExit = { code: state.ExitCode ?? code, oomKilled: state.OOMKilled, removed: false, memoryBytes };
      if (state.OOMKilled || exit.code !== 137) return exit;
    }
    return { code: 137, signal: 'SIGKILL', oomKilled: false, removed: false, memoryBytes };
  }
}

export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}
