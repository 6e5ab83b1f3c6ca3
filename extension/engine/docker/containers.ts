// pydock's containers on a Docker host, for the command that lists them and lets the user stop one.
import type Docker from 'dockerode';
import { ownerIsAlive } from '../launch/owner';
import { LABEL } from './containerSpec';
import { statusOf } from './dockerAgent';
import { currentOwner, type ContainerRow } from './tenancy';

export interface PydockContainer {
  /** The first 12 hex digits. */
  id: string;
  image: string;
  workspace: string;
  session: string;
  /** host:pid of the process holding it: its creator, or the window that last reattached it. */
  owner: string;
  /** False when that process is gone from this host: the container waits for a reattach, or exits when its lease ends. */
  ownerAlive: boolean;
  /** Docker's state: created, running, exited, … */
  state: string;
  /** Docker's status line, e.g. "Up 5 minutes". */
  status: string;
  created: Date;
}

export async function listPydockContainers(docker: Docker): Promise<PydockContainer[]> {
  const rows = await docker.listContainers({ all: true, filters: { label: [LABEL.pydock] } });
  return rows.map((row) => {
    const owner = currentOwner(row as ContainerRow);
    return {
      id: row.Id.slice(0, 12), image: row.Image, workspace: row.Labels[LABEL.workspace] ?? '', session: row.Labels[LABEL.session] ?? '',
      owner, ownerAlive: ownerIsAlive(owner), state: row.State, status: row.Status, created: new Date(row.Created * 1000),
    };
  });
}

/** Removes one of pydock's containers (a session using it sees it removed from outside); false when it is already gone. */
export async function removePydockContainer(docker: Docker, id: string): Promise<boolean> {
  const container = docker.getContainer(id);
  try {
    const info = await container.inspect();
    if (!info.Config.Labels?.[LABEL.pydock]) throw new Error(`container ${id} is not one of pydock's`);
    await container.remove({ force: true, v: true });
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
