// pydock jobs as Kubernetes Jobs: made with the session's hardened pod, found by labels, followed through the pod log API,
// their /outputs read from the keeper container before the Job is deleted (docs/kubernetes.md, "Jobs").
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { BatchV1Api, Watch, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { launchFingerprint } from '../docker/containerSpec';
import type { JobExit, JobPlace, JobRun, PreparedJob } from '../jobs/jobPlace';
import { OUTPUTS_IN_CONTAINER, type JobSpec, type LogCursor, type LogLine } from '../jobs/jobTypes';
import type { LaunchSpec } from '../launch/backend';
import { ownerId } from '../launch/owner';
import { channelSend, openChannelSocket } from './channelSocket';
import { closeStdinMessage, stdinMessage } from './channels';
import type { KubeTarget } from './kubeConnect';
import { apiFailure, kubeError } from './kubeErrors';
import { JOB_CONTAINER, JOB_LABEL, KEEPER_CONTAINER, jobManifest, jobSelector } from './jobManifest';
import { jobExit, jobRunState, kubeLogLines, sinceTimeOf } from './jobState';
import { podEvents, type KubernetesBackend } from './kubernetesBackend';
import { readFolder } from './podArchive';
import { podRunning } from './podRunning';
import { newestPod } from './podState';
import { PodWatch } from './podWatch';

/** The label the Job controller puts on a Job's pods (batch.kubernetes.io/job-name too, since 1.27). */
const JOB_NAME_LABEL = 'job-name';

export class KubeJobHost implements JobPlace {
  readonly unit = 'Kubernetes Job';
  readonly gone = 'its pod is gone (deleted or evicted): the cluster ended it';
  private readonly kube: KubeTarget;
  private readonly batch: BatchV1Api;
  /** Jobs cancelled here (`at`) while they ran: a cluster stops no single container, so they end when collected (and deleted). */
  private readonly stops = new Map<string, { controller: AbortController; at?: string }>();

  constructor(private readonly backend: KubernetesBackend, private readonly workspace: string, private readonly namespace: string) {
    this.kube = backend.kube;
    this.batch = this.kube.config.makeApiClient(BatchV1Api);
  }

  async prepare(id: string, launch: LaunchSpec, job: JobSpec): Promise<PreparedJob> {
    const { namespace, agent, archive } = await this.backend.stage(launch);
    const body = jobManifest(launch, id, job, { namespace, owner: ownerId(), agent });
    const name = body.metadata!.name!;
    const start = async () => {
      await this.batch.createNamespacedJob({ namespace, body }).catch((error) => {
        throw kubeError(error, { verb: 'create', resource: 'jobs', namespace }, this.kube.server);
      });
      try { // podstart.py waits for the workspace on the job container's stdin
        const pod = await podRunning(this.kube, { namespace, target: { labelSelector: `${JOB_NAME_LABEL}=${name}` }, container: JOB_CONTAINER,
          pendingTimeoutMs: this.backend.pendingTimeoutMs, ...podEvents(launch) });
        const { socket, protocol } = await openChannelSocket(this.kube, namespace, pod, 'attach', [], JOB_CONTAINER);
        for (const message of archive.messages()) await channelSend(socket, stdinMessage([message]));
        const close = closeStdinMessage(protocol);
        if (close) await channelSend(socket, close);
        socket.close();
      } catch (error) {
        await this.remove(name).catch(() => undefined);
        throw error;
      }
    };
    return { handle: name, image: { name: launch.image }, environmentHash: launchFingerprint(launch), start, discard: async () => undefined };
  }

  async list(jobId?: string): Promise<JobRun[]> {
    const labelSelector = jobSelector(this.workspace, jobId);
    const [jobs, pods] = await Promise.all([
      this.batch.listNamespacedJob({ namespace: this.namespace, labelSelector }),
      this.kube.core.listNamespacedPod({ namespace: this.namespace, labelSelector }),
    ]).catch((error) => { throw kubeError(error, { verb: 'list', resource: 'jobs', namespace: this.namespace }, this.kube.server); });
    return jobs.items.filter((job) => !job.metadata?.deletionTimestamp).map((job) => ({
      handle: job.metadata!.name!, jobId: job.metadata!.labels![JOB_LABEL],
      state: this.stops.get(job.metadata!.name!)?.at ? 'exited' : jobRunState(job, podOf(job, pods.items)),
    }));
  }

  async runningCount(except: ReadonlySet<string>): Promise<number> {
    return (await this.list()).filter((run) => run.state === 'running' && !except.has(run.jobId)).length;
  }

  /** Follows the Job's pod until its job container has ended, the pod or Job is gone, or a cancel here; rejects on abort. */
  wait(handle: string, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        watch.stop();
        signal?.removeEventListener('abort', aborted);
        stop.removeEventListener('abort', stopped);
        if (error) reject(error); else resolve();
      };
      const aborted = () => done(new Error('stopped waiting'));
      const stopped = () => done();
      const watch = new PodWatch(this.kube, this.namespace, { labelSelector: `${JOB_NAME_LABEL}=${handle}` }, (pod) => {
        if (pod) {
          if (jobRunState({}, pod) === 'exited') done();
          return;
        }
        void this.job(handle).then((job) => { if (!job || jobRunState(job, undefined) === 'exited') done(); }, (error) => done(error));
      }, (error) => done(kubeError(error, { verb: 'watch', resource: 'pods', namespace: this.namespace }, this.kube.server)));
      const stop = this.stopOf(handle).controller.signal;
      if (signal?.aborted) return aborted();
      if (stop.aborted) return stopped();
      signal?.addEventListener('abort', aborted, { once: true });
      stop.addEventListener('abort', stopped, { once: true });
      watch.start();
    });
  }

  async nextJobEnd(signal: AbortSignal): Promise<{ ended: Promise<void> }> {
    const labelSelector = `${JOB_LABEL}`;
    const pods = await this.kube.core.listNamespacedPod({ namespace: this.namespace, labelSelector });
    let end!: () => void;
    const ended = new Promise<void>((resolve) => { end = resolve; });
    const watching = await new Watch(this.kube.config).watch(`/api/v1/namespaces/${this.namespace}/pods`,
      { labelSelector, resourceVersion: pods.metadata?.resourceVersion, allowWatchBookmarks: false },
      (type: string, pod: V1Pod) => { if (type === 'DELETED' || jobRunState({}, pod) === 'exited') end(); },
      () => end());
    signal.addEventListener('abort', () => end(), { once: true });
    void ended.then(() => watching.abort());
    return { ended };
  }

  async exit(handle: string): Promise<JobExit | undefined> {
    const pod = await this.pod(handle);
    return jobExit(pod, this.stops.get(handle)?.at);
  }

  async *logs(handle: string, options: { follow: boolean; cursor?: LogCursor; signal?: AbortSignal }): AsyncGenerator<LogLine> {
    let pod = await this.pod(handle);
    if (options.follow && pod && !started(pod) && jobRunState({}, pod) === 'running') { // the log opens once the container runs
      await podRunning(this.kube, { namespace: this.namespace, target: pod.metadata!.name!, container: JOB_CONTAINER,
        pendingTimeoutMs: this.backend.pendingTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) }).catch(() => undefined);
      pod = await this.pod(handle);
    }
    if (!pod || !started(pod)) return;
    yield* this.podLog(pod.metadata!.name!, options.follow, sinceTimeOf(options.cursor), options.signal);
  }

  async outputs(handle: string): Promise<Readable> {
    const pod = await this.pod(handle);
    if (!pod) throw new Error(`the pod of ${handle} is gone`);
    return readFolder(this.kube, this.namespace, pod.metadata!.name!, KEEPER_CONTAINER, OUTPUTS_IN_CONTAINER);
  }

  /** Counts the job as ended now (waits here resolve): it is collected as it is, then remove() deletes the Job, which stops it. */
  async kill(handle: string): Promise<void> {
    const stop = this.stopOf(handle);
    stop.at ??= new Date().toISOString();
    stop.controller.abort();
  }

  /** Deletes the Job; its pod goes with it (background propagation), which stops a job still running. */
  async remove(handle: string): Promise<void> {
    await this.batch.deleteNamespacedJob({ name: handle, namespace: this.namespace, propagationPolicy: 'Background', gracePeriodSeconds: 0 }).catch((error) => {
      if (apiFailure(error).code !== 404) throw kubeError(error, { verb: 'delete', resource: 'jobs', namespace: this.namespace }, this.kube.server);
    });
    this.stops.delete(handle);
  }

  private stopOf(handle: string): { controller: AbortController; at?: string } {
    let stop = this.stops.get(handle);
    if (!stop) this.stops.set(handle, stop = { controller: new AbortController() });
    return stop;
  }

  private async job(handle: string): Promise<V1Job | undefined> {
    return this.batch.readNamespacedJob({ name: handle, namespace: this.namespace }).catch((error) => {
      if (apiFailure(error).code === 404) return undefined;
      throw error;
    });
  }

  /** The Job's pod (the newest, should the cluster have made another). */
  private async pod(handle: string): Promise<V1Pod | undefined> {
    const pods = await this.kube.core.listNamespacedPod({ namespace: this.namespace, labelSelector: `${JOB_NAME_LABEL}=${handle}` });
    return newestPod(pods.items);
  }

  /** GET pods/log of the job container, with timestamps, from sinceTime, followed until the container ends (or abort). */
  private async *podLog(pod: string, follow: boolean, sinceTime: string | undefined, signal: AbortSignal | undefined): AsyncGenerator<LogLine> {
    const query = new URLSearchParams({ container: JOB_CONTAINER, timestamps: 'true', follow: String(follow), ...(sinceTime ? { sinceTime } : {}) });
    const url = new URL(`${this.kube.server.replace(/\/$/, '')}/api/v1/namespaces/${this.namespace}/pods/${pod}/log?${query}`);
    const options: https.RequestOptions = {};
    await this.kube.config.applyToHTTPSOptions(options);
    const request = (url.protocol === 'https:' ? https : http).get(url, { ...options, ...(signal ? { signal } : {}) });
    const read = kubeLogLines();
    let rest = '';
    try {
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => request.once('response', resolve).once('error', reject));
      if (response.statusCode !== 200) {
        let body = '';
        for await (const chunk of response) body += chunk.toString();
        if (response.statusCode === 404) return; // the pod went meanwhile
        throw kubeError({ code: response.statusCode, body }, { verb: 'get', resource: 'pods/log', namespace: this.namespace }, this.kube.server);
      }
      for await (const chunk of response) {
        const parts = (rest + (chunk as Buffer).toString('utf8')).split('\n');
        rest = parts.pop() ?? '';
        for (const part of parts) yield read(part);
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    } finally {
      request.destroy();
    }
    if (rest) yield read(rest);
  }
}

/** Whether the job container has started (it runs or has ended): its log can be read. */
function started(pod: V1Pod): boolean {
  const state = pod.status?.containerStatuses?.find((c) => c.name === JOB_CONTAINER)?.state;
  return !!(state?.running || state?.terminated);
}

function podOf(job: V1Job, pods: V1Pod[]): V1Pod | undefined {
  return newestPod(pods.filter((pod) => pod.metadata?.labels?.[JOB_NAME_LABEL] === job.metadata!.name));
}
