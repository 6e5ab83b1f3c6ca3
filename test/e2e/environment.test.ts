// A new user opens a workspace that describes its environment in .pydock/environment.json: pydock asks once,
// builds the image with the workspace's own package (offline), shows the build, and the code can import it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeTinyPackage } from '../integration/envSupport';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

describe('a workspace environment in code-server', () => {
  let vscode: VsCode;
  // A fresh requirements hash each run, so the image is really built here rather than found from an earlier run.
  const marker = randomBytes(6).toString('hex');
  const workspace = demoWorkspace({
    'uses_pkg.py': 'import pydocktiny\nprint("answer", pydocktiny.ANSWER)\n',
    'greet.py': 'import os\nprint("greeting", os.environ.get("GREETING"))\n',
  });
  const environmentFile = path.join(workspace, '.pydock', 'environment.json');
  writeTinyPackage(path.join(workspace, 'pkg'));
  fs.mkdirSync(path.join(workspace, '.pydock'));
  fs.writeFileSync(path.join(workspace, 'requirements.txt'), `--no-index\n./pkg\n# ${marker}\n`);
  const environment = {
    image: 'pydock-local/python:full', requirements: 'requirements.txt', pipArgs: ['--no-build-isolation'], network: 'none',
  };
  fs.writeFileSync(environmentFile, JSON.stringify(environment, null, 2));

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS });
  });
  after(async () => {
    await vscode?.close();
    const images = execFileSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=pydock-env/*'], { encoding: 'utf8' })
      .split('\n').filter(Boolean);
    if (images.length) execFileSync('docker', ['rmi', '-f', ...images], { stdio: 'ignore' });
  });

  it('asks before running what the workspace chose, then builds the image and imports the package', async () => {
    await vscode.openFile('uses_pkg.py');
    await vscode.runCommand('pydock: Run File');
    const dialog = vscode.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, /wants to run Python in a container/);
    assert.match(text, /Runs on: the default Docker daemon/);
    assert.match(text, /Image: pydock-local\/python:full \(built from requirements\)/);
    assert.match(text, /Network: none/);
    await vscode.screenshot('environment-confirm');
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await vscode.page.locator('.notifications-toasts', { hasText: 'pydock: building' }).first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('environment-building');
    const panel = await vscode.findFrame('.pd-transcript', 240_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: 'answer 42' }).waitFor({ timeout: 240_000 });
  });

  it('does not ask again for the same environment', async () => {
    await vscode.runCommand('pydock: Restart Session');
    await vscode.openFile('uses_pkg.py');
    await vscode.runCommand('pydock: Run File');
    const panel = await vscode.findFrame('.pd-transcript', 30_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: 'answer 42' }).nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await vscode.page.locator('.monaco-dialog-box').count(), 0, 'no second question');
  });

  it('offers to restart when the environment file changes, and the restarted session has the new environment', async () => {
    fs.writeFileSync(environmentFile, JSON.stringify({ ...environment, env: { GREETING: marker } }, null, 2));
    const offer = vscode.page.locator('.notifications-toasts .notification-toast', { hasText: 'environment.json changed' });
    await offer.waitFor({ timeout: 30_000 });
    await vscode.screenshot('environment-changed');
    await offer.getByRole('button', { name: 'Restart' }).click();
    await vscode.openFile('greet.py');
    await vscode.runCommand('pydock: Run File');
    const panel = await vscode.findFrame('.pd-transcript', 30_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: `greeting ${marker}` }).waitFor({ timeout: 60_000 });
  });
});
