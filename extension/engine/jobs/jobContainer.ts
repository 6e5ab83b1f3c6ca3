// The container a job runs in: the session's hardened container spec, with the job's command, labels, env and a log.
import * as path from 'node:path';
import { AGENT_DIR_IN_CONTAINER } from '../launch/agentBundle';
import type { LaunchSpec } from '../launch/backend';
import { LABEL, containerCreateBody, type ContainerCreateBody, type ContainerMount } from '../docker/containerSpec';
import { WORKSPACE_IN_CONTAINER } from '../launch/containerDefaults';
import { OUTPUTS_IN_CONTAINER, type JobSpec } from './jobTypes';

/** A session's create body with stdin closed (a job reads no input: input() sees its end) and a log Docker keeps. */
export type JobCreateBody = Omit<ContainerCreateBody, 'AttachStdin' | 'OpenStdin' | 'HostConfig'> & {
  AttachStdin: false;
  OpenStdin: false;
  HostConfig: Omit<ContainerCreateBody['HostConfig'], 'LogConfig'> & { LogConfig: { Type: 'json-file'; Config: Record<string, string> } };
};

/** The launch spec of a job: the workspace environment's, read-only workspace, the job's own limits; labelled as the job. */
export function jobLaunchSpec(environment: Omit<LaunchSpec, 'workspaceLabel' | 'sessionLabel'>, id: string, job: JobSpec): LaunchSpec {
  return {
    ...environment,
    workspaceReadOnly: true,
    ...(job.resources?.cpus !== undefined ? { cpus: job.resources.cpus } : {}),
    ...(job.resources?.memoryBytes !== undefined ? { memoryBytes: job.resources.memoryBytes } : {}),
    workspaceLabel: environment.workspace ?? '',
    sessionLabel: `job:${id}`,
  };
}

/** What runs: `python3 FILE ARGS` from /workspace, or pydock.jobs calling module:function with its JSON arguments (-c: `-m` would warn). */
export function jobCommand(job: JobSpec): string[] {
  const { target } = job;
  if (target.kind === 'file') return ['python3', path.posix.join(WORKSPACE_IN_CONTAINER, target.file.split(path.sep).join('/')), ...target.args];
  return ['python3', '-c', 'import sys, pydock.jobs; pydock.jobs.call(sys.argv[1], sys.argv[2])', target.function, JSON.stringify(target.args)];
}

/** What a job's environment adds to the session's: where outputs go, its id, the pydock module (for progress), its own env. */
export function jobEnv(id: string, job: JobSpec): Record<string, string> {
  // PYTHONPATH is for `import pydock` (progress); the agent itself does not run
  return { PYDOCK_OUTPUTS: OUTPUTS_IN_CONTAINER, PYDOCK_JOB_ID: id, PYTHONPATH: AGENT_DIR_IN_CONTAINER, ...job.env };
}

/**
 * `fingerprint` is the spec's launchFingerprint before the launch plan resolved it: the record's environmentHash.
 * `outputsFolder`, on a daemon of this machine, is the run's outputs/ bound as /outputs: nothing to collect at the end.
 */
export function jobCreateBody(spec: LaunchSpec, owner: string, fingerprint: string, id: string, job: JobSpec, outputsFolder?: string): JobCreateBody {
  const session = containerCreateBody(spec, owner, fingerprint);
  return {
    ...session,
    Cmd: jobCommand(job),
    Env: [...session.Env, ...Object.entries(jobEnv(id, job)).map(([k, v]) => `${k}=${v}`)],
    Labels: { ...session.Labels, [LABEL.job]: id },
    AttachStdin: false,
    OpenStdin: false,
    HostConfig: {
      ...session.HostConfig,
      // Else, under a read-only root, the outputs go to a volume, which getArchive reads after the job ended as well.
      Mounts: [...session.HostConfig.Mounts, ...outputsMount(spec, outputsFolder)],
      LogConfig: { Type: 'json-file', Config: {} },
    },
  };
}

function outputsMount(spec: LaunchSpec, outputsFolder: string | undefined): ContainerMount[] {
  if (outputsFolder) return [{ Type: 'bind', Source: outputsFolder, Target: OUTPUTS_IN_CONTAINER, ReadOnly: false }];
  return spec.readOnlyRoot ? [{ Type: 'volume', Target: OUTPUTS_IN_CONTAINER }] : [];
}

/**
 * Whether a job can write the run's outputs/ straight into the workspace: on a daemon of this machine that maps no
 * uids (rootless Docker and userns-remap run the container's uids as others here), running as this process's own uid
 * (files the user owns; no right to override the folder's permissions needed: the container has none).
 */
export function writesOutputsInPlace(host: { remote: boolean; securityOptions: string[] }, user: string, hostUid: number | undefined): boolean {
  const uid = /^(\d*)(:\d+)?$/.exec(user)?.[1];
  const mapsUids = host.securityOptions.some((option) => /^name=(rootless|userns)\b/.test(option));
  return !host.remote && !mapsUids && uid !== undefined && Number(uid || 0) === hostUid;
}
