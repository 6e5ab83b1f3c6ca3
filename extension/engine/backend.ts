// The interface every way of running the agent implements (Docker, a local process, later Kubernetes).
import type { AgentBundle } from './agentBundle';

export type BackendKind = 'docker' | 'local';

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
  /** Who owns the session: the labels pydock.workspace and pydock.session. */
  workspaceLabel: string;
  sessionLabel: string;
  agent: AgentBundle;
}

/** A host folder mounted into the session's container. */
export interface Mount {
  /** Absolute path on the Docker host. */
  source: string;
  /** Absolute path in the container. */
  target: string;
  readOnly?: boolean;
}

/** How an agent ended, as far as the backend can tell. */
export interface AgentExit {
  code: number | null;
  signal?: string;
  oomKilled: boolean;
  /** The container (or pod) disappeared: removed from outside. */
  removed: boolean;
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
}

export interface Backend {
  readonly kind: BackendKind;
  /** Whether code runs isolated from the host. The local backend is not. */
  readonly sandboxed: boolean;
  /** For status and logs, e.g. "docker unix:///var/run/docker.sock". */
  readonly description: string;
  launch(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess>;
}
