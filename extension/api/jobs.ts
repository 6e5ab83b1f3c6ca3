// job(): run a file or a function of a workspace detached in a fresh container, as Jobs of the engine; wait, logs, cancel, outputs.
import * as path from 'node:path';
import type { Backend } from '../engine/launch/backend';
import { connectBackend, type BackendChoice } from '../engine/launch/backends';
import { jobBackend } from '../engine/jobs/jobPlaces';
import { folderEnvironment } from '../engine/launch/environmentFile';
import { withOverrides } from '../engine/launch/environmentOverrides';
import { Jobs, type LogEntry } from '../engine/jobs/jobs';
import { isFunctionTarget, type CollectedOutput, type JobRecord, type JobSpec, type JobTarget } from '../engine/jobs/jobTypes';
import { parseByteSize } from '../../shared/byteSize';
import { silentLogger } from '../engine/log';
import type { PyOptions } from './options';

export interface JobOptions extends Pick<PyOptions, 'image' | 'dockerHost' | 'kubernetes' | 'env' | 'memory' | 'pull' | 'log' | 'onProgress'> {
  /** The workspace: its .pydock/environment.json applies, it is mounted read-only at /workspace, runs go to its .pydock/runs/. Default: the current folder. */
  workspace?: string;
  /** `'docker'` (a container per job), `'kubernetes'` (a Kubernetes Job per job, in the KUBECONFIG cluster), or a Backend of either. Default: the environment file's, else docker. */
  backend?: BackendChoice | Backend;
  /** Shown in lists; default the file's or the function's name. */
  name?: string;
  cpus?: number;
  /** Jobs of this workspace running at once (per API); default the number of cores. */
  maxParallel?: number;
}

/** A job submitted: its id at once, its end, its log and its collected outputs. */
export interface Job {
  readonly id: string;
  /** The run's folder: run.json, log.txt and outputs/. */
  readonly folder: string;
  /** Resolves with the final record (succeeded, failed, cancelled or lost); never rejects for a job that failed. */
  wait(): Promise<JobRecord>;
  /** The log so far and on until the job ends; each entry's cursor resumes it, e.g. in another process. */
  logs(options?: { follow?: boolean }): AsyncIterable<LogEntry>;
  cancel(): Promise<JobRecord>;
  /** After the end: the collected files, with their paths on this machine. */
  outputs(): Promise<(CollectedOutput & { file: string })[]>;
}

export interface JobRunner {
  /** A workspace file (a path relative to the workspace, or absolute inside it) with arguments, or 'module:function' with a list or object of arguments. */
  run(fileOrTarget: string, args?: string[] | unknown[] | Record<string, unknown>): Job;
}

/** Jobs per workspace and options, shared by the runners made for it. */
export class JobManagers {
  private readonly byKey = new Map<string, Jobs>();

  runner(options: JobOptions): JobRunner {
    const workspace = path.resolve(options.workspace ?? '.');
    const log = options.log ?? silentLogger;
    const memory = options.memory;
    const backend = options.backend;
    const key = JSON.stringify([workspace, typeof backend === 'object' ? backend.description : backend, options.image, options.dockerHost,
      options.kubernetes, options.env, memory, options.pull, options.maxParallel]);
    let jobs = this.byKey.get(key);
    if (!jobs) {
      jobs = new Jobs({
        workspace, log, maxParallel: options.maxParallel, ...(options.pull ? { pull: options.pull } : {}),
        ...(options.onProgress ? { onLaunchProgress: options.onProgress } : {}),
        backend: typeof backend === 'object' ? async () => backend
          : () => connectBackend({ choice: jobBackend(backend, folderEnvironment(workspace).backend), dockerHost: options.dockerHost, log }),
        environment: () => {
          const launch = withOverrides(folderEnvironment(workspace).launch, {
            image: options.image, memoryBytes: memory === undefined ? undefined : typeof memory === 'number' ? memory : parseByteSize(memory),
          });
          return { ...launch, env: { ...launch.env, ...options.env }, ...(options.kubernetes ? { kubernetes: options.kubernetes } : {}) };
        },
      });
      this.byKey.set(key, jobs);
    }
    const manager = jobs;
    return { run: (fileOrTarget, args) => submit(manager, workspace, fileOrTarget, args, options) };
  }

  /** Stops watching; the jobs run on (their ends are collected by the next process that looks). */
  dispose(): void {
    for (const jobs of this.byKey.values()) jobs.dispose();
    this.byKey.clear();
  }
}

function submit(jobs: Jobs, workspace: string, fileOrTarget: string, args: JobSpec['target']['args'] | undefined, options: JobOptions): Job {
  const fileArgs = Array.isArray(args) ? args.map(String) : [];
  const target: JobTarget = isFunctionTarget(fileOrTarget)
    ? { kind: 'function', function: fileOrTarget, args: args ?? [] }
    : { kind: 'file', file: path.relative(workspace, path.resolve(workspace, fileOrTarget)).split(path.sep).join('/'), args: fileArgs };
  const record = jobs.submit({
    target, ...(options.name ? { name: options.name } : {}),
    resources: options.cpus !== undefined ? { cpus: options.cpus } : {},
  });
  const wait = () => jobs.wait(record.id);
  return {
    id: record.id,
    folder: jobs.folder.absolute(record.id),
    wait,
    logs: (logOptions = {}) => jobs.logs(record.id, { follow: logOptions.follow ?? true }),
    cancel: () => jobs.cancel(record.id),
    async outputs() {
      const ended = await wait();
      return ended.outputs.map((o) => ({ ...o, file: jobs.folder.absolute(record.id, 'outputs', ...o.path.split('/')) }));
    },
  };
}
