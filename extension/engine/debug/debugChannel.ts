// One debug session's connection to debugpy inside a session's agent: opened with dap.open, DAP messages both ways.
import type { Disposable } from '../emitter';
import { PydockError } from '../errors';
import type { Session } from '../session/session';
import { debugpyHint } from './debugpyEnvironment';
import { DapDecoder, encodeDap, type DapMessage } from './dapFraming';

export interface ChannelListener {
  message(message: DapMessage): void;
  /** The connection ended (debugpy died, the session stopped, or it was closed): nothing more comes. */
  closed(reason: string): void;
}

export class DebugChannel {
  private openId: number | undefined;
  private isEnded = false;
  private readonly decoder = new DapDecoder();
  private readonly subscriptions: Disposable[];

  constructor(private readonly session: Session, private readonly listener: ChannelListener) {
    this.subscriptions = [
      session.onDidDap((event) => {
        if (event.id !== null && event.id !== this.openId) return; // bytes of an earlier connection
        if (event.id === null && this.openId === undefined) return;
        this.receive(event.data, event.closed);
      }),
      session.onDidChangeState((state) => {
        if (state === 'dead' || state === 'stopped') this.end(`the Python session ${state === 'dead' ? 'died' : 'was stopped'}`);
      }),
    ];
  }

  /** Starts debugpy in the agent (the first time) and connects to it; runs queued before it go first. */
  async open(): Promise<void> {
    const outcome = await this.session.openDebugger({ onSent: (id) => { this.openId = id; } });
    if (outcome.ok) return;
    this.end('it could not be opened');
    if (outcome.error.type === 'DebuggerUnavailable') {
      throw new PydockError('no-debugger', outcome.error.message, debugpyHint(this.session.backendKind ?? 'docker'));
    }
    throw new PydockError('python', `The debugger could not start: ${outcome.error.type}: ${outcome.error.message}`, '', outcome.error.text);
  }

  /** No more messages come or go. */
  get ended(): boolean {
    return this.isEnded;
  }

  send(message: DapMessage): void {
    if (this.isEnded) throw new PydockError('stopped', 'The debugger connection has ended.');
    this.session.writeDebugger(encodeDap(message));
  }

  /** Ends the connection; the agent and its namespace go on. */
  close(reason: string): void {
    if (!this.isEnded && this.openId !== undefined && (this.session.state === 'idle' || this.session.state === 'busy')) {
      this.session.writeDebugger();
    }
    this.end(reason);
  }

  private receive(data: Uint8Array, closed: string | undefined): void {
    if (this.isEnded) return;
    let messages: DapMessage[];
    try {
      messages = this.decoder.push(data);
    } catch (error) {
      this.close(`debugpy sent what is not DAP (${(error as Error).message})`);
      return;
    }
    for (const message of messages) this.listener.message(message);
    if (closed !== undefined) this.end(closed);
  }

  private end(reason: string): void {
    if (this.isEnded) return;
    this.isEnded = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.listener.closed(reason);
  }
}
