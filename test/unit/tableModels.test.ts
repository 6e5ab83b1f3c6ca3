// The table viewer's small pure pieces: sort keys from clicks, filters, TSV, column geometry, histogram bars.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ColumnLayout, fitWidth, MAX_AUTO_WIDTH, MIN_COLUMN_WIDTH } from '../../webview/table/columns';
import { describeFilter, FILTER_OPS, filterInput, makeFilter } from '../../webview/table/filterModel';
import { histogramBars } from '../../webview/table/histogram';
import { nextSortKeys } from '../../webview/table/sortKeys';
import { toTsv } from '../../webview/table/tsv';

describe('nextSortKeys', () => {
  const asc = (column: number) => ({ column, descending: false });
  const desc = (column: number) => ({ column, descending: true });

  it('cycles one column asc → desc → none on plain clicks', () => {
    assert.deepEqual(nextSortKeys([], 2, false), [asc(2)]);
    assert.deepEqual(nextSortKeys([asc(2)], 2, false), [desc(2)]);
    assert.deepEqual(nextSortKeys([desc(2)], 2, false), []);
    assert.deepEqual(nextSortKeys([desc(2)], 3, false), [asc(3)], 'another column starts over');
    assert.deepEqual(nextSortKeys([asc(1), desc(2)], 2, false), [asc(2)], 'a plain click ends a multi-column sort');
  });

  it('adds, flips and removes secondary keys with Shift, in place', () => {
    assert.deepEqual(nextSortKeys([asc(1)], 2, true), [asc(1), asc(2)]);
    assert.deepEqual(nextSortKeys([asc(1), asc(2)], 1, true), [desc(1), asc(2)]);
    assert.deepEqual(nextSortKeys([desc(1), asc(2)], 1, true), [asc(2)]);
  });
});

describe('filters', () => {
  const input = (op: (typeof FILTER_OPS)[number]['op'], value = '', value2 = '', caseSensitive = false) => ({ op, value, value2, caseSensitive });

  it('builds every operator from what was typed', () => {
    assert.deepEqual(makeFilter(1, input('ge', '10')), { column: 1, op: 'ge', value: '10' });
    assert.deepEqual(makeFilter(1, input('between', '1', '5')), { column: 1, op: 'between', value: '1', value2: '5' });
    assert.deepEqual(makeFilter(1, input('contains', 'ab', '', true)), { column: 1, op: 'contains', value: 'ab', caseSensitive: true });
    assert.deepEqual(makeFilter(1, input('regex', '^(?P<x>a)')), { column: 1, op: 'regex', value: '^(?P<x>a)', caseSensitive: false }, 'Python checks the pattern');
    assert.deepEqual(makeFilter(1, input('isnull')), { column: 1, op: 'isnull' });
    assert.deepEqual(makeFilter(1, input('in', 'a, b ,,c')), { column: 1, op: 'in', values: ['a', 'b', 'c'] });
    assert.equal(FILTER_OPS.length, 12);
  });

  it('says what is missing', () => {
    assert.deepEqual(makeFilter(0, input('eq', ' ')), { error: 'type a value' });
    assert.deepEqual(makeFilter(0, input('between', '1')), { error: 'between needs two values' });
    assert.deepEqual(makeFilter(0, input('in', ' , ')), { error: 'list at least one value, separated by commas' });
  });

  it('describes filters for the chips and gives the editor its fields back', () => {
    assert.equal(describeFilter({ column: 0, op: 'lt', value: '5' }, 'id'), 'id < 5');
    assert.equal(describeFilter({ column: 0, op: 'between', value: '1', value2: '2' }, 'x'), 'x between 1 and 2');
    assert.equal(describeFilter({ column: 0, op: 'in', values: ['a', 'b'] }, 'x'), 'x in (a, b)');
    assert.equal(describeFilter({ column: 0, op: 'notnull' }, 'x'), 'x is not null');
    assert.equal(describeFilter({ column: 0, op: 'regex', value: 'a+', caseSensitive: true }, 'x'), 'x matches "a+" (Aa)');
    assert.deepEqual(filterInput({ column: 0, op: 'in', values: ['a', 'b'] }), input('in', 'a, b'));
    assert.deepEqual(filterInput({ column: 0, op: 'between', value: '1', value2: '2' }), input('between', '1', '2'));
  });
});

describe('toTsv', () => {
  it('writes TSV that spreadsheets read back', () => {
    assert.equal(toTsv([['a', 'b'], ['c\td', 'say "hi"'], ['two\nlines', '']]), 'a\tb\n"c\td"\t"say ""hi"""\n"two\nlines"\t');
  });
});

describe('ColumnLayout', () => {
  it('finds the columns a span shows, after resizes', () => {
    const layout = new ColumnLayout(1000, 100);
    assert.equal(layout.total, 100_000);
    assert.deepEqual(layout.span(250, 300), [2, 6]);
    layout.setWidth(2, 400);
    assert.equal(layout.left(3), 600);
    assert.deepEqual(layout.span(250, 300), [2, 3]);
    assert.equal(layout.at(1e9), 999);
    layout.setWidth(0, 1);
    assert.equal(layout.width(0), MIN_COLUMN_WIDTH);
    assert.deepEqual(new ColumnLayout(0).span(0, 100), [0, 0]);
  });

  it('fits widths to the widest sample within limits', () => {
    const measure = (text: string) => text.length * 7;
    assert.equal(fitWidth(['ab', 'abcdefghij'], measure, 18), 88);
    assert.equal(fitWidth([], measure, 18), MIN_COLUMN_WIDTH);
    assert.equal(fitWidth(['x'.repeat(1000)], measure, 18), MAX_AUTO_WIDTH);
  });
});

describe('histogramBars', () => {
  it('scales bars to the tallest bin and keeps small bins visible', () => {
    const bars = histogramBars([0, 1, 1000, 500], 400, 100);
    assert.deepEqual(bars.map((b) => b.height), [0, 1, 100, 50]);
    assert.deepEqual(bars.map((b) => b.x), [0, 100, 200, 300]);
    assert.equal(bars[2].y, 0);
    assert.deepEqual(histogramBars([0, 0], 10, 10).map((b) => b.height), [0, 0]);
  });
});
