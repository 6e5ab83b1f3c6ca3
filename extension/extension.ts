// Activates pydock in VS Code: the log, sessions per folder, the panel, the table viewer, variables, cells and commands.
import * as vscode from 'vscode';
import { createApi, type PyApi } from './api/api';
import { registerCellEditor } from './cellEditor';
import { Config } from './config';
import { PydockError } from './engine/errors';
import * as values from '../shared/values';
import { registerCommands } from './commands';
import { registerJobs } from './jobs/jobCommands';
import { registerDebugging } from './debug/debugging';
import { createLog } from './log';
import { PanelManager } from './panel/panelManager';
import { LiveLanguageClients } from './lsp/liveLanguageClients';
import { launchReaper } from './reaperLauncher';
import { StatusBar } from './statusBar';
import { TableManager } from './table/tableManager';
import { VariablesView } from './variables/variablesView';
import { setUpWalkthrough } from './walkthrough';
import { WorkspaceSessions } from './workspaceSessions';

let sessions: WorkspaceSessions | undefined;

/** What other extensions get from `vscode.extensions.getExtension('pydock.pydock').exports`. */
export type PydockExtensionApi = PyApi & { values: typeof values };

export function activate(context: vscode.ExtensionContext): PydockExtensionApi | undefined {
  const log = createLog();
  context.subscriptions.push(log);
  try {
    sessions = new WorkspaceSessions(log, context.workspaceState, (request) => launchReaper(context.extensionPath, request));
    const tables = new TableManager(context.extensionUri, sessions);
    const panels = new PanelManager(context, sessions, log, (session, ref, origin) => tables.openResult(session, ref, origin));
    const variables = new VariablesView(sessions);
    const liveClients = new LiveLanguageClients(sessions);
    context.subscriptions.push(
      tables, panels, variables, liveClients,
      ...registerCommands({ sessions, panels, tables, variables, log, workspaceState: context.workspaceState, showLog: () => log.show() }),
      ...registerCellEditor(),
      ...registerDebugging({ sessions, panels, log }),
      new StatusBar(sessions, 'pydock.showPanel', 'pydock.pickSession'),
      ...setUpWalkthrough(context, sessions),
      ...registerJobs(log, context.workspaceState),
    );
    log.info(`pydock activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted: sessions are disabled'})`);
    const active = sessions;
    const api = createApi({ defaults: settingsDefaults(), interactive: () => active.forDocument(vscode.window.activeTextEditor?.document.uri) });
    context.subscriptions.push({ dispose: () => void api.closeAll() });
    return { ...api, py: trusted(api.py), session: trusted(api.session), pool: trusted(api.pool), interactive: trusted(api.interactive), values };
  } catch (error) {
    // VS Code does not show activation failures; say it where the user looks.
    log.error(`pydock failed to activate: ${(error as Error).stack ?? error}`);
    void vscode.window.showErrorMessage(`pydock failed to activate: ${(error as Error).message}`);
    throw error;
  }
}

/** Other extensions start sessions only in a trusted workspace, as the user does. */
function trusted<A extends unknown[], R>(start: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    if (!vscode.workspace.isTrusted) {
      throw new PydockError('untrusted', 'pydock runs code only in trusted workspaces.', 'Trust this workspace to start Python sessions.');
    }
    return start(...args);
  };
}

/** API sessions start from the same settings as the workspace's own, so they run where the user said. */
function settingsDefaults() {
  const config = new Config(vscode.workspace.workspaceFolders?.[0]);
  return { image: config.image, backend: config.backend, dockerHost: config.dockerHost || undefined, memory: config.memoryBytes ?? 0 };
}

/** Removes every session container before the window goes. */
export async function deactivate(): Promise<void> {
  await sessions?.dispose();
  sessions = undefined;
}
