// The getting-started walkthrough: the context keys that tick its steps by themselves, the commands behind its buttons
// that belong to no other room (check Docker, run a first cell), and its opening on the first activation in a trusted workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from './config';
import { checkDocker } from './engine/launch/backends';
import { ENVIRONMENT_FILE } from './engine/launch/environment';
import type { WorkspaceSessions } from './workspaceSessions';

export const WALKTHROUGH_ID = 'pydock.pydock#gettingStarted';
/** Its steps (ids as in package.json) and the context keys their completionEvents wait for. */
const STEPS = {
  docker: 'pydock.walkthrough.dockerAnswers',
  environment: 'pydock.walkthrough.environmentChosen',
  prepare: 'pydock.walkthrough.environmentReady',
  run: 'pydock.walkthrough.ranCode',
} as const;
const OPENED_KEY = 'pydock.walkthroughOpened';
/** Steps marked done in this window. */
const done = new Set<keyof typeof STEPS>();
const FIRST_CELL = [
  '# %% A first cell',
  '# Shift+Enter runs the cell at the cursor in the session; the panel beside shows what it prints.',
  'import sys',
  'print(f"Hello from Python {sys.version.split()[0]}, running in pydock")',
  '',
].join('\n');

/**
 * Marks a step done: its context key ticks it through its completionEvents. VS Code registers walkthroughs when its
 * walkthrough service starts, and a key already true then never ticks its step (code-server 4.100: the event counts
 * as seen); the service's own command marks the step in that case.
 */
export function stepDone(step: keyof typeof STEPS): void {
  if (done.has(step)) return;
  done.add(step);
  void vscode.commands.executeCommand('setContext', STEPS[step], true);
  void Promise.resolve(vscode.commands.executeCommand('welcome.markStepComplete', `${WALKTHROUGH_ID}#${step}`)).catch(() => undefined);
}

/** Watches for what completes each step, and opens the walkthrough once per user in a trusted workspace. */
export function setUpWalkthrough(context: vscode.ExtensionContext, sessions: WorkspaceSessions): vscode.Disposable[] {
  if (chosenInAnyFolder()) stepDone('environment');
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${ENVIRONMENT_FILE}`);
  const busy = new WeakSet<object>();
  const disposables: vscode.Disposable[] = [
    watcher,
    watcher.onDidCreate(() => stepDone('environment')),
    sessions.onDidChangeState(({ session, state }) => {
      if (state === 'idle' || state === 'busy') stepDone('prepare');
      if (state === 'busy') busy.add(session);
      if (state === 'idle' && busy.has(session)) stepDone('run');
    }),
  ];
  const begin = () => {
    void checkDocker(new Config(vscode.workspace.workspaceFolders?.[0]).dockerHost).then(() => stepDone('docker'), () => undefined);
    void openOnce(context);
  };
  if (vscode.workspace.isTrusted) begin();
  else disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(begin));
  return disposables;
}

/** The walkthrough's first step: says where Docker answers, or why not and what to do. */
export async function checkDockerCommand(): Promise<void> {
  const host = new Config(vscode.workspace.workspaceFolders?.[0]).dockerHost;
  const url = await checkDocker(host); // a PydockError says why not, with what to do
  stepDone('docker');
  void vscode.window.showInformationMessage(`pydock: Docker answers at ${url}.`);
}

/** The walkthrough's last step: a Python file with one cell, run in the session. */
export async function runFirstCell(): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'python', content: FIRST_CELL });
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(2, 0, 2, 0);
  await vscode.commands.executeCommand('pydock.runCell');
}

/** Once per user, as VS Code opens an extension's walkthrough on install, unless the user asked for no start-up editor. */
async function openOnce(context: vscode.ExtensionContext): Promise<void> {
  if (context.globalState.get<boolean>(OPENED_KEY)) return;
  const workbench = vscode.workspace.getConfiguration('workbench');
  if (workbench.get<string>('startupEditor') === 'none' || workbench.get<boolean>('welcomePage.walkthroughs.openOnInstall') === false) return;
  await context.globalState.update(OPENED_KEY, true);
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}

function chosenInAnyFolder(): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === 'file' && fs.existsSync(path.join(f.uri.fsPath, ENVIRONMENT_FILE)));
}
