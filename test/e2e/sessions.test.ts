// Named sessions in a real VS Code: a second session of a folder has its own container and variables, and the
// status bar's picker switches which one runs the code, and "Manage Containers…" stops a chosen one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

describe('named sessions in code-server', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace({ 'who.py': 'print("who is", globals().get("who"))\n' });
  const container = (session: string) => execFileSync('docker', ['ps', '-q', '--filter', `label=pydock.workspace=file://${workspace}`,
    '--filter', `label=pydock.session=${session}`], { encoding: 'utf8' }).trim();

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS });
  });
  after(async () => {
    await vscode?.close();
  });

  /** The panel of a session, told apart by the name in its toolbar. */
  async function panelOf(name: RegExp): Promise<Frame> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      for (const frame of vscode.page.frames()) {
        if (await frame.locator('.pd-toolbar .pd-session-name', { hasText: name }).count().catch(() => 0)) return frame;
      }
      if (Date.now() > deadline) throw new Error(`no session panel named ${name} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function runInRepl(panel: Frame, code: string): Promise<void> {
    const input = panel.locator('.pd-repl textarea');
    await input.fill(code);
    await input.press('Enter');
    await panel.locator('.pd-entry', { hasText: code }).last().locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 60_000 });
  }

  /** The status bar's session picker, showing `name`. */
  const picker = (name: string) => vscode.page.locator('.statusbar-item', { hasText: new RegExp(`^\\s*${name}$`) }).first();
  const whoIs = (panel: Frame, value: string) => panel.locator('.pd-entry .pd-stream-text', { hasText: `who is ${value}` }).last().waitFor({ timeout: 60_000 });

  it('starts a second, named session with its own container and variables', async () => {
    await vscode.openFile('who.py');
    await vscode.runCommand('pydock: Run File');
    const first = await panelOf(/^pydock-e2e-[^:]*$/);
    await whoIs(first, 'None');
    await runInRepl(first, 'who = "the default session"');

    await vscode.openFile('who.py');
    await vscode.runCommand('pydock: New Session…');
    const input = vscode.page.locator('.quick-input-widget', { hasText: 'A name for a new session' }).locator('.quick-input-box input');
    await input.fill('scratch');
    await input.press('Enter');
    await picker('scratch').waitFor({ timeout: 10_000 });
    await vscode.openFile('who.py');
    await vscode.runCommand('pydock: Run File');
    const scratch = await panelOf(/: scratch$/);
    await whoIs(scratch, 'None');
    assert.notEqual(container('scratch'), '', 'the named session has a container');
    assert.notEqual(container('scratch'), container('default'), 'of its own');
    await vscode.screenshot('sessions-scratch');
  });

  it('switches back to the default session from the status bar picker', async () => {
    await vscode.openFile('who.py');
    await picker('scratch').click();
    const pick = vscode.page.locator('.quick-input-widget .monaco-list-row', { has: vscode.page.locator('.label-name', { hasText: /^\s*default$/ }) });
    await pick.waitFor({ timeout: 10_000 });
    await pick.click();
    await picker('default').waitFor({ timeout: 10_000 });
    await vscode.openFile('who.py');
    await vscode.runCommand('pydock: Run File');
    await whoIs(await panelOf(/^pydock-e2e-[^:]*$/), 'the default session');
  });

  it('interrupts the session of the panel whose toolbar was used, not the active one', async () => {
    const defaultPanel = await panelOf(/^pydock-e2e-[^:]*$/);
    const input = defaultPanel.locator('.pd-repl textarea');
    await input.fill('while True: pass');
    await input.press('Enter');
    const entry = defaultPanel.locator('.pd-entry', { hasText: 'while True: pass' }).last();
    await entry.locator('.pd-state-label', { hasText: 'running' }).waitFor({ timeout: 30_000 });
    await picker('default').click();
    const scratch = vscode.page.locator('.quick-input-widget .monaco-list-row', { has: vscode.page.locator('.label-name', { hasText: /^\s*scratch$/ }) });
    await scratch.waitFor({ timeout: 10_000 });
    await scratch.click();
    await picker('scratch').waitFor({ timeout: 10_000 });
    // The picker's focus may go back to another panel in the same place: the user brings this one to the front first.
    await vscode.page.locator('.tabs-container .tab', { has: vscode.page.locator('.label-name', { hasText: /^pydock: pydock-e2e-[^:]*$/ }) }).click();
    await defaultPanel.locator('.pd-toolbar [title="Interrupt"]').click();
    await entry.locator('.pd-state-label', { hasText: 'interrupted' }).waitFor({ timeout: 10_000 });
  });

  it('lists the containers in "Manage Containers…" and stops the one chosen, leaving the others', async () => {
    assert.notEqual(container('scratch'), '', 'the named session still runs');
    await vscode.runCommand('pydock: Manage Containers…');
    const list = vscode.page.locator('.quick-input-widget', { hasText: 'pydock containers on this Docker host' });
    await list.waitFor({ timeout: 30_000 });
    await list.locator('.quick-input-box input').fill(path.basename(workspace)); // this test's containers, not others'
    const row = list.locator('.monaco-list-row', { hasText: 'scratch · pydock-local/python:full' });
    await row.waitFor({ timeout: 10_000 });
    assert.equal(await list.locator('.monaco-list-row', { hasText: 'default · pydock-local/python:full' }).count(), 1, 'the default session is listed too');
    await row.click();
    await list.locator('.quick-input-box input').press('Enter');
    await vscode.page.locator('.notification-toast', { hasText: 'pydock: removed 1 container' }).first().waitFor({ timeout: 30_000 });
    assert.equal(container('scratch'), '', 'the chosen container is gone');
    assert.notEqual(container('default'), '', 'the other one runs on');
  });
});
