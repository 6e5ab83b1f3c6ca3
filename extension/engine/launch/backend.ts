// The interface every way of running the agent implements (Docker, a local process, later Kubernetes).
import type { AgentBundle } from './agentBundle';
import type { LaunchProgress } from './launchProgress';

export type BackendKind = 'docker' | 'local' | 'kubernetes';

/** As `docker run --pull`: pull the image when the host lacks it (default), before every start, or never. */
export type PullPolicy = 'missing' | 'always' | 'never';
export const PULL_POLICIES: readonly PullPolicy[] = ['missing', 'always', 'never'];

/** What a session needs from wherever it runs. Backends map it to their own terms (container, pod, process). */
export interface LaunchSpec {
  image: string;
  /** Host folder mounted at /workspace and used as the working directory. */
  workspace?: string;
  workspaceReadOnly: boolean;
  env: Record<string, string>;
  memoryBytes?: number;
  pidsLimit?: number;
  cpus?: number;
  /** 'bridge' (default), 'none', or a named network. */
  network?: string;
  /** More host folders to mount, besides the workspace (Docker only). */
  mounts?: Mount[];
  /** A host folder mounted read-write at /io (Docker only). */
  io?: string;
  /** Who Python runs as, in Docker's terms (name, uid or uid:gid); absent: the image's user. */
  user?: string;
  /** A read-only root filesystem; /tmp, /workspace, /io and the agent's folder stay writable. */
  readOnlyRoot?: boolean;
  /** Copy the workspace in instead of mounting it (forced on for remote Docker hosts, where local folders do not exist). */
  workspaceCopy?: boolean;
  /** Build a derived image from `image` (or a Dockerfile) and pip requirements first; reused while its inputs are unchanged. */
  build?: ImageBuild;
  /** When to pull the image (or a requirements build's base) from its registry: 'missing' (default), 'always' or 'never'. */
  pull?: PullPolicy;
  /** What a launch does before the agent runs (image pulls and builds, workspace copies), for progress notifications and logs. */
  onProgress?: (event: LaunchProgress) => void;
  /** Cancels a pull in progress: the launch fails with a `cancelled` error. */
  signal?: AbortSignal;
  /** Who owns the session: the labels pydock.workspace and pydock.session. */
  workspaceLabel: string;
  sessionLabel: string;
  agent: AgentBundle;
  /** Where and how a pod is placed (Kubernetes only): namespace, node selection, account, resources, a workspace claim. */
  kubernetes?: KubernetesPlacement;
}

/** The `kubernetes` section of .pydock/environment.json. */
export interface KubernetesPlacement {
  namespace?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: string; tolerationSeconds?: number }[];
  serviceAccount?: string;
  imagePullSecrets?: string[];
  /** More limits besides memory and cpus, e.g. {"nvidia.com/gpu": 1}; requested as much as limited. */
  resources?: Record<string, string | number>;
  /** A PersistentVolumeClaim mounted at /workspace instead of copying the workspace in. */
  workspaceClaim?: string;
}

/** A host folder mounted into the session's container. */
export interface Mount {
  /** Absolute path on the Docker host. */
  source: string;
  /** Absolute path in the container. */
  target: string;
  readOnly?: boolean;
}

/** The inputs of a derived image; `LaunchSpec.image` is its base unless a Dockerfile is given. */
export interface ImageBuild {
  /** The workspace folder: requirement paths are relative to it, and its hash names the image repository. */
  workspace: string;
  /** Absolute host paths of a Dockerfile and its build context. */
  dockerfile?: { file: string; context: string };
  /** An absolute requirements.txt path, or requirement lines. */
  requirements?: { file: string } | { lines: string[] };
  /** More pip install options, e.g. --no-index. */
  pipArgs: string[];
}

/** How an agent ended, as far as the backend can tell. */
export interface AgentExit {
  code: number | null;
  signal?: string;
  oomKilled: boolean;
  /** The container (or pod) disappeared: removed from outside. */
  removed: boolean;
  /** The connection to the agent was lost, not its process: why. It may still run, for a later reattach. */
  lost?: string;
  memoryBytes?: number;
}

/** Where the agent's bytes go: protocol frames on stdout, diagnostics on stderr. */
export interface AgentSinks {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** A running agent: a byte pipe to it and its lifecycle. */
export interface AgentProcess {
  /** A short id, e.g. the container's first 12 hex digits or the pid. */
  readonly id: string;
  write(chunks: Buffer[]): void;
  /** Settles once when the agent has ended, whatever the reason. */
  readonly exited: Promise<AgentExit>;
  /** Ends the agent and frees what it held (the container is removed). */
  kill(): Promise<void>;
  /**
   * The stream has been quiet past a ping: look at the agent where it runs. Resolves when it is there; settles
   * `exited` (with `lost` when it cannot tell) when it is not. Absent where the stream itself says when it ends.
   */
  probe?(): Promise<void>;
  /** Ends the connection and leaves the agent running for a later reattach (a window reload). Absent: not possible. */
  detach?(): Promise<void>;
  /** Present when the workspace was copied in rather than mounted. */
  readonly workspaceCopy?: WorkspaceSync;
}

/** A workspace copied into a session, and the way its changes come back. */
export interface WorkspaceSync {
  /** Writes files changed in the container since they were copied in (or last synced) back to the host folder. */
  syncBack(): Promise<SyncReport>;
}

export interface SyncReport {
  /** Workspace-relative paths written on the host. */
  written: string[];
  /** Changed on both sides since the copy: left alone on the host. */
  conflicts: string[];
  /** Archive members that would have landed outside the workspace or through a symlink: never written. */
  refused: { path: string; reason: string }[];
}

export interface Backend {
  readonly kind: BackendKind;
  /** Whether code runs isolated from the host. The local backend is not. */
  readonly sandboxed: boolean;
  /** For status and logs, e.g. "docker unix:///var/run/docker.sock". */
  readonly description: string;
  launch(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess>;
  /** This spec's agent left running by a window that is gone, attached again; undefined when there is none. */
  reattach?(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess | undefined>;
}
