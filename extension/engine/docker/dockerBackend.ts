// Runs the agent in a Docker container through dockerode: pull or build the image, create, copy the agent in, attach,
// start, watch.
import Docker from 'dockerode';
import type { AgentProcess, AgentSinks, Backend, LaunchSpec } from '../launch/backend';
import { PydockError } from '../errors';
import type { LaunchProgress } from '../launch/launchProgress';
import { LABEL, containerCreateBody, launchFingerprint } from './containerSpec';
import { withTimeout } from '../poll';
import { attachAgent, statusOf } from './dockerAgent';
import type { DockerEndpoint } from './endpoint';
import { prepareImage } from './imageBuilder';
import { ensureImage, imageRequestOf, type ImageHost, type ImageInfo } from './imagePuller';
import { planLaunch } from './launchPlan';
import { reattachAgent } from './reattach';
import { registryCredentials, type RegistryCredentials } from './registryAuth';
import { isLeftover } from './tenancy';

/** Where a pull's credentials come from; by default the docker CLI's config of this process's user. */
export type CredentialLookup = (registry: string) => Promise<RegistryCredentials>;

const PING_TIMEOUT_MS = 5000;

export class DockerBackend implements Backend {
  readonly kind = 'docker';
  readonly sandboxed = true;
  readonly description: string;

  /** The daemon as a place to pull images to, with this process's registry credentials (a remote daemon gets them too). */
  readonly images: ImageHost;

  private constructor(readonly docker: Docker, readonly endpoint: DockerEndpoint, private readonly owner: string, credentials: CredentialLookup) {
    this.description = `docker ${endpoint.url}`;
    this.images = { docker, url: endpoint.url, credentials };
  }

  /** Connects and pings, so an unreachable daemon is reported before anything else is tried. */
  static async connect(endpoint: DockerEndpoint, owner: string,
    credentials: CredentialLookup = (registry) => registryCredentials(registry, { env: process.env })): Promise<DockerBackend> {
    const docker = new Docker(endpoint.connection as Docker.DockerOptions);
    try {
      await withTimeout(docker.ping(), PING_TIMEOUT_MS);
    } catch (error) {
      throw new PydockError('daemon-unreachable',
        `Cannot reach the Docker daemon at ${endpoint.url} (from ${endpoint.source}): ${reason(error)}.`, unreachableHint(endpoint, reason(error)));
    }
    return new DockerBackend(docker, endpoint, owner, credentials);
  }

  async launch(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess> {
    const plan = await planLaunch(this.images, spec);
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

  /** Puts the spec's image on the host as a launch would (pulled, or built), without starting anything. */
  async prepare(spec: Pick<LaunchSpec, 'image' | 'build' | 'pull' | 'onProgress' | 'signal'>): Promise<string> {
    return prepareImage(this.images, spec.image, spec.build, imageRequestOf(spec));
  }

  /** Pulls the image again now (a new tag upstream); resolves with what the host has afterwards. */
  pull(image: string, emit: (event: LaunchProgress) => void, signal?: AbortSignal): Promise<ImageInfo> {
    return ensureImage(this.images, image, { policy: 'always', emit, ...(signal ? { signal } : {}) });
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
