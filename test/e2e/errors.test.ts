// A new user with a wrong setting in a real VS Code: a missing image gets a message that names it and says what to
// do, and once the setting is mended the next run works without a reload.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const MISSING_IMAGE = 'pydock-local/python:no-such-tag';

describe('a missing image in code-server', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace({ 'hello.py': 'print(6*7)\n' });

  before(async () => {
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'pydock.image': MISSING_IMAGE }));
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

  it('says which image is missing and how to get it', async () => {
    await vscode.openFile('hello.py');
    await vscode.runCommand('pydock: Run Selection or Line');
    await allow(MISSING_IMAGE);
    const toast = vscode.page.locator('.notification-toast', { hasText: `The image ${MISSING_IMAGE} is not on the Docker host` });
    await toast.first().waitFor({ timeout: 60_000 });
    assert.match(await toast.first().innerText(), /docker pull pydock-local\/python:no-such-tag/);
    await vscode.screenshot('error-missing-image');
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
