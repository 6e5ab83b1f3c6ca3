// The commands that put the session image on the Docker host without starting Python: Pull Image (again, for a new tag
// upstream) and Prepare Environment (pull or build it, the walkthrough's third step).
import * as vscode from 'vscode';
import { prepareImageOn, pullImageOn } from './engine/launch/backends';
import type { LaunchProgress } from './engine/launch/launchProgress';
import type { Logger } from './engine/log';
import { launchProgressView } from './launchProgressView';
import { stepDone } from './walkthrough';
import type { WorkspaceSessions } from './workspaceSessions';

/** Pulls the active folder's image now; offers to restart the sessions running on it when a newer one came. */
export async function pullImage(sessions: WorkspaceSessions, log: Logger): Promise<void> {
  const { name, environment, backend } = await sessions.environmentHere();
  const { image, build } = environment.launch;
  if (backend.kind !== 'docker') {
    void vscode.window.showInformationMessage('pydock: the local backend runs Python on this machine: there is no image to pull.');
    return;
  }
  if (build?.dockerfile) {
    void vscode.window.showInformationMessage('pydock: the session image is built from a Dockerfile; Docker pulls its FROM images when it builds it. Change the Dockerfile, or restart the session, to build it again.');
    return;
  }
  const view = launchProgressView(log, name);
  let done: Extract<LaunchProgress, { type: 'pull-done' }> | undefined;
  const info = await pullImageOn(backend, image, (event) => {
    if (event.type === 'pull-done') done = event;
    view.report(event);
  }, view.nextSignal()).finally(() => view.close());
  const pinned = info?.repoDigest ? ` (${info.repoDigest})` : '';
  const running = sessions.runningOn(image);
  if (done?.upToDate || running.length === 0) {
    void vscode.window.showInformationMessage(`pydock: ${done?.upToDate ? `${image} is up to date` : `pulled ${image}`}${pinned}.${build ? ' The next start installs the requirements on it.' : ''}`);
    return;
  }
  const choice = await vscode.window.showInformationMessage(`pydock: pulled a new ${image}${pinned}. Restart the sessions running on the old one? Their variables will be lost.`, 'Restart', 'Later');
  if (choice === 'Restart') await Promise.all(running.map((s) => s.restart().catch(() => undefined)));
}

/** Puts the active folder's environment on the Docker host as a start would: pulled, or built from its requirements or Dockerfile. */
export async function prepareEnvironment(sessions: WorkspaceSessions, log: Logger): Promise<void> {
  const { name, environment, backend } = await sessions.environmentHere();
  if (backend.kind !== 'docker') {
    stepDone('prepare');
    void vscode.window.showInformationMessage('pydock: the local backend runs Python on this machine: nothing to pull or build.');
    return;
  }
  const view = launchProgressView(log, name);
  const image = await prepareImageOn(backend, { ...environment.launch, onProgress: view.report, signal: view.nextSignal() })
    .finally(() => view.close());
  stepDone('prepare');
  void vscode.window.showInformationMessage(`pydock: the environment is ready: ${image}. Run a cell to start Python in it.`);
}
