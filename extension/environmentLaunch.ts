// A folder's environment for each session start (settings + .pydock/environment.json), and the first-run question
// when a workspace asks for an image, mounts or a network: those come from files anyone can commit.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Config } from './config';
import { ENVIRONMENT_FILE, resolveEnvironment, type ResolvedEnvironment } from './engine/launch/environment';
import { hostUser, readEnvironmentFile } from './engine/launch/environmentFile';
import { PydockError } from './engine/errors';
import { buildInputs, describeMount } from './engine/launch/launchProgress';

const APPROVED_KEY = 'pydock.approvedEnvironments';
/** Settings that decide what runs and what it can reach; set by the workspace, they need the user's yes. */
const SENSITIVE_SETTINGS = ['image', 'dockerfile', 'context', 'python', 'requirements', 'pipArgs', 'mounts', 'io', 'network', 'user', 'env', 'init',
  'docker.host', 'backend', 'local.python'];

export function resolveFolderEnvironment(folder: string | undefined, config: Config): ResolvedEnvironment {
  return resolveEnvironment({
    settings: config.environment(),
    file: folder ? readEnvironmentFile(folder) : undefined,
    workspace: folder,
    host: hostUser(),
  });
}

/**
 * Asks once per workspace and environment before running what the workspace (not the user) chose. Resolves when
 * allowed; rejects with a clear error when not.
 */
export async function confirmEnvironment(state: vscode.Memento, folder: vscode.WorkspaceFolder | undefined, env: ResolvedEnvironment, config: Config): Promise<void> {
  if (!folder || !chosenByWorkspace(folder)) return;
  const { key, what } = approval(folder, env, config);
  if (state.get<string[]>(APPROVED_KEY, []).includes(key)) return;
  const detail = [
    `Runs on: ${what.where}`,
    `Image: ${what.image}`,
    `Network: ${what.network}`,
    `Mounts: the workspace at /workspace${what.io ? `, ${what.io} at /io` : ''}${what.mounts.length ? `, ${what.mounts.join(', ')}` : ''}`,
    what.user ? `User: ${what.user}` : '',
    ...env.warnings,
  ].filter(Boolean).join('\n');
  const choice = await vscode.window.showWarningMessage(`The workspace "${folder.name}" wants to run Python in a container.`,
    { modal: true, detail }, 'Allow', 'Open Settings');
  if (choice === 'Allow') return remember(state, key);
  if (choice === 'Open Settings') {
    const file = path.join(folder.uri.fsPath, ENVIRONMENT_FILE);
    if (fs.existsSync(file)) await vscode.window.showTextDocument(vscode.Uri.file(file));
    else await vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', 'pydock');
  }
  throw new PydockError('untrusted', `The environment of "${folder.name}" was not allowed, so no session started.`,
    'Run the code again to be asked again, after checking the settings.');
}

/** Records the user's yes without asking: they chose this environment themselves (the walkthrough writes it for them). */
export function approveEnvironment(state: vscode.Memento, folder: vscode.WorkspaceFolder, env: ResolvedEnvironment, config: Config): Promise<void> {
  return remember(state, approval(folder, env, config).key);
}

/** The last hundred answers are kept. */
async function remember(state: vscode.Memento, key: string): Promise<void> {
  const approved = state.get<string[]>(APPROVED_KEY, []);
  if (!approved.includes(key)) await state.update(APPROVED_KEY, [...approved, key].slice(-100));
}

/** What the question shows, and the key an answer is kept under: any change of these asks again. */
function approval(folder: vscode.WorkspaceFolder, env: ResolvedEnvironment, config: Config) {
  const { launch } = env;
  const what = {
    where: config.backend === 'local' ? `python on this machine (${config.localPython}), NOT sandboxed` : config.dockerHost || 'the default Docker daemon',
    image: launch.build ? `${launch.image} (built from ${buildInputs(launch.build)})` : launch.image,
    network: launch.network || 'bridge',
    mounts: (launch.mounts ?? []).map(describeMount),
    io: launch.io,
    user: launch.user,
  };
  return { what, key: createHash('sha256').update(JSON.stringify([folder.uri.toString(), what])).digest('hex') };
}

function chosenByWorkspace(folder: vscode.WorkspaceFolder): boolean {
  if (fs.existsSync(path.join(folder.uri.fsPath, ENVIRONMENT_FILE))) return true;
  const section = vscode.workspace.getConfiguration('pydock', folder);
  return SENSITIVE_SETTINGS.some((key) => {
    const inspected = section.inspect(key);
    return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  });
}
