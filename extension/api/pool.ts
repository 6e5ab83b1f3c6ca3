// pool(): N supervised sessions. map() scatters items over them, pipelined, and gathers the results in order.
import type { ErrorCode } from '../engine/errors';
import { PydockError } from '../engine/errors';
import type { Value } from '../../shared/values';
import { PoolItemError } from './errors';
import { createEngineSession, uniqueLabel, type PyOptions } from './options';
import { PySession, type CallOptions, type InitFn } from './pySession';

export interface PoolOptions extends Omit<PyOptions, 'name'> {
  /** How many workers: sessions, each with its own container. */
  size: number;
  /** Runs on each worker's Python process before its first item, and again after a crash restarted it. */
  init?: InitFn;
  /** Items in flight per worker: more hides round trips, fewer balances uneven work better. Default 16. */
  depth?: number;
  /** Prefix of the workers' labels (`NAME-0`, `NAME-1`, …). Default `pool-` and a random suffix. */
  name?: string;
}

export type MapOptions = Pick<CallOptions, 'signal' | 'timeout'>;

/** Errors that mean a worker's Python process died (not that the item raised): its items in flight are retried once. */
const CRASHES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['exited', 'removed', 'oom', 'protocol', 'start-failed']);
const DEFAULT_DEPTH = 16;

export class Pool {
  /** The workers, e.g. to reach one's engine session; each is restarted (and its init re-run) when it crashes. */
  readonly workers: readonly PySession[];
  private readonly load = new Map<PySession, number>();
  private readonly depth: number;
  private isClosed = false;
  private readonly started: Promise<void>;

  constructor(options: PoolOptions) {
    if (!(Number.isInteger(options.size) && options.size > 0)) {
      throw new PydockError('usage', `A pool needs a whole number of workers, at least 1; size was ${options.size}.`);
    }
    this.depth = options.depth ?? DEFAULT_DEPTH;
    const prefix = options.name ?? uniqueLabel('pool');
    this.workers = Array.from({ length: options.size }, (_, i) => {
      const label = `${prefix}-${i}`;
      const worker = new PySession(createEngineSession(options, label), label, { timeout: options.timeout, owned: true, init: options.init });
      this.supervise(worker);
      this.load.set(worker, 0);
      return worker;
    });
    this.started = Promise.all(this.workers.map((w) => w.start())).then(() => undefined);
    this.started.catch(() => undefined); // map() reports a worker that cannot start, with its cause
  }

  /** Resolves when every worker has started and run its init. */
  start(): Promise<void> {
    return this.started;
  }

  /**
   * Calls `fnSource` on each item, on the least busy worker, and resolves with the results in the items' order.
   * `fnSource` is Python naming a callable: `'lambda x: x * x'`, `'math.sqrt'`, or a function init defined.
   * Rejects with a PoolItemError at the first item that raised, or that was in flight on a worker that crashed twice.
   */
  map(fnSource: string, items: readonly Value[], options: MapOptions = {}): Promise<Value[]> {
    if (this.isClosed) return Promise.reject(new PydockError('stopped', 'The pool is closed.'));
    return new Promise((resolve, reject) => {
      const results = new Array<Value>(items.length);
      const tries = new Uint8Array(items.length);
      const retries: number[] = [];
      let next = 0;
      let finished = 0;
      let failed = false;
      const fail = (error: Error) => {
        failed = true;
        reject(error);
      };
      const pump = () => {
        while (!failed && (retries.length > 0 || next < items.length)) {
          const worker = this.leastLoaded();
          if (!worker) return;
          run(worker, retries.length > 0 ? retries.shift()! : next++);
        }
      };
      const run = (worker: PySession, index: number) => {
        tries[index]++;
        this.load.set(worker, this.load.get(worker)! + 1);
        worker.call(fnSource, [items[index]], {}, options).then((value) => {
          results[index] = value;
          if (++finished === items.length) resolve(results);
        }, (error: Error) => {
          if (error instanceof PydockError && CRASHES.has(error.code) && tries[index] < 2) retries.push(index);
          else if (!failed) fail(new PoolItemError(index, items[index], error));
        }).finally(() => {
          this.load.set(worker, this.load.get(worker)! - 1);
          pump();
        });
      };
      options.signal?.addEventListener('abort', () => fail(options.signal!.reason as Error), { once: true });
      if (items.length === 0) resolve(results);
      pump();
    });
  }

  /** Stops every worker and removes its container. */
  async close(): Promise<void> {
    this.isClosed = true;
    await Promise.all(this.workers.map((w) => w.close()));
  }

  private leastLoaded(): PySession | undefined {
    let best: PySession | undefined;
    for (const worker of this.workers) {
      const load = this.load.get(worker)!;
      if (load < this.depth && (best === undefined || load < this.load.get(best)!)) best = worker;
    }
    return best;
  }

  /** Restarts a worker whose Python process died while it ran (not one that failed to start: that would loop). */
  private supervise(worker: PySession): void {
    let running = false;
    worker.engine.onDidChangeState((state) => {
      if (state === 'dead' && running && !this.isClosed) worker.start().catch(() => undefined);
      running = state === 'idle' || state === 'busy';
    });
  }
}
