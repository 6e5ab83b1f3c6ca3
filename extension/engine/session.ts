// A Python session: owns one agent process, its protocol stream and every request in flight.
import { agentBundle } from './agentBundle';
import type { AgentExit, AgentProcess, Backend, LaunchSpec } from './backend';
import { UnmarshallableError, decodeWithObjectRefs, encode, toWire } from './codec';
import { formatByteSize } from './docker/containerSpec';
import { Emitter } from './emitter';
import { PydockError } from './errors';
import { FrameDecoder, encodeFrame } from './framing';
import { silentLogger, type Logger } from './log';
import { ObjectRefTracker } from './objectRefs';
import {
  AGENT_PROTOCOL_VERSION, isAgentEvent,
  type AgentEvent, type AgentInfo, type CodeLocation, type DisplayData, type InspectRequest, type PythonErrorInfo,
  type ResultMode, type RunRequest, type Step, type TablePreview,
} from './protocol';
import type { ObjectRef, Value } from './values';

export type SessionState = 'new' | 'starting' | 'idle' | 'busy' | 'dead' | 'stopped';

export interface SessionOptions {
  /** A name for logs and labels, e.g. the workspace folder's name. */
  name: string;
  backend: () => Promise<Backend>;
  launch: Omit<LaunchSpec, 'agent'>;
  log?: Logger;
  /** How long the agent may take to say hello after the container starts. */
  startTimeoutMs?: number;
}

export interface RunOptions extends CodeLocation {
  mode?: ResultMode;
  /** Interrupts the code after this long; if it ignores that, the session restarts. No limit when absent. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Receives output while the code runs. Without it, output is collected into the outcome. */
  onStream?: (name: 'stdout' | 'stderr', text: string) => void;
  /** Receives rich output (plots) while the code runs. Without it, it is collected into the outcome. */
  onDisplay?: (display: DisplayData) => void;
  /** Called when the agent starts running the code (earlier requests may keep it queued). */
  onStart?: () => void;
}

export interface Timings {
  queuedAt: number;
  sentAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Time the agent spent running the code. */
  durationMs?: number;
  bytesSent: number;
  bytesReceived: number;
}

interface OutcomeBase { id: number; stdout: string; stderr: string; displays: DisplayData[]; timings: Timings }
export interface RunSuccess extends OutcomeBase {
  ok: true;
  pyType: string;
  repr: string;
  value: Value;
  table?: TablePreview;
  /** Rich reprs of the value, best first. */
  display?: DisplayData[];
}
export interface RunFailure extends OutcomeBase { ok: false; error: PythonErrorInfo }
/** How a run ended in Python. Failures of the session itself (death, timeout) reject instead. */
export type RunOutcome = RunSuccess | RunFailure;

interface Pending {
  options: RunOptions;
  /** Inspection beside user code: it does not make the session busy and is not interrupted with it. */
  background: boolean;
  stdout: string[];
  stderr: string[];
  displays: DisplayData[];
  timings: Timings;
  resolve(outcome: RunOutcome): void;
  reject(error: Error): void;
  cleanup(): void;
}

const INTERRUPT_GRACE_MS = 1000;
const STDERR_TAIL_BYTES = 64 * 1024;

export class Session {
  private readonly stateEmitter = new Emitter<SessionState>();
  private readonly outputEmitter = new Emitter<{ id: number | null; name: 'stdout' | 'stderr'; text: string }>();
  /** Fires on every state change. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires for all output, including output written when nothing runs (threads, subprocesses). */
  readonly onDidOutput = this.outputEmitter.event;

  private currentState: SessionState = 'new';
  private process: AgentProcess | undefined;
  private starting: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private runningId: number | undefined;
  private stderrTail = '';
  private backendDescription = '';
  /** The backend of the running (or last) agent, once one has started. */
  backendKind: Backend['kind'] | undefined;
  private readonly log: Logger;
  /** Frees the objects behind ObjectRefs from this agent once they are garbage, unless it has ended since. */
  private readonly objectRefs = new ObjectRefTracker((refs, agent) => {
    if (agent === this.process) this.sendRelease(refs).catch(() => undefined);
  });
  info: AgentInfo | undefined;
  /** Why the session died, when it did. */
  deathCause: PydockError | undefined;

  constructor(private readonly options: SessionOptions) {
    this.log = options.log ?? silentLogger;
  }

  get state(): SessionState {
    return this.currentState;
  }

  get name(): string {
    return this.options.name;
  }

  /** The container image, once a Docker session has started. */
  get image(): string | undefined {
    return this.backendKind === 'docker' ? this.options.launch.image : undefined;
  }

  /** e.g. "docker unix:///var/run/docker.sock, container 1a2b3c4d5e6f"; empty before the first start. */
  get description(): string {
    return this.backendDescription;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Starts the agent if it is not running. A dead or stopped session starts afresh. */
  start(): Promise<void> {
    if (this.starting) return this.starting;
    if (this.process && (this.currentState === 'idle' || this.currentState === 'busy')) return Promise.resolve();
    this.deathCause = undefined;
    this.setState('starting');
    const started = this.launch();
    this.starting = started;
    started.then(
      () => { this.starting = undefined; },
      (error: unknown) => {
        this.starting = undefined;
        this.deathCause = asPydockError(error);
        this.setState('dead');
      },
    );
    return started;
  }

  /** A fresh agent with the same configuration; the old one and everything pending on it end. */
  async restart(): Promise<void> {
    await this.end('stopped', new PydockError('stopped', 'The session was restarted.'));
    await this.start();
  }

  /** Ends the agent and removes its container. Pending runs reject. */
  async stop(): Promise<void> {
    await this.end('stopped', new PydockError('stopped', 'The session was stopped.'));
  }

  dispose(): Promise<void> {
    const stopped = this.stop();
    this.stateEmitter.dispose();
    this.outputEmitter.dispose();
    return stopped;
  }

  private async launch(): Promise<void> {
    const backend = await this.options.backend();
    const decoder = new FrameDecoder();
    this.stderrTail = '';
    // The agent can say hello before launch() returns (a busy machine): wait for it from the start.
    const hello = new Promise<void>((resolve, reject) => {
      this.helloWaiter = { process: undefined, resolve, reject };
    });
    hello.catch(() => undefined); // awaited below; an earlier failure must not count as unhandled
    let process: AgentProcess | undefined;
    try {
      process = await backend.launch({ ...this.options.launch, agent: agentBundle() }, {
        stdout: (chunk) => this.receive(decoder, chunk, process),
        stderr: (chunk) => this.receiveStderr(chunk),
      });
    } catch (error) {
      this.helloWaiter = undefined;
      throw error;
    }
    this.helloWaiter!.process = process;
    this.process = process;
    this.backendKind = backend.kind;
    this.backendDescription = `${backend.description}, ${backend.kind === 'docker' ? 'container ' : ''}${process.id}`;
    this.log.info(`[${this.name}] started ${this.backendDescription}`);
    process.exited.then((exit) => this.onExit(process, exit));
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => this.helloWaiter?.reject(new PydockError('start-failed',
      `The agent did not answer within ${timeoutMs / 1000} s of the container starting.`,
      'Check that the image has a working python3 (3.8 or newer).', this.stderrTail)), timeoutMs);
    try {
      await hello;
    } catch (error) {
      await process.kill().catch(() => undefined);
      if (this.process === process) this.process = undefined;
      throw error;
    } finally {
      clearTimeout(timer);
      this.helloWaiter = undefined;
    }
    this.setState([...this.pending.values()].some((p) => !p.background) ? 'busy' : 'idle');
  }

  /** The agent being started, until it says hello. */
  private helloWaiter: { process: AgentProcess | undefined; resolve(): void; reject(error: Error): void } | undefined;

  private async end(state: 'stopped' | 'dead', cause: PydockError): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const current = this.process;
    this.process = undefined;
    this.runningId = undefined;
    this.failAll(cause);
    if (state === 'dead') this.deathCause = cause;
    if (this.currentState !== 'new') this.setState(state);
    if (current) {
      if (state === 'stopped') this.sendRaw(current, { type: 'shutdown', id: 0 });
      await current.kill().catch((error) => this.log.warn(`[${this.name}] removing ${current.id} failed: ${error}`));
    }
  }

  private onExit(process: AgentProcess, exit: AgentExit): void {
    const cause = describeExit(exit, this.stderrTail);
    if (this.helloWaiter?.process === process) {
      this.helloWaiter.reject(cause);
      return;
    }
    if (this.process !== process) return; // an agent we already stopped
    this.log.error(`[${this.name}] ${cause.describe()}`);
    void this.end('dead', cause);
  }

  // ---- running code ------------------------------------------------------------------------------

  /** Runs statements; the outcome carries the value of a trailing expression, as a REPL shows it. */
  exec(code: string, options: RunOptions = {}): Promise<RunOutcome> {
    return this.request({ type: 'exec', code, file: options.file, line: options.line, mode: options.mode }, options);
  }

  eval(expr: string, options: RunOptions = {}): Promise<RunOutcome> {
    return this.request({ type: 'eval', expr, file: options.file, line: options.line, mode: options.mode }, options);
  }

  define(name: string, value: Value, options: RunOptions = {}): Promise<RunOutcome> {
    return this.request({ type: 'define', name, value }, options);
  }

  /** Defines, execs and evals in one round trip, as Haxall's py() sends them. */
  batch(steps: Step[], options: RunOptions = {}): Promise<RunOutcome> {
    return this.request({ type: 'batch', steps, mode: options.mode }, options);
  }

  /** Whether the object behind this ref is still in the running agent (not from an agent that has ended since). */
  owns(ref: ObjectRef): boolean {
    return this.process !== undefined && this.objectRefs.agentOf(ref) === this.process;
  }

  /** Frees the Python objects behind these refs now, rather than when they are garbage-collected. */
  async release(refs: ObjectRef[]): Promise<void> {
    const live = refs.filter((ref) => this.owns(ref));
    for (const ref of refs) this.objectRefs.forget(ref);
    if (live.length) await this.sendRelease(live.map((r) => r.ref));
  }

  /** A release runs in order with other runs, but like an inspection it neither makes the session busy nor is interrupted. */
  private async sendRelease(refs: number[]): Promise<void> {
    await this.send({ type: 'ref.release', refs }, {}, true);
  }

  /**
   * Raises KeyboardInterrupt in the running code and cancels what is queued behind it.
   * 'ignored' means the code did not stop within a second (C code, or SIGINT ignored): offer a restart.
   */
  async interrupt(graceMs = INTERRUPT_GRACE_MS): Promise<'interrupted' | 'idle' | 'ignored'> {
    const process = this.process;
    const waiting = [...this.pending].filter(([, p]) => !p.background).map(([id]) => id);
    if (!process || waiting.length === 0) return 'idle';
    for (const id of waiting.slice(1)) this.sendRaw(process, { type: 'interrupt', id: this.nextId++, target: id });
    this.sendRaw(process, { type: 'interrupt', id: this.nextId++, target: waiting[0] });
    const first = waiting[0];
    const settled = await this.waitUntilSettled(first, graceMs);
    return settled ? 'interrupted' : 'ignored';
  }

  private waitUntilSettled(id: number, timeoutMs: number): Promise<boolean> {
    if (!this.pending.has(id)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const started = Date.now();
      const check = setInterval(() => {
        if (!this.pending.has(id)) { clearInterval(check); resolve(true); }
        else if (Date.now() - started >= timeoutMs) { clearInterval(check); resolve(false); }
      }, 10);
    });
  }

  /**
   * Asks the agent's inspector (variables, tables) without waiting for running code, and without making the
   * session busy. Resolves with the reply value; a Python error rejects.
   */
  async inspect<T>(request: DistributiveOmit<InspectRequest, 'id'>, options: Pick<RunOptions, 'signal' | 'timeoutMs'> = {}): Promise<T> {
    const outcome = await this.send(request, options, true);
    if (!outcome.ok) throw new PydockError('python', `${outcome.error.type}: ${outcome.error.message}`, '', outcome.error.text);
    return outcome.value as T;
  }

  /** Sends any run request (exec, eval, define, batch, call, ref.*) and waits for its outcome, in order with other runs. */
  request(body: DistributiveOmit<RunRequest, 'id'>, options: RunOptions = {}): Promise<RunOutcome> {
    return this.send(body, options, false);
  }

  private async send(body: DistributiveOmit<RunRequest | InspectRequest, 'id'>, options: RunOptions, background: boolean): Promise<RunOutcome> {
    const queuedAt = performance.now();
    if (options.signal?.aborted) throw abortError(options.signal);
    await this.start();
    const process = this.process;
    if (!process) throw this.deathCause ?? new PydockError('stopped', 'The session is not running.');
    const id = this.nextId++;
    let frame: Buffer[];
    try {
      frame = encodeFrame(encode(toWire({ ...body, id }, 'request')));
    } catch (error) {
      if (error instanceof UnmarshallableError) {
        throw new PydockError('unmarshallable', `${namePath(body, error.path)}: ${error.typeName} cannot be sent to Python`,
          'Send numbers, strings, booleans, null, arrays, plain objects, Maps, Uint8Arrays or pydock value types.');
      }
      throw error;
    }
    return new Promise<RunOutcome>((resolve, reject) => {
      const timings: Timings = { queuedAt, sentAt: performance.now(), bytesSent: frame[0].length + frame[1].length, bytesReceived: 0 };
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => this.abandon(id, abortError(options.signal!));
      const pending: Pending = {
        options, background, stdout: [], stderr: [], displays: [], timings, resolve, reject,
        cleanup: () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      };
      this.pending.set(id, pending);
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => void this.onTimeout(id, options.timeoutMs!), options.timeoutMs);
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (!background) this.setState('busy');
      process.write(frame);
    });
  }

  private async onTimeout(id: number, timeoutMs: number): Promise<void> {
    if (!this.pending.has(id)) return;
    this.abandon(id, new PydockError('timeout', `The code did not finish within ${timeoutMs} ms and was interrupted.`,
      'Raise the timeout, or make the code faster.'));
    if (this.runningId === id && !(await this.waitForRunningToChange(id))) {
      this.log.warn(`[${this.name}] request ${id} ignored the interrupt after its timeout; restarting the session`);
      await this.restart();
    }
  }

  /** Rejects one run now and asks the agent to stop or skip it. */
  private abandon(id: number, error: Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.settle(id);
    pending.reject(error);
    if (this.process) this.sendRaw(this.process, { type: 'interrupt', id: this.nextId++, target: id });
  }

  private waitForRunningToChange(id: number): Promise<boolean> {
    return new Promise((resolve) => {
      const started = Date.now();
      const check = setInterval(() => {
        if (this.runningId !== id) { clearInterval(check); resolve(true); }
        else if (Date.now() - started >= INTERRUPT_GRACE_MS) { clearInterval(check); resolve(false); }
      }, 10);
    });
  }

  private sendRaw(process: AgentProcess, request: object): void {
    process.write(encodeFrame(encode(request)));
  }

  // ---- receiving events --------------------------------------------------------------------------

  private receive(decoder: FrameDecoder, chunk: Buffer, process: AgentProcess | undefined): void {
    try {
      for (const frame of decoder.push(chunk)) {
        const { message: event, objectRefs } = decodeWithObjectRefs(frame);
        if (!isAgentEvent(event)) {
          this.log.warn(`[${this.name}] ignored a message the agent sent that this version does not know: ${JSON.stringify(event)?.slice(0, 200)}`);
          continue;
        }
        if (objectRefs.length && process) this.objectRefs.track(objectRefs, process);
        this.dispatch(event, frame.length);
      }
    } catch (error) {
      const cause = new PydockError('protocol', `The agent's messages could not be read: ${(error as Error).message}.`,
        'This is a bug in pydock; the session will restart on the next run. Please report it with the log (pydock: Show Log).');
      this.log.error(`[${this.name}] ${cause.message}`);
      const starting = this.helloWaiter;
      if (starting && starting.process === process) starting.reject(cause);
      else if (process && this.process === process) void this.end('dead', cause);
    }
  }

  private dispatch(event: AgentEvent, bytes: number): void {
    switch (event.type) {
      case 'hello':
        if (event.agent !== AGENT_PROTOCOL_VERSION) {
          this.helloWaiter?.reject(new PydockError('protocol', `The agent speaks protocol ${event.agent}; this pydock speaks ${AGENT_PROTOCOL_VERSION}.`));
          return;
        }
        this.info = { python: event.python, agent: event.agent, pid: event.pid, cwd: event.cwd, modules: event.modules };
        this.helloWaiter?.resolve();
        return;
      case 'status': {
        if (event.id === null) return;
        if (event.state === 'busy') {
          this.runningId = event.id;
          const pending = this.pending.get(event.id);
          if (pending) {
            pending.timings.startedAt = performance.now();
            pending.options.onStart?.();
          }
        } else if (this.runningId === event.id) {
          this.runningId = undefined;
        }
        return;
      }
      case 'stream': {
        const pending = event.id === null ? undefined : this.pending.get(event.id);
        if (pending) {
          pending.timings.bytesReceived += bytes;
          if (pending.options.onStream) pending.options.onStream(event.name, event.text);
          else pending[event.name].push(event.text);
        }
        this.outputEmitter.fire({ id: event.id, name: event.name, text: event.text });
        return;
      }
      case 'display': {
        const pending = event.id === null ? undefined : this.pending.get(event.id);
        const display: DisplayData = { mime: event.mime, data: event.data };
        if (pending?.options.onDisplay) pending.options.onDisplay(display);
        else pending?.displays.push(display);
        if (pending) pending.timings.bytesReceived += bytes;
        return;
      }
      case 'result':
      case 'error': {
        if (event.id === null) {
          this.log.warn(`[${this.name}] agent error outside any request: ${event.type === 'error' ? event.error.message : ''}`);
          return;
        }
        const pending = this.pending.get(event.id);
        if (!pending) return; // abandoned after a timeout or an abort
        this.settle(event.id);
        const timings = { ...pending.timings, finishedAt: performance.now(), durationMs: event.durationMs, bytesReceived: pending.timings.bytesReceived + bytes };
        const base = { id: event.id, stdout: pending.stdout.join(''), stderr: pending.stderr.join(''), displays: pending.displays, timings };
        pending.resolve(event.type === 'result'
          ? {
            ...base, ok: true, pyType: event.pyType, repr: event.repr, value: event.value,
            ...(event.table ? { table: event.table } : {}), ...(event.display ? { display: event.display } : {}),
          }
          : { ...base, ok: false, error: event.error });
        return;
      }
      default: {
        const unknown: never = event;
        this.log.warn(`[${this.name}] unhandled event ${JSON.stringify(unknown)}`);
      }
    }
  }

  private receiveStderr(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
    this.log.warn(`[${this.name}] agent stderr: ${text.trimEnd()}`);
  }

  private settle(id: number): void {
    this.pending.get(id)?.cleanup();
    this.pending.delete(id);
    if (this.currentState === 'busy' && ![...this.pending.values()].some((p) => !p.background)) this.setState('idle');
  }

  private failAll(cause: PydockError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    this.helloWaiter?.reject(cause);
    for (const pending of all) {
      pending.cleanup();
      pending.reject(cause);
    }
  }

  private setState(state: SessionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.stateEmitter.fire(state);
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** Where an unsendable value sits, from the user's side: `x.rows[1]` for define('x', …), `args[0]` for a call. */
function namePath(body: DistributiveOmit<RunRequest | InspectRequest, 'id'>, path: string): string {
  const step = /^request\.steps\[(\d+)\]\.value/.exec(path);
  if (step && body.type === 'batch') return `${(body.steps[Number(step[1])] as { name: string }).name}${path.slice(step[0].length)}`;
  if (body.type === 'define') return path.replace(/^request\.value/, body.name);
  return path.replace(/^request\./, '');
}

/** The user-facing reason an agent ended. */
export function describeExit(exit: AgentExit, stderr: string): PydockError {
  if (exit.removed) {
    return new PydockError('removed', 'The session container was removed from outside pydock (docker rm, or a cleanup job).',
      'The next run starts a fresh session.');
  }
  if (exit.oomKilled) {
    const limit = exit.memoryBytes ? `the limit is ${formatByteSize(exit.memoryBytes)}` : 'no limit was set';
    return new PydockError('oom', `Python ran out of memory (${limit}) and was killed.`,
      'Raise pydock.memory, or work on less data at once. The next run starts a fresh session.');
  }
  if (exit.code === 127 && /exec|not found|No such file/i.test(stderr)) {
    return new PydockError('no-python', 'The image has no python3 on its PATH.',
      'Use an image with Python 3.8 or newer (for example python:3.12-slim) in pydock.image.', stderr);
  }
  if (exit.code === 78) {
    return new PydockError('no-python', 'The image\'s Python is too old for pydock.', 'Use Python 3.8 or newer.', stderr);
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : exit.code === 137 ? 'was killed (SIGKILL)' : `exited with code ${exit.code}`;
  return new PydockError('exited', `The Python process ${how}.`, 'The next run starts a fresh session.', stderr);
}

function asPydockError(error: unknown): PydockError {
  return error instanceof PydockError ? error : new PydockError('start-failed', `The session could not start: ${(error as Error)?.message ?? error}.`);
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The run was cancelled.', 'AbortError');
}
