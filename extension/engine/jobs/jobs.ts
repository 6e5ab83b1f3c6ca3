// The jobs of one workspace: queued beyond maxParallel, started in fresh containers, watched, collected when they end
// (by this process or by the next one that looks), cancelled and removed. A job runs on without any process watching.
import * as os from 'node:os';
import { Emitter } from '../emitter';
import { PydockError, errorMessage } from '../errors';
import type { Backend, PullPolicy } from '../launch/backend';
import { agentBundle } from '../launch/agentBundle';
import type { EnvironmentLaunch } from '../launch/environment';
import { describeBriefly, type LaunchProgress } from '../launch/launchProgress';
import { ownerId, ownerIsAlive } from '../launch/owner';
import { silentLogger, type Logger } from '../log';
import { jobLaunchSpec } from './jobContainer';
import type { JobPlace, PreparedJob } from './jobPlace';
import { jobPlaceOf } from './jobPlaces';
import { collectRun } from './collect';
import { CursorFilter, parseLogFileLine, progressField, progressOf } from './jobLog';
import { defaultName, isFinal, lostRecord, newJobId, targetText, type JobProgress, type JobRecord, type JobSpec, type LogCursor, type LogLine } from './jobTypes';
import { RunFolder } from './runFolder';

export interface JobsOptions {
  workspace: string;
  backend: () => Promise<Backend>;
  /** The workspace's environment (.pydock/environment.json and settings), read at each start. */
  environment: () => EnvironmentLaunch;
  /** Jobs running at once in this workspace; the rest wait in order. Default: the number of cores. */
  maxParallel?: number;
  pull?: PullPolicy;
  /** What a start does before the job runs (pulls, builds, copies). */
  onLaunchProgress?: (event: LaunchProgress) => void;
  /** Follow running jobs' logs for their progress (the VS Code view); off, progress is read only where logs are read. */
  trackProgress?: boolean;
  log?: Logger;
}

/** A line of a job's log, where a reader is after it (to go on from there in another process), and progress it reports. */
export interface LogEntry extends LogLine {
  cursor: LogCursor;
  progress?: JobProgress;
}

interface QueuedJob {
  id: string;
  spec: JobSpec;
}

export class Jobs {
  readonly folder: RunFolder;
  readonly maxParallel: number;
  private readonly changed = new Emitter<JobRecord>();
  /** A job's record changed: queued, started, progressed, ended, removed (status unchanged, then it is gone from list()). */
  readonly onDidChange = this.changed.event;
  private readonly queue: QueuedJob[] = [];
  private readonly prepared = new Map<string, Promise<PreparedJob>>();
  private readonly launching = new Set<string>();
  /** This process's jobs from their launch to their container's end: the slots it holds, known without asking Docker. */
  private readonly occupied = new Set<string>();
  private slotFreed: (() => void) | undefined;
  private readonly watchers = new Map<string, Promise<JobRecord>>();
  /** What this process knows of a job beyond its record: its start's latest step, then its progress. */
  private readonly live = new Map<string, Pick<JobRecord, 'progress' | 'starting'>>();
  private readonly waiting = new Set<(error: Error) => void>();
  private readonly disposed = new AbortController();
  private hostPromise?: Promise<JobPlace>;
  private pumping = false;
  private readonly log: Logger;

  constructor(private readonly options: JobsOptions) {
    this.folder = new RunFolder(options.workspace);
    this.maxParallel = Math.max(1, options.maxParallel ?? os.availableParallelism());
    this.log = options.log ?? silentLogger;
  }

  /** Records the job as queued and starts it when a slot is free; resolves with the queued record. */
  submit(spec: JobSpec): JobRecord {
    const environment = this.options.environment();
    const id = newJobId();
    const record: JobRecord = {
      id, name: spec.name ?? defaultName(spec), target: targetText(spec.target), args: spec.target.args,
      image: { name: environment.image }, resources: spec.resources ?? {}, status: 'queued', exitCode: null,
      queuedAt: new Date().toISOString(), startedAt: null, finishedAt: null, durationMs: null, outputs: [], error: null,
      owner: ownerId(),
    };
    this.save(record);
    this.queue.push({ id, spec });
    void this.pump();
    return record;
  }

  /** The record as it is now (with the latest progress), or undefined when there is none. */
  record(id: string): JobRecord | undefined {
    const record = this.folder.readRecord(id);
    const live = this.live.get(id);
    return record && live && !isFinal(record.status) ? { ...record, ...live } : record;
  }

  /** Every run of the workspace, newest first, and containers whose record is gone (as lost); the records alone without Docker. */
  async list(): Promise<JobRecord[]> {
    const records = this.folder.ids().map((id) => this.record(id)).filter((r): r is JobRecord => !!r);
    const known = new Set(records.map((r) => r.id));
    const found = await this.host().then(async (host) => ({ unit: host.unit, runs: await host.list() })).catch((error) => {
      this.log.warn(`jobs of ${this.options.workspace}: their containers cannot be listed: ${errorMessage(error)}`);
      return { unit: '', runs: [] };
    });
    const orphans = found.runs.filter((c) => !known.has(c.jobId));
    return [...orphans.map((c) => lostRecord(c.jobId, `its record ${this.folder.relative(c.jobId, 'run.json')} is gone; its ${found.unit} ${c.handle.slice(0, 12)} remains`)), ...records];
  }

  /**
   * Finds this workspace's jobs where a previous process left them: running ones are watched (and collected when they
   * end), ended ones collected now, and records whose container is gone marked lost.
   */
  async scan(): Promise<void> {
    const host = await this.host();
    const containers = await host.list();
    const ended: Promise<unknown>[] = [];
    for (const c of containers) {
      const record = this.folder.readRecord(c.jobId);
      if (!record) continue; // lost: list() says so; `rm` removes it
      if (c.state === 'created' && (this.isOurs(c.jobId) || this.queuedElsewhere(record))) continue; // made ahead of its start
      const watched = this.watch(c.jobId, c.handle);
      watched.catch((error) => this.log.warn(`job ${c.jobId}: ${errorMessage(error)}`));
      if (c.state !== 'running') ended.push(watched.catch(() => undefined));
    }
    const withContainer = new Set(containers.map((c) => c.jobId));
    for (const id of this.folder.ids()) {
      const record = this.folder.readRecord(id);
      if (!record || isFinal(record.status) || withContainer.has(id) || this.isOurs(id)) continue;
      if (this.queuedElsewhere(record)) continue;
      this.save({ ...record, status: 'lost', error: record.status === 'queued' ? 'the process that queued it ended before it started' : `its ${host.unit} is gone` });
    }
    await Promise.all(ended);
  }

  /** Resolves when the job has left the queue: with its record running, or ended (it could not start). */
  started(id: string): Promise<JobRecord> {
    return this.until(id, (r) => r.status !== 'queued');
  }

  /** Resolves with the final record; watches the container (and collects it) when no one here does yet. */
  async wait(id: string): Promise<JobRecord> {
    const record = this.record(id);
    if (record && isFinal(record.status)) return record;
    if (this.isOurs(id)) return this.until(id, (r) => isFinal(r.status));
    const host = await this.host();
    const [container] = await host.list(id);
    if (record && this.queuedElsewhere(record) && (!container || container.state === 'created')) {
      throw new PydockError('usage', `Job ${id} waits in the queue of another process (${record.owner}).`, 'Wait for it there, or ask again once it runs.');
    }
    if (container) return this.watch(id, container.handle);
    if (!record) throw noSuchJob(id, this.options.workspace);
    return this.save({ ...record, status: 'lost', error: `its ${host.unit} is gone` });
  }

  /** The log, from the cursor on: what there is, or (follow) on until the job ends; from its container, then log.txt. */
  async *logs(id: string, options: { follow?: boolean; cursor?: LogCursor; signal?: AbortSignal } = {}): AsyncGenerator<LogEntry> {
    if (options.follow && this.isOurs(id)) await this.started(id);
    const position = new CursorFilter(options.cursor);
    const entry = (line: LogLine): LogEntry => ({ ...line, cursor: position.position, ...progressField(line) });
    const [container] = await (await this.host()).list(id);
    if (container) {
      const host = await this.host();
      for await (const line of host.logs(container.handle, { follow: !!options.follow, cursor: options.cursor, signal: options.signal })) {
        if (position.accept(line)) yield entry(line);
      }
      if (options.follow && !options.signal?.aborted) await this.wait(id); // log.txt is complete once collected
    } else if (!this.folder.readRecord(id)) {
      throw noSuchJob(id, this.options.workspace);
    }
    position.restart();
    for (const text of (this.folder.readLog(id) ?? '').split('\n').filter(Boolean)) {
      const line = parseLogFileLine(text);
      if (position.accept(line)) yield entry(line);
    }
  }

  /** Stops the job (or takes it from the queue), collects what it wrote so far, removes its container; records cancelled. */
  async cancel(id: string): Promise<JobRecord> {
    const queued = this.queue.findIndex((q) => q.id === id);
    const record = this.record(id);
    if (!record) throw noSuchJob(id, this.options.workspace);
    if (isFinal(record.status)) return record;
    this.save({ ...record, cancelRequested: true }); // whoever collects the job (this process or another) records it cancelled
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      const prepared = this.prepared.get(id);
      this.prepared.delete(id);
      await prepared?.then((job) => job.discard(), () => undefined);
      return this.finish(id, { error: 'cancelled before it started' });
    }
    const [container] = await (await this.host()).list(id);
    if (!container) return this.launching.has(id) ? this.until(id, (r) => isFinal(r.status)) : this.finish(id, { error: 'cancelled before it started' });
    await (await this.host()).kill(container.handle);
    return this.watch(id, container.handle);
  }

  /** Deletes the run's record, log and outputs; a job still running is stopped and its container removed. */
  async remove(id: string): Promise<void> {
    const host = await this.host();
    if (this.queue.some((q) => q.id === id) || this.record(id)?.status === 'running') await this.cancel(id).catch(() => undefined);
    await this.watchers.get(id)?.catch(() => undefined); // a collection under way would write into the folder again
    for (const c of await host.list(id)) await host.remove(c.handle); // a lost job's
    const record = this.record(id);
    this.folder.remove(id);
    this.live.delete(id);
    this.changed.fire(record ?? lostRecord(id, 'removed'));
  }

  /** Stops watching; the jobs run on, to be found again by the next scan. Pending waits reject. */
  dispose(): void {
    this.disposed.abort();
    for (const prepared of this.prepared.values()) void prepared.then((job) => job.discard(), () => undefined);
    for (const reject of this.waiting) reject(new PydockError('stopped', 'Stopped watching the jobs (the window closed); they run on.'));
    this.changed.dispose();
  }

  private isOurs(id: string): boolean {
    return this.launching.has(id) || this.queue.some((q) => q.id === id);
  }

  /** Queued by another process that still runs: its queue starts it. */
  private queuedElsewhere(record: JobRecord): boolean {
    return record.status === 'queued' && !!record.owner && record.owner !== ownerId() && ownerIsAlive(record.owner);
  }

  private host(): Promise<JobPlace> {
    this.hostPromise ??= this.options.backend().then((backend) => jobPlaceOf(backend, this.options.workspace, this.options.environment().kubernetes));
    this.hostPromise.catch(() => { this.hostPromise = undefined; }); // a daemon started later is found next time
    return this.hostPromise;
  }

  /** Starts queued jobs while fewer than maxParallel of this workspace's run (any process's), waiting on ends when full. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length && !this.disposed.signal.aborted) {
        const host = await this.host();
        for (const job of this.queue.slice(0, this.maxParallel)) this.prepare(host, job); // a freed slot then only starts one
        const free = async () => this.maxParallel - this.occupied.size - (await host.runningCount(this.occupied));
        let slots = await free();
        if (slots <= 0) { // listen first (to other processes' jobs too), then look again: an end between the two is not missed
          const stopListening = new AbortController();
          const otherEnd = await host.nextJobEnd(AbortSignal.any([stopListening.signal, this.disposed.signal]));
          const ownEnd = new Promise<void>((resolve) => { this.slotFreed = resolve; });
          slots = await free();
          if (slots <= 0) await Promise.race([otherEnd.ended, ownEnd]);
          this.slotFreed = undefined;
          stopListening.abort();
        }
        for (const job of this.queue.splice(0, Math.max(0, slots))) void this.launch(host, job);
      }
    } catch (error) {
      for (const job of this.queue.splice(0)) this.finish(job.id, { status: 'failed', error: errorMessage(error) });
    } finally {
      this.pumping = false;
    }
  }

  /** The job's container made and filled ahead of its start, once. */
  private prepare(host: JobPlace, { id, spec }: QueuedJob): Promise<PreparedJob> {
    let prepared = this.prepared.get(id);
    if (!prepared) {
      const { pull, onLaunchProgress } = this.options;
      const onProgress = (event: LaunchProgress) => {
        onLaunchProgress?.(event);
        const record = this.folder.readRecord(id);
        if (record?.status !== 'queued') return;
        this.live.set(id, { starting: describeBriefly(event) });
        this.changed.fire(this.record(id)!);
      };
      const environment = { ...this.options.environment(), agent: agentBundle(), onProgress, ...(pull ? { pull } : {}) };
      prepared = host.prepare(id, jobLaunchSpec(environment, id, spec), spec);
      prepared.catch(() => undefined); // launch() reports it
      this.prepared.set(id, prepared);
    }
    return prepared;
  }

  private async launch(host: JobPlace, job: QueuedJob): Promise<void> {
    const { id } = job;
    this.launching.add(id);
    this.occupied.add(id);
    try {
      const prepared = await this.prepare(host, job);
      this.prepared.delete(id);
      const record = this.folder.readRecord(id);
      if (!record || record.cancelRequested) {
        this.release(id);
        await prepared.discard();
        this.finish(id, { error: 'cancelled before it started' });
        return;
      }
      await prepared.start();
      const now = this.folder.readRecord(id) ?? record; // cancelled while it started: it stops, and stays cancelled
      this.live.delete(id);
      if (now.cancelRequested) await host.kill(prepared.handle);
      else this.save({ ...now, status: 'running', image: prepared.image, environmentHash: prepared.environmentHash, startedAt: new Date().toISOString() });
      this.watch(id, prepared.handle).catch((error) => this.log.warn(`job ${id}: ${errorMessage(error)}`));
    } catch (error) {
      this.prepared.delete(id);
      this.release(id);
      this.finish(id, { status: 'failed', error: errorMessage(error) });
    } finally {
      this.launching.delete(id);
    }
  }

  private release(id: string): void {
    if (this.occupied.delete(id)) this.slotFreed?.();
  }

  /** Waits for the container's end and collects it, once per job however many ask. */
  private watch(id: string, handle: string): Promise<JobRecord> {
    let watcher = this.watchers.get(id);
    if (!watcher) {
      watcher = (async () => {
        const host = await this.host();
        if (this.options.trackProgress) void this.followProgress(host, id, handle);
        try {
          await host.wait(handle, this.disposed.signal);
        } finally {
          this.release(id);
        }
        return this.collect(host, id, handle);
      })();
      this.watchers.set(id, watcher);
      void watcher.finally(() => this.watchers.delete(id)).catch(() => undefined);
    }
    return watcher;
  }

  private async followProgress(host: JobPlace, id: string, handle: string): Promise<void> {
    try {
      for await (const line of host.logs(handle, { follow: true, signal: this.disposed.signal })) {
        const progress = progressOf(line);
        const record = progress && this.folder.readRecord(id);
        if (progress && record && !isFinal(record.status)) {
          this.live.set(id, { progress });
          this.changed.fire({ ...record, progress });
        }
      }
    } catch (error) {
      this.log.trace(`job ${id}: progress no longer followed: ${errorMessage(error)}`);
    }
  }

  /** The log into log.txt, /outputs into outputs/, the end into run.json; then the container goes. */
  private async collect(host: JobPlace, id: string, handle: string): Promise<JobRecord> {
    const before = this.folder.readRecord(id);
    const exit = await host.exit(handle);
    if (!before || !exit) return before && isFinal(before.status) ? before : this.finish(id, { status: 'lost', error: host.gone });
    if (!exit.startedAt && !before.cancelRequested) { // made ahead for a queue whose process is gone
      await host.remove(handle);
      return this.finish(id, { status: 'lost', error: 'the process that queued it ended before it started' });
    }
    const record = await this.saveAfter(() => host.remove(handle), await collectRun(host, this.folder, before, handle, exit));
    this.live.delete(id);
    return record;
  }

  /** Ends a job that never ran (or whose container is gone) with this status and error; an end already recorded stands. */
  private finish(id: string, end: { status?: JobRecord['status']; error: string }): JobRecord {
    const record = this.folder.readRecord(id);
    if (!record) return lostRecord(id, end.error); // deleted: nothing to write it into
    if (isFinal(record.status)) return record; // e.g. cancelled and collected while its start was still failing
    return this.save({ ...record, status: record.cancelRequested ? 'cancelled' : end.status ?? 'cancelled', error: end.error, finishedAt: new Date().toISOString() });
  }

  private save(record: JobRecord): JobRecord {
    this.folder.writeRecord(record);
    this.changed.fire(record);
    return record;
  }

  /** Writes the record, then says so once `step` is done (the container removed: a waiter finds it gone). */
  private async saveAfter(step: () => Promise<void>, record: JobRecord): Promise<JobRecord> {
    this.folder.writeRecord(record);
    await step().catch((error) => this.log.warn(`job ${record.id}: its container could not be removed: ${errorMessage(error)}`));
    this.changed.fire(record);
    return record;
  }

  private until(id: string, test: (record: JobRecord) => boolean): Promise<JobRecord> {
    return new Promise((resolve, reject) => {
      const settle = (record: JobRecord) => {
        subscription.dispose();
        this.waiting.delete(reject);
        resolve(record);
      };
      const subscription = this.onDidChange((record) => { if (record.id === id && test(record)) settle(record); });
      this.waiting.add(reject);
      const now = this.record(id);
      if (now && test(now)) settle(now);
    });
  }
}

function noSuchJob(id: string, workspace: string): PydockError {
  return new PydockError('usage', `There is no job ${id} in ${workspace}.`, '"pydock job list" shows the jobs of a workspace.');
}
