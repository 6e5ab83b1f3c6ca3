// The jobs' commands and views, wired for activate(): Run File/Function as Job, the Jobs view and its inline actions.
import * as vscode from 'vscode';
import { PydockError, errorMessage } from '../engine/errors';
import type { Logger } from '../engine/log';
import { JobLogs } from './jobLogs';
import { JobsController, type JobItem } from './jobsController';
import { JobsStatus } from './jobsStatus';
import { JobsView } from './jobsView';

export function registerJobs(log: Logger, state: vscode.Memento): vscode.Disposable[] {
  let logs: JobLogs | undefined;
  const controller = new JobsController(log, state, (item) => logs?.open(item));
  logs = new JobLogs(controller);
  const view = new JobsView(controller);
  const open = logs;
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'pydock.runFileAsJob': (uri) => controller.runFile(uri as vscode.Uri | undefined),
    'pydock.runFunctionAsJob': () => controller.runFunction(),
    'pydock.jobs.stop': (item) => controller.stop(jobItem(item)),
    'pydock.jobs.rerun': (item) => controller.rerun(jobItem(item)),
    'pydock.jobs.openLog': (item) => open.open(jobItem(item)),
    'pydock.jobs.revealOutputs': (item) => controller.revealOutputs(jobItem(item)),
    'pydock.jobs.delete': (item) => controller.remove(jobItem(item)),
    'pydock.jobs.refresh': () => view.refresh(),
  };
  return [
    controller, open, view, new JobsStatus(controller),
    ...Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        const message = error instanceof PydockError ? [error.message, error.hint].filter(Boolean).join(' ') : errorMessage(error);
        log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`pydock: ${message}`);
        return undefined;
      }
    })),
  ];
}

/** Inline actions pass the view's element; from the palette there is none. */
function jobItem(item: unknown): JobItem {
  if (!item || typeof item !== 'object' || !('record' in item)) throw new PydockError('usage', 'Choose a job in the Jobs view.');
  return item as JobItem;
}
