// Removes containers a closing window detached, unless a new window (a reload) claimed them within the grace period.
import Docker from 'dockerode';
import { ownerIsAlive } from '../launch/owner';
import { LABEL } from './containerSpec';
import { resolveDockerEndpoint } from './endpoint';
import { currentOwner, type ContainerRow } from './tenancy';

export interface ReapRequest {
  /** The pydock.docker.host setting the window used; DOCKER_HOST and contexts apply as for sessions. */
  dockerHost?: string;
  /** Full or short ids of the containers the window left running. */
  containers: string[];
  graceMs: number;
}

/** After the grace period, removes each listed container that no live process holds. Returns the removed ids. */
export async function reapDetached(request: ReapRequest, isAlive = ownerIsAlive): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, request.graceMs));
  const docker = new Docker(resolveDockerEndpoint({ setting: request.dockerHost, env: process.env }).connection as Docker.DockerOptions);
  const rows = (await docker.listContainers({ all: true, filters: { label: [LABEL.pydock] } })) as unknown as ContainerRow[];
  const orphans = rows.filter((row) => request.containers.some((id) => row.Id.startsWith(id)) && !isAlive(currentOwner(row)));
  await Promise.all(orphans.map((row) => docker.getContainer(row.Id).remove({ force: true, v: true }).catch(() => undefined)));
  return orphans.map((row) => row.Id.slice(0, 12));
}
