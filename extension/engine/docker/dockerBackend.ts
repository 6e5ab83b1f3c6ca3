// Runs the agent in a Docker container through dockerode: create, copy the agent in, attach, start, watch.
import Docker from 'dockerode';
import type { AgentProcess, AgentSinks, Backend, LaunchSpec } from '../backend';
import { PydockError } from '../errors';
import { LABEL, containerCreateBody, launchFingerprint } from './containerSpec';
import { withTimeout } from '../poll';
import { attachAgent, statusOf } from './dockerAgent';
import type { DockerEndpoint } from './endpoint';
import { planLaunch } from './launchPlan';
import { reattachAgent } from './reattach';
import { isLeftover } from './tenancy';

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
      await withTimeout(docker.ping(), PING_TIMEOUT_MS);
    } catch (error) {
      throw new PydockError('daemon-unreachable',
        `Cannot reach the Docker daemon at ${endpoint.url} (from ${endpoint.source}): ${reason(error)}.`, unreachableHint(endpoint, reason(error)));
    }
    return new DockerBackend(docker, endpoint, owner);
  }

  async launch(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess> {
    const plan = await planLaunch(this.docker, this.endpoint, spec);
    const container = await this.create(containerCreateBody(plan.spec, this.owner, launchFingerprint(spec)));
    try {
      await plan.fill(container);
      const agent = await attachAgent(container, sinks, { daemon: this.endpoint.url, memoryBytes: spec.memoryBytes, workspaceCopy: plan.workspace });
      await container.start();
      return agent;
    } catch (error) {
      await container.remove({ force: true, v: true }).catch(() => undefined);
      throw new PydockError('start-failed', `The container for image ${spec.image} did not start: ${reason(error)}.`,
        'Check that the image runs on this Docker host ("docker run --rm IMAGE python3 -V").');
    }
  }

  /** This spec's container left running by a window that is gone, claimed for this process and attached again. */
  reattach(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess | undefined> {
    return reattachAgent(this.docker, this.endpoint.url, spec, this.owner, sinks);
  }

  /**
   * Removes stopped containers left by pydock processes on this host that have died (a crashed or killed window).
   * Running ones may be reattached; their agents exit by themselves when no window renews their lease.
   */
  async removeLeftovers(isAlive: (owner: string) => boolean): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [LABEL.owner] } });
    const dead = containers.filter((c) => isLeftover(c, isAlive));
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

function reason(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string; code?: string };
  return e?.json?.message ?? e?.message ?? String(error);
}

/** What to do about an unreachable daemon; for ssh, the usual causes are the host key and the login. */
function unreachableHint(endpoint: DockerEndpoint, why: string): string {
  const { host, port, username } = endpoint.connection;
  const login = `${username ? `${username}@` : ''}${host}`;
  if (endpoint.connection.protocol === 'ssh' && /verification failed/i.test(why)) {
    return `The server's host key is not in ~/.ssh/known_hosts. Connect once with "ssh -p ${port} ${login}" and check the fingerprint it shows, then try again.`;
  }
  if (endpoint.connection.protocol === 'ssh' && /authentication/i.test(why)) {
    return `The ssh login failed: load your key into ssh-agent (SSH_AUTH_SOCK) or keep it in ~/.ssh/id_ed25519, id_ecdsa or id_rsa; "ssh -p ${port} ${login} docker version" should work.`;
  }
  return 'Start Docker (for example "sudo systemctl start docker" or "dockerd"), point pydock.docker.host or ' +
    'DOCKER_HOST at a running daemon, or set pydock.backend to "local" to run Python on this machine without a sandbox.';
}
