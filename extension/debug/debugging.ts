// The `pydock` debug type: VS Code's own debugger UI on debugpy inside the session's container, through the engine's
// adapter running in the extension host (no port, no process), and the commands that start it on editor code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PydockDebugAdapter, type PydockLaunchArguments } from '../engine/debug/debugAdapter';
import type { DapMessage } from '../engine/debug/dapFraming';
import { withDebugpy } from '../engine/debug/debugpyEnvironment';
import { ENVIRONMENT_FILE, type EnvironmentDescription } from '../engine/launch/environment';
import { readEnvironmentFile } from '../engine/launch/environmentFile';
import type { Logger } from '../engine/log';
import type { PanelManager } from '../panel/panelManager';
import type { WorkspaceSessions } from '../workspaceSessions';

export const DEBUG_TYPE = 'pydock';

export interface DebugHost {
  sessions: WorkspaceSessions;
  panels: PanelManager;
  log: Logger;
}

export function registerDebugging(host: DebugHost): vscode.Disposable[] {
  return [
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: (debugSession) => new vscode.DebugAdapterInlineImplementation(new InlineAdapter(host, debugSession)),
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new LaunchConfigurations()),
  ];
}

/** Debug Cell and Debug Selection: the code at its place in the file, so breakpoints set there stop in it. */
export async function debugCode(document: vscode.TextDocument, code: string, line: number, what: string): Promise<void> {
  if (!code.trim()) {
    void vscode.window.showWarningMessage(`pydock: there is no code to debug in this ${what.toLowerCase()}.`);
    return;
  }
  await start(document.uri, { type: DEBUG_TYPE, request: 'launch', name: `pydock: Debug ${what}`, code, file: document.uri.fsPath, line });
}

/** Debug File: the file as it is on disk. */
export async function debugFile(document: vscode.TextDocument): Promise<void> {
  if (document.isDirty) await document.save();
  await start(document.uri, { type: DEBUG_TYPE, request: 'launch', name: 'pydock: Debug File', program: document.uri.fsPath });
}

async function start(uri: vscode.Uri, configuration: vscode.DebugConfiguration): Promise<void> {
  if (!(await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), configuration))) {
    throw new Error('the debug session did not start (see pydock: Show Log)');
  }
}

/** The engine's adapter as VS Code's inline adapter, on the session of the folder the debugged file is in. */
class InlineAdapter implements vscode.DebugAdapter {
  private readonly sent = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.sent.event;
  private readonly adapter: PydockDebugAdapter;

  constructor(host: DebugHost, debugSession: vscode.DebugSession) {
    const config = debugSession.configuration as PydockLaunchArguments;
    const anchor = config.program ?? config.file;
    const session = host.sessions.forDocument(anchor ? vscode.Uri.file(anchor) : debugSession.workspaceFolder?.uri);
    this.adapter = new PydockDebugAdapter({
      session: async () => session,
      workspace: host.sessions.folderOf(session),
      run: (s, code, options) => host.panels.runDebugged(s, code, options),
    }, (message) => {
      this.sent.fire(message as vscode.DebugProtocolMessage);
      if (message.type === 'response' && message.command === 'initialize' && message.success === false && /debugpy/.test(message.message ?? '')) {
        void offerDebugpy(session.name, host.sessions.folderOf(session), message.message ?? '');
      }
    }, host.log);
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    this.adapter.handle(message as DapMessage);
  }

  dispose(): void {
    this.adapter.dispose();
    this.sent.dispose();
  }
}

class LaunchConfigurations implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'pydock: Debug File', program: '${file}' }];
  }

  /** F5 without a launch.json: debug the Python file in the editor. */
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const document = vscode.window.activeTextEditor?.document;
      if (document?.languageId !== 'python' || document.uri.scheme !== 'file') {
        void vscode.window.showWarningMessage('pydock: open a Python file to debug it, or add a "pydock" configuration to launch.json.');
        return undefined;
      }
      return { type: DEBUG_TYPE, request: 'launch', name: 'pydock: Debug File', program: document.uri.fsPath };
    }
    if (config.program === undefined && config.code === undefined) {
      void vscode.window.showErrorMessage('pydock: a "pydock" launch configuration needs "program" (a Python file) or "code".');
      return undefined;
    }
    return config;
  }
}

/** debugpy is not in the session's image: offer to build one with it, as requirements are built (the file watcher then offers the restart). */
async function offerDebugpy(sessionName: string, folder: string | undefined, message: string): Promise<void> {
  const add = 'Add debugpy to the environment';
  const choice = await vscode.window.showErrorMessage(`pydock: the session "${sessionName}" cannot debug: ${message.split('\n')[0]}`, ...(folder ? [add] : []));
  if (choice !== add || !folder) return;
  const change = withDebugpy(readEnvironmentFile(folder) as EnvironmentDescription | undefined);
  if ('manual' in change) {
    void vscode.window.showInformationMessage(`pydock: ${change.manual}, then restart the session.`);
    return;
  }
  const file = path.join(folder, ENVIRONMENT_FILE);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, `${JSON.stringify(change.environment, null, 2)}\n`);
}
