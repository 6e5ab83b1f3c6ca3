// What a session does by itself: one automatic restart per death of its agent (none for an agent that dies soon after
// such a restart: no loops), and a stop after a long time without a run.
import type { PydockError } from '../errors';
import type { Logger } from '../log';
import type { LifecycleEvent, SessionOptions, SessionState } from './sessionTypes';

export const DEFAULT_RESTART_WINDOW_MS = 30_000;

export interface SupervisedSession {
  readonly name: string;
  readonly log: Logger;
  state(): SessionState;
  /** Starts a new agent; unlike a start the user makes, it does not allow another automatic restart. */
  restartAgent(): Promise<void>;
  stopIdle(reason: string): Promise<void>;
  fire(event: LifecycleEvent): void;
}

export class Supervisor {
  readonly windowMs: number;
  private lastAutoRestart: number | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly session: SupervisedSession,
    private readonly options: Pick<SessionOptions, 'autoRestart' | 'autoRestartWindowMs' | 'idleStopMs'>) {
    this.windowMs = options.autoRestartWindowMs ?? DEFAULT_RESTART_WINDOW_MS;
  }

  /** A start the user asked for: the next death may be restarted again. */
  userStarted(): void {
    this.lastAutoRestart = undefined;
  }

  /** After the agent died with `cause` and the session has turned dead. */
  async died(cause: PydockError): Promise<void> {
    if (!this.options.autoRestart || this.disposed || this.session.state() !== 'dead') return;
    const now = Date.now();
    if (this.lastAutoRestart !== undefined && now - this.lastAutoRestart < this.windowMs) {
      return this.giveUp(cause, `it died again within ${Math.round(this.windowMs / 1000)} s of its automatic restart`);
    }
    this.lastAutoRestart = now;
    this.session.log.info(`[${this.session.name}] restarting after: ${cause.message}`);
    try {
      await this.session.restartAgent();
    } catch (error) {
      return this.giveUp(cause, `the restart failed: ${(error as Error)?.message ?? error}`);
    }
    this.session.fire({ kind: 'auto-restarted', cause });
  }

  /** Counts idle time from each change to idle; any other state stops the count. */
  stateChanged(state: SessionState): void {
    clearTimeout(this.idleTimer);
    const idleMs = this.options.idleStopMs;
    if (!idleMs || state !== 'idle' || this.disposed) return;
    this.idleTimer = setTimeout(() => void this.stopIdle(idleMs), idleMs);
    this.idleTimer.unref(); // an idle timer alone must not keep a script's process alive
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idleTimer);
  }

  private async stopIdle(idleMs: number): Promise<void> {
    if (this.session.state() !== 'idle') return;
    const idle = idleMs < 60_000 ? `${Math.round(idleMs / 1000)} s` : `${Math.round(idleMs / 60_000)} min`;
    this.session.log.info(`[${this.session.name}] stopping after ${idle} without a run`);
    await this.session.stopIdle(`The session was stopped after ${idle} without a run.`);
    this.session.fire({ kind: 'idle-stopped', idleMs });
  }

  private giveUp(cause: PydockError, reason: string): void {
    this.session.log.warn(`[${this.session.name}] not restarting: ${reason}`);
    this.session.fire({ kind: 'auto-restart-stopped', cause, reason });
  }
}
