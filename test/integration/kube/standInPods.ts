// The stand-in API server's pods, each container a real container in the test dockerd: created from the pod spec (image,
// command, env, user, security context, limits, volumes with the agent's ConfigMap files, shared emptyDirs), followed to its end.
import type { V1ConfigMap, V1Container, V1Pod } from '@kubernetes/client-node';
import Docker from 'dockerode';
import { pack } from 'tar-stream';

export const STANDIN_LABEL = 'pydock-standin';

/** "1073741824", "512Mi", "1Gi", "1500m" as bytes or cores. */
export function quantity(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const match = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(text);
  if (!match) return undefined;
  const scale: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9 };
  return Number(match[1]) * (match[2] ? scale[match[2]] : 1);
}

/** A container's state as the kubelet reports it: waiting (with a reason), running, or terminated. */
export type ContainerState = NonNullable<NonNullable<NonNullable<V1Pod['status']>['containerStatuses']>[number]['state']>;

/**
 * Creates and starts the pod's containers (in order); `changed` gets each container's new state. An emptyDir used by
 * more than one container is a Docker volume they share, else a tmpfs. Each goes into `made` once created, before any
 * starts. Throws a kubelet-like waiting reason on failure.
 */
export async function runPod(docker: Docker, server: string, pod: V1Pod, configMaps: (name: string) => V1ConfigMap | undefined,
  isolated: boolean, changed: (container: string, state: ContainerState) => void, made: Map<string, Docker.Container>): Promise<void> {
  const shared = sharedVolumes(pod);
  try {
    for (const main of pod.spec!.containers) made.set(main.name, await createContainer(docker, server, pod, main, configMaps, isolated, shared));
  } catch (error) {
    await Promise.all([...made.values()].map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
    made.clear();
    throw error;
  }
  for (const [name, container] of made) {
    await container.start();
    changed(name, { running: { startedAt: new Date() } });
    const started = new Date();
    void container.wait().then(async () => {
      const state = (await container.inspect().catch(() => undefined))?.State;
      if (!state) return; // removed: the deletion reports it
      const reason = state.OOMKilled ? 'OOMKilled' : state.ExitCode === 0 ? 'Completed' : 'Error';
      changed(name, { terminated: { exitCode: state.ExitCode, reason, startedAt: started, finishedAt: new Date(state.FinishedAt) } });
    }, () => undefined);
  }
}

const SHARED_EMPTY_DIR = { NoCopy: true, Labels: {}, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs', o: 'mode=1777' } } };

/** The pod's emptyDirs mounted by more than one container, as the Docker volumes that stand for them. */
function sharedVolumes(pod: V1Pod): Map<string, string> {
  const users = new Map<string, number>();
  for (const c of pod.spec!.containers) for (const m of c.volumeMounts ?? []) users.set(m.name, (users.get(m.name) ?? 0) + 1);
  const shared = pod.spec!.volumes?.filter((v) => v.emptyDir && (users.get(v.name) ?? 0) > 1) ?? [];
  return new Map(shared.map((v) => [v.name, `pydock-standin-${pod.metadata!.uid}-${v.name}`]));
}

async function createContainer(docker: Docker, server: string, pod: V1Pod, main: V1Container, configMaps: (name: string) => V1ConfigMap | undefined,
  isolated: boolean, shared: Map<string, string>): Promise<Docker.Container> {
  const spec = pod.spec!;
  const security = main.securityContext ?? {};
  const podSecurity = spec.securityContext ?? {};
  const limits = main.resources?.limits ?? {};
  const mounts: Docker.MountSettings[] = [];
  const tmpfs: Record<string, string> = {};
  const fills: { at: string; files: { path: string; text: string }[] }[] = [];
  for (const mount of main.volumeMounts ?? []) {
    const volume = spec.volumes!.find((v) => v.name === mount.name)!;
    if (shared.has(volume.name)) {
      // A tmpfs volume, 1777 as a kubelet's emptyDir (Docker never changes a mount's own mode on a copy into it)
      mounts.push({ Type: 'volume', Source: shared.get(volume.name)!, Target: mount.mountPath, VolumeOptions: SHARED_EMPTY_DIR });
    } else if (volume.emptyDir) tmpfs[mount.mountPath] = 'rw,mode=1777'; // an emptyDir is writable by any user, as a kubelet makes it
    else if (volume.persistentVolumeClaim) mounts.push({ Type: 'volume', Source: `pydock-standin-pvc-${volume.persistentVolumeClaim.claimName}`, Target: mount.mountPath });
    else if (volume.configMap) {
      const map = configMaps(volume.configMap.name!);
      if (!map) throw new Waiting('ContainerCreating', `configmap "${volume.configMap.name}" not found`);
      mounts.push({ Type: 'volume', Source: '', Target: mount.mountPath }); // anonymous: filled before the start, gone with the container
      const items = volume.configMap.items ?? Object.keys(map.data ?? {}).map((key) => ({ key, path: key }));
      fills.push({ at: mount.mountPath, files: items.map((item) => ({ path: item.path, text: map.data![item.key] })) });
    }
  }
  // Docker makes a working directory that is a tmpfs 0755 root's, where a kubelet's emptyDir stays 0777: a shell enters it.
  const workingDir = main.workingDir ?? '/';
  const command = [...(main.command ?? []), ...(main.args ?? [])];
  const cmd = tmpfs[workingDir] ? ['sh', '-c', 'cd "$0" && exec "$@"', workingDir, ...command] : command;
  const user = podSecurity.runAsUser !== undefined ? `${podSecurity.runAsUser}:${podSecurity.runAsGroup ?? podSecurity.runAsUser}` : undefined;
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: main.image!,
      Cmd: cmd,
      Env: (main.env ?? []).map((e) => `${e.name}=${e.value ?? ''}`),
      WorkingDir: tmpfs[workingDir] ? '/' : workingDir,
      ...(user ? { User: user } : {}),
      Labels: { [STANDIN_LABEL]: server, [`${STANDIN_LABEL}.pod`]: pod.metadata!.name! },
      AttachStdin: true, AttachStdout: true, AttachStderr: true, OpenStdin: !!main.stdin, StdinOnce: !!main.stdinOnce, Tty: !!main.tty,
      HostConfig: {
        Init: true,
        CapDrop: security.capabilities?.drop ?? [],
        SecurityOpt: security.allowPrivilegeEscalation === false ? ['no-new-privileges'] : [],
        ReadonlyRootfs: !!security.readOnlyRootFilesystem,
        ...(quantity(limits.memory) ? { Memory: quantity(limits.memory), MemorySwap: quantity(limits.memory) } : {}),
        ...(quantity(limits.cpu) ? { NanoCpus: Math.round(quantity(limits.cpu)! * 1e9) } : {}),
        Mounts: mounts,
        Tmpfs: tmpfs,
        NetworkMode: isolated ? 'none' : 'bridge',
        LogConfig: { Type: 'json-file', Config: {} }, // the kubelet keeps a container's log until its pod goes
      },
    });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) throw new Waiting('ErrImagePull', `rpc error: code = NotFound desc = failed to pull and unpack image "${main.image}": not found`);
    throw new Waiting('CreateContainerError', (error as Error).message);
  }
  if (runAsNonRootRefused(pod, user)) {
    await container.remove({ force: true, v: true });
    throw new Waiting('CreateContainerConfigError', 'container has runAsNonRoot and image will run as root');
  }
  for (const fill of fills) await container.putArchive(await tarOf(fill.files), { path: fill.at });
  return container;
}

/** A reason the kubelet would show in the container's waiting state. */
export class Waiting extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export function containerStatus(name: string, image: string, state: ContainerState): NonNullable<NonNullable<V1Pod['status']>['containerStatuses']>[number] {
  return { name, image, imageID: '', ready: 'running' in state, restartCount: 0, state };
}

/** The pod's phase from its containers: Pending until one runs, Succeeded or Failed once all have ended. */
export function podPhase(states: ContainerState[]): string {
  if (states.length && states.every((s) => s.terminated)) return states.every((s) => s.terminated!.exitCode === 0) ? 'Succeeded' : 'Failed';
  return states.some((s) => s.running || s.terminated) ? 'Running' : 'Pending';
}

function runAsNonRootRefused(pod: V1Pod, user: string | undefined): boolean {
  return !!pod.spec?.securityContext?.runAsNonRoot && (!user || user.startsWith('0:'));
}

/** The files as a tar. */
function tarOf(files: { path: string; text: string }[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const archive = pack();
    const chunks: Buffer[] = [];
    archive.on('data', (c) => chunks.push(c as Buffer)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    const dirs = new Set<string>();
    for (const file of files) {
      const parts = file.path.split('/').slice(0, -1);
      parts.forEach((_, i) => dirs.add(parts.slice(0, i + 1).join('/')));
    }
    for (const dir of [...dirs].sort()) archive.entry({ name: dir, type: 'directory', mode: 0o755 });
    for (const file of files) archive.entry({ name: file.path, mode: 0o444 }, file.text);
    archive.finalize();
  });
}

/** Removes the Docker volumes that stood for the pod's shared emptyDirs (after its containers). */
export async function removeSharedVolumes(docker: Docker, pod: V1Pod): Promise<void> {
  await Promise.all([...sharedVolumes(pod).values()].map((name) => docker.getVolume(name).remove().catch(() => undefined)));
}
