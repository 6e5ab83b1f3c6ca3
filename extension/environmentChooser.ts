// The walkthrough's second step: choose the workspace's environment (the default image, a Python version, its
// requirements or its Dockerfile) and write it to .pydock/environment.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from './config';
import { ENVIRONMENT_FILE, type EnvironmentDescription } from './engine/launch/environment';
import { chooseEnvironment, type EnvironmentChoice } from './engine/launch/environmentChoice';
import { readEnvironmentFile } from './engine/launch/environmentFile';
import { approveEnvironment, resolveFolderEnvironment } from './environmentLaunch';
import { stepDone } from './walkthrough';

const PYTHON_VERSIONS = ['3.13', '3.12', '3.11', '3.10', '3.9', '3.8'];
const SKIPPED = '{**/node_modules/**,**/.git/**,**/.venv/**,**/venv/**}';

type Item = vscode.QuickPickItem & { choice?: EnvironmentChoice; pickVersion?: true };

/** Asks which environment the active folder's sessions run in, writes it, and counts it as approved (the user chose it). */
export async function chooseEnvironmentCommand(state: vscode.Memento): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('pydock: open a folder first: the environment is written to its .pydock/environment.json.');
    return;
  }
  const config = new Config(folder);
  const relative = (uri: vscode.Uri) => path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
  const find = (glob: string) => vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), SKIPPED, 20);
  const [requirements, dockerfiles] = await Promise.all([find('**/requirements*.txt'), find('**/{Dockerfile,*.Dockerfile,Dockerfile.*}')]);
  const items: Item[] = [
    { label: '$(package) Default image', description: config.image, detail: 'Any image with python3 works; pydock copies its agent in.', choice: { kind: 'image', image: config.image } },
    { label: '$(versions) A Python version…', description: 'python:X.Y-slim', pickVersion: true },
    ...requirements.map((uri): Item => ({ label: `$(checklist) ${relative(uri)}`, description: 'pip installs it into a derived image, built once',
      choice: { kind: 'requirements', file: relative(uri) } })),
    ...dockerfiles.map((uri): Item => ({ label: `$(file-code) ${relative(uri)}`, description: 'build the image from this Dockerfile',
      choice: { kind: 'dockerfile', file: relative(uri) } })),
  ];
  // Opened from the walkthrough, whose page may take the focus back as it redraws: the pick stays until answered.
  const picked = await vscode.window.showQuickPick(items, {
    title: `pydock: the Python environment of ${folder.name}`, placeHolder: `Written to ${ENVIRONMENT_FILE}`, ignoreFocusOut: true,
  });
  if (!picked) return;
  let choice = picked.choice;
  if (picked.pickVersion) {
    const version = await vscode.window.showQuickPick(PYTHON_VERSIONS, { title: 'pydock: Python version', placeHolder: 'The image python:X.Y-slim', ignoreFocusOut: true });
    if (!version) return;
    choice = { kind: 'python', version };
  }
  if (!choice) return;
  const file = path.join(folder.uri.fsPath, ENVIRONMENT_FILE);
  const written = chooseEnvironment(readEnvironmentFile(folder.uri.fsPath) as EnvironmentDescription | undefined, choice);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, `${JSON.stringify(written, null, 2)}\n`);
  await approveEnvironment(state, folder, resolveFolderEnvironment(folder.uri.fsPath, config), config);
  stepDone('environment');
  void vscode.window.showInformationMessage(`pydock: wrote ${ENVIRONMENT_FILE}. The next start uses it.`, 'Open File')
    .then((open) => open && vscode.window.showTextDocument(vscode.Uri.file(file)));
}
