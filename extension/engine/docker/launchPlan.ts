// What a Docker launch does before creating the container: pull or build the image, and mount or copy the workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { AGENT_DIR_IN_CONTAINER, agentTar } from '../launch/agentBundle';
import type { LaunchSpec } from '../launch/backend';
import { IO_IN_CONTAINER, WORKSPACE_IN_CONTAINER } from '../launch/containerDefaults';
import { prepareImage } from './imageBuilder';
import { imageRequestOf, type ImageHost } from './imagePuller';
import { WorkspaceCopy, type CopyRoot } from './workspaceCopy';

export interface LaunchPlan {
  /** The spec to create the container from: the image on the host (pulled or derived), and workspaceCopy decided. */
  spec: LaunchSpec;
  /** Present when host folders are copied in rather than mounted. */
  workspace?: WorkspaceCopy;
  /** Copies the agent, and the workspace when it is not mounted, into the created container. */
  fill(container: Docker.Container): Promise<void>;
}

/** Only sockets and pipes reach a daemon on this machine; any tcp:// or ssh:// host may be another machine, whose bind mounts name its own folders. */
export function isRemoteHost(url: string): boolean {
  return !/^(unix|npipe):\/\//.test(url);
}

export async function planLaunch(host: ImageHost, spec: LaunchSpec): Promise<LaunchPlan> {
  const request = imageRequestOf(spec);
  const emit = request.emit;
  const image = await prepareImage(host, spec.image, spec.build, request);
  const remote = isRemoteHost(host.url);
  const copy = (spec.workspaceCopy || remote) && !!(spec.workspace || spec.io);
  if (spec.io) await fs.promises.mkdir(spec.io, { recursive: true }); // a bind mount needs it; a copy syncs back into it
  if (remote && spec.mounts?.length) {
    emit({ type: 'warning', message: `mounts name folders on the Docker host ${host.url}, not on this machine: ${spec.mounts.map((m) => m.source).join(', ')}` });
  }
  const planned: LaunchSpec = { ...spec, image, workspaceCopy: copy };
  const workspace = copy ? new WorkspaceCopy(copyRoots(planned), emit, !!spec.readOnlyRoot) : undefined;
  // Under a read-only root Docker extracts only into volumes, so the agent goes straight into its own.
  const agentAt = spec.readOnlyRoot ? AGENT_DIR_IN_CONTAINER : '/';
  const agent = agentTar(spec.agent, agentAt);
  return {
    spec: planned,
    ...(workspace ? { workspace } : {}),
    async fill(container) {
      await Promise.all([container.putArchive(await agent, { path: agentAt }), workspace?.copyIn(container)]);
    },
  };
}

/** The workspace at /workspace and the io folder at /io, the io folder left out of the workspace's copy. */
export function copyRoots(spec: LaunchSpec): CopyRoot[] {
  const io = spec.io;
  const ioInWorkspace = io && spec.workspace ? path.relative(spec.workspace, io).split(path.sep).join('/') : undefined;
  return [
    ...(spec.workspace ? [{
      local: spec.workspace, target: WORKSPACE_IN_CONTAINER, exclude: ioInWorkspace ? [ioInWorkspace] : [], label: '', readOnly: spec.workspaceReadOnly,
    }] : []),
    ...(io ? [{ local: io, target: IO_IN_CONTAINER, exclude: [], label: ioInWorkspace ?? path.basename(io) }] : []),
  ];
}
