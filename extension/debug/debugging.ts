// The `pydock` debug type: VS Code's own debugger UI on debugpy inside the session's container, through the engine's
// adapter running in the extension host (no port, no process), and the commands that start it on editor code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from '../config';
import { PydockDebugAdapter, type PydockLaunchArguments } from '../engine/debug/debugAdapter';
import type { DapMessage } from '../engine/debug/dapFraming';
import { withDebugpy } from '../engine/debug/debugpyEnvironment';
import { ENVIRONMENT_FILE, type EnvironmentDescription } from '../engine/launch/environment';
import { readEnvironmentFile } from '../engine/launch/environmentFile';
import { errorMessage } from '../engine/errors';
import type { Logger } from '../engine/log';
import type { Session } from '../engine/session/session';
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

/** A start that fails was reported already: by VS Code, or by pydock with its remedy (debugpy missing). */
async function start(uri: vscode.Uri, configuration: vscode.DebugConfiguration): Promise<void> {
  await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), configuration);
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
      noDebugger: (s, cause) => {
        offerDebugpy(s, host.sessions.folderOf(s), cause).catch((error) => void vscode.window.showErrorMessage(`pydock: ${errorMessage(error)}`));
        return true;
      },
    }, (message) => this.sent.fire(message as vscode.DebugProtocolMessage), host.log);
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

/**
 * The session cannot import debugpy. On Docker, offer to add it to the environment file: its watcher then offers the
 * restart that builds the image with it. Elsewhere, or where the user's own file must change, say what to do there.
 */
async function offerDebugpy(session: Session, folder: string | undefined, cause: string): Promise<void> {
  const file = folder ? readEnvironmentFile(folder) as EnvironmentDescription | undefined : undefined;
  const settings = new Config(folder ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder)) : undefined).environment();
  const remedy = withDebugpy(file, session.backendKind ?? 'docker', settings);
  if ('manual' in remedy || !folder) return tellRemedy(folder, cause, 'manual' in remedy ? remedy : { manual: 'use an image that has it' });
  const add = 'Add debugpy to the environment';
  const choice = await vscode.window.showErrorMessage(`pydock: cannot debug: ${cause}. Adding debugpy to the environment builds an image with it.`, add);
  if (choice !== add) return;
  const written = path.join(folder, ENVIRONMENT_FILE);
  await fs.promises.mkdir(path.dirname(written), { recursive: true });
  await fs.promises.writeFile(written, `${JSON.stringify(remedy.environment, null, 2)}\n`);
}

async function tellRemedy(folder: string | undefined, cause: string, { manual, file }: { manual: string; file?: string }): Promise<void> {
  const open = folder && file ? `Open ${file}` : undefined;
  const choice = await vscode.window.showErrorMessage(`pydock: cannot debug: ${cause}. To debug, ${manual}, then restart the session.`, ...(open ? [open] : []));
  if (open && choice === open) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder!, file!)));
}
