// Runs the agent in a Docker container through dockerode: create, copy the agent in, attach, start, watch.
import Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { agentTar } from '../agentBundle';
import type { AgentExit, AgentProcess, AgentSinks, Backend, LaunchSpec } from '../backend';
import { PydockError } from '../errors';
import { DockerDemuxer } from '../framing';
import { coalescingWriter } from '../writer';
import { LABEL, containerCreateBody } from './containerSpec';
import type { DockerEndpoint } from './endpoint';

const PING_TIMEOUT_MS = 5000;

export class DockerBackend implements Backend {
  readonly kind = 'docker';
  readonly sandboxed = true;
  readonly description: string;

  private constructor(readonly docker: Docker, readonly endpoint: DockerEndpoint, private readonly owner: string) {
    this.description = `docker ${endpoint.url}`;
  }

  /** Connects and pings, so an unreachable daemon is reported before anything else is tried. */
  static async connect(endpoint: DockerEndpoint, owner: string): Promise<DockerBackend> {
    const docker = new Docker(endpoint.connection as Docker.DockerOptions);
    try {
      await withTimeout(docker.ping(), PING_TIMEOUT_MS, 'no answer');
    } catch (error) {
      throw new PydockError('daemon-unreachable',
        `Cannot reach the Docker daemon at ${endpoint.url} (from ${endpoint.source}): ${reason(error)}.`,
        'Start Docker (for example "sudo systemctl start docker" or "dockerd"), point pydock.docker.host or ' +
        'DOCKER_HOST at a running daemon, or set pydock.backend to "local" to run Python on this machine without a sandbox.');
    }
    return new DockerBackend(docker, endpoint, owner);
  }

  async launch(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess> {
    const body = containerCreateBody(spec, this.owner);
    const [container, tar] = await Promise.all([this.create(body), agentTar(spec.agent)]);
    try {
      await container.putArchive(tar, { path: '/' });
      const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
      const demuxer = new DockerDemuxer();
      stream.on('data', (chunk: Buffer) => {
        for (const [name, data] of demuxer.push(chunk)) sinks[name](data);
      });
      stream.on('error', () => undefined); // the container's end is read from wait(), which says why
      const ended = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
      await container.start();
      return new DockerAgent(container, stream, ended, spec.memoryBytes);
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw new PydockError('start-failed', `The container for image ${spec.image} did not start: ${reason(error)}.`,
        'Check that the image runs on this Docker host ("docker run --rm IMAGE python3 -V").');
    }
  }

  /** Removes containers left by pydock processes on this host that have died (a crashed or killed window). */
  async removeLeftovers(isAlive: (owner: string) => boolean): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [LABEL.owner] } });
    const dead = containers.filter((c) => !isAlive(c.Labels[LABEL.owner]));
    await Promise.all(dead.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    return dead.map((c) => c.Id.slice(0, 12));
  }

  private async create(body: ReturnType<typeof containerCreateBody>): Promise<Docker.Container> {
    try {
      return await this.docker.createContainer(body as Docker.ContainerCreateOptions);
    } catch (error) {
      if (statusOf(error) === 404) {
        throw new PydockError('image-missing', `The image ${body.Image} is not on the Docker host ${this.endpoint.url}.`,
          `Pull it with "docker pull ${body.Image}", build it ("docker build -t ${body.Image} ."), ` +
          'or set pydock.image to an image listed by "docker images".');
      }
      throw new PydockError('start-failed', `Docker could not create a container for ${body.Image}: ${reason(error)}.`);
    }
  }
}

class DockerAgent implements AgentProcess {
  readonly id: string;
  readonly exited: Promise<AgentExit>;
  readonly write: (chunks: Buffer[]) => void;

  constructor(private readonly container: Docker.Container, private readonly stream: Duplex,
    ended: Promise<{ StatusCode: number }>, memoryBytes: number | undefined) {
    this.id = container.id.slice(0, 12);
    this.write = coalescingWriter(stream);
    this.exited = ended.then(
      (result) => this.inspectExit(result.StatusCode, memoryBytes),
      () => this.inspectExit(null, memoryBytes),
    );
  }

  async kill(): Promise<void> {
    this.stream.destroy();
    await this.container.remove({ force: true }).catch((error) => {
      if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
    });
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

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}

function reason(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string; code?: string };
  return e?.json?.message ?? e?.message ?? String(error);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
