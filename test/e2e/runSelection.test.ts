// A new user in a real VS Code: open a file, run "Run Selection or Line" from the palette, see the answer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { selectFromHome } from './editorKeys';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

describe('Run Selection in code-server', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace({ 'hello.py': 'print(6*7)\n', 'block.py': 'def answer():\n    a = 6\n    b = a * 7\n    print("the answer is", b)\n' });

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: { ...E2E_SETTINGS, 'pydock.reattachGraceSeconds': 2 } });
  });
  after(async () => {
    await vscode?.close();
  });

  it('runs the current line in a container and shows 42', async () => {
    await vscode.openFile('hello.py');
    await vscode.runCommand('pydock: Run Selection or Line');
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: '42' }).waitFor({ timeout: 60_000 });
    await vscode.screenshot('run-selection-42');
    const containers = execFileSync('docker', ['ps', '--filter', 'label=pydock.session=default', '--format', '{{.Image}}'], { encoding: 'utf8' });
    assert.match(containers, /pydock-local\/python:full/, 'the code ran in a pydock container');
  });

  it('runs lines selected from inside a function body, from where Home puts the cursor', async () => {
    await vscode.openFile('block.py');
    await selectFromHome(vscode.page, 2, 2, 'Ln 4, Col 30 (49 selected)');
    await vscode.runCommand('pydock: Run Selection or Line');
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: 'the answer is 42' }).waitFor({ timeout: 30_000 });
  });

  it('shows the session state in the status bar', async () => {
    await vscode.page.locator('.statusbar-item', { hasText: 'pydock: idle · docker' }).first().waitFor({ timeout: 10_000 });
  });

  it('removes the container when the window closes (after the grace a reload would use to take it back)', async () => {
    await vscode.close();
    const left = () => execFileSync('docker', ['ps', '-a', '--filter', 'label=pydock.session=default', '--filter', `label=pydock.workspace=file://${workspace}`, '-q'], { encoding: 'utf8' }).trim();
    const deadline = Date.now() + 30_000;
    while (left() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(left(), '', 'no pydock container is left for this workspace');
  });
});
