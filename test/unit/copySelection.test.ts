// Copying the selection: TSV of cells, header lines for whole rows and columns, cut cells in full, the row limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SPECIAL, type Cell, type TableRows, type TableSchema } from '../../shared/agentProtocol';
import { COPY_ROW_LIMIT, copySelection, type CopySource } from '../../webview/table/copy';
import { RowCache } from '../../webview/table/rowCache';
import { Selection } from '../../webview/table/selection';

const ROWS = 1_000_000;
const schema: TableSchema = {
  handle: 1, kind: 'dataframe', totalRows: ROWS, filteredRows: ROWS, sort: [], filters: [], search: '',
  columns: ['a', 'b', 'c'].map((name) => ({ name, levels: [name], dtype: 'object', kind: 'str' })),
  indexLevels: [{ name: 'key', dtype: 'int64' }],
};

/** Rows whose column b is cut every tenth row; records what was asked. */
function source(): CopySource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    cache: new RowCache(),
    async rows(start, end, columns): Promise<TableRows> {
      asked.push(`rows ${start}-${end} [${columns}]`);
      const positions = Array.from({ length: end - start }, (_, i) => start + i + 100);
      return {
        start, positions, firstColumn: columns[0], filteredRows: ROWS, index: positions.map((p) => [`k${p}`]),
        cells: positions.map((p) => Array.from({ length: columns[1] - columns[0] }, (_, j): Cell => {
          const col = columns[0] + j;
          if (col === 1 && p % 10 === 0) return [`cut ${p}`, 99];
          return col === 2 && p % 2 ? SPECIAL.nan : `${'abc'[col]}${p}`;
        })),
      };
    },
    async fullText(position, column) {
      asked.push(`cell ${position},${column}`);
      return `the whole text of ${position}`;
    },
  };
}

describe('copySelection', () => {
  it('copies a cell range as TSV, cut cells in full by their original position', async () => {
    const selection = new Selection(ROWS, 3);
    selection.moveTo(0, 1);
    selection.moveTo(1, 2, true);
    const s = source();
    const copied = await copySelection(schema, selection, s);
    assert.equal(copied.text, 'the whole text of 100\tc100\nb101\tNaN');
    assert.deepEqual(s.asked, ['rows 0-2 [1,3]', 'cell 100,1']);
  });

  it('adds the column names for whole columns, and index labels for whole rows', async () => {
    const rows = new Selection(ROWS, 3);
    rows.selectRows(1);
    assert.equal((await copySelection(schema, rows, source())).text, 'key\ta\tb\tc\nk101\ta101\tb101\tNaN');
    const columns = new Selection(5, 3);
    columns.selectColumns(0);
    const small = { ...schema, filteredRows: 5 };
    assert.equal((await copySelection(small, columns, source())).text, 'a\na100\na101\na102\na103\na104');
  });

  it('copies numbers exactly, not as they read', async () => {
    const selection = new Selection(ROWS, 3);
    selection.selectRows(0);
    const numbers: CopySource = {
      ...source(),
      async rows(start) {
        return {
          start, positions: [7], firstColumn: 0, filteredRows: ROWS, index: [[['1,234', '1234']]],
          cells: [[['0.3', '0.30000000000000004'], '1e-12', ['1.234568e+07', '12345678.9']]],
        };
      },
    };
    assert.equal((await copySelection(schema, selection, numbers)).text, 'key\ta\tb\tc\n1234\t0.30000000000000004\t1e-12\t12345678.9');
  });

  it(`stops at ${COPY_ROW_LIMIT.toLocaleString('en-US')} rows, asking in chunks, and says how many were left`, async () => {
    const selection = new Selection(ROWS, 3);
    selection.selectColumns(0);
    const s = source();
    const copied = await copySelection(schema, selection, s);
    assert.equal(copied.rows, COPY_ROW_LIMIT);
    assert.equal(copied.left, ROWS - COPY_ROW_LIMIT);
    assert.equal(copied.text.split('\n').length, COPY_ROW_LIMIT + 1);
    assert.equal(s.asked.filter((a) => a.startsWith('rows')).length, 10);
  });
});
