// Activates pydock in VS Code: builds the log, the sessions, the commands and the status bar.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { createLog } from './log';
import { LogRunReporter } from './runReporter';
import { StatusBar } from './statusBar';
import { WorkspaceSessions } from './workspaceSessions';

let sessions: WorkspaceSessions | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);
  try {
    sessions = new WorkspaceSessions(log);
    const ctx = { sessions, reporter: new LogRunReporter(log), showLog: () => log.show() };
    context.subscriptions.push(
      ...registerCommands(ctx),
      new StatusBar(sessions, 'pydock.showLog'),
    );
    log.info(`pydock activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted: sessions are disabled'})`);
  } catch (error) {
    // VS Code does not show activation failures; say it where the user looks.
    log.error(`pydock failed to activate: ${(error as Error).stack ?? error}`);
    void vscode.window.showErrorMessage(`pydock failed to activate: ${(error as Error).message}`);
    throw error;
  }
}

/** Removes every session container before the window goes. */
export async function deactivate(): Promise<void> {
  await sessions?.dispose();
  sessions = undefined;
}
