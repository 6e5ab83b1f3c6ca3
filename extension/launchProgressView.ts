// Shows what a session start does before Python runs: image pulls and builds in a progress notification (a pull can be
// cancelled there), everything else in the log.
import * as vscode from 'vscode';
import { describeProgress, describePullProgress, type LaunchProgress } from './engine/launch/launchProgress';
import type { Logger } from './engine/log';

type Report = (value: { message?: string; increment?: number }) => void;

/** Pull progress redraws the notification at most this often (layers finishing always redraw). */
const PULL_REDRAW_MS = 200;

export interface LaunchProgressView {
  report(event: LaunchProgress): void;
  /** Ends a notification still open, e.g. when the start failed during a build. */
  close(): void;
  /** The signal for starts (and commands): Cancel on a pull notification aborts it, and the next start gets a new one. */
  nextSignal(): AbortSignal;
}

/** A session's launch progress: one notification per image pull or build, closed when it ends or the start does. */
export function launchProgressView(log: Logger, sessionName: string): LaunchProgressView {
  let report: Report | undefined;
  let finish: (() => void) | undefined;
  let percent = 0;
  let redrawn = 0;
  let layersDone = -1;
  let controller = new AbortController();
  const close = () => {
    finish?.();
    report = finish = undefined;
    percent = 0;
    layersDone = -1;
  };
  const open = (title: string, message: string, cancellable: boolean) => {
    close();
    const cancel = controller;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable },
      (progress, token) => new Promise<void>((resolve) => {
        token.onCancellationRequested(() => {
          log.info(`[${sessionName}] ${title.replace(/^pydock: /, '')}: cancelled`);
          cancel.abort();
          resolve();
        });
        report = (value) => progress.report(value);
        finish = resolve;
        report({ message });
      }));
  };
  /** Moves the bar to `next` percent; VS Code's bar only takes increments, so it never goes back. */
  const advance = (next: number, message: string) => {
    report?.({ message, increment: Math.max(0, next - percent) });
    percent = Math.max(percent, next);
  };
  const onEvent = (event: LaunchProgress) => {
    if (event.type !== 'pull-progress') {
      const line = `[${sessionName}] ${describeProgress(event)}`;
      if (event.type === 'warning') log.warn(line);
      else log.info(line);
    }
    switch (event.type) {
      case 'pull-start':
        open(`pydock: pulling ${event.image}`, `from ${event.registry}`, true);
        return;
      case 'pull-progress': {
        const now = performance.now();
        if (event.layersDone === layersDone && now - redrawn < PULL_REDRAW_MS) return;
        redrawn = now;
        layersDone = event.layersDone;
        advance(Math.floor(event.fraction * 100), describePullProgress(event));
        return;
      }
      case 'pull-done':
        close();
        void vscode.window.setStatusBarMessage(`pydock: ${describeProgress(event)}`, 5000);
        return;
      case 'image-ready':
        return;
      case 'build-start':
        // Its tag is a hash (in the log): the notification says what the build does.
        open(`pydock: building an image for ${sessionName}`, event.reason, false);
        return;
      case 'build-step':
        advance(Math.round((100 * (event.step - 1)) / event.total), `step ${event.step} of ${event.total}: ${event.instruction}`);
        return;
      case 'build-output':
        report?.({ message: event.line.slice(0, 120) });
        return;
      case 'build-done':
        close();
        if (event.built) void vscode.window.setStatusBarMessage(`pydock: built ${event.image}`, 5000);
        return;
      case 'workspace-copied':
        void vscode.window.setStatusBarMessage(`pydock: ${describeProgress(event)}`, 5000);
        return;
      case 'pod-pending': { // one notification while a pod schedules and pulls, its message following the cluster
        const said = `${event.reason}${event.message ? `: ${event.message}` : ''}`;
        if (report) report({ message: said });
        else open(`pydock: starting a pod`, said, false); // its name is in the log: the message needs the room
        return;
      }
      case 'warning':
        void vscode.window.showWarningMessage(`pydock: ${event.message}`);
        return;
      default: {
        const unknown: never = event;
        log.warn(`unknown launch progress ${JSON.stringify(unknown)}`);
      }
    }
  };
  return {
    report: onEvent,
    close,
    nextSignal: () => {
      if (controller.signal.aborted) controller = new AbortController();
      return controller.signal;
    },
  };
}
