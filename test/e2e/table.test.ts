// A new user in a real VS Code: build a 1M-row DataFrame in a cell, open it from the panel in the table viewer,
// scroll to the last row, sort, filter, read the counts, export, copy code and a cell, close it. Values are checked against pandas in the session.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { runDemoFrameCell, runInRepl, viewAsTable as openAsTable } from './demoPanel';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

describe('table viewer in code-server', () => {
  let vscode: VsCode;
  let panel: Frame;
  let grid: Frame;
  const workspace = demoWorkspace();

  before(async () => {
    // Refreshing by itself is the default (tableLive.test.ts); here the viewer offers to, which is the other setting.
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: { ...E2E_SETTINGS, 'pydock.table.autoRefresh': false } });
    await vscode.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(vscode.url).origin });
  });
  after(async () => {
    await vscode?.close();
  });

  /** Asks pandas in the session, through the panel's REPL, and returns the result's text. */
  const python = (expr: string) => runInRepl(panel, expr);

  /** The clipboard's text once `ready` accepts it (or after 5 s): the webview writes it a moment after the click. */
  async function clipboard(ready: (text: string) => boolean): Promise<string> {
    let text = '';
    for (let i = 0; i < 50 && !ready(text); i++) {
      if (i) await new Promise((resolve) => setTimeout(resolve, 100));
      text = await vscode.page.evaluate(() => navigator.clipboard.readText());
    }
    return text;
  }

  const counts = () => grid.locator('.toolbar .counts').innerText();
  const header = (col: number) => grid.locator(`.hrow.names .hcell[data-col="${col}"]`);
  /** A cell's text once its row has arrived from the agent. */
  const cellText = async (row: number, col: number) => {
    const cell = grid.locator(`#c${row}_${col}:not(.loading)`);
    await cell.waitFor({ timeout: 20_000 });
    return cell.innerText();
  };

  it('opens the 1M-row frame of the demo from the panel', async () => {
    panel = await runDemoFrameCell(vscode);
    const open = panel.locator('.pd-entry', { hasText: 'pd.DataFrame' }).last().getByText('Open in table viewer');
    await open.waitFor({ timeout: 120_000 });
    await open.click();
    grid = await vscode.findFrame('.grid', 30_000);
    await grid.locator('#c0_0').waitFor({ timeout: 30_000 });
    assert.equal(await counts(), '1,000,000 rows × 3 columns');
    assert.equal(await cellText(0, 0), await python('df.city.iloc[0]').then((r) => r.replace(/^'|'$/g, '')));
    await vscode.screenshot('table-opened');
  });

  it('scrolls to the last row with the keyboard', async () => {
    await grid.locator('#c0_0').click();
    await vscode.page.keyboard.press('Control+End');
    await grid.locator('.grid-body .row[data-row="999999"]').waitFor({ timeout: 20_000 });
    assert.equal(Number(await cellText(999_999, 1)), Number(await python('df.temperature.iloc[-1]')));
    await vscode.screenshot('table-last-row');
  });

  it('sorts a column in the agent, as pandas sorts it', async () => {
    await grid.locator('.grid-body .cell:not(.index)').first().click(); // the REPL had the focus
    await vscode.page.keyboard.press('Control+Home');
    await grid.locator('#c0_0').waitFor({ timeout: 20_000 });
    await header(1).locator('.sort-target').click();
    await grid.locator('.hrow.names .hcell[data-col="1"][aria-sort="ascending"]').waitFor({ timeout: 30_000 });
    const smallest = await python('df.temperature.min()');
    await grid.locator(`#c0_1:not(.loading)`, { hasText: smallest }).waitFor({ timeout: 30_000 });
    assert.equal(Number(await cellText(0, 1)), Number(smallest));
  });

  it('filters a column and shows "filtered of total"', async () => {
    await header(1).hover();
    await header(1).locator('.hmenu').click({ delay: 150 }); // as long as a hand holds the button
    await grid.locator('vscode-context-menu-item', { hasText: 'Add Filter' }).click({ delay: 150 });
    await grid.locator('.filter-op').click({ delay: 150 });
    await grid.locator('.filter-op li.option', { hasText: /^\s*greater than\s*$/ }).click({ delay: 150 });
    await grid.locator('.filter-value input').fill('20');
    await grid.locator('.filter-apply').click();
    const expected = Number(await python('int((df.temperature > 20).sum())'));
    const text = `${expected.toLocaleString('en-US')} of 1,000,000 rows × 3 columns`;
    await grid.locator('.toolbar .counts', { hasText: text }).waitFor({ timeout: 30_000 });
    assert.ok(Number(await cellText(0, 1)) > 20, 'the first row passes the filter');
    await vscode.screenshot('table-filtered');
  });

  it('exports the filtered, sorted view to a CSV file in the workspace, as pandas would write it', async () => {
    await grid.locator('.toolbar .action-export').click({ delay: 150 });
    await grid.locator('vscode-context-menu-item', { hasText: 'Export as CSV' }).click({ delay: 150 });
    const save = vscode.page.locator('.quick-input-widget', { hasText: 'Export the table view' }).locator('.quick-input-box input');
    const target = path.join(workspace, 'df.csv');
    let proposed = '';
    for (let i = 0; i < 100 && proposed !== target; i++) { // the dialog fills the path in as it reads the folder
      proposed = await save.inputValue({ timeout: 20_000 });
      if (proposed !== target) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(proposed, target, 'the dialog proposes the workspace folder and the variable name');
    await save.press('Enter');
    await grid.locator('[data-notice="export"]', { hasText: 'Exported to' }).waitFor({ timeout: 60_000 });
    const lines = fs.readFileSync(target, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length - 1, Number(await python('int((df.temperature > 20).sum())')), 'one line per row of the view, and a header');
    assert.equal(Number(lines[1].split(',')[1]), Number(await python('float(df[df.temperature > 20].temperature.min())')), 'sorted as the view is');
  });

  it('copies pandas code that gives the rows of the view', async () => {
    await grid.locator('.toolbar .action-copy-code').click({ delay: 150 });
    const code = await clipboard((text) => text.includes('temperature'));
    const expression = code.trimEnd().split('\n').pop()!;
    assert.equal(await python(`len(${expression})`), await python('int((df.temperature > 20).sum())'));
    assert.equal(await python(`${expression}.index[0]`), await python('df[df.temperature > 20].temperature.idxmin()'));
  });

  it('searches with Ctrl+F, and Escape clears the search', async () => {
    await grid.locator('#c0_0').click();
    await vscode.page.keyboard.press('Control+F');
    await vscode.page.keyboard.type('Lima');
    const found = Number(await python('int(((df.temperature > 20) & (df.city == "Lima")).sum())'));
    await grid.locator('.toolbar .counts', { hasText: `${found.toLocaleString('en-US')} of 1,000,000 rows` }).waitFor({ timeout: 30_000 });
    await grid.locator('.toolbar .search').press('Escape');
    const filtered = Number(await python('int((df.temperature > 20).sum())'));
    await grid.locator('.toolbar .counts', { hasText: `${filtered.toLocaleString('en-US')} of 1,000,000 rows` }).waitFor({ timeout: 30_000 });
  });

  it('copies a cell to the clipboard', async () => {
    await grid.locator('#c0_0').click();
    await vscode.page.keyboard.press('Control+C');
    const expected = await cellText(0, 0);
    assert.equal(await clipboard((text) => text === expected), expected);
  });

  it('opens an expression from "View as Table", and offers a refresh when a later run changes it', async () => {
    await python('small = df.head(1000)');
    const viewer = await viewAsTable('small', /^1,000 rows/);
    await python('small = df.head(10)');
    await viewer.locator('[data-notice="stale"]', { hasText: 'changed after a later run (small)' }).waitFor({ timeout: 20_000 });
    await vscode.screenshot('table-stale');
    await viewer.locator('[data-notice="stale"] vscode-button', { hasText: 'Refresh' }).click();
    await viewer.locator('.toolbar .counts', { hasText: '10 rows × 3 columns' }).waitFor({ timeout: 20_000 });
  });

  it('says why a refresh failed once the variable is gone, and what to do; a retry works once it is back', async () => {
    await python('gone = df.head(20)');
    const viewer = await viewAsTable('gone', /^20 rows/);
    await python('del gone');
    await viewer.locator('[data-notice="stale"]', { hasText: 'changed after a later run (gone)' }).waitFor({ timeout: 20_000 });
    await viewer.locator('[data-notice="stale"] vscode-button', { hasText: 'Refresh' }).click();
    const failed = viewer.locator('[data-notice="stale"].error');
    await failed.waitFor({ timeout: 20_000 });
    assert.match(await failed.innerText(),
      /^Refreshing failed: gone could not be read again: NameError: name 'gone' is not defined\. The view still shows the data as it was: define gone again and retry, or close this viewer\./);
    await vscode.screenshot('table-refresh-failed');
    await python('gone = df.head(5)');
    await viewer.locator('[data-notice="stale"].warning', { hasText: 'changed after a later run (gone)' }).waitFor({ timeout: 20_000 });
    await viewer.locator('[data-notice="stale"] vscode-button', { hasText: 'Refresh' }).click();
    await viewer.locator('.toolbar .counts', { hasText: '5 rows × 3 columns' }).waitFor({ timeout: 20_000 });
  });

  it('lets go of the object in the session when its viewer is closed', async () => {
    await python('import gc, weakref; held = df.head(500); held_ref = weakref.ref(held)');
    await viewAsTable('held', /^500 rows/);
    assert.equal(await python('del held; gc.collect(); held_ref() is not None'), 'True', 'the open viewer keeps the frame alive');
    const tab = vscode.page.locator('.tabs-container .tab', { has: vscode.page.locator('.label-name', { hasText: 'held · 500 rows' }) });
    await tab.click();
    await tab.locator('.tab-actions .action-label').click();
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
    // The release travels beside the runs, so a run may overtake it: ask again until it has arrived.
    let released = '';
    for (let attempt = 0; attempt < 5 && released !== 'True'; attempt++) released = await python(`gc.collect(); held_ref() is None  # ${attempt}`);
    assert.equal(released, 'True', 'closing the viewer released it');
  });

  /** Opens `expr` with "View as Table…" and returns its viewer once the counts read `counts`. */
  async function viewAsTable(expr: string, counts: RegExp): Promise<Frame> {
    await openAsTable(vscode, expr);
    return frameWhere(async (frame) => await frame.locator('.toolbar .counts', { hasText: counts }).count().catch(() => 0) > 0);
  }

  /** The webview frame (the viewers are iframes) that satisfies a test, waiting for it to appear. Tests must not wait. */
  async function frameWhere(test: (frame: Frame) => Promise<boolean>): Promise<Frame> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      for (const frame of vscode.page.frames()) if (await test(frame)) return frame;
      if (Date.now() > deadline) throw new Error(`no table viewer frame matched within 30 s: see ${await vscode.screenshot('table-no-frame')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});
