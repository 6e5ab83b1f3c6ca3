// The stand-in's batch/v1 Jobs: create/get/list/delete/watch, one pod (real containers) per Job made from its template
// as the Job controller does, the Job's status (succeeded or failed, with conditions) from the pod's end, and
// ttlSecondsAfterFinished honoured. backoffLimit is taken as 0: a failed pod fails its Job.
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { KubeStandIn } from './standIn';
import { status } from './standIn';

export class StandInJobs {
  private readonly jobs = new Map<string, V1Job>();
  /** Deleted Jobs, at their last resource version, for a watch that starts late. */
  readonly deleted: V1Job[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly server: KubeStandIn) {}

  all(): V1Job[] {
    return [...this.jobs.values()];
  }

  route(method: string, namespace: string, name: string | undefined, url: URL, body: V1Job | undefined, response: http.ServerResponse): void {
    const key = (n: string) => `${namespace}/${n}`;
    if (method === 'POST' && !name) return this.create(namespace, body!, response);
    if (method === 'GET' && !name) {
      if (url.searchParams.get('watch') === 'true') return this.server.watch('jobs', namespace, url, response);
      const items = this.all().filter((job) => this.server.matchesUrl(job, namespace, url));
      return this.server.send(response, 200, { apiVersion: 'batch/v1', kind: 'JobList', metadata: { resourceVersion: String(this.server.version) }, items });
    }
    const job = name && this.jobs.get(key(name));
    if (!job) return this.server.send(response, 404, status(404, `jobs.batch "${name}" not found`, 'NotFound'));
    if (method === 'GET') return this.server.send(response, 200, job);
    if (method === 'DELETE') {
      void this.delete(job, url.searchParams.get('propagationPolicy') ?? 'Background');
      return this.server.send(response, 200, job);
    }
    this.server.send(response, 405, status(405, `${method} is not served for jobs by the stand-in`));
  }

  /** A pod of the Job ended (or was deleted): the Job succeeded or failed, and goes ttlSecondsAfterFinished later. */
  podEnded(pod: V1Pod, deleted: boolean): void {
    const job = this.jobs.get(`${pod.metadata!.namespace}/${pod.metadata!.labels?.['job-name']}`);
    if (!job || job.status?.completionTime || (job.status?.failed ?? 0) > 0) return;
    const succeeded = !deleted && pod.status?.phase === 'Succeeded';
    const now = new Date();
    job.status = {
      ...job.status, active: 0, ...(succeeded ? { succeeded: 1, completionTime: now } : { failed: 1 }),
      conditions: [succeeded ? { type: 'Complete', status: 'True', lastTransitionTime: now }
        : { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: now }],
    };
    this.changed(job, 'MODIFIED');
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.delete(job, 'Background');
    }, ttl * 1000);
    this.timers.add(timer);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private create(namespace: string, job: V1Job, response: http.ServerResponse): void {
    const name = job.metadata!.name!;
    if (this.jobs.has(`${namespace}/${name}`)) return this.server.send(response, 409, status(409, `jobs.batch "${name}" already exists`, 'AlreadyExists'));
    const uid = `uid-job-${name}`;
    job.metadata = { ...job.metadata, namespace, uid, creationTimestamp: new Date(), resourceVersion: String(++this.server.version) };
    job.status = { active: 0, startTime: new Date() };
    this.jobs.set(`${namespace}/${name}`, job);
    this.server.notify('jobs', 'ADDED', job);
    const template = structuredClone(job.spec!.template);
    const pod: V1Pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        ...template.metadata, name: `${name}-${randomBytes(3).toString('hex').slice(0, 5)}`,
        labels: { ...template.metadata?.labels, 'job-name': name, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: template.spec!,
    };
    if (this.server.createPod(namespace, pod).code === 201) { // refused (a quota): the controller would retry; the Job stays without a pod
      job.status = { ...job.status, active: 1 };
      this.changed(job, 'MODIFIED');
    }
    this.server.send(response, 201, job);
  }

  /** Deletes the Job, and (unless Orphan) its pods, as the garbage collector does. */
  private async delete(job: V1Job, propagation: string): Promise<void> {
    const key = `${job.metadata!.namespace}/${job.metadata!.name}`;
    if (this.jobs.get(key) !== job) return;
    this.jobs.delete(key);
    job.metadata!.resourceVersion = String(++this.server.version);
    this.deleted.push(job);
    this.server.notify('jobs', 'DELETED', job);
    if (propagation === 'Orphan') return;
    const pods = this.server.podsLabelled(job.metadata!.namespace!, { labels: [{ key: 'job-name', value: job.metadata!.name! }] });
    await Promise.all(pods.map((pod) => this.server.deletePod(pod.metadata!.name!)));
  }

  private changed(job: V1Job, type: string): void {
    job.metadata!.resourceVersion = String(++this.server.version);
    this.server.notify('jobs', type, job);
  }
}
