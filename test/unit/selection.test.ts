// The selection model: moves, ranges, whole rows and columns, clamping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Selection } from '../../webview/table/selection';

describe('Selection', () => {
  it('moves the active cell within the table and extends a range from the anchor with Shift', () => {
    const s = new Selection(10_000_000, 8);
    s.moveBy(3, 2);
    assert.deepEqual(s.active, { row: 3, col: 2 });
    s.moveBy(2, 1, true);
    assert.deepEqual(s.range(), { rows: [3, 5], cols: [2, 3] });
    assert.ok(s.contains(4, 3) && !s.contains(6, 3));
    s.moveTo(1e9, -5);
    assert.deepEqual(s.active, { row: 9_999_999, col: 0 });
    assert.deepEqual(s.range(), { rows: [9_999_999, 9_999_999], cols: [0, 0] }, 'a plain move collapses the range');
  });

  it('selects whole rows and columns, extending them with Shift', () => {
    const s = new Selection(100, 5);
    s.selectRows(10);
    s.selectRows(12, true);
    assert.deepEqual(s.range(), { rows: [10, 12], cols: [0, 4] });
    assert.ok(s.isWholeRow(11) && !s.isWholeColumn(0));
    s.moveBy(1, 0, true);
    assert.deepEqual(s.range().rows, [10, 13], 'keyboard extension keeps whole rows');
    s.selectColumns(1);
    s.selectColumns(3, true);
    assert.deepEqual(s.range(), { rows: [0, 99], cols: [1, 3] });
    assert.ok(s.isWholeColumn(2) && !s.isWholeRow(0));
    s.selectAll();
    assert.deepEqual(s.range(), { rows: [0, 99], cols: [0, 4] });
  });

  it('keeps what fits when the table shrinks', () => {
    const s = new Selection(100, 5);
    s.moveTo(90, 4);
    s.resize(10, 2);
    assert.deepEqual(s.active, { row: 9, col: 1 });
  });
});
