// A Python session of the library API: calls queue in order, init runs once per agent, every result has a trace.
import { PydockError } from '../engine/errors';
import type { RunRequest, Step } from '../../shared/agentProtocol';
import type { RunOptions, Session } from '../engine/session/session';
import { ObjectRef, type Value } from '../../shared/values';
import { PyBuilder } from './builder';
import { PythonError, releasedByAgent } from './errors';
import { Handle } from './handle';
import { DEFAULT_TIMEOUT_MS } from './options';
import { traceOf, type Trace } from './trace';

/** Prepares a session, e.g. defines functions. May be async; requests it makes are awaited before others run. */
export type InitFn = (session: PySession) => unknown;

export interface CallOptions {
  /** Aborting interrupts the running code (KeyboardInterrupt) or cancels the call before it starts. */
  signal?: AbortSignal;
  /** Time limit in milliseconds; the code is interrupted when it runs over. Default: the session's timeout. */
  timeout?: number;
  /** Receives the call's timings when its result arrives. */
  onTrace?: (trace: Trace) => void;
  /** Receives what the code prints, as it prints it. Without it, output is dropped. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** Any run request, without the id the engine gives it. */
export type RunBody = WithoutId<RunRequest>;

export interface PySessionConfig {
  /** Default time limit of each call, in milliseconds. */
  timeout?: number;
  /** Whether close() stops the engine session (false for a session the caller owns, such as the interactive one). */
  owned: boolean;
  init?: InitFn;
  onClose?: () => void;
}

export class PySession {
  /** The timings of the last result on this session. */
  lastTrace: Trace | undefined;
  private sendQueue: Promise<void> = Promise.resolve();
  private initRun: { agent: object | undefined; done: Promise<void> } | undefined;
  private isClosed = false;
  /** An init view's requests, which init may not have awaited: awaited (and their errors raised) before others run. */
  private readonly initRequests: Promise<unknown>[] = [];

  /**
   * @param engine the engine session: inspect() (tables, variables), state events, interrupt.
   * @param label names it in logs, traces and the container's `pydock.session` label.
   */
  constructor(readonly engine: Session, readonly label: string, private readonly config: PySessionConfig,
    private readonly gated = true) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** A builder whose eval runs here, with its defines and execs, in one request. */
  py(): PyBuilder {
    return new PyBuilder(async () => ({ session: this, release: async () => undefined }));
  }

  /** Sets what runs once on each new agent of this session, before anything else (again after a crash restarted it). */
  setInit(init: InitFn): void {
    this.config.init = init;
  }

  /** Starts the session now (it starts on first use otherwise) and runs init. */
  async start(): Promise<void> {
    this.assertOpen();
    await this.engine.start();
    const init = this.config.init;
    if (!init || !this.gated) return;
    const agent = this.engine.info;
    if (this.initRun?.agent !== agent) {
      const done = this.runInit(init);
      this.initRun = { agent, done };
      done.catch(() => {
        if (this.initRun?.done === done) this.initRun = undefined; // the next call tries again
      });
    }
    await this.initRun!.done;
  }

  /** Runs statements. Resolves with the value of a trailing expression, as a REPL shows it, else null. */
  exec(code: string, options: CallOptions = {}): Promise<Value> {
    return this.request({ type: 'exec', code }, options);
  }

  eval(expr: string, options: CallOptions = {}): Promise<Value> {
    return this.request({ type: 'eval', expr }, options);
  }

  async define(name: string, value: Value, options: CallOptions = {}): Promise<void> {
    await this.request({ type: 'define', name, value: value ?? null }, options); // undefined would drop the field
  }

  /** Defines, execs and evals in one request; resolves with the value of the last step. */
  batch(steps: Step[], options: CallOptions = {}): Promise<Value> {
    return this.request({ type: 'batch', steps }, options, steps.length);
  }

  /**
   * Calls a callable: a dotted name (`'math.sqrt'`, `'mymodule.func'`, imported if need be; or a name the session
   * defined) or an expression (`'lambda x: x * x'`, compiled once per session).
   */
  call(target: string, args: Value[] = [], kwargs: Record<string, Value> = {}, options: CallOptions = {}): Promise<Value> {
    return this.request({ type: 'call', target, args, kwargs }, options);
  }

  /** Like call(), but keeps the result in Python and gives a handle to it. */
  async callRef(target: string, args: Value[] = [], kwargs: Record<string, Value> = {}, options: CallOptions = {}): Promise<Handle> {
    return this.handle(await this.request({ type: 'call', target, args, kwargs, asRef: true }, options));
  }

  /** Evaluates an expression and keeps the object in Python: a handle to it. */
  async ref(expr: string, options: CallOptions = {}): Promise<Handle> {
    return this.handle(await this.request({ type: 'ref.new', expr }, options));
  }

  /** A handle on an ObjectRef that arrived in a result, e.g. a DataFrame too big to send whole. */
  handle(ref: Value): Handle {
    if (!(ref instanceof ObjectRef)) throw new PydockError('protocol', `Expected an object handle from Python, got ${typeNameOf(ref)}.`);
    return ref instanceof Handle ? ref : new Handle(this, ref);
  }

  /** Interrupts the running call (KeyboardInterrupt) and cancels the ones queued behind it. */
  interrupt(): Promise<'interrupted' | 'idle' | 'ignored'> {
    return this.engine.interrupt();
  }

  /** Ends the session: its container is removed, and its handles are released. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.config.onClose?.();
    if (this.config.owned) await this.engine.dispose();
  }

  /** Sends any run request after every earlier call on this session, and resolves with its value. */
  request(body: RunBody, options: CallOptions = {}, steps = 1): Promise<Value> {
    const value = this.send(body, options, steps);
    if (!this.gated) this.initRequests.push(value);
    return value;
  }

  private async send(body: RunBody, options: CallOptions, steps: number): Promise<Value> {
    const queuedAt = performance.now();
    this.assertOpen();
    for (const arg of argumentsOf(body)) if (arg instanceof Handle) arg.assertUsable();
    const outcome = await this.enqueue(body, {
      signal: options.signal,
      timeoutMs: options.timeout ?? this.config.timeout ?? DEFAULT_TIMEOUT_MS,
      onStream: options.onOutput ?? ignoreOutput,
    });
    const trace = traceOf(this.label, body.type, steps, queuedAt, outcome.timings);
    this.lastTrace = trace;
    options.onTrace?.(trace);
    if (!outcome.ok) throw releasedByAgent(body, outcome.error) ?? new PythonError(outcome.error, trace);
    return outcome.value;
  }

  /** Calls the engine in call order (so requests reach the agent in that order) once init has run; never waits for results. */
  private enqueue(body: RunBody, options: RunOptions) {
    if (!this.gated) return this.engine.request(body, options);
    const turn = this.sendQueue.then(() => this.start());
    const outcome = turn.then(() => this.engine.request(body, options));
    this.sendQueue = turn.catch(() => undefined);
    return outcome;
  }

  private async runInit(init: InitFn): Promise<void> {
    const view = new PySession(this.engine, this.label, this.config, false);
    await init(view);
    await Promise.all(view.initRequests);
  }

  private assertOpen(): void {
    if (this.isClosed) throw new PydockError('stopped', `The session ${this.label} is closed.`, 'Make a new one with py().');
  }
}

function ignoreOutput(): void {}

function argumentsOf(body: RunBody): Value[] {
  return body.type === 'call' || body.type === 'ref.call' ? [...body.args, ...Object.values(body.kwargs)] : [];
}

function typeNameOf(value: Value): string {
  return value === null ? 'null' : typeof value === 'object' ? value.constructor.name : typeof value;
}
