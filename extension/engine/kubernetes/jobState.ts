// What a Kubernetes Job and its pod say about a pydock job: running or ended, and how its program ended.
import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import type { JobExit } from '../jobs/jobPlace';
import { PROGRESS_MARK, parseLine } from '../jobs/jobLog';
import type { LogCursor, LogLine } from '../jobs/jobTypes';
import { JOB_CONTAINER } from './jobManifest';

function jobContainer(pod: V1Pod | undefined): V1ContainerStatus | undefined {
  return pod?.status?.containerStatuses?.find((c) => c.name === JOB_CONTAINER);
}

const iso = (time: Date | string | undefined) => (time ? new Date(time).toISOString() : null);

/** Whether the job's program still runs (or has yet to): its container not terminated, its pod and Job not ended. */
export function jobRunState(job: V1Job, pod: V1Pod | undefined): 'running' | 'exited' {
  if (pod) {
    const ended = !!jobContainer(pod)?.state?.terminated || !!pod.metadata?.deletionTimestamp
      || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    return ended ? 'exited' : 'running';
  }
  const finished = (job.status?.succeeded ?? 0) + (job.status?.failed ?? 0) > 0
    || !!job.status?.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return finished ? 'exited' : 'running';
}

/**
 * How the program ended, from its container's terminated state (OOMKilled is the kubelet's reason); exitCode null while it
 * runs. `stoppedAt`: the job was cancelled here while it ran, and counts as ended then. Undefined without a pod.
 */
export function jobExit(pod: V1Pod | undefined, stoppedAt?: string): JobExit | undefined {
  if (!pod) return undefined;
  const state = jobContainer(pod)?.state;
  if (state?.terminated) {
    const { exitCode, reason, startedAt, finishedAt } = state.terminated;
    return { exitCode: exitCode ?? null, oomKilled: reason === 'OOMKilled', startedAt: iso(startedAt), finishedAt: iso(finishedAt) };
  }
  return { exitCode: null, oomKilled: false, startedAt: iso(state?.running?.startedAt), finishedAt: stoppedAt ?? null };
}

/**
 * The log API's sinceTime for a cursor: RFC 3339 to the second, as the API server hands it to the kubelet (which keeps
 * lines at and after it). Rounded down, the lines of that second come again and the cursor's filter drops those read.
 */
export function sinceTimeOf(cursor: LogCursor | undefined): string | undefined {
  const read = [cursor?.stdout, cursor?.stderr].filter((c) => c && c.timeNs >= 0n).map((c) => c!.timeNs);
  if (!read.length) return undefined;
  const earliest = read.reduce((a, b) => (a < b ? a : b));
  return new Date(Number(earliest / 1_000_000_000n) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * A line of the log API ("RFC3339NANO text"). The API merges stdout and stderr, so lines read as stdout, but for
 * pydock.progress's marks, which it writes to stderr.
 */
export function parseKubeLogLine(text: string): LogLine {
  const line = parseLine(text, 'stdout');
  return line.text.startsWith(PROGRESS_MARK) ? { ...line, stream: 'stderr' } : line;
}

/**
 * A reader of one pass over the log: lines stamped before the line ahead of them (each stream has its own copier) take
 * that line's time, so a cursor of times and counts keeps every line once.
 */
export function kubeLogLines(): (text: string) => LogLine {
  let latest = 0n;
  return (text) => {
    const line = parseKubeLogLine(text);
    if (line.timeNs < latest) return { ...line, timeNs: latest };
    latest = line.timeNs;
    return line;
  };
}
