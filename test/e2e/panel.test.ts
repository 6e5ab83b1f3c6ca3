// A new user in a real VS Code: run # %% cells with CodeLens, watch output stream into the session panel,
// see a plot, follow a traceback link, interrupt a loop, use the REPL input, the full output and the Variables view.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const ERRORS_PY = [
  '# %% A cell that raises',
  'def fail():',
  '    return 1 / 0',
  '',
  'fail()',
  '',
  '# %% A loop that never ends',
  'spins = 0',
  'while True:',
  '    spins += 1',
  '',
].join('\n');

describe('session panel in code-server', () => {
  let vscode: VsCode;
  let panel: Frame;
  const workspace = demoWorkspace({ 'errors.py': ERRORS_PY });

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS });
  });
  after(async () => {
    await vscode?.close();
  });

  /** Clicks the n-th "Run Cell" CodeLens (0-based) of the active editor. */
  async function runCellLens(n: number): Promise<void> {
    const lens = vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).nth(n);
    await lens.waitFor({ timeout: 20_000 });
    await lens.click();
  }

  const lastEntry = () => panel.locator('.pd-entry').last();
  /** Types code into the REPL input and runs it with Enter; its transcript entry, found by the code's first line. */
  async function runInRepl(code: string): Promise<Locator> {
    const input = panel.locator('.pd-repl textarea');
    await input.fill(code);
    await input.press('Enter');
    return panel.locator('.pd-entry', { hasText: code.split('\n')[0] }).last();
  }

  const stateOf = async (entry = lastEntry()) => (await entry.locator('.pd-state-label').textContent())?.trim();

  it('runs the first cell from its CodeLens and streams lines before the cell finishes', async () => {
    await vscode.openFile('analysis.py');
    await runCellLens(0);
    panel = await vscode.findFrame('.pd-transcript', 60_000);
    const entry = lastEntry();
    await entry.locator('.pd-stream-text', { hasText: 'step 0' }).waitFor({ timeout: 60_000 });
    assert.equal(await stateOf(entry), 'running', 'the first line arrived while the cell was still running');
    await entry.locator('.pd-stream-text', { hasText: '42' }).waitFor({ timeout: 10_000 });
    await panel.locator('.pd-entry .pd-state-label', { hasText: 'done' }).first().waitFor({ timeout: 10_000 });
    assert.match(await entry.locator('.pd-stream-text').first().innerText(), /step 0\s+step 1\s+step 2\s+42/);
    await vscode.screenshot('panel-streamed');
  });

  it('shows a matplotlib plot as an image', async () => {
    await vscode.openFile('analysis.py');
    await runCellLens(1);
    await panel.locator('.pd-entry img.pd-image').first().waitFor({ timeout: 60_000 });
    const size = await panel.locator('.pd-entry img.pd-image').first().evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    assert.ok(size[0] > 100 && size[1] > 100, `a real PNG, ${size.join('x')}`);
    await vscode.screenshot('panel-plot');
  });

  it('shows a traceback whose link opens the file at the failing line', async () => {
    await vscode.openFile('errors.py');
    await runCellLens(0);
    await panel.locator('.pd-error-title', { hasText: 'ZeroDivisionError' }).waitFor({ timeout: 30_000 });
    const frame = panel.locator('.pd-frame', { hasText: 'line 3' }).last();
    await frame.click();
    await vscode.page.locator('.editor-group-container .tab.active .label-name', { hasText: 'errors.py' }).first().waitFor({ timeout: 10_000 });
    await vscode.page.locator('.statusbar-item', { hasText: 'Ln 3, Col 1' }).first().waitFor({ timeout: 10_000 });
    await vscode.screenshot('panel-traceback');
  });

  it('interrupts a while True loop from the toolbar', async () => {
    await vscode.openFile('errors.py');
    await runCellLens(1);
    const entry = lastEntry();
    await entry.locator('.pd-state-label', { hasText: 'running' }).waitFor({ timeout: 30_000 });
    await panel.locator('.pd-toolbar [title="Interrupt"]').click();
    await entry.locator('.pd-state-label', { hasText: 'interrupted' }).waitFor({ timeout: 10_000 });
    assert.match(await entry.innerText(), /KeyboardInterrupt/);
  });

  it('runs 1+1 typed into the REPL input and shows 2', async () => {
    await panel.locator('.pd-repl textarea').click();
    const entry = await runInRepl('1+1');
    await entry.locator('.pd-result', { hasText: '2' }).waitFor({ timeout: 20_000 });
    assert.equal((await entry.locator('.pd-result').innerText()).trim(), '2');
    await vscode.screenshot('panel-repl');
  });

  it('elides a long output to its head and tail, and opens all of it as a read-only document', async () => {
    const entry = await runInRepl('for i in range(20000): print(f"line {i}")');
    await entry.locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 60_000 });
    const elision = entry.locator('.pd-elision');
    await elision.waitFor({ timeout: 10_000 });
    assert.match(await elision.innerText(), /\d+ lines elided/);
    assert.match(await entry.innerText(), /line 0\n[\s\S]*line 19999/, 'the head and the tail stay');
    await elision.getByRole('button', { name: 'Open full output' }).click();
    const tab = vscode.page.locator('.tabs-container .tab.active .label-name', { hasText: /^Out \d+ .*\.log$/ });
    await tab.first().waitFor({ timeout: 20_000 });
    const editor = vscode.page.locator('.editor-group-container.active .monaco-editor').first();
    await editor.click();
    await vscode.page.keyboard.press('Control+End');
    await editor.locator('.view-line', { hasText: 'line 19999' }).waitFor({ timeout: 10_000 });
    await vscode.page.locator('.statusbar-item', { hasText: 'Ln 20001' }).first().waitFor({ timeout: 10_000 });
    await vscode.page.keyboard.type('x');
    await vscode.page.getByText('Cannot edit in read-only editor').first().waitFor({ timeout: 10_000 });
    await vscode.screenshot('panel-full-output');
  });

  it('shows a progress bar drawn with carriage returns as its last state, as a terminal does', async () => {
    const entry = await runInRepl('import sys, time\nfor i in range(101):\n    sys.stderr.write(f"\\rprogress {i}%")\n    time.sleep(0.005)\nsys.stderr.write("\\n")');
    await entry.locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 30_000 });
    assert.equal(await entry.locator('.pd-stderr .pd-stream-text').first().textContent(), 'progress 100%\n');
  });

  it('shows session variables in the Variables view', async () => {
    await vscode.runCommand('View: Show pydock');
    await vscode.runCommand('pydock: Refresh Variables');
    const view = vscode.page.locator('.pane-body .monaco-list-row', { hasText: 'spins' });
    await view.first().waitFor({ timeout: 20_000 });
    assert.match(await view.first().innerText(), /spins\s*int\s+\d+/);
    await vscode.screenshot('panel-variables');
  });

  it('opens the panel again from the status bar once it is closed', async () => {
    await vscode.runCommand('View: Close All Editors');
    await vscode.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 });
    await vscode.page.locator('.statusbar-item', { hasText: 'pydock: idle' }).first().click();
    panel = await vscode.findFrame('.pd-transcript', 30_000);
    await panel.locator('.pd-entry', { hasText: '1+1' }).first().waitFor({ timeout: 10_000 });
  });

  it('comes back after a window reload with its transcript, reattached to the same Python', async () => {
    await vscode.runCommand('Developer: Reload Window');
    await vscode.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry', { hasText: '1+1' }).first().waitFor({ timeout: 30_000 });
    await panel.locator('.pd-entry', { hasText: 'step 0' }).first().waitFor({ timeout: 10_000 });
    const input = panel.locator('.pd-repl textarea');
    await input.click();
    await input.press('ArrowUp');
    assert.match(await input.inputValue(), /^import sys, time\n/, 'the REPL history outlives the reload');
    const entry = await runInRepl('spins > 0');
    await entry.locator('.pd-result').waitFor({ timeout: 30_000 });
    assert.equal((await entry.locator('.pd-result').innerText()).trim(), 'True', 'the variables of before the reload are still there');
    await panel.locator('.pd-entry', { hasText: 'Reattached to the running session' }).first().waitFor({ timeout: 10_000 });
    await vscode.screenshot('panel-after-reload');
  });

  it('says why when the container is removed from outside, and the next run starts a fresh session', async () => {
    const containers = execFileSync('docker', ['ps', '-q', '--filter', `label=pydock.workspace=file://${workspace}`], { encoding: 'utf8' }).trim();
    assert.notEqual(containers, '', 'the session runs in a container');
    execFileSync('docker', ['rm', '-f', ...containers.split('\n')]);
    await panel.locator('.pd-entry', { hasText: 'The session container was removed from outside pydock' }).waitFor({ timeout: 30_000 });
    await vscode.page.locator('.statusbar-item', { hasText: 'pydock: dead' }).first().waitFor({ timeout: 10_000 });
    await vscode.screenshot('panel-container-removed');
    const entry = await runInRepl('"spins" in globals()');
    await entry.locator('.pd-result').waitFor({ timeout: 60_000 });
    assert.equal((await entry.locator('.pd-result').innerText()).trim(), 'False', 'a fresh session, with none of the old variables');
  });

  it('offers a restart when the code ignores the interrupt, and the restarted session runs the next input', async () => {
    const entry = await runInRepl('import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(120)');
    await entry.locator('.pd-state-label', { hasText: 'running' }).waitFor({ timeout: 60_000 });
    await panel.locator('.pd-toolbar [title="Interrupt"]').click();
    const offer = vscode.page.locator('.notification-toast', { hasText: 'did not stop within a second' });
    await offer.waitFor({ timeout: 20_000 });
    await vscode.screenshot('panel-interrupt-ignored');
    await offer.getByRole('button', { name: 'Restart Session' }).click();
    await panel.locator('.pd-entry', { hasText: 'Session restarted' }).last().waitFor({ timeout: 60_000 });
    await entry.locator('.pd-state-label', { hasText: /error|interrupted/ }).waitFor({ timeout: 10_000 });
    const next = await runInRepl('6 * 7');
    await next.locator('.pd-result').waitFor({ timeout: 60_000 });
    assert.equal((await next.locator('.pd-result').innerText()).trim(), '42');
  });
});
