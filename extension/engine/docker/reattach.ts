// Finds a session's container left running by a window that is gone, claims it for this process and attaches to it.
import type Docker from 'dockerode';
import type { AgentProcess, AgentSinks, LaunchSpec } from '../launch/backend';
import { ownerIsAlive } from '../launch/owner';
import { LABEL, launchFingerprint } from './containerSpec';
import { attachAgent, attachedHere } from './dockerAgent';
import { createdNs, ownerName, reattachable, type ContainerRow } from './tenancy';

export async function reattachAgent(docker: Docker, daemon: string, spec: LaunchSpec, owner: string, sinks: AgentSinks): Promise<AgentProcess | undefined> {
  const rows = await docker.listContainers({
    filters: { label: [`${LABEL.workspace}=${spec.workspaceLabel}`, `${LABEL.session}=${spec.sessionLabel}`], status: ['running'] },
  }) as ContainerRow[];
  const free = reattachable(rows, owner, ownerIsAlive, attachedHere);
  // One started with other settings (changed while no window had it) would run the old environment: a fresh start instead.
  const fingerprint = launchFingerprint(spec);
  const sameSettings = (row: ContainerRow) => row.Labels[LABEL.config] === fingerprint;
  const [chosen, ...others] = await oldestFirst(docker, free.filter(sameSettings));
  const unwanted = [...others, ...free.filter((row) => !sameSettings(row))];
  // The session's container is the oldest; the others are warm agents a dead window made after it, which nobody will take.
  await Promise.all(unwanted.map((row) => docker.getContainer(row.Id).remove({ force: true, v: true }).catch(() => undefined)));
  if (!chosen) return undefined;
  const container = docker.getContainer(chosen.Id);
  const name = ownerName(owner, chosen.Id);
  // Names are the one thing a running container lets change: the new owner's keeps another window off it and GC away.
  if (name && chosen.Names[0] !== `/${name}`) await container.rename({ name });
  return attachAgent(container, sinks, { daemon, memoryBytes: spec.memoryBytes });
}

/** `docker ps` gives whole seconds, and a warm agent is often created in the same second as its session's container. */
async function oldestFirst(docker: Docker, rows: ContainerRow[]): Promise<ContainerRow[]> {
  if (rows.length < 2) return rows;
  const created = await Promise.all(rows.map(async (row) => createdNs((await docker.getContainer(row.Id).inspect()).Created)));
  return rows.map((row, i) => ({ row, created: created[i] })).sort((a, b) => (a.created < b.created ? -1 : 1)).map(({ row }) => row);
}
