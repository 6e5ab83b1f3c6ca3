// Workspace Trust in a real VS Code: a folder in Restricted Mode runs no Python; trusting it turns pydock on.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

describe('Workspace Trust in code-server', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace({ 'hello.py': 'print(6*7)\n' });
  const containers = () => execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=pydock.workspace=file://${workspace}`], { encoding: 'utf8' }).trim();

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS, untrusted: true });
  });
  after(async () => {
    await vscode?.close();
  });

  it('says so in the status bar and offers no run command in Restricted Mode', async () => {
    await vscode.openFile('hello.py');
    await vscode.page.locator('.statusbar-item', { hasText: 'pydock: Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await assert.rejects(vscode.runCommand('pydock: Run Selection or Line', { timeout: 5_000 }), /expected a quick input entry/,
      'the palette does not offer to run code');
    await vscode.page.keyboard.press('Escape');
    await vscode.page.locator('.monaco-editor .view-lines').first().click();
    await vscode.page.keyboard.press('Control+Enter'); // the run-cell key is off too: it would start a session
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // a session would have created its container by now
    await vscode.screenshot('trust-restricted');
    assert.equal(containers(), '', 'no container was started for the untrusted folder');
  });

  it('runs code once the user trusts the folder', async () => {
    await vscode.page.locator('.statusbar-item', { hasText: 'pydock: Restricted Mode' }).first().click();
    const trust = vscode.page.locator('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button', { hasText: /^Trust/ }).first();
    await trust.waitFor({ timeout: 30_000 });
    await trust.click();
    await vscode.page.locator('.statusbar-item', { hasText: 'pydock: no session' }).first().waitFor({ timeout: 30_000 });
    await vscode.openFile('hello.py');
    await vscode.page.keyboard.press('Control+Home'); // the untrusted Ctrl+Enter inserted a line, as VS Code's own key does
    await vscode.runCommand('pydock: Run Selection or Line');
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry .pd-stream-text', { hasText: '42' }).waitFor({ timeout: 60_000 });
    assert.notEqual(containers(), '', 'the session runs in a container of this folder');
  });
});
