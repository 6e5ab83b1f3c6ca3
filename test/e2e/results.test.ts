// Inspecting results in a real VS Code, in the dark theme, as a Positron or Jupyter user would: numbers that read as
// pandas writes them (preview, viewer, profile, Variables view) with the exact value on hover and copy, a long print
// cut into a scroll region, and plots saved through the save dialog (read back) and enlarged with previous and next.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { startCodeServer, type VsCode } from './harness';
import { E2E_SETTINGS, VSIX, demoWorkspace } from './workspace';

const RESULTS_PY = [
  '# %% Numbers that do not print as they read',
  'import numpy as np, pandas as pd',
  'readings = pd.DataFrame({',
  '    "x": [0.1 + 0.2, 222.39999999999998, 1e-12, np.nan, 24.869412937427317],',
  '    "n": [1234567, 2, 3, 4, 5],',
  '})',
  'y = 0.1 + 0.2',
  'readings',
  '',
  '# %% Two plots',
  'import matplotlib.pyplot as plt',
  'for k in (1, 2):',
  '    plt.figure()',
  '    plt.plot([x * k for x in range(10)])',
  '    plt.title(f"plot {k}")',
  '    plt.show()',
  '',
  '# %% A long print',
  'for i in range(5000):',
  '    print("line", i)',
  '',
].join('\n');

describe('inspecting results in code-server', () => {
  let vscode: VsCode;
  let panel: Frame;
  const workspace = demoWorkspace({ 'results.py': RESULTS_PY });

  before(async () => {
    vscode = await startCodeServer({
      vsix: VSIX, workspace,
      settings: { ...E2E_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern', 'pydock.table.thousandsSeparator': true },
    });
    await vscode.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(vscode.url).origin });
  });
  after(async () => {
    await vscode?.close();
  });

  async function runCellLens(n: number): Promise<void> {
    await vscode.openFile('results.py');
    const lens = vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Cell' }).nth(n);
    await lens.waitFor({ timeout: 20_000 });
    await lens.click();
    panel = await vscode.findFrame('.pd-transcript', 60_000);
  }

  const entryOf = (code: string) => panel.locator('.pd-entry', { hasText: code }).last();

  /** Asks the session through the panel's REPL and returns the result's repr. */
  async function python(expr: string): Promise<string> {
    const input = panel.locator('.pd-repl textarea');
    await input.fill(expr);
    await input.press('Enter');
    const entry = entryOf(expr);
    await entry.locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 30_000 });
    return (await entry.locator('.pd-result').textContent() ?? '').trim();
  }

  /** Answers the simple save dialog titled `title` with `file` (a path typed in full). */
  async function saveAs(title: string, file: string): Promise<void> {
    const dialog = vscode.page.locator('.quick-input-widget', { hasText: title });
    const input = dialog.locator('.quick-input-box input');
    await input.waitFor({ timeout: 20_000 });
    let proposed = '';
    for (let i = 0; i < 100 && !proposed.startsWith(workspace); i++) { // the dialog fills the path in as it reads the folder
      proposed = await input.inputValue();
      if (!proposed.startsWith(workspace)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(proposed.startsWith(`${workspace}/plot-`), `the dialog proposes a file in the workspace: ${proposed}`);
    await input.fill(file);
    const ok = dialog.getByRole('button', { name: 'OK' });
    await ok.click();
    // VS Code's simple dialog first moves to a typed path's folder; an OK while it still looks the path up only makes that
    // move, and the dialog stays open at the new folder with the path typed, where a user presses OK again.
    if (!await dialog.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false)) {
      assert.equal(await input.inputValue(), file, 'the dialog kept the typed path');
      await ok.click();
    }
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  it('shows numbers in the preview as pandas writes them, NaN by name, and the exact value on hover', async () => {
    await runCellLens(0);
    const cells = entryOf('readings = pd.DataFrame').locator('.pd-table tbody td');
    await cells.first().waitFor({ timeout: 60_000 });
    const texts = await cells.allInnerTexts();
    assert.deepEqual([0, 2, 4, 6, 8].map((i) => texts[i]), ['0.3', '222.4', '1e-12', 'NaN', '24.869413']);
    assert.equal(texts[1], '1,234,567');
    assert.equal(await cells.first().getAttribute('title'), '0.30000000000000004');
    await vscode.screenshot('results-preview-dark');
  });

  it('shows them so in the table viewer and its profile; a copied cell is exact', async () => {
    await entryOf('readings = pd.DataFrame').getByText('Open in table viewer').click();
    const grid = await vscode.findFrame('.grid', 30_000);
    const cell = (row: number, col: number) => grid.locator(`#c${row}_${col}:not(.loading)`);
    await cell(0, 0).waitFor({ timeout: 30_000 });
    assert.deepEqual(await Promise.all([0, 1, 2, 3, 4].map((r) => cell(r, 0).innerText())), ['0.3', '222.4', '1e-12', 'NaN', '24.869413']);
    assert.equal(await cell(0, 1).innerText(), '1,234,567');
    assert.equal(await cell(1, 0).getAttribute('title'), '222.39999999999998');
    await cell(0, 0).click();
    await vscode.page.keyboard.press('Control+C');
    assert.equal(await vscode.clipboardText((text) => text.startsWith('0.3')), '0.30000000000000004');

    await grid.locator('.toolbar .action-profile').click();
    const mean = grid.locator('.profile .stats dt:text-is("Mean") + dd');
    await mean.waitFor({ timeout: 30_000 });
    const exact = await python('repr(float(np.mean(readings.x.dropna().to_numpy())))');
    assert.equal(await mean.getAttribute('title'), exact.replace(/^'|'$/g, ''));
    assert.equal(await mean.innerText(), await python('f"{readings.x.mean():.6f}".rstrip("0")').then((t) => t.replace(/^'|'$/g, '')), 'as pandas writes it');
    assert.deepEqual(await grid.locator('.profile .histogram-box .axis span').allInnerTexts(), ['1e-12', '222.4']);
    await vscode.screenshot('results-viewer-profile-dark');
  });

  it('shows a float variable as it reads in the Variables view', async () => {
    await vscode.runCommand('View: Show pydock');
    await vscode.runCommand('pydock: Refresh Variables');
    const row = vscode.page.locator('.pane-body .monaco-list-row', { hasText: /float\s+0\.3/ });
    await row.first().waitFor({ timeout: 20_000 });
    assert.match(await row.first().innerText(), /^y\s*float\s+0\.3$/);
    await vscode.screenshot('results-variables-dark');
  });

  it('cuts a print of 5,000 lines into a 30-line scroll region, with the count and Open full output', async () => {
    await runCellLens(2);
    const entry = entryOf('for i in range(5000)');
    await entry.locator('.pd-state-label', { hasText: 'done' }).waitFor({ timeout: 60_000 });
    const footer = entry.locator('.pd-stream-footer');
    await footer.waitFor({ timeout: 10_000 });
    assert.equal((await footer.textContent())?.replace(/\s+/g, ' '), '5,000 lines, 30 in view — Open full output');
    const region = entry.locator('.pd-stream-region');
    const box = await region.evaluate((r) => ({
      height: r.clientHeight, content: r.scrollHeight, bottom: r.scrollHeight - r.scrollTop - r.clientHeight,
      line: parseFloat(getComputedStyle(r.querySelector('.pd-stream-text')!).lineHeight),
    }));
    assert.ok(Math.abs(box.height - 30 * box.line) <= 2, `30 lines high: ${JSON.stringify(box)}`);
    assert.ok(box.content > 10 * box.height && box.bottom < 2, `it scrolls, and shows the end: ${JSON.stringify(box)}`);
    await entry.scrollIntoViewIfNeeded();
    await vscode.screenshot('results-long-output-dark');
  });

  it('saves a plot as PNG through the save dialog, and as SVG drawn again; refuses a file outside the workspace', async () => {
    await runCellLens(1);
    const entry = entryOf('for k in (1, 2)');
    const plots = entry.locator('.pd-plot');
    await plots.nth(1).waitFor({ timeout: 60_000 });
    const act = async (plot: Locator, name: string) => {
      await plot.hover();
      await plot.getByRole('button', { name }).click();
    };

    await act(plots.first(), 'Save as PNG…');
    const png = path.join(workspace, 'first.png');
    await saveAs('as PNG', png);
    await waitForFile(png);
    const shown = await plots.first().locator('img').getAttribute('src');
    assert.equal(fs.readFileSync(png).toString('base64'), shown?.replace(/^data:image\/png;base64,/, ''), 'the PNG the panel shows, byte for byte');

    await act(plots.nth(1), 'Save as SVG…');
    const svg = path.join(workspace, 'second.svg');
    await saveAs('as SVG', svg);
    await waitForFile(svg);
    const text = fs.readFileSync(svg, 'utf8');
    assert.ok(text.includes('<svg') && text.includes('<!-- plot 2 -->'), 'the second figure, drawn again as SVG');

    await act(plots.first(), 'Save as PNG…');
    await saveAs('as PNG', '/tmp/pydock-outside.png');
    await vscode.page.locator('.notification-toast', { hasText: 'Choose a file inside the workspace folder' }).waitFor({ timeout: 20_000 });
    assert.equal(fs.existsSync('/tmp/pydock-outside.png'), false);
    await vscode.screenshot('results-plot-saved-dark');
  });

  it('opens a plot enlarged in an editor tab, with the session\'s plots before and after it', async () => {
    const entry = entryOf('for k in (1, 2)');
    await entry.locator('.pd-plot').first().hover();
    await entry.locator('.pd-plot').first().getByRole('button', { name: 'Open in the plot viewer' }).click();
    const viewer = await vscode.findFrame('.pl-stage', 30_000);
    const position = viewer.locator('.pl-position');
    await position.filter({ hasText: /^Plot 1 of 2 · In \[\d+\]$/ }).waitFor({ timeout: 20_000 });
    await vscode.page.locator('.tabs-container .tab.active .label-name', { hasText: 'Plots: ' }).first().waitFor({ timeout: 10_000 });
    await viewer.locator('.pl-image').evaluate((img: HTMLImageElement) => img.decode());
    await vscode.screenshot('results-plot-viewer-dark');
    await viewer.locator('.pl-stage').click();
    await vscode.page.keyboard.press('ArrowRight');
    await position.filter({ hasText: /^Plot 2 of 2/ }).waitFor({ timeout: 10_000 });
    await viewer.getByRole('button', { name: 'Previous plot (Left arrow)' }).click();
    await position.filter({ hasText: /^Plot 1 of 2/ }).waitFor({ timeout: 10_000 });
  });
});

async function waitForFile(file: string): Promise<void> {
  for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(fs.existsSync(file), `${file} was written`);
}
