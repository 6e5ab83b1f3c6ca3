// Follows one pod's status (by name, or the newest of a label selector) through a watch, read again whenever the watch ends.
import { Watch, type V1Pod } from '@kubernetes/client-node';
import type { KubeTarget } from './kubeConnect';
import { newestPod } from './podState';

/** How long to wait before watching again after a watch ended with an error (a dropped connection). */
const REWATCH_DELAY_MS = 500;

export class PodWatch {
  private aborter: AbortController | undefined;
  private stopped = false;

  /**
   * `onPod` gets every version of the pod, and undefined once it is gone (or, for a selector, while none matches);
   * `onError` when its status cannot be read. `target` is the pod's name, or a label selector.
   */
  constructor(private readonly kube: KubeTarget, private readonly namespace: string, private readonly target: string | { labelSelector: string },
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
    const named = typeof this.target === 'string';
    const selector = typeof this.target === 'string' ? { fieldSelector: `metadata.name=${this.target}` } : this.target;
    let pods;
    try {
      pods = await this.kube.core.listNamespacedPod({ namespace: this.namespace, ...selector });
    } catch (error) {
      this.onError(error);
      return;
    }
    if (this.stopped) return;
    const pod = newestPod(pods.items);
    this.onPod(pod);
    if (this.stopped || (!pod && named)) return; // onPod may have stopped it
    const query = { ...selector, resourceVersion: pods.metadata?.resourceVersion, allowWatchBookmarks: false };
    try {
      this.aborter = await new Watch(this.kube.config).watch(`/api/v1/namespaces/${this.namespace}/pods`, query,
        (type: string, object: V1Pod) => {
          if (this.stopped) return;
          if (type === 'DELETED') this.onPod(undefined);
          else if (type === 'ADDED' || type === 'MODIFIED') this.onPod(object);
        },
        () => { if (!this.stopped) setTimeout(() => void this.follow(), REWATCH_DELAY_MS).unref(); });
      if (this.stopped) this.aborter.abort(); // stopped while the watch opened
    } catch (error) {
      if (!this.stopped) this.onError(error);
    }
  }
}
