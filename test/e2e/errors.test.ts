// A new user with a wrong setting in a real VS Code: an image that cannot be pulled gets a message that names its
// registry and the cause and says what to do, and once the setting is mended the next run works without a reload.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../integration/helpers';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

describe('an image that cannot be pulled, in code-server', () => {
  let vscode: VsCode;
  /** A registry address where nothing listens. */
  let registry: string;
  let unpullable: string;
  const workspace = demoWorkspace({ 'hello.py': 'print(6*7)\n' });

  before(async () => {
    registry = `127.0.0.1:${await freePort()}`;
    unpullable = `${registry}/pydock-missing:1`;
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'pydock.image': unpullable }));
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS });
  });
  after(async () => {
    await vscode?.close();
  });

  /** The workspace chose the image, so pydock asks first. */
  async function allow(image: string): Promise<void> {
    const dialog = vscode.page.locator('.monaco-dialog-box', { hasText: `Image: ${image}` });
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Allow' }).click();
  }

  it('names the registry it cannot reach, the cause and what to do', async () => {
    await vscode.openFile('hello.py');
    await vscode.runCommand('pydock: Run Selection or Line');
    await allow(unpullable);
    const toast = vscode.page.locator('.notification-toast', { hasText: `Cannot reach the registry ${registry} to pull ${unpullable}` });
    await toast.first().waitFor({ timeout: 60_000 });
    assert.match(await toast.first().innerText(), /nothing answers at its address[\s\S]*check its network/);
    const pulling = vscode.page.locator('.notification-toast', { hasText: `pydock: pulling ${unpullable}` });
    await pulling.waitFor({ state: 'hidden', timeout: 10_000 }).catch(async () => {
      throw new Error(`the pull's notification stays open after the pull failed: see ${await vscode.screenshot('error-pull-notification-left')}`);
    });
    await vscode.screenshot('error-unreachable-registry');
  });

  it('runs once the setting names an image that is there', async () => {
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'pydock.image': 'pydock-local/python:full' }));
    await vscode.page.locator('.notification-toast .codicon-notifications-clear').first().click().catch(() => undefined);
    await vscode.openFile('hello.py');
    await vscode.runCommand('pydock: Run Selection or Line');
    await allow('pydock-local/python:full');
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: '42' }).waitFor({ timeout: 60_000 });
  });
});
