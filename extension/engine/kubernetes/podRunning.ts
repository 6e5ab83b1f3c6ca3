// Waits for a pod's container to run, telling each new pending reason (Unschedulable, pulling), failing on what will not pass.
import type { V1Pod } from '@kubernetes/client-node';
import { PydockError } from '../errors';
import type { LaunchProgress } from '../launch/launchProgress';
import type { KubeTarget } from './kubeConnect';
import { kubeError } from './kubeErrors';
import { podState } from './podState';
import { PodWatch } from './podWatch';

export interface PodRunningOptions {
  namespace: string;
  /** The pod's name, or the label selector of the pod a Job makes. */
  target: string | { labelSelector: string };
  /** Which container must run (default: the first). */
  container?: string;
  pendingTimeoutMs: number;
  memoryBytes?: number;
  onProgress?: (event: LaunchProgress) => void;
  signal?: AbortSignal;
}

/** The pod as its one container: the named one's status first, so podState reads it. */
export function podOfContainer(pod: V1Pod | undefined, container: string | undefined): V1Pod | undefined {
  if (!pod || !container) return pod;
  const status = pod.status?.containerStatuses?.find((c) => c.name === container);
  return { ...pod, spec: { ...pod.spec!, containers: pod.spec!.containers.filter((c) => c.name === container) },
    status: { ...pod.status, containerStatuses: status ? [status] : [] } };
}

/** Resolves with the pod's name once its container runs; fails on an image that cannot be pulled, an early end, or after the bound. */
export function podRunning(kube: KubeTarget, options: PodRunningOptions): Promise<string> {
  const { namespace, target } = options;
  const label = typeof target === 'string' ? `The pod ${target}` : `The pod of ${target.labelSelector}`;
  return new Promise<string>((resolve, reject) => {
    let last = '';
    let lastState: ReturnType<typeof podState> | undefined;
    let seen = false;
    const finish = (error?: Error, name?: string) => {
      watch.stop();
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancelled);
      if (error) reject(error); else resolve(name!);
    };
    const watch = new PodWatch(kube, namespace, target, (found) => {
      if (!found && typeof target !== 'string' && !seen) return; // a Job's pod not made yet
      seen ||= !!found;
      const pod = podOfContainer(found, options.container);
      const state = lastState = podState(pod, options.memoryBytes);
      if (state.state === 'running') return finish(undefined, pod!.metadata!.name!);
      if (state.state === 'failed') return finish(state.error);
      if (state.state === 'ended') {
        return finish(new PydockError('start-failed', `${label} ended before it ran${state.exit.removed ? ' (it was deleted)' : ` (exit code ${state.exit.code})`}.`,
          'Check that the image has a working python3 (3.8 or newer); "kubectl logs" shows what it printed.'));
      }
      const line = `${state.reason}${state.message ?? ''}`;
      if (line !== last) options.onProgress?.({ type: 'pod-pending', pod: pod?.metadata?.name ?? '', reason: state.reason, ...(state.message ? { message: state.message } : {}) });
      last = line;
    }, (error) => finish(kubeError(error, { verb: 'watch', resource: 'pods', namespace }, kube.server)));
    const timer = setTimeout(() => {
      const why = lastState?.state === 'pending' ? `${lastState.reason}${lastState.message ? `: ${lastState.message}` : ''}` : 'no status yet';
      finish(new PydockError('start-failed', `${label} was still pending after ${Math.round(options.pendingTimeoutMs / 1000)} s (${why}).`,
        lastState?.state === 'pending' && lastState.reason === 'Unschedulable'
          ? 'No node can take it: lower memory, cpus or kubernetes.resources, or check kubernetes.nodeSelector and tolerations.'
          : 'Look at the pod\'s events ("kubectl describe pod"); a slow image pull may need a start while it is cached on the node.'));
    }, options.pendingTimeoutMs);
    const cancelled = () => finish(new PydockError('cancelled', `The start of ${label.slice(4)} was cancelled.`));
    options.signal?.addEventListener('abort', cancelled);
    watch.start();
  });
}
