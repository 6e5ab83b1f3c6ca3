// A Python session: owns one agent process, its protocol stream, every request in flight, and its lifecycle.
import { agentBundle } from '../launch/agentBundle';
import { AgentEvents, PROTOCOL_HINT } from './agentEvents';
import type { AgentLink } from './agentLink';
import { AgentStarter } from './agentStarter';
import type { AgentProcess, Backend, LaunchSpec, WorkspaceSync } from '../launch/backend';
import { replyProblem } from '../wire/conformance';
import { Emitter } from '../emitter';
import { PydockError } from '../errors';
import { DEFAULT_GRACE_MS, DEFAULT_HEARTBEAT_MS } from './lease';
import { silentLogger, type Logger } from '../log';
import { ObjectRefTracker } from './objectRefs';
import { PendingRuns } from './pendingRuns';
import type { AgentInfo, DapEvent, InspectBody, InspectReplies, RunRequest, Step } from '../../../shared/agentProtocol';
import { requestFrame, type RequestBody } from '../wire/requestFrame';
import type {
  DistributiveOmit, LifecycleEvent, OutputEvent, ResumePoint, RunOptions, RunOutcome, SessionOptions, SessionState, Timings,
} from './sessionTypes';
import { RunControl, writeControl } from './runControl';
import { Supervisor } from './supervisor';
import type { ObjectRef, Value } from '../../../shared/values';

export type {
  DroppedOutput, LifecycleEvent, OutputEvent, ResumePoint, RunFailure, RunOptions, RunOutcome, RunSuccess, SessionOptions, SessionState, Timings,
} from './sessionTypes';

const STDERR_TAIL_BYTES = 64 * 1024;

export class Session {
  private readonly stateEmitter = new Emitter<SessionState>((error) => this.listenerFailed('state', error));
  private readonly outputEmitter = new Emitter<OutputEvent>((error) => this.listenerFailed('output', error));
  private readonly lifecycleEmitter = new Emitter<LifecycleEvent>((error) => this.listenerFailed('lifecycle', error));
  private readonly dapEmitter = new Emitter<DapEvent>((error) => this.listenerFailed('debugger', error));
  /** Fires on every state change. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires for all output, including output written when nothing runs (threads, subprocesses) and replayed output. */
  readonly onDidOutput = this.outputEmitter.event;
  /** Fires when the session reattaches, restarts by itself, stops when idle, or its init code fails. */
  readonly onDidLifecycle = this.lifecycleEmitter.event;
  /** Bytes from the agent's debugger, for the debug channel (debug/debugChannel.ts). */
  readonly onDidDap = this.dapEmitter.event;

  private currentState: SessionState = 'new';
  private process: AgentProcess | undefined;
  private link: AgentLink | undefined;
  private starting: Promise<void> | undefined;
  private readonly runs = new PendingRuns();
  private nextId = 1;
  private detachedFrom: ResumePoint | undefined;
  /** Only a session's first start, or one after detach(), looks for an agent to reattach: a restart means a fresh one. */
  private mayReattach = true;
  /** Why the connection to the last agent was lost, until the next start reattaches to it (or cannot). */
  private lostWith: PydockError | undefined;
  private stderrTail = '';
  private backendDescription = '';
  /** The backend of the running (or last) agent, once one has started. */
  backendKind: Backend['kind'] | undefined;
  private readonly log: Logger;
  /** Frees the objects behind ObjectRefs from this agent once they are garbage, unless it has ended since. */
  private readonly objectRefs = new ObjectRefTracker((refs, agent) => {
    if (agent === this.process) this.sendRelease(refs).catch(() => undefined);
  });
  private readonly starter: AgentStarter;
  private readonly supervisor: Supervisor;
  private readonly events: AgentEvents;
  private readonly control: RunControl;
  /** Why the session died, when it did. */
  deathCause: PydockError | undefined;

  constructor(private readonly options: SessionOptions) {
    const log = this.log = options.log ?? silentLogger;
    const name = options.name;
    this.starter = new AgentStarter({
      name, log, graceMs: options.graceMs ?? DEFAULT_GRACE_MS, heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      adopt: (link) => { this.link = link; },
      opened: (process) => { this.process = process; },
      failed: (link) => { if (this.link === link) this.process = this.link = undefined; },
      event: (link, event, bytes, replayed, objectRefs) => {
        if (this.link !== link) return; // a late chunk from an agent this session has let go of
        if (objectRefs.length && link.process) this.objectRefs.track(objectRefs, link.process);
        this.events.dispatch(event, bytes, replayed, link.process?.id ?? '');
      },
      malformed: (link, message, problem) => { if (this.link === link) this.events.malformed(message, problem); },
      died: (process, cause) => this.die(process, cause),
      receiveStderr: (chunk) => this.receiveStderr(chunk),
      stderrTail: () => this.stderrTail,
      nextRequestId: () => this.nextId++,
    });
    this.supervisor = new Supervisor({
      name, log,
      state: () => this.currentState,
      restartAgent: () => this.startAgent(false),
      stopIdle: (reason) => this.end('stopped', new PydockError('stopped', reason)),
      fire: (event) => this.lifecycleEmitter.fire(event),
    }, options);
    this.control = new RunControl({
      name, log, runs: this.runs,
      process: () => this.process,
      nextRequestId: () => this.nextId++,
      settled: () => this.updateBusy(),
      restart: () => this.restart(),
    });
    this.events = new AgentEvents({
      name, log, runs: this.runs,
      output: (event) => this.outputEmitter.fire(event),
      lifecycle: (event) => this.lifecycleEmitter.fire(event),
      settled: () => this.updateBusy(),
      idsUsed: (lastId) => { this.nextId = Math.max(this.nextId, lastId + 1); },
      abandon: (id, cause) => this.control.abandon(id, cause),
      dap: (event) => this.dapEmitter.fire(event),
    });
  }

  get state(): SessionState {
    return this.currentState;
  }

  /** What the agent said of itself (Python version, modules), once it has started. */
  get info(): AgentInfo | undefined {
    return this.events.info;
  }

  get name(): string {
    return this.options.name;
  }

  /** The container image, once a Docker or Kubernetes session has started. */
  get image(): string | undefined {
    return this.backendKind === 'docker' || this.backendKind === 'kubernetes' ? this.options.launch.image : undefined;
  }

  /** The running agent's copied-in workspace (remote Docker hosts), whose changes syncBack() brings to the host. */
  get workspaceCopy(): WorkspaceSync | undefined {
    return this.process?.workspaceCopy;
  }

  /** e.g. "docker unix:///var/run/docker.sock, container 1a2b3c4d5e6f"; empty before the first start. */
  get description(): string {
    return this.backendDescription;
  }

  /** How far this engine read its agent's events: persist it across a window reload and pass it back as `resumeFrom`. */
  get resumePoint(): ResumePoint | undefined {
    return this.process && this.link ? { agent: this.process.id, lastSeq: this.link.lastSeq } : this.detachedFrom;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Starts the agent if it is not running. A dead or stopped session starts afresh (or reattaches, with `reattach`). */
  start(): Promise<void> {
    return this.startAgent(true);
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

  /**
   * What a window reload does: ends this engine's connection and leaves the agent running with its namespace, for a
   * start with `reattach` (in this or a new extension host) to attach to again. Pending runs reject; their output is
   * kept by the agent and replayed. Backends that cannot reattach (the local one) stop instead.
   */
  async detach(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    if (!this.process?.detach) return this.stop();
    await this.end('stopped', new PydockError('detached', 'The session was detached: its Python process keeps running for the next window.'), 'detach');
  }

  /** Has the warm pool start an agent for this session's spec, so even its first start is a handover; true once ready. */
  async prewarm(): Promise<boolean> {
    const pool = this.options.warmPool;
    if (!pool) return false;
    const backend = await this.options.backend();
    const spec: LaunchSpec = { ...this.options.launch, agent: agentBundle() };
    pool.fill(backend, spec);
    return pool.ready(backend, spec);
  }

  dispose(): Promise<void> {
    this.supervisor.dispose();
    const stopped = this.stop();
    this.stateEmitter.dispose();
    this.outputEmitter.dispose();
    this.lifecycleEmitter.dispose();
    this.dapEmitter.dispose();
    return stopped;
  }

  private startAgent(byUser: boolean): Promise<void> {
    if (this.starting) return this.starting;
    if (this.process && (this.currentState === 'idle' || this.currentState === 'busy')) return Promise.resolve();
    if (byUser) this.supervisor.userStarted();
    this.deathCause = undefined;
    this.setState('starting');
    const started = this.launch();
    this.starting = started;
    started.then(
      () => { this.starting = undefined; },
      (error: unknown) => {
        this.starting = undefined;
        this.deathCause = error instanceof PydockError ? error
          : new PydockError('start-failed', `The session could not start: ${(error as Error)?.message ?? error}.`);
        this.setState('dead');
      },
    );
    return started;
  }

  private async launch(): Promise<void> {
    const backend = await this.options.backend();
    this.stderrTail = '';
    const lost = this.lostWith;
    this.events.reset(lost ? 'connection-lost' : 'reload');
    const how = await this.starter.start({
      backend, spec: { ...this.options.launch, agent: agentBundle() }, reattach: this.mayReattach && (!!this.options.reattach || !!lost),
      resumeFrom: this.detachedFrom ?? this.options.resumeFrom, warmPool: this.options.warmPool,
      startTimeoutMs: this.options.startTimeoutMs ?? 60_000,
    });
    this.mayReattach = false;
    this.lostWith = undefined;
    if (lost && how === 'fresh') this.lifecycleEmitter.fire({ kind: 'fresh-after-loss', cause: lost });
    this.backendKind = backend.kind;
    this.backendDescription = `${backend.description}, ${backend.kind === 'docker' ? 'container ' : ''}${this.process!.id}`;
    this.log.info(`[${this.name}] ${how === 'reattached' ? 'reattached' : 'started'} ${this.backendDescription}`);
    this.link!.keepAlive();
    if (how === 'fresh' && this.options.init) await this.runInit(this.options.init);
    this.setState(this.runs.isBusy() ? 'busy' : 'idle');
  }

  private async runInit(code: string): Promise<void> {
    const outcome = await this.sendTo(this.process!, { type: 'exec', code, file: '<pydock init>', line: 1 }, {}, true);
    if (outcome.ok) return;
    this.log.warn(`[${this.name}] the init code raised: ${outcome.error.text}`);
    this.lifecycleEmitter.fire({ kind: 'init-failed', error: outcome.error });
  }

  /** `lost`: the connection is gone but the agent may not be; it is neither removed nor told anything. */
  private async end(state: 'stopped' | 'dead', cause: PydockError, how: 'kill' | 'detach' | 'lost' = 'kill'): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const current = this.process;
    if (how !== 'kill') {
      this.detachedFrom = this.resumePoint;
      this.mayReattach = true;
    }
    if (how === 'lost') this.lostWith = cause;
    this.link?.close(how === 'detach');
    this.process = this.link = undefined;
    this.runs.rejectAll(cause);
    if (state === 'dead') this.deathCause = cause;
    if (this.currentState !== 'new') this.setState(state);
    if (!current || how === 'lost') return;
    if (state === 'stopped' && how === 'kill') writeControl(current, { type: 'shutdown', id: 0 });
    await (how === 'detach' ? current.detach!() : current.kill())
      .catch((error) => this.log.warn(`[${this.name}] ${how === 'detach' ? 'detaching from' : 'removing'} ${current.id} failed: ${error}`));
  }

  /** The agent ended or its stream broke after its hello: everything pending fails at once, a start waiting on init too. */
  private die(process: AgentProcess | undefined, cause: PydockError): void {
    if (!process || this.process !== process) return; // an agent we already let go of
    this.log.error(`[${this.name}] ${cause.describe()}`);
    this.runs.rejectAll(cause);
    void this.end('dead', cause, cause.code === 'connection-lost' ? 'lost' : 'kill').then(() => this.supervisor.died(cause));
  }

  // ---- running code ------------------------------------------------------------------------------

  /** Runs statements; the outcome carries the value of a trailing expression, as a REPL shows it. */
  exec(code: string, options: RunOptions = {}): Promise<RunOutcome> {
    return this.request({ type: 'exec', code, file: options.file, line: options.line, mode: options.mode, numbers: options.numbers }, options);
  }

  eval(expr: string, options: RunOptions = {}): Promise<RunOutcome> {
    return this.request({ type: 'eval', expr, file: options.file, line: options.line, mode: options.mode, numbers: options.numbers }, options);
  }

  define(name: string, value: Value, options: RunOptions = {}): Promise<RunOutcome> {
    return this.request({ type: 'define', name, value }, options);
  }

  /** Defines, execs and evals in one round trip, as Haxall's py() sends them. */
  batch(steps: Step[], options: RunOptions = {}): Promise<RunOutcome> {
    return this.request({ type: 'batch', steps, mode: options.mode, numbers: options.numbers }, options);
  }

  /** Starts debugpy in the agent (once) and connects to it: in order with runs, without making the session busy. */
  openDebugger(options: RunOptions = {}): Promise<RunOutcome> {
    return this.send({ type: 'dap.open' }, options, true);
  }

  /** DAP bytes for the agent's debugger, or (without data) the end of its connection: at once, beside runs. */
  writeDebugger(data?: Uint8Array): void {
    if (!this.process) throw this.deathCause ?? new PydockError('stopped', 'The session is not running.');
    writeControl(this.process, data ? { type: 'dap', data } : { type: 'dap.close' });
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
   * Raises KeyboardInterrupt in the running code (a run an earlier window sent, too) and cancels what is queued behind it.
   * 'ignored' means the code did not stop within a second (C code, or SIGINT ignored): offer a restart.
   */
  interrupt(graceMs?: number): Promise<'interrupted' | 'idle' | 'ignored'> {
    return this.control.interrupt(graceMs);
  }

  /**
   * Asks the agent's inspector (variables, tables) without waiting for running code, and without making the
   * session busy. Resolves with the reply value; a Python error rejects.
   */
  async inspect<R extends InspectBody>(request: R, options: Pick<RunOptions, 'signal' | 'timeoutMs'> = {}): Promise<InspectReplies[R['type']]> {
    const outcome = await this.send(request, options, true);
    if (!outcome.ok) throw new PydockError('python', `${outcome.error.type}: ${outcome.error.message}`, '', outcome.error.text);
    const problem = replyProblem(request.type, outcome.value);
    if (problem) throw new PydockError('protocol', `The agent's reply to ${request.type} was malformed: ${problem}.`, `${PROTOCOL_HINT}.`);
    return outcome.value as InspectReplies[R['type']];
  }

  /** Sends any run request (exec, eval, define, batch, call, ref.*) and waits for its outcome, in order with other runs. */
  request(body: DistributiveOmit<RunRequest, 'id'>, options: RunOptions = {}): Promise<RunOutcome> {
    return this.send(body, options, false);
  }

  private async send(body: RequestBody, options: RunOptions, background: boolean): Promise<RunOutcome> {
    const queuedAt = performance.now();
    if (options.signal?.aborted) throw abortError(options.signal);
    await this.control.recovering;
    await this.start();
    const process = this.process;
    if (!process) throw this.deathCause ?? new PydockError('stopped', 'The session is not running.');
    return this.sendTo(process, body, options, background, queuedAt);
  }

  private sendTo(process: AgentProcess, body: RequestBody, options: RunOptions, background: boolean, queuedAt = performance.now()): Promise<RunOutcome> {
    const id = this.nextId++;
    const frame = requestFrame(body, id);
    const timings: Timings = { queuedAt, sentAt: performance.now(), bytesSent: frame[0].length + frame[1].length, bytesReceived: 0 };
    const outcome = this.runs.add(id, options, background, timings, {
      timeout: () => void this.control.timedOut(id, options.timeoutMs!),
      abort: () => this.control.abandon(id, abortError(options.signal!)),
    });
    if (!background) this.setState('busy');
    process.write(frame);
    options.onSent?.(id);
    return outcome;
  }

  // ---- receiving events --------------------------------------------------------------------------

  private receiveStderr(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
    this.log.warn(`[${this.name}] agent stderr: ${text.trimEnd()}`);
  }

  private listenerFailed(event: string, error: unknown): void {
    this.log.error(`[${this.name}] a listener of the session's ${event} events threw (the session goes on): ${(error as Error)?.stack ?? error}`);
  }

  private updateBusy(): void {
    if (this.currentState === 'busy' && !this.runs.isBusy()) this.setState('idle');
  }

  private setState(state: SessionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.supervisor.stateChanged(state);
    this.stateEmitter.fire(state);
  }
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The run was cancelled.', 'AbortError');
}
