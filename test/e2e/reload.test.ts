// A window reload in the middle of a run, in a real VS Code: the cell goes on printing in its container, and its entry in
// the session panel ends up holding every line (printed before, during and after the reload) once and in order.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

// Prints a line every 100 ms for at least five seconds, and until the test says the window is back; then ten more.
const COUNTING_PY = [
  '# %% Counts through a reload',
  'import os, time',
  'i = 0',
  'while i < 50 or not os.path.exists("reloaded"):',
  '    print(f"line {i}", flush=True)',
  '    i += 1',
  '    time.sleep(0.1)',
  'for _ in range(10):',
  '    print(f"line {i}", flush=True)',
  '    i += 1',
  '    time.sleep(0.1)',
  'f"counted {i}"',
  '',
].join('\n');

describe('a window reload in the middle of a run, in code-server', () => {
  let vscode: VsCode;
  const workspace = demoWorkspace({ 'counting.py': COUNTING_PY });

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS });
  });
  after(async () => {
    await vscode?.close();
  });

  const entryIn = (panel: Frame) => panel.locator('.pd-entry', { hasText: 'os.path.exists("reloaded")' }).last();
  const shownLines = async (panel: Frame) => (await entryIn(panel).locator('.pd-stream-text')
    .evaluateAll((texts) => texts.map((t) => t.textContent ?? '').join(''))).split('\n').filter(Boolean);

  it('keeps every line of the run in its entry, once and in order, and its result', async () => {
    await vscode.openFile('counting.py');
    const lens = vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).first();
    await lens.waitFor({ timeout: 20_000 });
    await lens.click();
    let panel = await vscode.findFrame('.pd-transcript', 60_000);
    await entryIn(panel).locator('.pd-stream-text', { hasText: 'line 3' }).waitFor({ timeout: 60_000 });
    const before = await shownLines(panel);
    assert.ok(before.length < 50, `the reload comes while the cell prints (${before.length} lines shown before it)`);

    await vscode.runCommand('Developer: Reload Window');
    await vscode.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    panel = await vscode.findFrame('.pd-transcript', 60_000);
    const entry = entryIn(panel);
    await panel.locator('.pd-entry', { hasText: 'Reattached to the running session' }).first().waitFor({ timeout: 60_000 });
    assert.equal((await entry.locator('.pd-state-label').innerText()).trim(), 'running', 'the run goes on in its entry');
    await vscode.screenshot('reload-mid-run-resumed');
    fs.writeFileSync(path.join(workspace, 'reloaded'), ''); // the cell now prints its last ten lines, live
    await entry.locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 60_000 }).catch(async (error) => {
      throw new Error(`${error.message}; the panel shows: ${await panel.locator('.pd-transcript').innerText()}; see ${await vscode.screenshot('reload-mid-run-failed')}`);
    });

    const result = (await entry.locator('.pd-result').innerText()).trim();
    const printed = Number(/^'counted (\d+)'$/.exec(result)?.[1]);
    assert.ok(printed >= 60, `the cell reports how many lines it printed: ${result}`);
    assert.deepEqual(await shownLines(panel), Array.from({ length: printed }, (_, i) => `line ${i}`), 'every line once, in order');
    assert.equal(await panel.locator('.pd-entry', { hasText: 'Output while the window was reloading' }).count(), 0,
      'nothing printed during the reload went to a separate entry');
    await vscode.screenshot('reload-mid-run-done');
  });
});
