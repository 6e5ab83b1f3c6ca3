// What a pod's status means for its agent: still pending (and why), running, failed to start (and what to do), or ended
// (how); and which of several pods is the newest.
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { AgentExit } from '../launch/backend';
import { PydockError } from '../errors';

export type PodState =
  /** Not running yet: `reason` is the newest thing the cluster said (Unschedulable, ContainerCreating, ...). */
  | { state: 'pending'; reason: string; message?: string }
  | { state: 'running' }
  /** It will not start as it is: the image cannot be pulled, the container cannot be created. */
  | { state: 'failed'; error: PydockError }
  | { state: 'ended'; exit: AgentExit };

/** Waiting reasons that do not pass by themselves (a BackOff is the kubelet retrying what already failed). */
const IMAGE_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CREATE_FAILURES = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** `pod` undefined: it is gone (a DELETED event, or 404). */
export function podState(pod: V1Pod | undefined, memoryBytes?: number): PodState {
  const removed: AgentExit = { code: null, oomKilled: false, removed: true, ...(memoryBytes ? { memoryBytes } : {}) };
  if (!pod) return { state: 'ended', exit: removed };
  const container: V1ContainerStatus | undefined = pod.status?.containerStatuses?.[0];
  const terminated = container?.state?.terminated;
  if (terminated) {
    const code = terminated.exitCode ?? null;
    return { state: 'ended', exit: {
      code, oomKilled: terminated.reason === 'OOMKilled', removed: false,
      ...(code === 137 && terminated.reason !== 'OOMKilled' ? { signal: 'SIGKILL' } : {}),
      ...(memoryBytes ? { memoryBytes } : {}),
    } };
  }
  // Deleted (deletionTimestamp set), evicted, or past its activeDeadlineSeconds: the pod is going away with its agent.
  if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') return { state: 'ended', exit: removed };
  if (container?.state?.running) return { state: 'running' };
  const waiting = container?.state?.waiting;
  const image = pod.spec?.containers?.[0]?.image ?? 'the image';
  if (waiting?.reason && IMAGE_FAILURES.has(waiting.reason)) {
    return { state: 'failed', error: new PydockError('image-missing',
      `The cluster cannot pull the image ${image} (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}).`,
      'Push the image to a registry the cluster\'s nodes can reach, name its pull secret in "kubernetes.imagePullSecrets" of '
      + '.pydock/environment.json, or (kind) load it with "kind load docker-image IMAGE".') };
  }
  if (waiting?.reason && CREATE_FAILURES.has(waiting.reason)) {
    return { state: 'failed', error: new PydockError('start-failed',
      `The cluster cannot start the session's container (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}).`,
      'Check the image and the environment\'s user and security settings; "kubectl describe pod" shows the details.') };
  }
  if (waiting?.reason) return { state: 'pending', reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) };
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return { state: 'pending', reason: unscheduled.reason ?? 'Unscheduled', ...(unscheduled.message ? { message: unscheduled.message } : {}) };
  return { state: 'pending', reason: pod.status?.phase ?? 'Pending' };
}

/** Oldest first, by the time the cluster made them. */
export function byCreation(a: V1Pod, b: V1Pod): number {
  return created(a) - created(b);
}

/** The newest of the pods (a cluster may have made another for the same Job or selector). */
export function newestPod(pods: V1Pod[]): V1Pod | undefined {
  return pods.slice().sort((a, b) => byCreation(b, a))[0];
}

function created(pod: V1Pod): number {
  return new Date(pod.metadata?.creationTimestamp ?? 0).getTime();
}
