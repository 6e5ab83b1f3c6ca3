// Activates pydock in VS Code: the log, sessions per folder, the panel, the table viewer, variables, cells and commands.
import * as vscode from 'vscode';
import { registerCellEditor } from './cellEditor';
import { registerCommands } from './commands';
import { createLog } from './log';
import { PanelManager } from './panel/panelManager';
import { StatusBar } from './statusBar';
import { TableManager } from './table/tableManager';
import { VariablesView } from './variables/variablesView';
import { WorkspaceSessions } from './workspaceSessions';

let sessions: WorkspaceSessions | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);
  try {
    sessions = new WorkspaceSessions(log, context.workspaceState);
    const tables = new TableManager(context.extensionUri, sessions);
    const panels = new PanelManager(context, sessions, log, (session, ref, title) => tables.openResult(session, ref, title));
    const variables = new VariablesView(sessions);
    context.subscriptions.push(
      tables, panels, variables,
      ...registerCommands({ sessions, panels, tables, variables, showLog: () => log.show() }),
      ...registerCellEditor(),
      new StatusBar(sessions, 'pydock.showPanel', 'pydock.pickSession'),
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
