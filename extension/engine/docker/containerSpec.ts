// Builds the Docker Engine API body that creates a session container: hardened, labelled, agent as the command.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { AGENT_DIR_IN_CONTAINER } from '../launch/agentBundle';
import type { LaunchSpec } from '../launch/backend';
import { PydockError } from '../errors';
import { judgeMountSource } from '../launch/mountPolicy';
import { DEFAULT_PIDS_LIMIT, IO_IN_CONTAINER, WORKSPACE_IN_CONTAINER } from '../launch/containerDefaults';

export const LABEL = {
  pydock: 'pydock', workspace: 'pydock.workspace', session: 'pydock.session', owner: 'pydock.owner', config: 'pydock.config',
  /** On a job's container (extension/engine/jobs): its id. */
  job: 'pydock.job',
} as const;

/** The fields of POST /containers/create that pydock sets (Engine API 1.41). */
export interface ContainerCreateBody {
  Image: string;
  Cmd: string[];
  Env: string[];
  WorkingDir: string;
  User?: string;
  Labels: Record<string, string>;
  AttachStdin: true;
  AttachStdout: true;
  AttachStderr: true;
  OpenStdin: true;
  StdinOnce: false;
  Tty: false;
  HostConfig: {
    Init: true;
    CapDrop: ['ALL'];
    SecurityOpt: ['no-new-privileges'];
    Privileged: false;
    PidsLimit: number;
    Memory?: number;
    MemorySwap?: number;
    NanoCpus?: number;
    Binds: string[];
    /** Extra mounts: the structured form, since host paths may hold ':' which Binds cannot. */
    Mounts: ContainerMount[];
    NetworkMode: string;
    ReadonlyRootfs?: true;
    Tmpfs?: Record<string, string>;
    LogConfig: { Type: 'none'; Config: Record<string, never> };
  };
}

export type ContainerMount =
  | { Type: 'bind'; Source: string; Target: string; ReadOnly: boolean }
  /** An anonymous volume, removed with the container: a writable place under a read-only root that putArchive can fill. */
  | { Type: 'volume'; Target: string };

/**
 * `owner` identifies the process that owns the container (host:pid), so leftovers of dead windows can be found.
 * Logging is off: everything the agent writes is protocol traffic read over attach, and a log driver would
 * store each frame again on disk. `fingerprint` is of the spec as asked for, before a launch plan resolved it.
 */
export function containerCreateBody(spec: LaunchSpec, owner: string, fingerprint = launchFingerprint(spec)): ContainerCreateBody {
  for (const mount of spec.mounts ?? []) {
    const verdict = judgeMountSource(mount.source); // every launch path passes here, the library API's included
    if (!verdict.ok) throw new PydockError('usage', `The mount of ${mount.source} at ${mount.target} is refused: ${verdict.reason}.`);
  }
  const memory = spec.memoryBytes;
  return {
    Image: spec.image,
    Cmd: ['python3', path.posix.join(AGENT_DIR_IN_CONTAINER, spec.agent.entry)],
    Env: [
      'PYTHONUNBUFFERED=1',
      'PYTHONDONTWRITEBYTECODE=1',
      'PYTHONIOENCODING=utf-8',
      ...Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    ],
    WorkingDir: spec.workspace ? WORKSPACE_IN_CONTAINER : '/',
    ...(spec.user ? { User: spec.user } : {}),
    Labels: {
      [LABEL.pydock]: '1',
      [LABEL.workspace]: spec.workspaceLabel,
      [LABEL.session]: spec.sessionLabel,
      [LABEL.owner]: owner,
      [LABEL.config]: fingerprint,
    },
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: false,
    Tty: false,
    HostConfig: {
      Init: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      PidsLimit: spec.pidsLimit ?? DEFAULT_PIDS_LIMIT,
      ...(memory ? { Memory: memory, MemorySwap: memory } : {}),
      ...(spec.cpus ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
      Binds: spec.workspace && !spec.workspaceCopy ? [`${spec.workspace}:${WORKSPACE_IN_CONTAINER}${spec.workspaceReadOnly ? ':ro' : ''}`] : [],
      Mounts: containerMounts(spec),
      NetworkMode: spec.network || 'bridge',
      ...(spec.readOnlyRoot ? { ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw,nosuid,nodev,mode=1777' } } : {}),
      LogConfig: { Type: 'none', Config: {} },
    },
  };
}

/**
 * What a container was started with, as a short hash: a reattach takes a container only when the settings it would
 * start with now are the same (the image, its build inputs, mounts, limits, env, user and the agent's files).
 */
export function launchFingerprint(spec: LaunchSpec): string {
  const { image, build, workspace, workspaceReadOnly, workspaceCopy, env, memoryBytes, pidsLimit, cpus, network, mounts, io, user, readOnlyRoot, agent } = spec;
  const inputs = [image, build, workspace, workspaceReadOnly, workspaceCopy, env, memoryBytes, pidsLimit, cpus, network, mounts, io, user, readOnlyRoot, agent.files];
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
}

/**
 * Extra bind mounts and /io; under a read-only root, volumes where pydock copies files before the start (the agent's
 * folder, a copied-in workspace and /io): putArchive can write into a created container's volumes, but not elsewhere
 * under a read-only root, nor into tmpfs mounts (they appear only at start). The volumes are anonymous and go with
 * the container.
 */
function containerMounts(spec: LaunchSpec): ContainerMount[] {
  const bind = (source: string, target: string, readOnly = false): ContainerMount => ({ Type: 'bind', Source: source, Target: target, ReadOnly: readOnly });
  const copied = spec.workspaceCopy ? [spec.workspace && WORKSPACE_IN_CONTAINER, spec.io && IO_IN_CONTAINER] : [];
  const filledBeforeStart = spec.readOnlyRoot ? [AGENT_DIR_IN_CONTAINER, ...copied].filter((t): t is string => !!t) : [];
  return [
    ...(spec.mounts ?? []).map((m) => bind(m.source, m.target, m.readOnly)),
    ...(spec.io && !spec.workspaceCopy ? [bind(spec.io, IO_IN_CONTAINER)] : []),
    ...filledBeforeStart.map((target): ContainerMount => ({ Type: 'volume', Target: target })),
  ];
}
