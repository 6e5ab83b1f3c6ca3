// A user in a real VS Code editor: Shift+Enter and Ctrl+Enter on # %% cells, Run Above and Run Below from the
// CodeLens, and the Variables view following each run by itself (type, repr, shape, lazy expansion, View as Table).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { goToLine as moveToLine } from './editorKeys';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const CELLS_PY = [
  '# %% first', //             line 1
  'a = 1',
  'print("first ran", a)',
  '',
  '# %% second', //            line 5
  'b = a + 1',
  'print("second ran", b)',
  '',
  '# %% third', //             line 9
  'c = b * 10',
  'print("third ran", c)',
  '',
].join('\n');

const ORDER_PY = [
  '# %% one',
  'log = ["one"]',
  '',
  '# %% two',
  'log.append("two")',
  '',
  '# %% three',
  'log.append("three")',
  '',
].join('\n');

const VARS_PY = [
  '# %% x',
  'x = 41', //                 line 2
  '',
  '# %% x again',
  'x = 42', //                 line 5
  '',
  '# %% values',
  'import pandas as pd', //    line 8
  'frame = pd.DataFrame({"n": [1, 2, 3], "s": ["p", "q", "r"]})',
  'config = {"alpha": 1, "beta": [10, 20]}',
  '',
].join('\n');

const NOTES_PY = [
  '# %% [markdown]',
  '# # Notes', //              line 2
  '# Shown in the editor, never run.',
  '',
  '# %% code',
  'print("after the notes")', // line 6
  '',
].join('\n');

const PLAIN_PY = 'n = 6\nprint(n * 7)\n';

describe('cells and variables in the editor, in code-server', () => {
  let vscode: VsCode;
  let panel: Frame;
  const workspace = demoWorkspace({ 'cells.py': CELLS_PY, 'order.py': ORDER_PY, 'vars.py': VARS_PY, 'notes.py': NOTES_PY, 'plain.py': PLAIN_PY });

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: E2E_SETTINGS });
  });
  after(async () => {
    await vscode?.close();
  });

  const exactly = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const position = () => vscode.page.locator('[id="status.editor.selection"]');

  /** Waits until the cursor is at the start of a 1-based line. */
  async function cursorAt(line: number): Promise<void> {
    try {
      await position().filter({ hasText: exactly(`Ln ${line}, Col 1`) }).waitFor({ timeout: 10_000 });
    } catch {
      const seen = await position().allInnerTexts();
      throw new Error(`expected the cursor at line ${line}, saw ${JSON.stringify(seen)}: see ${await vscode.screenshot(`editor-cursor-${line}`)}`);
    }
  }

  /** Opens a file and waits for its "Run Cell" lenses: then pydock is active and owns Shift+Enter and Ctrl+Enter. */
  async function openCells(file: string): Promise<void> {
    await vscode.openFile(file);
    await vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).first().waitFor({ timeout: 30_000 });
  }

  /** Puts the cursor at the start of a 1-based line and checks it is there. */
  async function goToLine(line: number): Promise<void> {
    await moveToLine(vscode.page, line);
    await cursorAt(line);
  }

  /** The transcript entries run from a file's line, e.g. "cells.py:2". */
  const entriesFrom = (source: string) => panel.locator('.pd-entry').filter({ has: panel.locator('.pd-source', { hasText: exactly(source) }) });

  /** Waits until a run from `source` is done (and printed `text`). */
  async function ran(source: string, text?: string): Promise<void> {
    panel ??= await vscode.findFrame('.pd-transcript', 60_000);
    const done = entriesFrom(source).and(panel.locator('[data-state="done"]'));
    const entry = text === undefined ? done : done.filter({ has: panel.locator('.pd-stream-text', { hasText: text }) });
    try {
      await entry.first().waitFor({ timeout: 60_000 });
    } catch {
      throw new Error(`no finished run from ${source}${text ? ` printing "${text}"` : ''}: see ${await vscode.screenshot(`editor-no-${source}`)}`);
    }
  }

  /** Evaluates an expression in the session through the panel's REPL and returns its repr. */
  async function python(expr: string): Promise<string> {
    const entries = panel.locator('.pd-entry');
    const entry = entries.nth(await entries.count()); // the one this input adds
    const input = panel.locator('.pd-repl textarea');
    await input.fill(expr);
    await input.press('Enter');
    const result = entry.and(panel.locator('[data-state="done"]')).locator('.pd-result');
    await result.waitFor({ timeout: 30_000 });
    assert.equal((await entry.locator('.pd-summary').textContent())?.trim(), expr, 'the entry of this input');
    return (await result.innerText()).trim();
  }

  it('Shift+Enter runs the cell and moves to the next one', async () => {
    await openCells('cells.py');
    await goToLine(2);
    await vscode.page.keyboard.press('Shift+Enter');
    await cursorAt(6);
    await ran('cells.py:2', 'first ran 1');
  });

  it('Ctrl+Enter runs the cell and stays', async () => {
    await vscode.page.keyboard.press('Control+Enter');
    await ran('cells.py:6', 'second ran 2');
    await cursorAt(6); // stayed
    assert.equal(await entriesFrom('cells.py:6').count(), 1, 'the cell ran once');
  });

  it('Shift+Enter on the last cell runs it and adds a new cell at the end of the file', async () => {
    await goToLine(10);
    await vscode.page.keyboard.press('Shift+Enter');
    await ran('cells.py:10', 'third ran 20');
    await cursorAt(14);
    await vscode.page.keyboard.press('Control+S');
    const expected = `${CELLS_PY}\n# %%\n`;
    const file = path.join(workspace, 'cells.py');
    const deadline = Date.now() + 10_000;
    while (fs.readFileSync(file, 'utf8') !== expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(fs.readFileSync(file, 'utf8'), expected, 'a "# %" cell was added at the end, and nothing else changed');
    await vscode.page.keyboard.press('Shift+Enter'); // on the new, empty cell
    await vscode.page.keyboard.press('Control+S');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a second cell would be saved by now
    assert.equal(fs.readFileSync(file, 'utf8'), expected, 'an empty last cell gets no second one');
    await cursorAt(14);
    await vscode.screenshot('editor-new-cell');
  });

  it('Run Above runs the cells above, not this one', async () => {
    await openCells('order.py');
    await vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Above' }).nth(2).click();
    await ran('order.py:5');
    assert.equal(await python('log'), "['one', 'two']");
  });

  it('Run Below runs this cell and the ones below', async () => {
    await vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Below' }).nth(1).click();
    await ran('order.py:8');
    assert.equal(await python('log'), "['one', 'two', 'two', 'three']");
  });

  it('Shift+Enter skips a markdown cell, in a file opened in the panel\'s group that running does not hide', async () => {
    const panelTab = vscode.page.locator('.tabs-container .tab', { hasText: 'pydock:' });
    await panelTab.click(); // files open in the panel's editor group now
    const panelGroup = vscode.page.locator('.editor-group-container.active', { has: panelTab });
    await panelGroup.waitFor({ timeout: 10_000 });
    // The webview takes the focus a moment later, and would close a quick open started before.
    await vscode.page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME', undefined, { timeout: 10_000 });
    await openCells('notes.py');
    assert.equal(await panelGroup.locator('.tab', { hasText: 'notes.py' }).count(), 1, 'notes.py shares the panel\'s group');
    await goToLine(2);
    const entries = await panel.locator('.pd-entry').count();
    await vscode.page.keyboard.press('Shift+Enter');
    await cursorAt(6);
    await vscode.page.keyboard.press('Control+Enter');
    await ran('notes.py:6', 'after the notes');
    assert.equal(await panel.locator('.pd-entry').count(), entries + 1, 'only the code cell ran');
    const active = vscode.page.locator('.editor-group-container .tab.active .label-name', { hasText: exactly('notes.py') });
    assert.equal(await active.count(), 1, 'notes.py is still shown: the panel went beside it');
    await vscode.screenshot('editor-notes');
  });

  it('Shift+Enter in a file without cells runs the line and moves down, leaving the file as it is', async () => {
    await vscode.openFile('plain.py');
    await goToLine(1);
    await vscode.page.keyboard.press('Shift+Enter');
    await cursorAt(2);
    await ran('plain.py:1');
    await vscode.page.keyboard.press('Shift+Enter');
    await ran('plain.py:2', '42');
    await cursorAt(3);
    assert.equal(await vscode.page.locator('.tabs-container .tab.active.dirty').count(), 0, 'no cell was added to the file');
  });

  describe('the Variables view', () => {
    /** The view's row for a variable, by its exact name. */
    const row = (name: string) => vscode.page.locator('.pane-body .monaco-list-row').filter({ has: vscode.page.locator('.label-name', { hasText: exactly(name) }) });

    /** Waits until the row of `name` shows `description` (type, shape and repr), without refreshing the view. */
    async function shows(name: string, description: RegExp): Promise<Locator> {
      const matching = row(name).filter({ has: vscode.page.locator('.label-description', { hasText: description }) });
      try {
        await matching.first().waitFor({ timeout: 20_000 });
      } catch {
        const seen = await row(name).allInnerTexts();
        throw new Error(`expected the Variables view to show ${name} as ${description}; saw ${JSON.stringify(seen)}: see ${await vscode.screenshot(`editor-vars-${name}`)}`);
      }
      return matching.first();
    }

    async function runCellAt(file: string, line: number): Promise<void> {
      await openCells(file);
      await goToLine(line);
      await vscode.page.keyboard.press('Control+Enter');
      await ran(`${file}:${line}`);
    }

    it('shows x after a run, and its new value after the next, by itself', async () => {
      await vscode.runCommand('View: Show pydock');
      await shows('log', /^list 4\s+\['one', 'two', 'two', 'three'\]$/);
      assert.equal(await row('x').count(), 0, 'no x before it is defined');
      await runCellAt('vars.py', 2);
      await shows('x', /^int\s+41$/);
      await runCellAt('vars.py', 5);
      await shows('x', /^int\s+42$/);
    });

    it('shows a DataFrame with its shape, and a dict that expands lazily', async () => {
      await runCellAt('vars.py', 8);
      await shows('frame', /^DataFrame 3×2\s+n s 0 1 p 1 2 q 2 3 r$/);
      const config = await shows('config', /^dict 2\s+\{'alpha': 1, 'beta': \[10, 20\]\}$/);
      assert.equal(await config.getAttribute('aria-expanded'), 'false');
      assert.equal(await row("'alpha'").count(), 0, 'no children before the dict is expanded');
      await config.locator('.monaco-tl-twistie').click();
      await shows("'alpha'", /^int\s+1$/);
      const beta = await shows("'beta'", /^list 2\s+\[10, 20\]$/);
      await beta.locator('.monaco-tl-twistie').click();
      await shows('[1]', /^int\s+20$/);
      await vscode.screenshot('editor-variables');
    });

    it('opens a DataFrame from its View as Table action', async () => {
      const frame = row('frame');
      await frame.hover();
      await frame.locator('.action-label[aria-label="View as Table"]').click();
      const grid = await vscode.findFrame('.grid', 30_000);
      await grid.locator('.toolbar .counts', { hasText: '3 rows × 2 columns' }).waitFor({ timeout: 20_000 });
      await grid.locator('#c2_1:not(.loading)', { hasText: 'r' }).waitFor({ timeout: 20_000 });
      await vscode.screenshot('editor-view-as-table');
    });
  });
});
