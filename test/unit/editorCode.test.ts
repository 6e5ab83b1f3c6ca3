// What Run Selection sends: the selection exactly, or the current line, with the right first line number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectionOrLine } from '../../extension/editorCode';

const lines = ['import os', 'x = df.describe()', 'for i in range(3):', '    print(i)', ''];
const sel = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec }, isEmpty: sl === el && sc === ec });

describe('selectionOrLine', () => {
  it('runs the current line when nothing is selected', () => {
    assert.deepEqual(selectionOrLine(lines, sel(1, 3, 1, 3)), { code: 'x = df.describe()', line: 2 });
  });

  it('runs exactly the selected part of a line', () => {
    assert.deepEqual(selectionOrLine(lines, sel(1, 4, 1, 17)), { code: 'df.describe()', line: 2 });
  });

  it('runs several lines, and a selection ending at column 0 stops at the line before', () => {
    assert.deepEqual(selectionOrLine(lines, sel(2, 0, 4, 0)), { code: 'for i in range(3):\n    print(i)', line: 3 });
  });

  it('keeps the indentation of a selection that starts at a line\'s first non-blank character', () => {
    const block = ['def f():', '    a = 1', '    b = a + 1', '    return b'];
    assert.deepEqual(selectionOrLine(block, sel(1, 4, 2, 13)), { code: '    a = 1\n    b = a + 1', line: 2 });
  });
});
