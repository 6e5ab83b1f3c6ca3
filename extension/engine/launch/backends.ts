// Chooses and connects the backend: Docker when its daemon answers, else (in auto mode) the local python3. Lists and
// stops pydock's containers on it, and puts session images on it.
import type { Backend, LaunchSpec } from './backend';
import { listPydockContainers, removePydockContainer, type PydockContainer } from '../docker/containers';
import { DockerBackend } from '../docker/dockerBackend';
import { resolveDockerEndpoint } from '../docker/endpoint';
import type { ImageInfo } from '../docker/imagePuller';
import { registryCredentials } from '../docker/registryAuth';
import { PydockError } from '../errors';
import type { LaunchProgress } from './launchProgress';
import { KubernetesBackend, type KubernetesBackendOptions } from '../kubernetes/kubernetesBackend';
import { LocalBackend } from '../local/localBackend';
import type { Logger } from '../log';
import { ownerId, ownerIsAlive } from './owner';

export type BackendChoice = 'auto' | 'docker' | 'local' | 'kubernetes';

export interface BackendOptions {
  choice: BackendChoice;
  /** The pydock.docker.host setting; DOCKER_HOST and docker contexts apply when it is empty. */
  dockerHost?: string;
  /** The pydock.kubernetes.* settings: the kubeconfig context and the namespace (empty: the kubeconfig's). */
  kubernetes?: KubernetesBackendOptions;
  /** The interpreter for the local backend. */
  python?: string;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /**
   * In auto mode, asked when no Docker daemon answers: true runs Python locally (not sandboxed), false fails with the
   * daemon's error. Without it, auto mode falls back to the local backend and logs a warning (the CLI and the API).
   */
  offerLocal?: (cause: PydockError) => Promise<boolean>;
}

export async function connectBackend(options: BackendOptions): Promise<Backend> {
  if (options.choice === 'local') return new LocalBackend(options.python);
  if (options.choice === 'kubernetes') return connectKubernetes(options);
  const env = options.env ?? process.env;
  let docker: DockerBackend;
  try {
    docker = await DockerBackend.connect(resolveDockerEndpoint({ setting: options.dockerHost, env }), ownerId(),
      (registry) => registryCredentials(registry, { env }));
  } catch (error) {
    if (options.choice === 'docker' || !(error instanceof PydockError)) throw error;
    if (options.offerLocal && !(await options.offerLocal(error))) throw error;
    options.log.warn(`${error.message} Using the local backend: Python runs on this machine, not sandboxed.`);
    return new LocalBackend(options.python);
  }
  docker.removeLeftovers(ownerIsAlive).then(
    (removed) => removed.length && options.log.info(`removed ${removed.length} container(s) left by closed pydock windows: ${removed.join(', ')}`),
    (error) => options.log.warn(`could not look for leftover containers: ${error}`));
  return docker;
}

async function connectKubernetes(options: BackendOptions): Promise<Backend> {
  const kubernetes = await KubernetesBackend.connect(ownerId(), options.kubernetes);
  kubernetes.removeLeftovers(ownerIsAlive).then(
    (removed) => removed.length && options.log.info(`deleted ${removed.length} finished pod(s) left by closed pydock windows: ${removed.join(', ')}`),
    (error) => options.log.warn(`could not look for leftover pods: ${error}`));
  return kubernetes;
}

/** Whether a Docker daemon answers where pydock would look (setting, DOCKER_HOST, context); resolves with its URL, else throws why not. */
export async function checkDocker(dockerHost: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const backend = await DockerBackend.connect(resolveDockerEndpoint({ setting: dockerHost, env }), ownerId());
  return backend.endpoint.url;
}

/** pydock's containers on the backend's Docker host, all windows' and states; none for the local backend. */
export async function listContainers(backend: Backend): Promise<PydockContainer[]> {
  return backend instanceof DockerBackend ? listPydockContainers(backend.docker) : [];
}

/** Removes one of them; false when it was already gone. */
export async function stopContainer(backend: Backend, id: string): Promise<boolean> {
  return backend instanceof DockerBackend && removePydockContainer(backend.docker, id);
}

/** Puts a session's image on the backend's host as its start would (pulled as `spec.pull` says, or built); the local backend has none. */
export async function prepareImageOn(backend: Backend, spec: Pick<LaunchSpec, 'image' | 'build' | 'pull' | 'onProgress' | 'signal'>): Promise<string | undefined> {
  return backend instanceof DockerBackend ? backend.prepare(spec) : undefined;
}

/** Pulls the image again now; undefined for the local backend, which runs no image. */
export async function pullImageOn(backend: Backend, image: string, onProgress: (event: LaunchProgress) => void, signal?: AbortSignal): Promise<ImageInfo | undefined> {
  return backend instanceof DockerBackend ? backend.pull(image, onProgress, signal) : undefined;
}
