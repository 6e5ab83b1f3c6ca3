// One connection to an agent: events in (with the resync a reattach needs) by sequence number, acks and heartbeats out.
import type { AgentProcess } from '../launch/backend';
import { decodeWithObjectRefs } from '../wire/codec';
import { PydockError } from '../errors';
import { randomBytes } from 'node:crypto';
import { FrameDecoder, FrameError } from '../wire/framing';
import { ackFrame, keepAlive, pingFrame } from './lease';
import { eventProblem } from '../wire/conformance';
import { AGENT_PROTOCOL_VERSION, type AgentEvent, type HelloEvent, type SessionEvent } from '../../../shared/agentProtocol';
import type { ObjectRef } from '../../../shared/values';

/** Acks leave at most this often while events arrive, from a timer: never on a run's round trip. */
const ACK_DELAY_MS = 200;
/** ...or at once after this many unacknowledged bytes, so the agent's replay buffer (64 MiB) stays small while attached. */
const ACK_BYTES = 8 << 20;
const EMPTY = Buffer.alloc(0);

export interface LinkListener {
  /** `replayed`: the agent kept the event while no window was attached, and sends it again after a reattach. */
  event(event: SessionEvent, bytes: number, replayed: boolean, objectRefs: ObjectRef[]): void;
  /** A frame that is not a well-formed event (`message` undefined when it could not even be decoded). */
  malformed(message: unknown, problem: string): void;
  /** The stream cannot be read any more: out of step again and again, or a bug in reading it. */
  broken(error: Error): void;
  /** The stream is out of step: ask the agent for a hello after this marker, with the events after lastSeq. */
  outOfStep(sync: Buffer, lastSeq: number, error: Error): void;
  /** The agent answered that: the stream is in step again, and `hello.replay` says what it sent again. */
  inStep(hello: HelloEvent): void;
}

/** More than this many times out of step within RESYNC_WINDOW_MS, and the stream is taken for broken. */
const MAX_RESYNCS = 3;
const RESYNC_WINDOW_MS = 60_000;

export class AgentLink {
  /** Set once the backend hands the process over; its first bytes may arrive before that. */
  process: AgentProcess | undefined;
  /** The agent's first hello (after the sync marker, if any); rejects when it speaks another protocol, or with refuse(). */
  readonly hello: Promise<HelloEvent>;
  greeted = false;
  private answered!: { resolve(hello: HelloEvent): void; reject(error: Error): void };
  /** The seq of the last event received, hellos aside: acknowledged to the agent, and where a reattach resumes. */
  lastSeq = 0;
  private decoder = new FrameDecoder();
  /** When the stream was last found out of step. */
  private resyncs: number[] = [];
  /** Events with a lower seq than the hello are replays. */
  private helloSeq = 0;
  private ackedSeq = 0;
  private unackedBytes = 0;
  private ackTimer: NodeJS.Timeout | undefined;
  private stopHeartbeat: (() => void) | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** When bytes last came, and when a ping went out that nothing has come after. */
  private lastHeard = performance.now();
  private pingedAt: number | undefined;
  private probing = false;
  /** While set: the marker the agent writes just before the hello a reattach asked for. Bytes before it are skipped. */
  private sync: Buffer | undefined;
  private skipped = EMPTY;

  constructor(private readonly listener: LinkListener, private readonly graceMs: number, private readonly heartbeatMs: number, sync?: Buffer) {
    this.sync = sync;
    this.hello = new Promise((resolve, reject) => { this.answered = { resolve, reject }; });
    this.hello.catch(() => undefined); // the starter awaits it; an earlier failure must not count as unhandled
  }

  /** The hello will not come: the agent ended, its stream broke, or it took too long. */
  refuse(error: Error): void {
    this.answered.reject(error);
  }

  /** A reattach: the agent replays the events after seq, which an earlier link already received. */
  resumeAfter(seq: number): void {
    this.lastSeq = this.ackedSeq = seq;
  }

  receive(chunk: Buffer): void {
    this.lastHeard = performance.now();
    this.pingedAt = undefined;
    const bytes = this.sync ? this.afterSync(chunk) : chunk;
    if (!bytes) return;
    try {
      for (const frame of this.decoder.push(bytes)) {
        let decoded: ReturnType<typeof decodeWithObjectRefs>;
        try {
          decoded = decodeWithObjectRefs(frame);
        } catch (error) {
          this.listener.malformed(undefined, `it could not be decoded (${(error as Error).message})`);
          continue;
        }
        const problem = eventProblem(decoded.message);
        if (problem) {
          this.listener.malformed(decoded.message, problem);
          continue;
        }
        const message = decoded.message as AgentEvent;
        if (message.type === 'pong') continue;
        if (message.type === 'hello' && this.greeted) {
          this.listener.inStep(message);
          continue;
        }
        const replayed = message.type !== 'hello' && message.seq < this.helloSeq;
        if (message.type === 'hello') this.greet(message);
        else this.received(message.seq, frame.length);
        this.listener.event(message, frame.length, replayed, decoded.objectRefs);
      }
    } catch (error) {
      if (!(error instanceof FrameError) || !this.resync(error)) this.listener.broken(error as Error);
    }
  }

  /**
   * Bytes out of step (a header where none is): skip to a fresh marker the agent writes before a hello, and have it
   * send again what came after the last event read. Nothing is lost; false when it keeps happening.
   */
  private resync(error: FrameError): boolean {
    const now = Date.now();
    this.resyncs = [...this.resyncs.filter((at) => now - at < RESYNC_WINDOW_MS), now];
    if (!this.greeted || !this.process || this.resyncs.length > MAX_RESYNCS) return false;
    this.decoder = new FrameDecoder();
    this.sync = randomBytes(16);
    this.skipped = EMPTY;
    this.listener.outOfStep(this.sync, this.lastSeq, error);
    return true;
  }

  /**
   * After the hello: heartbeats begin, and tell the agent how long it may go unheard. A stream quiet for heartbeatMs
   * gets a ping; quiet as long again, the backend looks at the agent (a half-open link or a daemon gone shows there).
   */
  keepAlive(): void {
    this.stopHeartbeat = keepAlive((frame) => this.process?.write(frame), () => (this.ackedSeq = this.lastSeq), this.graceMs);
    this.watchdog = setInterval(() => this.checkHeard(), this.heartbeatMs / 2);
    this.watchdog.unref();
  }

  /** No more writes; with `flush`, a last ack first, so a later reattach replays only what this link did not see. */
  close(flush: boolean): void {
    this.stopHeartbeat?.();
    clearInterval(this.watchdog);
    if (flush) this.ack();
    clearTimeout(this.ackTimer);
    this.process = undefined;
  }

  private checkHeard(): void {
    const process = this.process;
    if (!process || this.probing) return;
    const now = performance.now();
    if (this.pingedAt === undefined) {
      if (now - this.lastHeard < this.heartbeatMs) return;
      this.pingedAt = now;
      process.write(pingFrame());
    } else if (now - this.pingedAt >= this.heartbeatMs && process.probe) {
      this.probing = true; // an agent that holds the GIL in C code answers no ping, yet is there: the backend tells
      void process.probe().finally(() => { this.probing = false; this.pingedAt = undefined; });
    }
  }

  private greet(hello: HelloEvent): void {
    this.helloSeq = hello.seq;
    if (this.greeted) return;
    if (hello.agent !== AGENT_PROTOCOL_VERSION) {
      this.refuse(new PydockError('protocol', `The agent speaks protocol ${hello.agent}; this pydock speaks ${AGENT_PROTOCOL_VERSION}.`));
      return;
    }
    this.greeted = true;
    this.answered.resolve(hello);
  }

  private received(seq: number, bytes: number): void {
    this.lastSeq = seq;
    this.unackedBytes += bytes;
    if (this.unackedBytes >= ACK_BYTES) {
      this.ack();
    } else if (!this.ackTimer) {
      this.ackTimer = setTimeout(() => this.ack(), ACK_DELAY_MS);
      this.ackTimer.unref();
    }
  }

  private ack(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.unackedBytes = 0;
    if (!this.process || this.lastSeq === this.ackedSeq) return;
    this.ackedSeq = this.lastSeq;
    this.process.write(ackFrame(this.lastSeq, this.graceMs));
  }

  /** The bytes after the sync marker, once it has arrived; the stream before it may start in the middle of a frame. */
  private afterSync(chunk: Buffer): Buffer | undefined {
    const sync = this.sync!;
    const seen = Buffer.concat([this.skipped, chunk]);
    const at = seen.indexOf(sync);
    if (at < 0) {
      this.skipped = Buffer.from(seen.subarray(Math.max(0, seen.length - sync.length + 1)));
      return undefined;
    }
    this.sync = undefined;
    this.skipped = EMPTY;
    return seen.subarray(at + sync.length);
  }
}
