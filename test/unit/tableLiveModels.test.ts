// The table viewer's live pieces without a browser: titles that follow the rows, filter operators by dtype, search
// matches, a cache that grows at its end, summaries asked one at a time, and view changes where the latest wins.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnSummary, TableColumn, TableSchema } from '../../shared/agentProtocol';
import { tableHeading, tableShape, tableTitle } from '../../shared/tableTitle';
import { opsFor } from '../../webview/table/filterModel';
import { matchParts } from '../../webview/table/highlight';
import { RowCache } from '../../webview/table/rowCache';
import { SummaryLoader } from '../../webview/table/summaries';
import { FIRST_MATCHES, ViewControl, type SchemaChange } from '../../webview/table/viewControl';

const column = (name: string, dtype = 'float64', kind: TableColumn['kind'] = 'float'): TableColumn => ({ name, levels: [name], dtype, kind });
const schema = (more: Partial<TableSchema> = {}): TableSchema => ({
  handle: 1, kind: 'dataframe', columns: [column('city', 'object', 'str'), column('temperature')], indexLevels: [],
  totalRows: 1_000_000, filteredRows: 1_000_000, sort: [], filters: [], search: '', ...more,
});

describe('table titles', () => {
  const df = { name: 'df', snapshot: false };
  it('name the source, the rows and what differs', () => {
    assert.equal(tableTitle(df, schema()), 'df · 1,000,000 rows');
    assert.equal(tableTitle(df, schema({ filteredRows: 750_421, totalRows: 750_421, sort: [{ column: 1, descending: true }] })), 'df · 750,421 rows (sorted)');
    assert.equal(tableTitle(df, schema({ filteredRows: 12, search: 'x', sort: [{ column: 0, descending: false }] })), 'df · 12 of 1,000,000 rows (filtered, sorted)');
    assert.equal(tableTitle(df, schema({ filteredRows: 200, search: 'x', partial: true })), 'df · 200+ of 1,000,000 rows (filtered)');
    assert.equal(tableTitle({ name: 'In [7]', snapshot: true }, schema({ totalRows: 1, filteredRows: 1 })), 'In [7] (snapshot) · 1 row');
    assert.equal(tableHeading({ name: 'In [7]', snapshot: true }), 'In [7] (snapshot)');
  });

  it('read a Series by its length, dtype and name', () => {
    const series = schema({ kind: 'series', columns: [column('temperature')], totalRows: 4, filteredRows: 4 });
    assert.equal(tableShape(series), 'Series · 4 · float64 · temperature');
    assert.equal(tableTitle({ name: 'In [9]', snapshot: true }, series), 'In [9] (snapshot) · Series · 4 · float64 · temperature');
    assert.equal(tableShape({ ...series, filteredRows: 3 }), 'Series · 3 of 4 · float64 · temperature');
    assert.equal(tableShape(schema()), '1,000,000 rows × 2 columns');
  });
});

describe('filter operators by dtype', () => {
  it('offer no text tests on numbers and dates, no order on booleans, everything on text', () => {
    const ops = (kind: TableColumn['kind'], keep?: Parameters<typeof opsFor>[1]) => opsFor(kind, keep).map((o) => o.op);
    assert.ok(!ops('float').includes('regex') && !ops('float').includes('contains') && ops('float').includes('between'));
    assert.ok(!ops('datetime').includes('regex'));
    assert.deepEqual(ops('bool'), ['eq', 'ne', 'isnull', 'notnull']);
    assert.equal(ops('str').length, 12);
    assert.ok(ops('float', 'regex').includes('regex'), 'an existing filter keeps its operator');
  });
});

describe('search matches', () => {
  it('split a text into what matches, ignoring case, and what does not', () => {
    assert.deepEqual(matchParts('name 177', '7'), ['name 1', '7', '', '7', '']);
    assert.deepEqual(matchParts('Lima', 'LI'), ['', 'Li', 'ma']);
    assert.deepEqual(matchParts('a.b', '.'), ['a', '.', 'b'], 'the search is text, not a pattern');
    assert.deepEqual(matchParts('abc', 'x'), ['abc']);
  });
});

describe('RowCache.extend', () => {
  it('keeps the complete blocks when a view grows at its end, and asks for the short one again', () => {
    const cache = new RowCache({ blockRows: 100, blockCols: 50 });
    cache.reset(250, 2);
    const load = (start: number, end: number) => {
      const request = { start, end, columns: [0, 2] as [number, number] };
      cache.markLoading(request);
      cache.store(request, {
        start, firstColumn: 0, filteredRows: 250, positions: [...Array(end - start).keys()].map((i) => start + i),
        index: [...Array(end - start).keys()].map((i) => [String(start + i)]), cells: [...Array(end - start).keys()].map(() => ['a', 'b']),
      });
    };
    load(0, 250);
    cache.extend(1000);
    assert.equal(cache.cell(199, 0).kind, 'ready');
    assert.equal(cache.cell(249, 0).kind, 'loading', 'the block that ended at the old end is asked for again');
    assert.deepEqual(cache.missing({ firstRow: 150, endRow: 260, firstCol: 0, endCol: 2 })[0], { start: 200, end: 300, columns: [0, 2] });
  });
});

describe('SummaryLoader', () => {
  function loader() {
    const asked: { column: number; id: number; resolve(s: ColumnSummary): void }[] = [];
    const cancelled: number[] = [];
    let id = 0;
    const summaries = new SummaryLoader({
      summary: (column, onSent) => new Promise((resolve) => {
        onSent(++id);
        asked.push({ column, id, resolve });
      }),
      cancel: (messageId) => cancelled.push(messageId),
      changed: () => undefined,
    });
    return { summaries, asked, cancelled };
  }
  const summary = (column: number): ColumnSummary => ({ column, count: 1, nullCount: 0 });
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('asks for one column at a time, in view order, and cancels one that left the view', async () => {
    const { summaries, asked, cancelled } = loader();
    summaries.view(0, 3);
    assert.deepEqual(asked.map((a) => a.column), [0], 'one at a time');
    asked[0].resolve(summary(0));
    await tick();
    assert.deepEqual(asked.map((a) => a.column), [0, 1]);
    assert.equal(summaries.state(0).kind, 'ready');
    summaries.view(5, 8);
    assert.deepEqual(cancelled, [asked[1].id], 'column 1 scrolled away before its turn');
    assert.deepEqual(asked.map((a) => a.column), [0, 1, 5]);
    asked[1].resolve(summary(1));
    await tick();
    assert.equal(summaries.state(1).kind, 'loading', 'an answer for a cancelled column is not kept');
  });

  it('drops what it has when the data changes, answers on their way included', async () => {
    const { summaries, asked } = loader();
    summaries.view(0, 2);
    summaries.reset();
    asked[0].resolve(summary(0));
    await tick();
    assert.equal(summaries.state(0).kind, 'loading');
    assert.deepEqual(asked.map((a) => a.column), [0, 0], 'asked again for the new data');
  });
});

describe('ViewControl', () => {
  function control() {
    const shown: [TableSchema, SchemaChange][] = [];
    const cancelled: number[] = [];
    const pending: { kind: string; limit?: number; id: number; resolve(s: TableSchema): void; reject(e: Error): void }[] = [];
    let id = 0;
    const ask = (kind: string, limit?: number) => (onSent: (id: number) => void) => new Promise<TableSchema>((resolve, reject) => {
      onSent(++id);
      pending.push({ kind, limit, id, resolve, reject });
    });
    const view = new ViewControl({
      sort: (_, onSent) => ask('sort')(onSent),
      filter: (_, search, limit, onSent) => ask(`filter ${search}`, limit)(onSent),
      refresh: () => ask('refresh')(() => undefined),
      cancel: (messageId) => cancelled.push(messageId),
    }, { apply: (s, change) => shown.push([s, change]), busy: () => undefined }, { show: () => undefined, clear: () => undefined });
    return { view, shown, cancelled, pending };
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('shows a search\'s first page, then its count as the view growing', async () => {
    const { view, shown, pending } = control();
    const done = view.filter([], 'lima');
    assert.deepEqual([pending[0].kind, pending[0].limit], ['filter lima', FIRST_MATCHES]);
    pending[0].resolve(schema({ search: 'lima', filteredRows: 200, partial: true }));
    await tick();
    assert.deepEqual([pending[1].kind, pending[1].limit], ['filter lima', undefined]);
    pending[1].resolve(schema({ search: 'lima', filteredRows: 250_000 }));
    await done;
    assert.deepEqual(shown.map(([s, change]) => [s.filteredRows, change]), [[200, 'view'], [250_000, 'grow']]);
  });

  it('cancels the change on its way when another starts, and shows only the latest', async () => {
    const { view, shown, cancelled, pending } = control();
    const first = view.filter([], 'li');
    const second = view.filter([], 'lim');
    assert.deepEqual(cancelled, [pending[0].id]);
    pending[0].reject(new Error('KeyboardInterrupt: cancelled'));
    pending[1].resolve(schema({ search: 'lim', filteredRows: 3 }));
    await Promise.all([first, second]);
    assert.deepEqual(shown.map(([s]) => s.search), ['lim'], 'the cancelled one neither shows nor fails');
  });

  it('lets a refresh leave a sort on its way running, and shows what comes after it', async () => {
    const { view, shown, cancelled, pending } = control();
    const sorting = view.sort([{ column: 1, descending: true }]);
    const refreshing = view.refresh();
    assert.deepEqual(cancelled, [], 'the sort is what the user asked for');
    pending[0].resolve(schema({ sort: [{ column: 1, descending: true }] }));
    pending[1].resolve(schema({ totalRows: 750_421, filteredRows: 750_421, sort: [{ column: 1, descending: true }] }));
    await Promise.all([sorting, refreshing]);
    assert.deepEqual(shown.map(([s, change]) => [s.totalRows, change]), [[750_421, 'data']]);
  });
});
