// Issue 17's first scenario in a real VS Code, in the dark theme: the demo's 1M-row frame opened from the panel, the
// Variables view and View as Table; `df["temperature"] *= 10; df = df[df.city != "Oslo"]`; every viewer right after
// it (the live one refreshed with its sort, a sound grid, a title with the new row count; snapshots labelled as
// such). Then a Series result, search with marked matches, column summaries, and DataFrame columns in the Variables view.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { runDemoFrameCell, runInRepl, viewAsTable as openAsTable } from './demoPanel';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const CHANGE = 'df["temperature"] *= 10; df = df[df.city != "Oslo"]';

describe('live table viewers in code-server (dark theme)', () => {
  let vscode: VsCode;
  let panel: Frame;
  let viewer: Frame;
  const workspace = demoWorkspace();

  before(async () => {
    vscode = await startCodeServer({ vsix: VSIX, workspace, settings: { ...E2E_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern' } });
  });
  after(async () => {
    await vscode?.close();
  });

  const python = (code: string) => runInRepl(panel, code);
  const count = async (expr: string) => Number(await python(expr)).toLocaleString('en-US');
  const tabs = () => vscode.page.locator('.tabs-container .tab .label-name').allInnerTexts();
  const dfTabs = async () => (await tabs()).filter((t) => t.startsWith('df ·'));
  const variable = (name: string) => vscode.page.locator('.pane-body .monaco-list-row').filter({ has: vscode.page.locator('.label-name', { hasText: new RegExp(`^\\s*${name}\\s*$`) }) }).first();

  /** The viewer frame that passes a test, waiting for it. */
  async function viewerWhere(what: string, test: (frame: Frame) => Promise<boolean>): Promise<Frame> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      for (const frame of vscode.page.frames()) if (await test(frame).catch(() => false)) return frame;
      if (Date.now() > deadline) throw new Error(`no viewer ${what}: see ${await vscode.screenshot('live-no-viewer')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const viewerTitled = (title: string) => viewerWhere(`titled ${JSON.stringify(title)}`,
    async (frame) => (await frame.locator('.toolbar .title').textContent({ timeout: 200 })) === title);

  async function until(what: string, check: () => Promise<boolean>, timeout = 30_000): Promise<void> {
    const deadline = Date.now() + timeout;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`expected ${what} within ${timeout} ms: see ${await vscode.screenshot('live-failed')}; tabs ${JSON.stringify(await tabs())}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const counts = (frame: Frame) => frame.locator('.toolbar .counts').innerText();
  const cell = async (frame: Frame, row: number, col: number) => {
    const located = frame.locator(`#c${row}_${col}:not(.loading)`);
    await located.waitFor({ timeout: 30_000 });
    return located.innerText();
  };

  const viewAsTable = (expr: string) => openAsTable(vscode, expr);

  async function fromVariablesView(name: string): Promise<void> {
    await vscode.runCommand('View: Show pydock');
    const row = variable(name);
    await row.waitFor({ timeout: 20_000 });
    await row.hover();
    await row.locator('.action-label[aria-label="View as Table"]').click();
  }

  async function openFromPanel(entry: Locator): Promise<void> {
    const open = entry.getByText('Open in table viewer');
    await open.waitFor({ timeout: 120_000 });
    await open.click();
  }

  it('opens df from the panel and sorts it by temperature, descending', async () => {
    panel = await runDemoFrameCell(vscode);
    await openFromPanel(panel.locator('.pd-entry', { hasText: 'pd.DataFrame' }).last());
    viewer = await viewerTitled('df');
    await until('the rows', async () => (await counts(viewer)).startsWith('1,000,000 rows'));
    const header = viewer.locator('.hrow.names .hcell[data-col="1"] .sort-target');
    await header.click();
    await viewer.locator('.hrow.names .hcell[data-col="1"][aria-sort="ascending"]').waitFor({ timeout: 30_000 });
    await header.click();
    await viewer.locator('.hrow.names .hcell[data-col="1"][aria-sort="descending"]').waitFor({ timeout: 30_000 });
    assert.equal(Number(await cell(viewer, 0, 1)), Number(await python('df.temperature.max()')));
  });

  it('brings the same viewer to the front when df is opened again: from the panel, the Variables view and View as Table', async () => {
    await openFromPanel(panel.locator('.pd-entry', { hasText: 'pd.DataFrame' }).last());
    await fromVariablesView('df');
    await viewAsTable('df');
    await until('one viewer of df, titled with its rows and its sort', async () => JSON.stringify(await dfTabs()) === JSON.stringify(['df · 1,000,000 rows (sorted)']));
    await vscode.screenshot('live-one-viewer');
  });

  it('shows a Series result as a Series, with its length, dtype and name, in the panel and its viewer', async () => {
    const code = 'df.groupby("city").temperature.mean()';
    await python(code);
    const entry = panel.locator('.pd-entry', { hasText: code }).last();
    assert.equal(await entry.locator('.pd-table-shape').innerText(), 'Series · 4 · float64 · temperature');
    await openFromPanel(entry);
    await until('the Series viewer tab', async () => (await tabs()).some((t) => t.endsWith('(snapshot) · Series · 4 · float64 · temperature')));
    const title = (await tabs()).find((t) => t.endsWith('(snapshot) · Series · 4 · float64 · temperature'))!;
    const series = await viewerTitled(title.split(' · ')[0]);
    assert.equal(await counts(series), 'Series · 4 · float64 · temperature');
    await vscode.screenshot('live-series');
  });

  it('follows df through a run that changes it: the new rows, in the same sort, a sound grid, the title with the new row count', async () => {
    const limaRows = await count('int((df.city == "Lima").sum())');
    await viewAsTable('df[df.city == "Lima"]');
    const lima = await viewerWhere(`of ${limaRows} rows`,
      async (frame) => (await frame.locator('.toolbar .counts').textContent({ timeout: 200 })) === `${limaRows} rows × 3 columns`);
    await python(CHANGE);
    const rows = await count('len(df)');
    await until('the df viewer refreshed by itself', async () => (await counts(viewer)) === `${rows} rows × 3 columns`);
    await until('its tab following the rows', async () => JSON.stringify(await dfTabs()) === JSON.stringify([`df · ${rows} rows (sorted)`]));
    assert.equal(await viewer.locator('.hrow.names .hcell[data-col="1"]').getAttribute('aria-sort'), 'descending', 'the sort is kept');
    assert.equal(Number(await cell(viewer, 0, 1)), Number(await python('df.temperature.max()')), 'sorted on the new data');
    assert.equal(await viewer.locator('[data-notice="stale"]').count(), 0, 'no notice: it is up to date');
    const grid = await viewer.evaluate(() => {
      const headerBottom = Math.max(...[...document.querySelectorAll('.header .hrow')].map((r) => r.getBoundingClientRect().bottom));
      const row0 = document.querySelector('.grid-body .row[data-row="0"]')!.getBoundingClientRect();
      const cities = [...document.querySelectorAll('.grid-body .cell[data-col="0"]')].slice(0, 10).map((c) => c.textContent);
      return { headerBottom, row0Top: row0.top, cities };
    });
    assert.ok(Math.abs(grid.row0Top - grid.headerBottom) <= 1, `row 0 starts under the header (${grid.row0Top} vs ${grid.headerBottom})`);
    assert.ok(grid.cities.length === 10 && grid.cities.every((c) => c && c !== 'Oslo'), `the city column shows the new rows: ${grid.cities}`);
    assert.equal(await counts(lima), `${limaRows} rows × 3 columns`, 'the snapshot of an expression stays as it was');
    assert.equal(await lima.locator('.toolbar .title').textContent(), 'df[df.city == "Lima"] (snapshot)', 'and says it is one');
    await vscode.screenshot('live-after-change');
  });

  it('searches the new rows: the first page at once, then the count, the matches marked', async () => {
    await vscode.page.locator('.tabs-container .tab', { hasText: 'df · ' }).first().click();
    await viewer.locator('#c0_0').click();
    await vscode.page.keyboard.press('Control+F');
    await vscode.page.keyboard.type('Lima');
    const lima = await count('int((df.city == "Lima").sum())');
    await until('the count of the search', async () => (await counts(viewer)).startsWith(`${lima} of `));
    assert.equal(await viewer.locator('#c0_0 mark').innerText(), 'Lima');
    await vscode.screenshot('live-search');
    await viewer.locator('.toolbar .search').press('Escape');
  });

  it('summarizes each column under its name', async () => {
    // The search just cleared: its view's summaries may still show until the whole view is back.
    await until('the whole view back', async () => /^[\d,]+ rows × 3 columns$/.test(await counts(viewer)));
    const city = viewer.locator('.hrow.summary .hsummary[data-col="0"]');
    await city.locator('.top-label').waitFor({ timeout: 30_000 });
    assert.match(await city.locator('.top-label').innerText(), /^(Lima|Pune|Kyiv) \d+%$/);
    await viewer.locator('.hrow.summary .hsummary[data-col="1"] .sparkline rect').first().waitFor({ timeout: 30_000 });
    await cell(viewer, 0, 0);
    await vscode.screenshot('live-summaries');
  });

  it('follows df when it was opened from the Variables view, or with View as Table', async () => {
    for (const [open, change, rows] of [
      [() => fromVariablesView('df'), 'df = df.head(1000)', '1,000'],
      [() => viewAsTable('df'), 'df = df.head(10)', '10'],
    ] as const) {
      const tab = vscode.page.locator('.tabs-container .tab', { has: vscode.page.locator('.label-name', { hasText: /^df · / }) });
      await tab.click();
      await tab.locator('.tab-actions .action-label').click();
      await until('the df viewer closed', async () => (await dfTabs()).length === 0);
      await open();
      await until('a new df viewer', async () => (await dfTabs()).length === 1);
      await python(change);
      await until(`it follows ${change}`, async () => JSON.stringify(await dfTabs()) === JSON.stringify([`df · ${rows} rows`]));
    }
  });

  it('lists df in the Variables view with thousands separators, and expands it to its columns', async () => {
    await python('big = pd.DataFrame({"n": range(1_234_567), "s": None})');
    await vscode.runCommand('View: Show pydock');
    const big = variable('big');
    await until('big with its shape', async () => /^DataFrame 1,234,567×2\b/.test(await big.locator('.label-description').innerText()));
    await big.locator('.monaco-tl-twistie').click();
    await until('its columns', async () => /^object\s+1,234,567 nulls \(100\.0%\)$/.test(await variable('s').locator('.label-description').innerText()));
    assert.match(await variable('n').locator('.label-description').innerText(), /^int64\s+no nulls$/);
    await vscode.screenshot('live-variables');
  });
});
