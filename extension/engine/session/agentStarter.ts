// Brings up a session's agent: one a window that is gone left running (reattach), a warm one from the pool, or a new
// launch. The agent is the session's as soon as it is open (its first events may come at once) and up once it says
// hello; one that fails or is stuck before that is removed.
import { randomBytes } from 'node:crypto';
import { AgentLink } from './agentLink';
import type { AgentProcess, AgentSinks, Backend, LaunchSpec } from '../launch/backend';
import { encode } from '../wire/codec';
import { PydockError } from '../errors';
import { describeExit } from './exitCause';
import { encodeFrame } from '../wire/framing';
import { describeLaunch } from '../launch/launchProgress';
import type { Logger } from '../log';
import type { HelloRequest, SessionEvent } from '../../../shared/agentProtocol';
import type { ResumePoint } from './sessionTypes';
import type { ObjectRef } from '../../../shared/values';
import type { WarmPool } from './warmPool';

/** A reattached agent answers hello from its reader thread whatever it runs: one that takes longer is stuck. */
const REATTACH_HELLO_MS = 5000;

/** What the starter needs of its session. */
export interface StartingSession {
  readonly name: string;
  readonly log: Logger;
  /** How long the agent may go without hearing from the session (its heartbeats say so). */
  readonly graceMs: number;
  /** How long the agent's stream may be quiet before it is pinged, and the backend asked after as long again. */
  readonly heartbeatMs: number;
  /** The link is the session's from now on: its events count (an agent may speak before it is fully open). */
  adopt(link: AgentLink): void;
  /** The link's agent is open: requests can go to it. */
  opened(process: AgentProcess): void;
  /** The link's agent never came up: the session lets go of it. */
  failed(link: AgentLink): void;
  /** An event on the session's link, `replayed` when the agent kept it while no window was attached. */
  event(link: AgentLink, event: SessionEvent, bytes: number, replayed: boolean, objectRefs: ObjectRef[]): void;
  /** A frame on the session's link that is not a well-formed event. */
  malformed(link: AgentLink, message: unknown, problem: string): void;
  /** The agent ended, or its stream broke, after its hello. */
  died(process: AgentProcess | undefined, cause: PydockError): void;
  receiveStderr(chunk: Buffer): void;
  stderrTail(): string;
  nextRequestId(): number;
}

export interface StartOptions {
  backend: Backend;
  spec: LaunchSpec;
  /** Look for an agent to reattach before starting one. */
  reattach: boolean;
  resumeFrom?: ResumePoint;
  warmPool?: WarmPool;
  startTimeoutMs: number;
}

export class AgentStarter {
  constructor(private readonly session: StartingSession) {}

  /** 'fresh' for a new agent (whose init code is still to run), 'reattached' for one with its namespace. */
  async start(options: StartOptions): Promise<'fresh' | 'reattached'> {
    if (options.reattach && await this.reattach(options)) return 'reattached';
    await this.launch(options);
    return 'fresh';
  }

  /** A warm agent from the pool, or a new one; then the pool refills for the next start. */
  private async launch({ backend, spec, warmPool, startTimeoutMs }: StartOptions): Promise<void> {
    this.session.log.info(`[${this.session.name}] starting: ${describeLaunch(spec)}`);
    await this.connect(this.newLink(), (sinks) => Promise.resolve(warmPool?.take(backend, spec, sinks) ?? backend.launch(spec, sinks)),
      startTimeoutMs, () => new PydockError('start-failed', `The agent did not answer within ${startTimeoutMs / 1000} s of the container starting.`,
        'Check that the image has a working python3 (3.8 or newer).', this.session.stderrTail()));
    warmPool?.fill(backend, spec);
  }

  /** False when no agent is left to reattach, or the one found is stuck (it is removed, and a fresh one starts). */
  private async reattach({ backend, spec, resumeFrom }: StartOptions): Promise<boolean> {
    if (!backend.reattach) return false;
    const sync = randomBytes(16);
    const link = this.newLink(sync);
    try {
      return await this.connect(link, (sinks) => backend.reattach!(spec, sinks), REATTACH_HELLO_MS,
        () => new PydockError('start-failed', `The running agent did not answer within ${REATTACH_HELLO_MS / 1000} s.`),
        (process) => {
          link.resumeAfter(resumeFrom?.agent === process.id ? resumeFrom.lastSeq : 0);
          return { type: 'hello', id: this.session.nextRequestId(), lastSeq: link.lastSeq, sync };
        });
    } catch (error) {
      this.session.log.warn(`[${this.session.name}] could not reattach (${(error as Error).message}); starting a fresh agent`);
      return false;
    }
  }

  private newLink(sync?: Buffer): AgentLink {
    const link: AgentLink = new AgentLink({
      event: (event, bytes, replayed, objectRefs) => this.session.event(link, event, bytes, replayed, objectRefs),
      malformed: (message, problem) => this.session.malformed(link, message, problem),
      outOfStep: (sync, lastSeq, error) => {
        this.session.log.warn(`[${this.session.name}] the agent's stream was out of step (${error.message}); asking it to resend from event ${lastSeq}`);
        link.process?.write(encodeFrame(encode({ type: 'hello', id: this.session.nextRequestId(), lastSeq, sync } satisfies HelloRequest)));
      },
      inStep: ({ replay }) => this.session.log.info(`[${this.session.name}] the agent's stream is in step again: ${replay?.events ?? 0} events sent again`
        + (replay?.droppedEvents ? `; ${replay.droppedEvents} were past the agent's bound and are lost` : '')),
      broken: (error) => {
        const cause = new PydockError('protocol', `The agent's messages could not be read: ${error.message}.`,
          'This is a bug in pydock; the session will restart on the next run. Please report it with the log (pydock: Show Log).');
        this.session.log.error(`[${this.session.name}] ${cause.message}`);
        this.ended(link, link.process, cause);
      },
    }, this.session.graceMs, this.session.heartbeatMs, sync);
    this.session.adopt(link);
    return link;
  }

  /** Before its hello, an agent that ends fails its start; after, it is the session's death. */
  private ended(link: AgentLink, process: AgentProcess | undefined, cause: PydockError): void {
    if (link.greeted) this.session.died(process, cause);
    else link.refuse(cause);
  }

  /** Opens an agent through `open` and waits for its hello (asked with `helloRequest` of one that is already running). */
  private async connect(link: AgentLink, open: (sinks: AgentSinks) => Promise<AgentProcess | undefined>, timeoutMs: number,
    timeoutError: () => PydockError, helloRequest?: (process: AgentProcess) => HelloRequest): Promise<boolean> {
    let process: AgentProcess | undefined;
    try {
      process = await open({ stdout: (chunk) => link.receive(chunk), stderr: (chunk) => this.session.receiveStderr(chunk) });
    } finally {
      if (!process) this.session.failed(link);
    }
    if (!process) return false;
    const opened = process;
    link.process = opened;
    this.session.opened(opened);
    void opened.exited.then((exit) => this.ended(link, opened, describeExit(exit, this.session.stderrTail())));
    if (helloRequest) process.write(encodeFrame(encode(helloRequest(process))));
    const timer = setTimeout(() => link.refuse(timeoutError()), timeoutMs);
    try {
      await link.hello;
      return true;
    } catch (error) {
      link.close(false);
      this.session.failed(link);
      await process.kill().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
