// Where jobs run, as the job engine sees it: a Docker host (jobHost.ts) or a Kubernetes namespace (kubernetes/kubeJobHost.ts).
import type { Readable } from 'node:stream';
import type { LaunchSpec } from '../launch/backend';
import type { JobSpec, LogCursor, LogLine } from './jobTypes';

/** A job's container (or Kubernetes Job) as a listing shows it. */
export interface JobRun {
  /** The container's id, or the Kubernetes Job's name. */
  handle: string;
  jobId: string;
  /** created (made ahead of its start), running, or exited. */
  state: string;
}

export interface JobExit {
  exitCode: number | null;
  oomKilled: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  /** The job wrote straight into the run's outputs/ (bound as its /outputs): they are listed there, not copied out. */
  outputsInRunFolder?: boolean;
}

/** A job made ready to start when a slot frees (or to be discarded). */
export interface PreparedJob {
  handle: string;
  image: { name: string; id?: string };
  environmentHash: string;
  start(): Promise<void>;
  discard(): Promise<void>;
}

export interface JobPlace {
  /** What a job runs in, for messages: "container" or "Kubernetes Job". */
  readonly unit: string;
  /** Why a job that exit() finds gone is lost, e.g. "its container is gone". */
  readonly gone: string;
  /** Makes the job ready to start: its image, its container or manifest, the pydock module and a copied workspace. */
  prepare(id: string, launch: LaunchSpec, job: JobSpec): Promise<PreparedJob>;
  /** This workspace's jobs, running or ended; or one job's. */
  list(jobId?: string): Promise<JobRun[]>;
  /** Running jobs of this workspace, but for these. */
  runningCount(except: ReadonlySet<string>): Promise<number>;
  /** Resolves when the job's program is not running (at once when it ended or is gone). */
  wait(handle: string, signal?: AbortSignal): Promise<void>;
  /** Listens for the next end of any job here (a slot may be free): `ended` resolves then, or on abort. */
  nextJobEnd(signal: AbortSignal): Promise<{ ended: Promise<void> }>;
  /** How the job ended (exitCode null while it runs); undefined when it is gone. */
  exit(handle: string): Promise<JobExit | undefined>;
  /** The log lines from the cursor's time on (those at exactly it too): all there are now, or (follow) on until the program ends. */
  logs(handle: string, options: { follow: boolean; cursor?: LogCursor; signal?: AbortSignal }): AsyncGenerator<LogLine>;
  /** The job's /outputs as a tar stream (members named outputs/…), readable after the program ended. */
  outputs(handle: string): Promise<Readable>;
  /** Makes the job end now; its log and /outputs stay readable until remove(). */
  kill(handle: string): Promise<void>;
  remove(handle: string): Promise<void>;
}
