// The table viewer in headless Chromium, with the test playing the extension over a generated 10,000,000-row table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellText as shownText } from '../../shared/cellText';
import { SPECIAL, type TableColumn } from '../../shared/agentProtocol';
import {
  addFilter, CHROMIUM_MAX_HEIGHT, cellAt, cellText, close, COLUMNS, domRows, FakeHost, FakeTable, fullNote, headerCell,
  lastPosted, noticeText, NumberTable, open, openTable, posted, screenshot, TEN_MILLION, until, viewportFilled, waitForCell, type Body, type Viewer,
} from './tableFixture';
import { FIRST_MATCHES } from '../../webview/table/viewControl';
import { openWebview, type Theme } from './page';

// ---- The tests ----

describe('table viewer webview', () => {
  it('says it is ready, then shows the title, the columns with dtype badges and the row count', async () => {
    const viewer = await openTable();
    assert.equal(await viewer.page.textContent('.toolbar .title'), 'df');
    assert.equal(await viewer.page.textContent('.toolbar .counts'), '10,000,000 rows × 8 columns');
    const headers = await viewer.page.$$eval('.hrow.names .hcell:not(.index)', (cells) => cells.map((c) => [c.querySelector('.hname')!.textContent, c.querySelector('.dtype')!.textContent]));
    assert.deepEqual(headers.slice(0, 3), [['id', 'int64'], ['value', 'float64'], ['name', 'object']]);
    assert.equal(await cellText(viewer, 3, 1), 'NaN', 'special values read as their names');
    assert.equal(await viewer.page.getAttribute('#c3_1', 'class').then((c) => c?.includes('special')), true, 'NaN is styled as a special value');
    assert.equal(await viewer.page.getAttribute('.grid', 'aria-rowcount'), String(TEN_MILLION + 1));
    await close(viewer);
  });

  it('keeps only the visible rows and columns in the DOM', async () => {
    const viewer = await openTable();
    const { rows, bodyHeight, cells } = await domRows(viewer);
    const fit = Math.ceil(bodyHeight / 22) + 1;
    assert.ok(rows.length <= fit, `expected at most ${fit} row elements for a ${bodyHeight}px body, found ${rows.length}`);
    assert.ok(rows.length >= fit - 2, `expected the body filled with about ${fit} rows, found ${rows.length}`);
    assert.ok(cells <= rows.length * (COLUMNS.length + 1), `expected only the rows' cells, found ${cells}`);
    await close(viewer);
  });

  it('scrolls to row 9,999,999 of 10,000,000, past the browser\'s maximum element height, and wheels row by row', async () => {
    const viewer = await openTable();
    const height = await viewer.page.$eval('.grid', (g) => g.scrollHeight);
    assert.ok(TEN_MILLION * 22 > CHROMIUM_MAX_HEIGHT && height < CHROMIUM_MAX_HEIGHT, `expected a scaled scroll range below ${CHROMIUM_MAX_HEIGHT}px, got ${height}px`);
    await viewer.page.$eval('.grid', (g) => (g.scrollTop = g.scrollHeight)); // as a drag to the bottom of the scrollbar
    await waitForCell(viewer, 9_999_999, 0, '9999999');
    const atBottom = await viewportFilled(viewer, 'at the bottom');
    assert.equal(atBottom.at(-1), 9_999_999, 'the last row is the last one drawn');
    assert.equal(await viewer.page.$eval('.grid-body .row[data-row="9999999"] .cell.index', (c) => c.textContent), '9999999');
    await screenshot(viewer, 'last-row-dark');
    await viewer.page.hover('.grid-body');
    await viewer.page.mouse.wheel(0, -3 * 22);
    const wheeled = await until('the view three rows up', async () => {
      const { rows } = await domRows(viewer);
      return Math.max(...rows) === 9_999_996 ? rows : undefined;
    });
    assert.equal(Math.min(...wheeled), atBottom[0] - 3, 'a wheel of three rows moves exactly three rows, even when scaled');
    await close(viewer);
  });

  it('coalesces the requests of a fast scrollbar drag and fills where it stops', async () => {
    const viewer = await openTable();
    await viewportFilled(viewer, 'the first page');
    const before = posted(viewer, 'table.rows').length;
    const steps = 40;
    await viewer.page.evaluate(async (n) => {
      const grid = document.querySelector<HTMLElement>('.grid')!;
      const max = grid.scrollHeight - grid.clientHeight;
      for (let i = 1; i <= n; i++) {
        grid.scrollTop = Math.round((max * i * 0.6) / n);
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    }, steps);
    const rows = await viewportFilled(viewer, 'after the drag');
    const requests = posted(viewer, 'table.rows').slice(before);
    assert.ok(requests.length <= 6, `expected the ${steps} scroll steps coalesced into a few requests, got ${requests.length}: ${JSON.stringify(requests.map((r) => r.start))}`);
    const far = requests.filter((r) => Math.abs((r.start as number) - rows[0]) > 1000);
    assert.ok(far.length <= 1, `expected requests near where the drag stopped (row ${rows[0]}), got ${JSON.stringify(requests.map((r) => r.start))}`);
    for (const row of [rows[0], rows.at(-1)!]) {
      assert.equal(await cellText(viewer, row, 2), `name ${row}`, `row ${row} shows its own data`);
    }
    await close(viewer);
  });

  it('sorts by header clicks: asc, desc, then shift-click adds a key', async () => {
    const viewer = await openTable();
    await headerCell(viewer, 0).locator('.sort-target').click();
    assert.deepEqual((await lastPosted(viewer, 'table.sort', 1)).keys, [{ column: 0, descending: false }]);
    await until('id marked ascending', async () => (await headerCell(viewer, 0).getAttribute('aria-sort')) === 'ascending');
    await headerCell(viewer, 0).locator('.sort-target').click();
    assert.deepEqual((await lastPosted(viewer, 'table.sort', 2)).keys, [{ column: 0, descending: true }]);
    await waitForCell(viewer, 0, 0, '9999999');
    await headerCell(viewer, 1).locator('.sort-target').click({ modifiers: ['Shift'] });
    assert.deepEqual((await lastPosted(viewer, 'table.sort', 3)).keys, [{ column: 0, descending: true }, { column: 1, descending: false }]);
    await until('sort order numbers on both headers', async () =>
      (await headerCell(viewer, 0).locator('.sort-order').textContent().catch(() => '')) === '1' &&
      (await headerCell(viewer, 1).locator('.sort-order').textContent().catch(() => '')) === '2');
    await headerCell(viewer, 0).locator('.sort-target').click();
    assert.deepEqual((await lastPosted(viewer, 'table.sort', 4)).keys, [{ column: 0, descending: false }], 'a plain click starts over with that column');
    await close(viewer);
  });

  it('filters from the column menu, searches (Ctrl+F), shows "filtered of total" and clears', async () => {
    const viewer = await openTable();
    await addFilter(viewer, 0, 'lt', '12345', 'filter-editor-dark');
    const filtered = await lastPosted(viewer, 'table.filter', 1);
    assert.deepEqual([filtered.filters, filtered.search], [[{ column: 0, op: 'lt', value: '12345' }], '']);
    await until('the filtered count', async () => (await viewer.page.textContent('.toolbar .counts')) === '12,345 of 10,000,000 rows × 8 columns');
    assert.equal(await viewer.page.textContent('.filter-bar .chip-label'), 'id < 12345');

    await viewer.page.click('#c2_2');
    await viewer.page.keyboard.press('Control+F');
    await viewer.page.keyboard.type('name 7');
    const searched = await lastPosted(viewer, 'table.filter', 2);
    assert.deepEqual([searched.filters, searched.search], [[{ column: 0, op: 'lt', value: '12345' }], 'name 7']);
    await until('the search chip', async () => (await viewer.page.$$eval('.filter-bar .chip-label', (c) => c.map((e) => e.textContent))).includes('search "name 7"'));
    await lastPosted(viewer, 'table.filter', 3);
    assert.deepEqual(posted(viewer, 'table.filter').slice(1).map((b) => b.limit ?? null), [FIRST_MATCHES, null],
      'typing is debounced into one search: its first page of matches, then every match');

    await viewer.page.locator('.clear-filters').click();
    const cleared = await lastPosted(viewer, 'table.filter', 4);
    assert.deepEqual([cleared.filters, cleared.search], [[], '']);
    await until('the unfiltered count', async () => (await viewer.page.textContent('.toolbar .counts')) === '10,000,000 rows × 8 columns');
    assert.equal(await viewer.page.isHidden('.filter-bar'), true);
    await close(viewer);
  });

  it('opens the column menu from the keyboard, sorts and filters from it, and gives the focus back to the grid', async () => {
    const viewer = await openTable();
    await viewer.page.click('#c0_1');
    await viewer.page.keyboard.press('Shift+F10');
    await viewer.page.locator('vscode-context-menu-item', { hasText: 'Sort Descending' }).waitFor({ timeout: 5000 });
    for (const key of ['ArrowDown', 'ArrowDown', 'Enter']) await viewer.page.keyboard.press(key);
    assert.deepEqual((await lastPosted(viewer, 'table.sort', 1)).keys, [{ column: 1, descending: true }]);
    await viewer.page.keyboard.press('ArrowDown');
    await until('the arrow keys to move the active cell again', async () =>
      (await viewer.page.evaluate(() => document.querySelector('.cell.active')?.id)) === 'c1_1');
    await viewer.page.keyboard.press('Shift+F10');
    await viewer.page.locator('vscode-context-menu-item', { hasText: 'Sort Descending' }).waitFor({ timeout: 5000 });
    await viewer.page.keyboard.press('Escape');
    await until('the menu to close', async () => !(await viewer.page.locator('vscode-context-menu-item').first().isVisible()));
    await viewer.page.keyboard.press('ArrowRight');
    await until('the focus back on the grid after Escape', async () =>
      (await viewer.page.evaluate(() => document.querySelector('.cell.active')?.id)) === 'c1_2');

    await viewer.page.keyboard.press('Shift+F10');
    await viewer.page.locator('vscode-context-menu-item', { hasText: 'Add Filter' }).waitFor({ timeout: 5000 });
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'Enter']) await viewer.page.keyboard.press(key);
    await viewer.page.locator('.filter-editor').waitFor({ timeout: 5000 });
    await viewer.page.keyboard.type('name 7');
    await viewer.page.keyboard.press('Enter');
    assert.deepEqual((await lastPosted(viewer, 'table.filter', 1)).filters, [{ column: 2, op: 'contains', value: 'name 7', caseSensitive: false }]);
    await viewer.page.keyboard.press('ArrowLeft');
    await until('the focus back on the grid after the filter editor', async () =>
      (await viewer.page.evaluate(() => document.querySelector('.cell.active')?.id)) === 'c1_1');

    await viewer.page.locator('.filter-bar .chip-label').click();
    await viewer.page.locator('.filter-editor').waitFor({ timeout: 5000 });
    assert.deepEqual(await viewer.page.evaluate(() => [
      (document.querySelector('.filter-value') as HTMLElement & { value: string }).value,
      (document.querySelector('.filter-case') as HTMLElement).hidden,
    ]), ['name 7', false], 'the editor shows the filter it edits');
    await viewer.page.click('#c5_0'); // beside the editor, which opens under its column's header
    await viewer.page.locator('.filter-editor').waitFor({ state: 'detached', timeout: 5000 });
    await close(viewer);
  });

  it('moves the active cell with the keyboard, across all 10,000,000 rows', async () => {
    const viewer = await openTable();
    await viewer.page.click('#c0_0');
    const active = () => viewer.page.evaluate(() => [document.querySelector('.cell.active')?.id, document.querySelector('.grid')!.getAttribute('aria-activedescendant')]);
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight']) await viewer.page.keyboard.press(key);
    assert.deepEqual(await until('the active cell at (3, 2)', async () => ((await active())[0] === 'c3_2' ? active() : undefined)), ['c3_2', 'c3_2']);
    await viewer.page.keyboard.press('PageDown');
    const page = await until('PageDown to move a page', async () => {
      const id = (await active())[0];
      return id && id !== 'c3_2' ? id : undefined;
    });
    const pageRows = Number(/^c(\d+)_2$/.exec(page)![1]) - 3;
    assert.ok(pageRows >= 20 && pageRows <= 30, `expected PageDown to move a screen of rows, it moved ${pageRows}`);
    await viewer.page.keyboard.press('Control+End');
    await until('the last cell active and shown', async () => (await active())[0] === 'c9999999_7');
    await waitForCell(viewer, 9_999_999, 7, (9_999_999 / 7).toFixed(4));
    await viewer.page.keyboard.press('Control+Home');
    await until('the first cell active again', async () => (await active())[0] === 'c0_0');
    await viewer.page.keyboard.press('Shift+ArrowDown');
    await viewer.page.keyboard.press('Shift+ArrowRight');
    assert.equal(await until('a 2×2 selection', async () => ((await viewer.page.$$('.cell.selected')).length === 4 ? 4 : undefined)), 4);
    await close(viewer);
  });

  it('resizes a column by dragging its header edge, and selects whole rows and columns from their headers', async () => {
    const viewer = await openTable();
    const { page } = viewer;
    const before = (await headerCell(viewer, 2).boundingBox())!;
    const edge = (await headerCell(viewer, 2).locator('.resize').boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 60, edge.y + edge.height / 2, { steps: 4 });
    await page.mouse.up();
    const width = await until('the column 60px wider', async () => {
      const now = (await headerCell(viewer, 2).boundingBox())!.width;
      return Math.abs(now - (before.width + 60)) <= 1 ? now : undefined;
    });
    assert.equal((await page.locator('#c0_2').boundingBox())!.width, width, 'the cells follow their header');

    await page.click('.row[data-row="2"] .cell.index');
    await page.click('.row[data-row="3"] .cell.index', { modifiers: ['Shift'] });
    await until('rows 2 and 3 selected', async () => {
      const rows = await page.$$eval('.grid-body .row.selected', (r) => r.map((e) => (e as HTMLElement).dataset.row).join());
      if (rows !== '2,3') throw new Error(`selected rows: [${rows}]`);
      return true;
    });
    await page.keyboard.press('Control+C');
    const line = (p: number) => [String(p), ...COLUMNS.map((_, c) => shownText(cellAt(p, c)))].join('\t');
    assert.equal((await lastPosted(viewer, 'table.copy', 1)).text, [['', ...COLUMNS.map((c) => c.name)].join('\t'), line(2), line(3)].join('\n'));

    await headerCell(viewer, 3).locator('.dtype').click();
    await until('the column header selected', async () => (await headerCell(viewer, 3).getAttribute('class'))!.includes('selected'));
    const selected = await page.$$eval('.grid-body .cell.selected', (cells) => [...new Set(cells.map((c) => (c as HTMLElement).dataset.col))]);
    assert.deepEqual(selected, ['3'], 'every visible cell of the column, and no other');
    await close(viewer);
  });

  it('copies the selection as TSV with Ctrl+C, cut cells in full', async () => {
    const viewer = await openTable();
    await viewer.page.click('#c0_4');
    await viewer.page.click('#c1_5', { modifiers: ['Shift'] });
    await viewer.page.keyboard.press('Control+C');
    const copied = await lastPosted(viewer, 'table.copy', 1);
    assert.equal(posted(viewer, 'table.cell').length, 1, 'the cut cell was asked for in full');
    assert.equal(copied.text, `${cellAt(0, 4)}\t${fullNote(0)}\n${cellAt(1, 4)}\tshort 1`);
    await close(viewer);
  });

  it('shows numbers as they read, exact on hover and copy, and asks for them again when the format changes', async () => {
    const table = new NumberTable();
    const viewer = await openTable({ table });
    await waitForCell(viewer, 1, 1, '0.4');
    assert.equal(await viewer.page.getAttribute('#c1_1', 'title'), '0.370', 'the exact value on hover');
    await viewer.page.click('#c1_1');
    await viewer.page.keyboard.press('Control+C');
    assert.equal((await lastPosted(viewer, 'table.copy', 1)).text, '0.370', 'the exact value on the clipboard');
    table.digits = 2;
    await viewer.view.send({ type: 'table.reformat' });
    await waitForCell(viewer, 1, 1, '0.37');
    await close(viewer);
  });

  it('shows the full text of a cut cell on hover', async () => {
    const viewer = await openTable();
    await viewer.page.hover('#c10_5');
    await until('the full note as the tooltip', async () => (await viewer.page.getAttribute('#c10_5', 'title')) === fullNote(10));
    assert.deepEqual(posted(viewer, 'table.cell')[0], { type: 'table.cell', row: 10, column: 5 });
    await close(viewer);
  });

  it('profiles a column with a histogram, and cancels the profile it no longer needs', async () => {
    const viewer = await openTable();
    viewer.host.holding.add('table.profile');
    await viewer.page.click('#c0_1');
    await viewer.page.click('.toolbar .action-profile');
    await lastPosted(viewer, 'table.profile', 1);
    assert.equal(await viewer.page.isVisible('.profile-loading'), true, 'the pane shows progress while the agent computes');
    await viewer.page.click('#c0_3');
    await viewer.page.click('.toolbar .action-profile');
    await lastPosted(viewer, 'table.profile', 2);
    const cancel = await lastPosted(viewer, 'table.cancel', 1);
    assert.equal(cancel.request, viewer.host.requests('table.profile')[0].messageId, 'switching columns cancels the first profile');
    await viewer.host.release('table.profile');
    const bars = await until('histogram bars', async () => ((await viewer.page.$$('.histogram rect.bar')).length || undefined));
    assert.equal(bars, 10);
    assert.equal(await viewer.page.textContent('.profile-name'), 'category');
    const stats = await viewer.page.$$eval('.stats dt', (dts) => dts.map((dt) => `${dt.textContent}=${dt.nextElementSibling!.textContent}`));
    assert.ok(stats.includes('Nulls=1,000 (0.0%)') && stats.includes('Std=NaN') && stats.includes('50%=500'), `stats: ${stats.join(', ')}`);
    assert.equal(await viewer.page.$$eval('.top li', (li) => li.length), 3);
    await screenshot(viewer, 'profile-dark');
    await viewer.page.click('.profile-close');
    assert.equal(await viewer.page.isHidden('.profile'), true);
    await close(viewer);
  });

  it('shows a stale notice whose Refresh asks for a refresh, or refreshes by itself when set to', async () => {
    const viewer = await openTable();
    await viewer.view.send({ type: 'table.stale', reason: 'df was reassigned' } as Body);
    assert.match(await noticeText(viewer, 'stale'), /the variable changed after a later run/i);
    viewer.host.refreshTo = new FakeTable(500);
    await viewer.page.locator('[data-notice="stale"] vscode-button', { hasText: 'Refresh' }).click();
    await lastPosted(viewer, 'table.refresh', 1);
    await until('the new counts', async () => (await viewer.page.textContent('.toolbar .counts')) === '500 rows × 8 columns');
    assert.equal(await viewer.page.$('[data-notice="stale"]'), null, 'the notice goes once the new schema is in');
    await close(viewer);

    const auto = await openTable({ settings: { autoRefresh: true, summaries: false } });
    await auto.view.send({ type: 'table.stale', reason: 'df was reassigned' } as Body);
    await lastPosted(auto, 'table.refresh', 1);
    assert.equal(await auto.page.$('[data-notice="stale"].warning'), null, 'no question asked when refreshing by itself');
    await close(auto);
  });

  it('says why a refresh failed and offers a retry, instead of "Refreshing…" for ever', async () => {
    const viewer = await openTable();
    await viewer.view.send({ type: 'table.stale', reason: 'df' } as Body);
    const cause = "df could not be read again: NameError: name 'df' is not defined. The view still shows the data as it was: define df again and retry, or close this viewer.";
    viewer.host.failing.set('table.refresh', cause);
    await viewer.page.locator('[data-notice="stale"] vscode-button', { hasText: 'Refresh' }).click();
    assert.equal((await lastPosted(viewer, 'table.refresh', 1)).type, 'table.refresh');
    await until('the refresh\'s error in place of "Refreshing…"', async () => {
      const shown = await noticeText(viewer, 'stale');
      if (shown !== `Refreshing failed: ${cause}`) throw new Error(`the notice says ${JSON.stringify(shown)}`);
      return true;
    });
    assert.ok(await viewer.page.$('[data-notice="stale"].error'), 'shown as an error');
    assert.equal(await viewer.page.isHidden('.toolbar .busy'), true, 'nothing is left spinning');
    await screenshot(viewer, 'refresh-failed');

    viewer.host.failing.delete('table.refresh');
    viewer.host.refreshTo = new FakeTable(500);
    await viewer.page.locator('[data-notice="stale"] vscode-button', { hasText: 'Retry' }).click();
    await until('the new counts', async () => (await viewer.page.textContent('.toolbar .counts')) === '500 rows × 8 columns');
    assert.equal(await viewer.page.$('[data-notice="stale"]'), null, 'the notice goes once the retry worked');
    await close(viewer);
  });

  it('says why copying the code failed', async () => {
    const viewer = await openTable();
    viewer.host.failing.set('table.copyCode', 'KeyError: table handle 1 is not open: it was released, or the session restarted');
    await viewer.page.click('.toolbar .action-copy-code');
    assert.equal(await noticeText(viewer, 'copyCode'), 'Copying the code failed: KeyError: table handle 1 is not open: it was released, or the session restarted');
    await close(viewer);
  });

  it('shows failed requests inline and stays usable', async () => {
    const viewer = await openTable();
    viewer.host.failing.set('table.rows', 'ValueError: the frame changed size');
    await viewer.page.$eval('.grid', (g) => (g.scrollTop = g.scrollHeight / 2));
    assert.match(await noticeText(viewer, 'rows'), /could not be loaded: ValueError: the frame changed size/);
    await until('error marks in the cells', async () => (await viewer.page.$$('.grid-body .cell.error')).length > 0);
    viewer.host.failing.delete('table.rows');
    await viewer.page.locator('[data-notice="rows"] vscode-button', { hasText: 'Retry' }).click();
    await viewportFilled(viewer, 'after Retry');

    viewer.host.failing.set('table.sort', 'TypeError: cannot compare str and int');
    await headerCell(viewer, 2).locator('.sort-target').click();
    assert.equal(await noticeText(viewer, 'view'), 'Sorting failed: TypeError: cannot compare str and int');
    await close(viewer);
  });

  it('exports, copies code, and shows where the export went', async () => {
    const viewer = await openTable();
    await viewer.page.click('.toolbar .action-export');
    await viewer.page.locator('vscode-context-menu-item', { hasText: 'Export as TSV' }).click();
    assert.equal((await lastPosted(viewer, 'table.export', 1)).format, 'tsv');
    assert.equal(await noticeText(viewer, 'export'), 'Exported to /workspace/df-tsv.tsv');
    await viewer.page.click('.toolbar .action-copy-code');
    await lastPosted(viewer, 'table.copyCode', 1);
    await close(viewer);
  });

  it('stops asking once the table is closed, and says why', async () => {
    const viewer = await openTable();
    await viewer.view.send({ type: 'table.closed', reason: 'the session ended' } as Body);
    assert.equal(await noticeText(viewer, 'closed'), 'This table is closed: the session ended');
    const before = (await viewer.view.posted()).length;
    // Page by page (moves that fetch at once, without waiting to settle) past everything the cache holds.
    await viewer.page.click('#c0_0');
    for (let i = 0; i < 15; i++) await viewer.page.keyboard.press('PageDown');
    await until('the grid to draw rows beyond the cache', async () => (await domRows(viewer)).rows.every((r) => r > 350));
    await viewer.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const after = (await viewer.view.posted()).slice(before).map((m) => m.body.type);
    assert.deepEqual(after, [], 'nothing is asked for after table.closed');
    await close(viewer);
  });

  it('draws MultiIndex rows and columns as index columns and grouped headers', async () => {
    const viewer = await openMultiIndex('dark');
    const groups = await viewer.page.$$eval('.hrow:not(.names) .hcell.group', (cells) => cells.map((c) => [c.textContent, c.getAttribute('aria-colspan')]));
    assert.deepEqual(groups, [['price', '2'], ['volume', '2']]);
    const names = await viewer.page.$$eval('.hrow.names .hcell.index', (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(names, ['city', 'year']);
    const repeat = await viewer.page.$$eval('.row[data-row="1"] .cell.index', (cells) => cells.map((c) => [c.textContent, c.classList.contains('repeat')]));
    assert.deepEqual(repeat, [['Berlin', true], ['2021', false]]);
    await close(viewer);
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`looks like a VS Code editor in the ${theme} theme (screenshot)`, async () => {
      const viewer = await openTable({ theme });
      await headerCell(viewer, 1).locator('.sort-target').click();
      await lastPosted(viewer, 'table.sort', 1);
      await addFilter(viewer, 0, 'lt', '12345');
      await until('the filtered count', async () => (await viewer.page.textContent('.toolbar .counts'))!.startsWith('12,345 of'));
      await viewer.view.send({ type: 'table.stale', reason: 'df was reassigned in run 4' } as Body);
      await noticeText(viewer, 'stale');
      await viewer.page.click('#c2_1');
      await viewer.page.click('#c4_3', { modifiers: ['Shift'] });
      await viewer.page.click('.toolbar .action-profile');
      await until('the profile', async () => (await viewer.page.$$('.histogram rect.bar')).length === 10);
      await viewportFilled(viewer, 'for the screenshot');
      await screenshot(viewer, theme);
      await close(viewer);
      const multi = await openMultiIndex(theme);
      await screenshot(multi, `multiindex-${theme}`);
      await close(multi);
    });
  }
});

/** A small frame with two index levels and two column levels. */
async function openMultiIndex(theme: Theme): Promise<Viewer> {
  const columns: TableColumn[] = [['price', 'min'], ['price', 'max'], ['volume', 'buy'], ['volume', 'sell']].map(([a, b]) => ({ name: `${a} / ${b}`, levels: [a, b], dtype: 'float64', kind: 'float' }));
  const cities = ['Berlin', 'Lisbon', 'Osaka'];
  const table = new FakeTable(12, columns);
  table.schema = () => ({
    handle: 2, kind: 'dataframe', columns, indexLevels: [{ name: 'city', dtype: 'object' }, { name: 'year', dtype: 'int64' }],
    totalRows: 12, filteredRows: 12, sort: [], filters: [], search: '',
  });
  table.rows = (start, end) => {
    const positions = Array.from({ length: Math.min(end, 12) - start }, (_, i) => start + i);
    return {
      start, positions, firstColumn: 0, filteredRows: 12,
      index: positions.map((p) => [cities[Math.floor(p / 4)], String(2020 + (p % 4))]),
      cells: positions.map((p) => columns.map((_, j) => (p === 5 && j === 2 ? SPECIAL.nan : ((p + 1) * (j + 1) * 1.25).toFixed(2)))),
    };
  };
  const view = await openWebview('table', { theme, width: 900, height: 420 });
  await view.waitForPosted((b) => b.type === 'table.ready');
  const viewer = { view, host: new FakeHost(view, table), page: view.page };
  open.push(viewer);
  await view.send({ type: 'table.init', title: 'prices', snapshot: false, refreshable: true, schema: table.schema(), settings: { autoRefresh: false, summaries: false } } as Body);
  await waitForCell(viewer, 0, 0, '1.25');
  return viewer;
}
