// The table viewer's live parts in headless Chromium: a refresh that changes the row count, titles that follow the
// rows, a search's first page and its count, highlighted matches, the summary row, and the smaller fixes (filter
// operators by dtype, the selection under the hover, fitting a column by double-clicking its border, the profile pane
// beside its column).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIRST_MATCHES } from '../../webview/table/viewControl';
import {
  addFilter, close, FakeTable, headerCell, holdFrames, lastPosted, noticeText, openTable, posted, screenshot, until, viewportFilled,
  waitForCell, type Body, type Viewer,
} from './tableFixture';

const counts = (viewer: Viewer) => viewer.page.textContent('.toolbar .counts');
const pageTitle = (viewer: Viewer) => viewer.page.title();

async function search(viewer: Viewer, text: string): Promise<void> {
  await viewer.page.click('#c0_0');
  await viewer.page.keyboard.press('Control+F');
  await viewer.page.keyboard.type(text);
}

/** Where the first data row and the header end on screen, and what each visible cell of the first rows shows. */
function geometry(viewer: Viewer) {
  return viewer.page.evaluate(() => {
    const headerBottom = Math.max(...[...document.querySelectorAll('.header .hrow')].map((r) => r.getBoundingClientRect().bottom));
    const rows = [...document.querySelectorAll<HTMLElement>('.grid-body .row')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    const first = rows[0];
    const blank = rows.slice(0, 10).flatMap((row) => [...row.querySelectorAll<HTMLElement>('.cells-part .cell')]
      .filter((cell) => {
        const box = cell.getBoundingClientRect();
        const body = row.querySelector('.cells-part')!.getBoundingClientRect();
        return box.right > body.left && box.left < body.right && (cell.textContent ?? '') === '';
      }).map((cell) => cell.id));
    return { headerBottom, firstRow: Number(first.dataset.row), firstTop: first.getBoundingClientRect().top, blank };
  });
}

describe('table viewer webview: live views, search, summaries', () => {
  it('keeps a sound grid through a refresh that changes the row count: rows under the header, every column drawn, the scroll position kept, the counts and the title following', async () => {
    const viewer = await openTable({ settings: { autoRefresh: true, summaries: false } });
    await viewer.page.click('#c0_2');
    for (let i = 0; i < 20; i++) await viewer.page.keyboard.press('PageDown');
    const before = await viewportFilled(viewer, 'scrolled down');
    viewer.host.refreshTo = new FakeTable(750_421);
    await viewer.view.send({ type: 'table.stale', reason: 'df' } as Body);
    await lastPosted(viewer, 'table.refresh', 1);
    await until('the new counts', async () => (await counts(viewer)) === '750,421 rows × 8 columns');
    assert.equal(await pageTitle(viewer), 'df · 750,421 rows');
    const after = await viewportFilled(viewer, 'after the refresh');
    assert.equal(after[0], before[0], 'the view stays where it was');
    const here = await geometry(viewer);
    assert.deepEqual(here.blank, [], 'every visible cell shows its value');
    assert.equal(await viewer.page.$('[data-notice="stale"]'), null, 'a refresh by itself leaves no notice');

    await viewer.page.keyboard.press('Control+End');
    await until('the last row', async () => (await viewportFilled(viewer, 'at the end')).at(-1) === 750_420);
    viewer.host.refreshTo = new FakeTable(1_000);
    await viewer.view.send({ type: 'table.stale', reason: 'df' } as Body);
    await until('the smaller counts', async () => (await counts(viewer)) === '1,000 rows × 8 columns');
    const end = await viewportFilled(viewer, 'after shrinking below the scroll position');
    assert.equal(end.at(-1), 999, 'the view moved up to the new last row');
    await viewer.page.keyboard.press('Control+Home');
    await waitForCell(viewer, 0, 0, '0');
    const top = await geometry(viewer);
    assert.equal(top.firstRow, 0);
    assert.ok(Math.abs(top.firstTop - top.headerBottom) <= 1, `row 0 starts where the header ends (row at ${top.firstTop}, header to ${top.headerBottom})`);
    assert.deepEqual(top.blank, []);
    await screenshot(viewer, 'refreshed-smaller-dark');
    await close(viewer);
  });

  it('draws the rows of a refresh in the frame after its reply and fills them, however late that frame comes', async () => {
    const viewer = await openTable({ settings: { autoRefresh: true, summaries: false } });
    await viewer.page.click('#c0_2');
    await viewer.page.keyboard.press('Control+End');
    await until('the last row', async () => (await viewportFilled(viewer, 'at the end')).at(-1) === 9_999_999);
    const release = await holdFrames(viewer);
    viewer.host.refreshTo = new FakeTable(1_000);
    await viewer.view.send({ type: 'table.stale', reason: 'df' } as Body);
    await until('the smaller counts', async () => (await counts(viewer)) === '1,000 rows × 8 columns');
    // Until the frame comes, the old rows stay on the page with every cell filled: a look now must not count as filled.
    const filled = viewportFilled(viewer, 'after the refresh');
    await release();
    assert.equal((await filled).at(-1), 999, 'the new last row is drawn');
    assert.deepEqual((await geometry(viewer)).blank, [], 'every visible cell shows its value');
    await close(viewer);
  });

  it('fits the rows to the grid when a refresh shows and clears its notice within one frame', async () => {
    const viewer = await openTable({ settings: { autoRefresh: true, summaries: false } });
    await viewer.page.click('#c0_2');
    await viewer.page.keyboard.press('Control+End');
    await until('the last row', async () => (await viewportFilled(viewer, 'at the end')).at(-1) === 9_999_999);
    viewer.host.holding.add('table.refresh');
    viewer.host.table = new FakeTable(1_000);
    // A fast reply: "Refreshing…" comes and goes in one task, so the grid's size never changes between two frames.
    await viewer.page.evaluate(async (schema) => {
      const flush = async () => { for (let i = 0; i < 50; i++) await Promise.resolve(); };
      const deliver = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
      deliver({ messageId: 1_000_000, body: { type: 'table.stale', reason: 'df' } });
      await flush();
      const posted = (window as unknown as { __posted: { messageId: number; body: { type: string } }[] }).__posted;
      const request = posted.filter((m) => m.body.type === 'table.refresh').at(-1)!;
      deliver({ messageId: 1_000_001, inReplyTo: request.messageId, body: { type: 'reply', ok: true, value: schema } });
      await flush();
    }, new FakeTable(1_000).schema() as unknown as Record<string, unknown>);
    assert.equal(await counts(viewer), '1,000 rows × 8 columns');
    await until('the last row in view', async () => (await viewportFilled(viewer, 'after the refresh')).at(-1) === 999);
    await close(viewer);
  });

  it('names what it shows: a snapshot says so, the title follows filters and sorts, a Series shows its name and dtype', async () => {
    const viewer = await openTable({ title: 'In [7]', snapshot: true });
    assert.equal(await viewer.page.textContent('.toolbar .title'), 'In [7] (snapshot)');
    assert.equal(await pageTitle(viewer), 'In [7] (snapshot) · 10,000,000 rows');
    await headerCell(viewer, 1).locator('.sort-target').click();
    await until('a sorted title', async () => (await pageTitle(viewer)) === 'In [7] (snapshot) · 10,000,000 rows (sorted)');
    await close(viewer);

    const series = new FakeTable(4, [{ name: 'temperature', levels: ['temperature'], dtype: 'float64', kind: 'float' }]);
    const original = series.schema.bind(series);
    series.schema = () => ({ ...original(), kind: 'series', indexLevels: [{ name: 'city', dtype: 'object' }] });
    const grouped = await openTable({ table: series, title: 'In [9]', snapshot: true });
    assert.equal(await counts(grouped), 'Series · 4 · float64 · temperature');
    assert.equal(await pageTitle(grouped), 'In [9] (snapshot) · Series · 4 · float64 · temperature');
    await close(grouped);
  });

  it('shows the first page of a search at once, counts the rest after, keeps the rows it has, and marks the matches', async () => {
    const viewer = await openTable();
    viewer.host.holding.add('table.filter');
    await search(viewer, '7');
    await viewer.host.releaseFirst('table.filter');
    await until('the first matches, still counting', async () => (await counts(viewer)) === `${FIRST_MATCHES}+ of 10,000,000 rows × 8 columns`);
    await waitForCell(viewer, 0, 2, 'name 7');
    assert.equal(await viewer.page.title(), `df · ${FIRST_MATCHES}+ of 10,000,000 rows (filtered)`);
    const rowsBefore = posted(viewer, 'table.rows').length;
    const rest = await viewer.host.releaseFirst('table.filter');
    assert.equal(rest.body.limit, undefined, 'the second request counts every match');
    await until('every match counted', async () => (await counts(viewer)) === '1,000,000 of 10,000,000 rows × 8 columns');
    await viewportFilled(viewer, 'after the count');
    assert.equal(posted(viewer, 'table.rows').slice(rowsBefore).filter((r) => (r.start as number) < FIRST_MATCHES).length, 0,
      'the rows of the first page were not asked for again');
    const marks = await viewer.page.$$eval('#c1_2 mark, #c1_0 mark', (m) => m.map((e) => [e.parentElement!.id, e.textContent]));
    assert.deepEqual(marks, [['c1_0', '7'], ['c1_2', '7']], 'the matches in "17" and "name 17" are marked');
    assert.equal(await viewer.page.$$eval('.grid-body .cell.special mark', (m) => m.length), 0, 'missing values are never marked');
    await screenshot(viewer, 'search-marks-dark');
    await close(viewer);
  });

  it('cancels the search still running when another key is typed', async () => {
    const viewer = await openTable();
    viewer.host.holding.add('table.filter');
    await search(viewer, 'ab');
    const first = await until('the first search', async () => viewer.host.requests('table.filter')[0]);
    await viewer.page.keyboard.type('c');
    const cancel = await lastPosted(viewer, 'table.cancel', 1);
    assert.equal(cancel.request, first.messageId, 'the new keystroke cancelled the old search');
    assert.equal((await lastPosted(viewer, 'table.filter', 2)).search, 'abc');
    await viewer.host.release('table.filter');
    await close(viewer);
  });

  it('summarizes every column in view, one at a time, and cancels a summary that scrolled out of view', async () => {
    const viewer = await openTable({ settings: { autoRefresh: false, summaries: true }, width: 700 });
    const numeric = viewer.page.locator('.hrow.summary .hsummary[data-col="1"]');
    await until('a sparkline for the float column', async () => (await numeric.locator('.sparkline rect').count()) === 10);
    assert.equal(await numeric.locator('.summary-stats').textContent(), '0 – 999.5 · <0.1% null · μ 499.75');
    const text = viewer.page.locator('.hrow.summary .hsummary[data-col="2"]');
    await until('top values for the text column', async () => (await text.locator('.top-label').textContent().catch(() => '')) === 'red 50%');
    assert.match((await text.getAttribute('title'))!, /at least 3 distinct[^]*counted in a sample of 100,000 rows/);
    assert.match((await text.locator('.summary-stats').textContent())!, /^≥3 distinct/, 'a sample shows a floor of the distinct values, not an estimate');
    const summaries = posted(viewer, 'table.summary').map((b) => b.column);
    assert.ok(summaries.length >= 3 && summaries.length < 8, `only the columns in view were summarized: ${summaries}`);
    const top = await geometry(viewer);
    assert.ok(Math.abs(top.firstTop - top.headerBottom) <= 1, 'rows start under the summary row');

    await until('every summary drawn', async () => (await viewer.page.$$('.hrow.summary .summary-loading')).length === 0);
    const done = new Set(posted(viewer, 'table.summary').map((b) => b.column));
    viewer.host.holding.add('table.summary');
    await viewer.page.$eval('.grid', (g) => (g.scrollLeft = g.scrollWidth));
    const held = await until('a summary asked for on the right', async () => viewer.host.requests('table.summary').find((m) => !done.has(m.body.column)));
    await viewer.page.$eval('.grid', (g) => (g.scrollLeft = 0));
    const cancel = await lastPosted(viewer, 'table.cancel', 1);
    assert.equal(cancel.request, held.messageId, 'scrolling away cancelled it');
    await viewer.host.release('table.summary');
    await screenshot(viewer, 'summaries-dark');
    await viewer.page.click('.toolbar .action-summaries');
    await until('the summary row hidden', async () => (await viewer.page.$('.hrow.summary')) === null);
    await close(viewer);
  });

  it('offers the filter operators of the column\'s dtype: no text tests on a float column', async () => {
    const viewer = await openTable();
    const options = async (col: number) => {
      await headerCell(viewer, col).hover();
      await headerCell(viewer, col).locator('.hmenu').click({ delay: 150 });
      await viewer.page.locator('vscode-context-menu-item', { hasText: 'Add Filter' }).click();
      const labels = await viewer.page.$$eval('.filter-op vscode-option', (o) => o.map((e) => e.getAttribute('value')));
      await viewer.page.locator('.filter-cancel').click();
      return labels;
    };
    assert.deepEqual(await options(1), ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'between', 'isnull', 'notnull', 'in']);
    assert.ok((await options(2)).includes('regex'), 'a text column keeps its text tests');
    await close(viewer);
  });

  it('keeps the selection visible under the row hover', async () => {
    const viewer = await openTable();
    await viewer.page.click('#c3_1');
    await viewer.page.click('#c3_3', { modifiers: ['Shift'] });
    await viewer.page.hover('#c3_5');
    const colours = await viewer.page.evaluate(() => ['c3_2', 'c3_5', 'c6_2'].map((id) => getComputedStyle(document.getElementById(id)!).backgroundColor));
    assert.notEqual(colours[0], colours[1], 'a selected cell of the hovered row does not look like the hovered cells');
    assert.notEqual(colours[0], colours[2], 'nor like a cell of another row');
    await close(viewer);
  });

  it('fits a column to its content when its border is double-clicked', async () => {
    const viewer = await openTable();
    await viewportFilled(viewer, 'the first page');
    const fitted = (await headerCell(viewer, 2).boundingBox())!;
    const edge = (await viewer.page.locator('.hrow.names .hcell[data-col="2"] .resize').boundingBox())!;
    await viewer.page.mouse.move(edge.x + edge.width / 2, edge.y + 5);
    await viewer.page.mouse.down();
    await viewer.page.mouse.move(edge.x - 80, edge.y + 5, { steps: 4 });
    await viewer.page.mouse.up();
    const narrow = await until('the name column narrowed', async () => {
      const width = (await headerCell(viewer, 2).boundingBox())!.width;
      return width < fitted.width - 30 ? width : undefined;
    });
    const border = (await headerCell(viewer, 2).boundingBox())!;
    await viewer.page.mouse.move(border.x + border.width - 1, border.y + border.height / 2); // on the border line itself
    await viewer.page.mouse.dblclick(border.x + border.width - 1, border.y + border.height / 2);
    const width = await until(`the column fitted again (it was ${narrow}px)`, async () => {
      const now = (await headerCell(viewer, 2).boundingBox())!.width;
      return Math.abs(now - fitted.width) <= 2 ? now : undefined;
    });
    assert.ok(width > narrow);
    await close(viewer);
  });

  it('puts the profile pane beside the column it profiles, in a narrow editor too', async () => {
    const viewer = await openTable({ width: 620 });
    const last = await viewer.page.$$eval('.hrow.names .hcell:not(.index)', (cells) => Math.max(...cells.map((c) => Number((c as HTMLElement).dataset.col))));
    await viewer.page.locator(`#c0_${last - 1}`).click();
    await viewer.page.click('.toolbar .action-profile');
    await until('the histogram', async () => (await viewer.page.$$('.histogram rect.bar')).length === 10);
    const pane = (await viewer.page.locator('.profile').boundingBox())!;
    const column = (await headerCell(viewer, last - 1).boundingBox())!;
    assert.ok(column.x >= 0 && column.x + column.width <= pane.x + 1, `the column (${column.x}–${column.x + column.width}) is left of the pane (from ${pane.x})`);
    assert.ok(pane.width <= 620 * 0.4 + 1, 'the pane leaves most of a narrow editor to the grid');
    await screenshot(viewer, 'profile-narrow-dark');
    await close(viewer);
  });

  it('says which filters a refresh dropped because their column went', async () => {
    const viewer = await openTable();
    await addFilter(viewer, 2, 'contains', 'name');
    await until('the filter chip', async () => (await viewer.page.textContent('.filter-bar .chip-label')) === 'name contains "name"');
    viewer.host.refreshTo = new FakeTable(500, [{ name: 'id', levels: ['id'], dtype: 'int64', kind: 'int' }]);
    await viewer.view.send({ type: 'table.stale', reason: 'df' } as Body);
    await viewer.page.locator('[data-notice="stale"] vscode-button', { hasText: 'Refresh' }).click();
    await until('the new counts', async () => (await counts(viewer)) === '500 rows × 1 column');
    assert.equal(await noticeText(viewer, 'dropped'),
      'The data changed: the filter on name no longer applies (its column is gone or holds another kind of values).');
    await waitForCell(viewer, 0, 0, '0');
    await close(viewer);
});
});
