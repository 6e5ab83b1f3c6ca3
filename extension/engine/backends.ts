// Chooses and connects the backend: Docker when its daemon answers, else (in auto mode) the local python3. Lists and
// stops pydock's containers on it.
import type { Backend } from './backend';
import { listPydockContainers, removePydockContainer, type PydockContainer } from './docker/containers';
import { DockerBackend } from './docker/dockerBackend';
import { resolveDockerEndpoint } from './docker/endpoint';
import { PydockError } from './errors';
import { LocalBackend } from './local/localBackend';
import type { Logger } from './log';
import { ownerId, ownerIsAlive } from './owner';

export type BackendChoice = 'auto' | 'docker' | 'local';

export interface BackendOptions {
  choice: BackendChoice;
  /** The pydock.docker.host setting; DOCKER_HOST and docker contexts apply when it is empty. */
  dockerHost?: string;
  /** The interpreter for the local backend. */
  python?: string;
  env?: NodeJS.ProcessEnv;
  log: Logger;
}

export async function connectBackend(options: BackendOptions): Promise<Backend> {
  if (options.choice === 'local') return new LocalBackend(options.python);
  let docker: DockerBackend;
  try {
    docker = await DockerBackend.connect(resolveDockerEndpoint({ setting: options.dockerHost, env: options.env ?? process.env }), ownerId());
  } catch (error) {
    if (options.choice === 'docker' || !(error instanceof PydockError)) throw error;
    options.log.warn(`${error.message} Using the local backend: Python runs on this machine, not sandboxed.`);
    return new LocalBackend(options.python);
  }
  docker.removeLeftovers(ownerIsAlive).then(
    (removed) => removed.length && options.log.info(`removed ${removed.length} container(s) left by closed pydock windows: ${removed.join(', ')}`),
    (error) => options.log.warn(`could not look for leftover containers: ${error}`));
  return docker;
}

/** pydock's containers on the backend's Docker host, all windows' and states; none for the local backend. */
export async function listContainers(backend: Backend): Promise<PydockContainer[]> {
  return backend instanceof DockerBackend ? listPydockContainers(backend.docker) : [];
}

/** Removes one of them; false when it was already gone. */
export async function stopContainer(backend: Backend, id: string): Promise<boolean> {
  return backend instanceof DockerBackend && removePydockContainer(backend.docker, id);
}
