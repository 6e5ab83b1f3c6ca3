// "pydock: Manage Containers": lists pydock's containers on the Docker host (any window's) and stops the chosen ones.
import * as vscode from 'vscode';
import { connectBackend, listContainers, stopContainer } from './engine/launch/backends';
import type { Logger } from './engine/log';
import { Config } from './config';

export async function manageContainers(log: Logger): Promise<void> {
  const config = new Config(vscode.workspace.workspaceFolders?.[0]);
  const backend = await connectBackend({ choice: 'docker', dockerHost: config.dockerHost, log });
  const containers = await listContainers(backend);
  if (containers.length === 0) {
    void vscode.window.showInformationMessage('pydock: there are no pydock containers on this Docker host.');
    return;
  }
  const items = containers.map((c) => ({
    label: `${c.state === 'running' ? '$(vm-running)' : '$(vm-outline)'} ${c.session} · ${c.image}`,
    description: `${c.id} · ${c.status}`,
    detail: `${c.workspace}${c.ownerAlive ? '' : ' · its window is gone'}`,
    id: c.id,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'pydock containers on this Docker host', placeHolder: 'Choose containers to stop and remove', canPickMany: true, matchOnDetail: true,
    // The list comes after a round trip to the daemon; focus returning to where the palette was opened must not close it.
    ignoreFocusOut: true,
  });
  if (!picked?.length) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'pydock: removing containers' }, async () => {
    for (const item of picked) {
      await stopContainer(backend, item.id);
      log.info(`removed container ${item.id} on request`);
    }
  });
  void vscode.window.showInformationMessage(`pydock: removed ${picked.length} container${picked.length === 1 ? '' : 's'}. Sessions that used them start afresh on their next run.`);
}
