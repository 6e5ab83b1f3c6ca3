// Stopping runs: KeyboardInterrupt for the one running, cancellation for those queued, and a restart of Python for
// code that ignores the interrupt after its timeout.
import type { AgentProcess } from '../launch/backend';
import { encode } from '../wire/codec';
import { PydockError } from '../errors';
import { encodeFrame } from '../wire/framing';
import type { Logger } from '../log';
import type { PendingRuns } from './pendingRuns';
import { waitUntil } from '../poll';
import type { DapCloseRequest, DapRequest, InterruptRequest, ShutdownRequest } from '../../../shared/agentProtocol';

export const INTERRUPT_GRACE_MS = 1000;

/** What run control needs of its session. */
export interface ControlledSession {
  readonly name: string;
  readonly log: Logger;
  readonly runs: PendingRuns;
  /** The agent runs go to now, if one is up. */
  process(): AgentProcess | undefined;
  nextRequestId(): number;
  /** A run was let go of: the session may be idle now. */
  settled(): void;
  restart(): Promise<void>;
}

/** Requests that steer the agent rather than run code (or carry the debugger's bytes): they get no reply of their own. */
export function writeControl(process: AgentProcess, request: InterruptRequest | ShutdownRequest | DapRequest | DapCloseRequest): void {
  process.write(encodeFrame(encode(request)));
}

export class RunControl {
  /** Set while a timed-out run is being stopped (or its Python restarted): new runs wait, so none is lost to it. */
  recovering: Promise<void> | undefined;

  constructor(private readonly session: ControlledSession) {}

  /**
   * Raises KeyboardInterrupt in the running code (a run an earlier window sent, too) and cancels what is queued behind it.
   * 'ignored' means the code did not stop within the grace (C code, or SIGINT ignored): offer a restart.
   */
  async interrupt(graceMs = INTERRUPT_GRACE_MS): Promise<'interrupted' | 'idle' | 'ignored'> {
    const { runs } = this.session;
    const process = this.session.process();
    const orphan = runs.orphan;
    const waiting = [...(orphan === undefined ? [] : [orphan]), ...runs.foregroundIds()];
    if (!process || waiting.length === 0) return 'idle';
    for (const id of waiting.slice(1)) this.interruptOne(process, id);
    const first = waiting[0];
    this.interruptOne(process, first);
    const settled = await waitUntil(() => !runs.has(first) && runs.orphan !== first, graceMs);
    return settled ? 'interrupted' : 'ignored';
  }

  /** A run past its timeout: its caller hears so at once; the agent is interrupted, and restarted if it ignores that. */
  async timedOut(id: number, timeoutMs: number): Promise<void> {
    if (!this.session.runs.has(id)) return;
    // Set before the caller hears of the timeout, so its next run waits for the outcome instead of queueing behind.
    if (this.session.runs.running === id) this.recovering ??= this.stopTimedOut(id).finally(() => { this.recovering = undefined; });
    this.abandon(id, new PydockError('timeout', `The code did not finish within ${timeoutMs} ms and was interrupted.`,
      'Raise the timeout, or make the code faster.'));
    await this.recovering;
  }

  /** Rejects one run now and asks the agent to stop or skip it. */
  abandon(id: number, error: Error): void {
    if (!this.session.runs.reject(id, error)) return;
    this.session.settled();
    const process = this.session.process();
    if (process) this.interruptOne(process, id);
  }

  /** Gives an interrupted run a grace period to stop; code that ignores it (C loops, SIGINT ignored) costs a restart. */
  private async stopTimedOut(id: number): Promise<void> {
    if (await waitUntil(() => this.session.runs.running !== id, INTERRUPT_GRACE_MS)) return;
    this.session.log.warn(`[${this.session.name}] request ${id} ignored the interrupt after its timeout; restarting the session`);
    await this.session.restart();
  }

  private interruptOne(process: AgentProcess, target: number): void {
    writeControl(process, { type: 'interrupt', id: this.session.nextRequestId(), target });
  }
}
