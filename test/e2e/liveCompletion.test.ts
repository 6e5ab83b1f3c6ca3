// Live completions in a real editor: after a cell builds df, df[" lists its columns, df.gro offers groupby and a hover
// on df says DataFrame and its shape, a module the session lacks completes from jedi, and the panel's REPL input
// completes too, all from the session's language server (no Python extension is installed).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { goToLine as moveToLine } from './editorKeys';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const LIVE_PY = [
  '# %% data',
  'import pandas as pd',
  "df = pd.DataFrame({'price': [1.5, 2.5, 3.5], 'city_name': ['Oslo', 'Lima', 'Pune']})", // line 3
  '',
  '# %% use', //                                                                          line 5
  '',
].join('\n');

describe('live completions in the editor, in code-server', () => {
  let vscode: VsCode;
  // 4,000 functions: jedi's first read takes about a second, longer than typing the rest of the line.
  const BIG_MODULE = Array.from({ length: 4000 }, (_, i) => `def fn_${i}(a, b=1):\n    return a + b\n`).join('\n');
  const workspace = demoWorkspace({ 'live.py': LIVE_PY, 'bigmod.py': BIG_MODULE });

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS });
    await vscode.openFile('live.py');
    await vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).first().waitFor({ timeout: 30_000 });
    await goToLine(2);
    await vscode.page.keyboard.press('Control+Enter');
    const panel = await vscode.findFrame('.pd-transcript', 60_000);
    await panel.locator('.pd-entry[data-state="done"], .pd-entry [data-state="done"]').first().waitFor({ timeout: 90_000 });
    await vscode.page.locator('.monaco-editor textarea').first().focus();
  });
  after(async () => {
    await vscode?.close();
  });

  const goToLine = (line: number) => moveToLine(vscode.page, line);

  /** Types on line 6 (emptied first) and waits for a suggestion row with the label. */
  async function suggestionsAfter(text: string, label: string, screenshot: string): Promise<string[]> {
    await goToLine(6);
    await vscode.page.keyboard.press('Shift+End');
    await vscode.page.keyboard.press('Delete');
    await vscode.page.keyboard.type(text, { delay: 30 });
    const rows = vscode.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
    try {
      await rows.filter({ hasText: label }).first().waitFor({ timeout: 20_000 });
    } catch {
      throw new Error(`no suggestion "${label}" after typing ${text}: see ${await vscode.screenshot(`${screenshot}-missing`)}`);
    }
    await vscode.screenshot(screenshot);
    const labels = (await rows.locator('.label-name').allInnerTexts()).map((t) => t.trim());
    await vscode.page.keyboard.press('Escape');
    return labels;
  }

  it('df[" lists the columns of the live DataFrame', async () => {
    const labels = await suggestionsAfter('df["', 'city_name', 'live-columns');
    assert.deepEqual(labels.slice().sort(), ['city_name', 'price'], labels.join());
  });

  it('df.gro completes groupby', async () => {
    const labels = await suggestionsAfter('df.gro', 'groupby', 'live-groupby');
    assert.ok(labels.includes('groupby'), labels.join());
  });

  it('a module the session has not imported completes from jedi (no Pylance here, so static items are on)', async () => {
    const labels = await suggestionsAfter('import json; json.du', 'dumps', 'static-jedi');
    assert.deepEqual(labels.slice(0, 2), ['dump', 'dumps'], labels.join());
  });

  it('a module jedi reads for a second completes once read, though the typing stopped before', async () => {
    const labels = await suggestionsAfter('import bigmod; bigmod.fn_39', 'fn_39', 'static-jedi-slow');
    assert.equal(labels[0], 'fn_39', labels.join());
  });

  it('hovering df shows DataFrame and its shape', async () => {
    await goToLine(3);
    await vscode.page.keyboard.press('Control+K');
    await vscode.page.keyboard.press('Control+I');
    const hover = vscode.page.locator('.monaco-hover:not(.hidden)', { hasText: 'DataFrame' });
    try {
      await hover.first().waitFor({ timeout: 20_000 });
    } catch {
      throw new Error(`no hover saying DataFrame: see ${await vscode.screenshot('live-hover-missing')}`);
    }
    assert.match(await hover.first().innerText(), /3 rows × 2 columns/);
    await vscode.screenshot('live-hover');
    await vscode.page.keyboard.press('Escape');
  });

  it('follows a restart: the new session\'s names once its cell has run again', async () => {
    await vscode.runCommand('pydock: Restart Session');
    const panel = await vscode.findFrame('.pd-transcript', 30_000);
    await panel.locator('.pd-entry', { hasText: 'Session restarted' }).last().waitFor({ timeout: 60_000 });
    await vscode.page.locator('.monaco-editor textarea').first().focus();
    const cellRuns = panel.locator('.pd-entry', { has: panel.locator('.pd-source', { hasText: 'live.py:2' }) }).and(panel.locator('[data-state="done"]'));
    const before = await cellRuns.count();
    await goToLine(2);
    await vscode.page.keyboard.press('Control+Enter');
    await cellRuns.nth(before).waitFor({ timeout: 90_000 });
    await vscode.page.locator('.monaco-editor textarea').first().focus();
    const labels = await suggestionsAfter('df["', 'city_name', 'live-columns-after-restart');
    assert.deepEqual(labels.slice().sort(), ['city_name', 'price'], labels.join());
    const toasts = await vscode.page.locator('.notification-toast').allInnerTexts();
    assert.deepEqual(toasts.filter((t) => /pydock live|Request .* failed/.test(t)), [], 'no language client error was shown');
  });

  it('the panel\'s REPL input completes a live name and its methods', async () => {
    const panel = await vscode.findFrame('.pd-repl textarea', 30_000);
    const input = panel.locator('.pd-repl textarea');
    await input.click();
    const row = (label: string) => panel.locator('.pd-suggest-row', { has: panel.locator('.pd-suggest-label', { hasText: new RegExp(`^${label}$`) }) });
    await input.pressSequentially('d', { delay: 30 });
    await row('df').waitFor({ timeout: 20_000 });
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'df');
    await input.pressSequentially('.gro', { delay: 30 });
    try {
      await row('groupby').waitFor({ timeout: 20_000 });
    } catch {
      throw new Error(`no groupby in the REPL's suggestions: see ${await vscode.screenshot('live-repl-missing')}`);
    }
    await vscode.screenshot('live-repl');
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'df.groupby', 'Enter accepted the suggestion and ran nothing');
  });
});
