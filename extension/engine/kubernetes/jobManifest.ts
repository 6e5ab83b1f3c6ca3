// Builds the Kubernetes Job of a pydock job: the session's hardened pod running the job's command, and a keeper container
// that holds the pod (and its /outputs) after the job's end until pydock has read them.
import * as path from 'node:path';
import type { V1Container, V1Job } from '@kubernetes/client-node';
import { AGENT_DIR_IN_CONTAINER } from '../launch/agentBundle';
import type { LaunchSpec } from '../launch/backend';
import { jobCommand, jobEnv } from '../jobs/jobContainer';
import { OUTPUTS_IN_CONTAINER, type JobSpec } from '../jobs/jobTypes';
import { POD_LABEL, POD_START, labelValue, podManifest, type PodOptions } from './podSpec';

export const JOB_LABEL = 'pydock.job';
export const JOB_CONTAINER = 'job';
export const KEEPER_CONTAINER = 'keeper';
/** How long the cluster keeps a Job that ended without pydock deleting it (its pod deleted or evicted), for kubectl to show why. */
export const JOB_TTL_S = 3600;
/** The keeper sleeps until its pod is deleted; a deletion's SIGTERM ends it at once (as PID 1 it would otherwise be ignored). */
const KEEP = 'import signal, sys\nsignal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\nwhile True:\n    signal.pause()\n';
/** The keeper is Python asleep, and a tar of /outputs while it is read. */
const KEEPER_RESOURCES = { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } };

/** A DNS-1123 name from the job id (20261203-174501-3f9a2c: already lower case, digits and dashes). */
export function jobName(id: string): string {
  return `pydock-job-${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
}

/** The label selector of a workspace's Jobs (and their pods), or of one job's. */
export function jobSelector(workspace: string, id?: string): string {
  return `${JOB_LABEL}${id ? `=${id}` : ''},${POD_LABEL.workspace}=${labelValue(workspace)}`;
}

export function jobManifest(spec: LaunchSpec, id: string, job: JobSpec, options: Omit<PodOptions, 'name'> & { ttlSecondsAfterFinished?: number }): V1Job {
  const pod = podManifest(spec, { ...options, name: jobName(id) });
  // A job runs as long as it takes, as in Docker: no deadline. The keeper holds the pod until pydock collects it.
  const { activeDeadlineSeconds: _deadline, ...podSpec } = pod.spec!;
  const [main] = podSpec.containers;
  const outputs = { name: 'outputs', mountPath: OUTPUTS_IN_CONTAINER };
  const labels = { ...pod.metadata!.labels, [JOB_LABEL]: id };
  const metadata = { labels, annotations: pod.metadata!.annotations };
  const runner: V1Container = {
    ...main,
    name: JOB_CONTAINER,
    // podstart.py unpacks the copied workspace from stdin, then execs the job's command with no input
    command: ['python3', path.posix.join(AGENT_DIR_IN_CONTAINER, POD_START), ...jobCommand(job)],
    env: [...main.env ?? [], ...Object.entries(jobEnv(id, job)).map(([name, value]) => ({ name, value }))],
    stdin: true,
    stdinOnce: true,
    volumeMounts: [...main.volumeMounts ?? [], outputs],
  };
  const keeper: V1Container = {
    name: KEEPER_CONTAINER, image: main.image, imagePullPolicy: main.imagePullPolicy, command: ['python3', '-c', KEEP],
    volumeMounts: [outputs], resources: KEEPER_RESOURCES, securityContext: main.securityContext,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobName(id), namespace: options.namespace, ...metadata },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: options.ttlSecondsAfterFinished ?? JOB_TTL_S,
      template: {
        metadata,
        spec: { ...podSpec, volumes: [...podSpec.volumes ?? [], { name: 'outputs', emptyDir: {} }], containers: [runner, keeper] },
      },
    },
  };
}
