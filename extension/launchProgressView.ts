// Shows what a session start does before Python runs: image builds in a progress notification, everything in the log.
import * as vscode from 'vscode';
import { describeProgress, type LaunchProgress } from './engine/launchProgress';
import type { Logger } from './engine/log';

type Report = (value: { message?: string; increment?: number }) => void;

export interface LaunchProgressView {
  report(event: LaunchProgress): void;
  /** Ends a notification still open, e.g. when the start failed during a build. */
  close(): void;
}

/** A session's launch progress: one notification per image build, closed when the build ends or the start does. */
export function launchProgressView(log: Logger, sessionName: string): LaunchProgressView {
  let report: Report | undefined;
  let finish: (() => void) | undefined;
  let percent = 0;
  const close = () => {
    finish?.();
    report = finish = undefined;
    percent = 0;
  };
  const onEvent = (event: LaunchProgress) => {
    const line = `[${sessionName}] ${describeProgress(event)}`;
    if (event.type === 'warning') log.warn(line);
    else log.info(line);
    switch (event.type) {
      case 'build-start':
        void vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `pydock: building ${event.image}` },
          (progress) => new Promise<void>((resolve) => {
            report = (value) => progress.report(value);
            finish = resolve;
            report({ message: event.reason });
          }));
        return;
      case 'build-step': {
        const next = Math.round((100 * (event.step - 1)) / event.total);
        report?.({ message: `step ${event.step} of ${event.total}: ${event.instruction}`, increment: next - percent });
        percent = next;
        return;
      }
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
      case 'warning':
        void vscode.window.showWarningMessage(`pydock: ${event.message}`);
        return;
      default: {
        const unknown: never = event;
        log.warn(`unknown launch progress ${JSON.stringify(unknown)}`);
      }
    }
  };
  return { report: onEvent, close };
}
