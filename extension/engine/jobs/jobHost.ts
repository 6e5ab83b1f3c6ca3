// A job's container on a Docker host: start it, find it by its labels, wait for its end, read its log and its outputs.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { LABEL, launchFingerprint } from '../docker/containerSpec';
import type { DockerBackend } from '../docker/dockerBackend';
import { statusOf } from '../docker/dockerAgent';
import { inspectImage } from '../docker/imagePuller';
import { isRemoteHost, planLaunch } from '../docker/launchPlan';
import { PydockError, errorMessage } from '../errors';
import type { LaunchSpec } from '../launch/backend';
import { ownerId } from '../launch/owner';
import { DockerDemuxer } from '../wire/framing';
import { jobCreateBody, writesOutputsInPlace } from './jobContainer';
import { jobImage } from './jobImage';
import { parseLogText, sinceOf } from './jobLog';
import type { JobExit, JobPlace, JobRun, PreparedJob } from './jobPlace';
import { OUTPUTS_IN_CONTAINER, type JobSpec, type LogCursor, type LogLine } from './jobTypes';
import { RunFolder } from './runFolder';

export class JobHost implements JobPlace {
  readonly unit = 'container';
  readonly gone = 'its container is gone';
  readonly docker: Docker;

  private readonly folder: RunFolder;
  private traits?: Promise<{ remote: boolean; securityOptions: string[] }>;

  constructor(private readonly backend: DockerBackend, private readonly workspace: string) {
    this.docker = backend.docker;
    this.folder = new RunFolder(workspace);
  }

  /**
   * Pulls or builds the image, makes the job image over it (pydock's module and /outputs in it, once per host), creates
   * the hardened container from that and copies a remote workspace in.
   */
  async prepare(id: string, launch: LaunchSpec, job: JobSpec): Promise<PreparedJob> {
    const plan = await planLaunch(this.backend.images, launch);
    const environmentHash = launchFingerprint(launch);
    const missing = () => new PydockError('image-missing', `The image ${plan.spec.image} is not on the Docker host ${this.backend.endpoint.url}.`);
    const base = await inspectImage(this.docker, plan.spec.image);
    if (!base) throw missing();
    const image = await jobImage(this.docker, { name: plan.spec.image, id: base.Id }, launch.agent);
    const inPlace = writesOutputsInPlace(await this.hostTraits(), plan.spec.user ?? base.Config?.User ?? '', process.getuid?.());
    const outputsFolder = inPlace ? this.folder.makeOutputsFolder(id) : undefined;
    const body = jobCreateBody({ ...plan.spec, image }, ownerId(), environmentHash, id, job, outputsFolder);
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(body as unknown as Docker.ContainerCreateOptions);
    } catch (error) {
      if (statusOf(error) === 404) throw missing();
      throw new PydockError('start-failed', `Docker could not create the job's container: ${errorMessage(error)}.`);
    }
    const made = container;
    const failed = async (error: unknown): Promise<never> => {
      await this.remove(made.id).catch(() => undefined);
      throw new PydockError('start-failed', `The job's container for image ${launch.image} did not start: ${errorMessage(error)}.`);
    };
    await plan.workspace?.copyIn(made).catch(failed);
    return {
      handle: made.id, image: { name: launch.image, id: base.Id }, environmentHash,
      start: () => made.start().then(() => undefined, failed),
      discard: () => this.remove(made.id),
    };
  }

  /** Where the daemon is and how it maps uids, asked once; a daemon that does not say is taken to map them. */
  private hostTraits(): Promise<{ remote: boolean; securityOptions: string[] }> {
    const remote = isRemoteHost(this.backend.endpoint.url);
    this.traits ??= this.docker.info().then((info: { SecurityOptions?: string[] }) => ({ remote, securityOptions: info.SecurityOptions ?? [] }),
      () => ({ remote, securityOptions: ['name=userns'] }));
    return this.traits;
  }

  /** This workspace's job containers, running or ended; or one job's. */
  async list(jobId?: string): Promise<JobRun[]> {
    const rows = await this.docker.listContainers({ all: true, filters: { label: [jobId ? `${LABEL.job}=${jobId}` : LABEL.job, `${LABEL.workspace}=${this.workspace}`] } });
    return rows.map((row) => ({ handle: row.Id, jobId: row.Labels[LABEL.job], state: row.State }));
  }

  /** Running job containers of this workspace, but for those of these jobs. */
  async runningCount(except: ReadonlySet<string>): Promise<number> {
    return (await this.list()).filter((c) => c.state === 'running' && !except.has(c.jobId)).length;
  }

  /** Resolves when the container is not running (at once when it has ended or is gone). */
  async wait(containerId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.docker.getContainer(containerId).wait({ condition: 'not-running', ...(signal ? { abortSignal: signal } : {}) });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** Listens for the next end of any job container on this host (a slot may be free): `ended` resolves then, or on abort. */
  async nextJobEnd(signal: AbortSignal): Promise<{ ended: Promise<void> }> {
    const events = await this.docker.getEvents({ filters: { type: ['container'], event: ['die', 'destroy'], label: [LABEL.job] } }) as unknown as Readable;
    const ended = new Promise<void>((resolve) => {
      const done = () => { events.destroy(); resolve(); };
      events.once('data', done).once('error', done).once('end', done);
      signal.addEventListener('abort', done, { once: true });
    });
    return { ended };
  }

  /** How the job ended; undefined when the container is gone. */
  async exit(containerId: string): Promise<JobExit | undefined> {
    try {
      const { State, Mounts } = await this.docker.getContainer(containerId).inspect();
      const time = (t: string | undefined) => (t && !t.startsWith('0001-') ? new Date(t).toISOString() : null);
      return {
        exitCode: State.Running ? null : State.ExitCode, oomKilled: State.OOMKilled, startedAt: time(State.StartedAt), finishedAt: time(State.FinishedAt),
        outputsInRunFolder: Mounts.some((m) => m.Destination === OUTPUTS_IN_CONTAINER && m.Type === 'bind'),
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** The log lines from the cursor's time on (those at exactly it too): all there are now, or (follow) on until the container stops. */
  async *logs(containerId: string, options: { follow: boolean; cursor?: LogCursor; signal?: AbortSignal }): AsyncGenerator<LogLine> {
    const since = sinceOf(options.cursor);
    const request = { stdout: true, stderr: true, timestamps: true, ...(since ? { since } : {}) };
    const container = this.docker.getContainer(containerId);
    const demuxer = new DockerDemuxer();
    const rest = { stdout: '', stderr: '' };
    const linesOf = function* (chunk: Buffer): Generator<LogLine> {
      for (const [stream, data] of demuxer.push(chunk)) {
        const { lines, rest: left } = parseLogText(rest[stream] + data.toString('utf8'), stream);
        rest[stream] = left;
        yield* lines;
      }
    };
    const flush = function* (): Generator<LogLine> {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (rest[stream]) yield* parseLogText(`${rest[stream]}\n`, stream).lines;
      }
    };
    try {
      if (!options.follow) {
        yield* linesOf(await container.logs({ ...request, follow: false }) as unknown as Buffer);
      } else {
        const stream = await container.logs({ ...request, follow: true, ...(options.signal ? { abortSignal: options.signal } : {}) }) as unknown as Readable;
        options.signal?.addEventListener('abort', () => stream.destroy(), { once: true });
        try {
          for await (const chunk of stream) yield* linesOf(chunk as Buffer);
        } catch (error) {
          if (!options.signal?.aborted) throw error;
        }
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    yield* flush();
  }

  /** The job's /outputs as a tar stream (members named outputs/…); works after the container stopped. */
  async outputs(containerId: string): Promise<Readable> {
    return await this.docker.getContainer(containerId).getArchive({ path: OUTPUTS_IN_CONTAINER }) as unknown as Readable;
  }

  async kill(containerId: string): Promise<void> {
    await this.docker.getContainer(containerId).kill().catch((error) => {
      if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error; // gone, or not running any more
    });
  }

  async remove(containerId: string): Promise<void> {
    await this.docker.getContainer(containerId).remove({ force: true, v: true }).catch((error) => {
      if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
    });
  }
}
