// Virtual scrolling: the scaled scroll range, row-precise moves, and scrollbar drags.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualScroll } from '../../webview/table/scrollMap';

const ROW = 22;

describe('VirtualScroll', () => {
  it('does not scale a table that fits the browser', () => {
    const scroll = new VirtualScroll(ROW, 1_000_000);
    scroll.resize(1000, 220);
    assert.equal(scroll.scale, 1);
    assert.equal(scroll.domMax, 1000 * ROW - 220);
    scroll.onScroll(440);
    assert.deepEqual(scroll.window(), { first: 20, offset: 0, count: 10 });
  });

  it('scales 10,000,000 rows into the DOM limit and reaches the last row at the bottom of the scrollbar', () => {
    const scroll = new VirtualScroll(ROW, 8_000_000);
    scroll.resize(10_000_000, 660);
    assert.equal(scroll.domMax, 8_000_000);
    assert.ok(scroll.scale > 27 && scroll.scale < 28, `scale ${scroll.scale}`);
    scroll.onScroll(8_000_000);
    const { first, count } = scroll.window();
    assert.equal(first + count - 1, 9_999_999, 'the last row is in view');
    assert.equal(scroll.virtualTop, scroll.virtualMax);
  });

  it('moves row by row when scaled, and ignores the echo of its own scrollTop', () => {
    const scroll = new VirtualScroll(ROW, 8_000_000);
    scroll.resize(10_000_000, 660);
    scroll.onScroll(4_000_000);
    const start = scroll.window().first;
    const top = scroll.scrollTo((start + 0) * ROW);
    const echoed = Math.round(top); // the browser keeps whole pixels
    assert.equal(scroll.onScroll(echoed), false, 'our own assignment echoing back moves nothing');
    for (let i = 1; i <= 5; i++) {
      const next = scroll.scrollBy(ROW);
      scroll.onScroll(Math.round(next));
      assert.deepEqual([scroll.window().first, scroll.window().offset], [start + i, 0], `wheel step ${i}`);
    }
  });

  it('takes a scrollbar drag as a new position, scaled', () => {
    const scroll = new VirtualScroll(ROW, 8_000_000);
    scroll.resize(10_000_000, 660);
    assert.equal(scroll.onScroll(2_000_000), true);
    assert.equal(scroll.virtualTop, 2_000_000 * scroll.scale);
  });

  it('reveals a row with the least scrolling', () => {
    const scroll = new VirtualScroll(ROW, 8_000_000);
    scroll.resize(10_000_000, 10 * ROW);
    assert.equal(scroll.reveal(5), undefined, 'already in view');
    scroll.reveal(100);
    assert.deepEqual(scroll.window(), { first: 91, offset: 0, count: 10 }, 'the row ends up at the bottom');
    scroll.reveal(9_999_999);
    assert.equal(scroll.window().first + scroll.window().count - 1, 9_999_999);
    scroll.reveal(3);
    assert.equal(scroll.window().first, 3, 'the row ends up at the top');
  });

  it('clamps when the rows shrink (a filter) and handles an empty table', () => {
    const scroll = new VirtualScroll(ROW);
    scroll.resize(10_000_000, 220);
    scroll.scrollTo(1e9);
    scroll.resize(50, 220);
    assert.deepEqual(scroll.window(), { first: 40, offset: 0, count: 10 });
    scroll.resize(0, 220);
    assert.deepEqual(scroll.window(), { first: 0, offset: 0, count: 0 });
    assert.equal(scroll.pageRows, 10);
  });
});
