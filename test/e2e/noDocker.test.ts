// No Docker at all, in a real VS Code with pydock.backend auto: the first run says so with what to do and offers the
// local backend, which runs only once the user takes it; the window does not ask again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCodeServer, type VsCode } from './harness';
import { VSIX, demoWorkspace } from './workspace';

describe('no Docker daemon, in code-server', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace({ 'hello.py': '# %%\nimport sys\nprint("ran on", sys.platform)\n' });

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: {
      'pydock.backend': 'auto', 'pydock.docker.host': 'unix:///tmp/pydock-e2e-no-docker.sock', 'pydock.local.python': '/usr/bin/python3',
    } });
  });
  after(() => vscode?.close());

  async function runHello(): Promise<void> {
    await vscode.openFile('hello.py');
    await vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).first().waitFor({ timeout: 30_000 });
    await vscode.page.locator('.monaco-editor .view-line', { hasText: 'print("ran on"' }).click();
    await vscode.page.keyboard.press('Control+Enter');
  }

  it('says Docker is missing and what to do, and runs locally only when the user chooses it', async () => {
    await runHello();
    const dialog = vscode.page.locator('.monaco-dialog-box', { hasText: 'Docker is not available' });
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, /Cannot reach the Docker daemon at unix:\/\/\/tmp\/pydock-e2e-no-docker\.sock/);
    assert.match(text, /install Docker[\s\S]*pydock\.docker\.host[\s\S]*without a sandbox/);
    await vscode.screenshot('no-docker-offer');
    const panel = await vscode.findFrame('.pd-transcript', 30_000);
    assert.equal(await panel.locator('.pd-stream-text', { hasText: 'ran on' }).count(), 0, 'nothing ran before the answer');
    await dialog.getByRole('button', { name: 'Use Local Python (Not Sandboxed)' }).click();
    await panel.locator('.pd-entry[data-state="done"] .pd-stream-text', { hasText: 'ran on linux' }).waitFor({ timeout: 60_000 });
    await vscode.page.locator('.statusbar-item', { hasText: 'local, not sandboxed' }).waitFor({ timeout: 10_000 });
  });

  it('does not ask again in this window', async () => {
    await vscode.runCommand('pydock: Restart Session');
    await runHello();
    const panel = await vscode.findFrame('.pd-transcript', 30_000);
    await panel.locator('.pd-entry[data-state="done"] .pd-stream-text', { hasText: 'ran on linux' }).nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await vscode.page.locator('.monaco-dialog-box').count(), 0);
  });
});
