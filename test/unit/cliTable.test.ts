// `pydock table` arguments: --rows, --sort and --filter as users type them, and the text table it prints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTextTable, parseFilter, parseRows, parseSort, parseTableQuery } from '../../extension/cli/table';

describe('pydock table arguments', () => {
  it('reads --rows as START:END with either side left out', () => {
    assert.deepEqual(parseRows('5:10'), { start: 5, end: 10 });
    assert.deepEqual(parseRows(':10'), { start: 0, end: 10 });
    assert.deepEqual(parseRows('100:'), { start: 100, end: undefined });
    assert.throws(() => parseRows('10:5'), /END comes before START/);
    assert.throws(() => parseRows('ten'), /START:END/);
    assert.deepEqual(parseTableQuery({}), { start: 0, end: 20, sort: [], filters: [], numbers: { precision: 6, thousands: false } });
  });

  it('reads numbers as pandas writes them by default, to --precision digits, or exactly with --raw', () => {
    assert.deepEqual(parseTableQuery({ precision: '2' }).numbers, { precision: 2, thousands: false });
    assert.equal(parseTableQuery({ raw: true }).numbers, undefined);
    assert.throws(() => parseTableQuery({ precision: 'two' }), /--precision must be a whole number of digits from 0 to 17, not "two"/);
    assert.throws(() => parseTableQuery({ precision: '18' }), /from 0 to 17/);
    assert.throws(() => parseTableQuery({ raw: true, precision: '3' }), /--raw shows numbers exactly/);
  });

  it('reads --sort as COL or COL:desc, and a colon inside a name stays in it', () => {
    assert.deepEqual(parseSort('price:desc'), { column: 'price', descending: true });
    assert.deepEqual(parseSort('price'), { column: 'price', descending: false });
    assert.deepEqual(parseSort('a:b'), { column: 'a:b', descending: false });
    assert.deepEqual(parseSort('a:b:asc'), { column: 'a:b', descending: false });
  });

  it('reads --filter as COL OP VALUE; names and values may hold spaces', () => {
    assert.deepEqual(parseFilter('price >= 2.5'), { column: 'price', operator: '>=', value: '2.5' });
    assert.deepEqual(parseFilter('unit price < 3'), { column: 'unit price', operator: '<', value: '3' });
    assert.deepEqual(parseFilter('name contains a b'), { column: 'name', operator: 'contains', value: 'a b' });
    assert.deepEqual(parseFilter('when isnull'), { column: 'when', operator: 'isnull', value: '' });
    assert.throws(() => parseFilter('x =='), /== needs a value/);
    assert.throws(() => parseFilter('x isnull 3'), /isnull takes no value/);
    assert.throws(() => parseFilter('x'), /COL OP VALUE/);
    assert.throws(() => parseFilter('x ~ 3'), /OP one of == != < <= > >= contains regex isnull notnull/);
  });

  it('prints numbers to the right, text to the left and cuts wide cells', () => {
    const text = formatTextTable({
      columns: ['n', 'text'], dtypes: ['int64', 'object'], index: ['a', 'b'], total_rows: 10, filtered_rows: 10,
      rows: [['5', 'x'.repeat(50)], ['12', 'line\nbreak']],
    }, 3);
    assert.equal(text, [`    n  text`, `a   5  ${'x'.repeat(39)}…`, 'b  12  line break', 'rows 3–4 of 10', ''].join('\n'));
  });
});
