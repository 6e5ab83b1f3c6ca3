// Follows one pod's status through a watch, reading it again whenever the watch ends, until stopped.
import { Watch, type V1Pod } from '@kubernetes/client-node';
import type { KubeTarget } from './kubeConnect';
import { apiFailure } from './kubeErrors';

/** How long to wait before watching again after a watch ended with an error (a dropped connection). */
const REWATCH_DELAY_MS = 500;

export class PodWatch {
  private aborter: AbortController | undefined;
  private stopped = false;

  /** `onPod` gets every version of the pod, and undefined once it is gone; `onError` when its status cannot be read. */
  constructor(private readonly kube: KubeTarget, private readonly namespace: string, private readonly name: string,
    private readonly onPod: (pod: V1Pod | undefined) => void, private readonly onError: (error: unknown) => void) {}

  start(): void {
    void this.follow();
  }

  stop(): void {
    this.stopped = true;
    this.aborter?.abort();
  }

  /** The pod now (undefined: gone), then its changes from that version on. */
  private async follow(): Promise<void> {
    if (this.stopped) return;
    let pod: V1Pod | undefined;
    try {
      pod = await this.kube.core.readNamespacedPod({ name: this.name, namespace: this.namespace });
    } catch (error) {
      if (apiFailure(error).code !== 404) {
        this.onError(error);
        return;
      }
    }
    if (this.stopped) return;
    this.onPod(pod);
    if (!pod) return;
    const query = { fieldSelector: `metadata.name=${this.name}`, resourceVersion: pod.metadata?.resourceVersion, allowWatchBookmarks: false };
    try {
      this.aborter = await new Watch(this.kube.config).watch(`/api/v1/namespaces/${this.namespace}/pods`, query,
        (type: string, object: V1Pod) => {
          if (this.stopped) return;
          if (type === 'DELETED') this.onPod(undefined);
          else if (type === 'ADDED' || type === 'MODIFIED') this.onPod(object);
        },
        () => { if (!this.stopped) setTimeout(() => void this.follow(), REWATCH_DELAY_MS).unref(); });
    } catch (error) {
      if (!this.stopped) this.onError(error);
    }
  }
}
