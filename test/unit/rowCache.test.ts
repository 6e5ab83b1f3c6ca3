// The row cache: what it asks for around the viewport, how it stores replies, and what it trims.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableRows } from '../../shared/webviewProtocol';
import { RowCache, type CellWindow, type RowsRequest } from '../../webview/table/rowCache';
import { Coalescer } from '../../webview/table/coalescer';

const view = (firstRow: number, endRow: number, firstCol = 0, endCol = 5): CellWindow => ({ firstRow, endRow, firstCol, endCol });

function reply(request: RowsRequest): TableRows {
  const rows = Array.from({ length: request.end - request.start }, (_, i) => request.start + i);
  return {
    start: request.start, positions: rows.map((r) => r + 1000), firstColumn: request.columns[0], filteredRows: 1e7,
    index: rows.map((r) => [`i${r}`]),
    cells: rows.map((r) => Array.from({ length: request.columns[1] - request.columns[0] }, (_, j) => `${r}:${request.columns[0] + j}`)),
  };
}

function load(cache: RowCache, requests: RowsRequest[]): void {
  for (const r of requests) {
    cache.markLoading(r);
    cache.store(r, reply(r));
  }
}

describe('RowCache', () => {
  it('asks for the visible blocks first, then the overscan nearest first, merging adjacent blocks', () => {
    const cache = new RowCache({ blockRows: 100, blockCols: 50, overscanScreens: 3 });
    cache.reset(10_000_000, 8);
    assert.deepEqual(cache.missing(view(1000, 1030)), [
      { start: 1000, end: 1100, columns: [0, 8] },
      { start: 1100, end: 1200, columns: [0, 8] },
      { start: 900, end: 1000, columns: [0, 8] },
    ], 'the viewport sits at the top of its block: the block below is nearer');
    cache.reset(10_000_000, 8);
    assert.deepEqual(cache.missing(view(5000, 5060)), [
      { start: 5000, end: 5100, columns: [0, 8] },
      { start: 5100, end: 5300, columns: [0, 8] },
      { start: 4800, end: 5000, columns: [0, 8] },
    ], 'three screens of overscan either side, one request each, the nearer first');
  });

  it('asks for nothing twice: loading and loaded blocks are skipped', () => {
    const cache = new RowCache();
    cache.reset(10_000_000, 8);
    const first = cache.missing(view(0, 30));
    first.forEach((r) => cache.markLoading(r));
    assert.deepEqual(cache.missing(view(0, 30)), []);
    assert.deepEqual(cache.cell(5, 1), { kind: 'loading' });
    load(cache, first);
    assert.deepEqual(cache.missing(view(10, 40)), []);
  });

  it('serves cells, index labels and original positions from stored blocks', () => {
    const cache = new RowCache({ blockRows: 100, blockCols: 2 });
    cache.reset(1000, 5);
    load(cache, cache.missing(view(150, 160, 0, 5)));
    assert.deepEqual(cache.cell(155, 3), { kind: 'ready', cell: '155:3' });
    assert.deepEqual(cache.rowHeader(155), { index: ['i155'], position: 1155 });
    assert.deepEqual(cache.cell(155, 4), { kind: 'ready', cell: '155:4' }, 'the last, narrower column block');
  });

  it('asks for column ranges around the visible columns of a wide table', () => {
    const cache = new RowCache({ blockRows: 100, blockCols: 50, overscanScreens: 0 });
    cache.reset(100, 1000);
    const requests = cache.missing(view(0, 30, 510, 520));
    assert.deepEqual(requests.map((r) => r.columns), [[500, 550]], 'one block holds the visible columns and a screen either side');
    assert.deepEqual(cache.missing(view(0, 30, 545, 560)).map((r) => r.columns), [[500, 550], [550, 600]]);
  });

  it('clamps requests to the table and asks for index labels of a table without columns', () => {
    const cache = new RowCache();
    cache.reset(130, 0);
    assert.deepEqual(cache.missing(view(100, 130, 0, 0)), [
      { start: 100, end: 130, columns: [0, 0] },
      { start: 0, end: 100, columns: [0, 0] },
    ]);
    cache.reset(0, 5);
    assert.deepEqual(cache.missing(view(0, 0)), []);
  });

  it('trims blocks far from the viewport and drops replies to trimmed requests', () => {
    const cache = new RowCache({ blockRows: 100, keepScreens: 2 });
    cache.reset(10_000_000, 8);
    load(cache, cache.missing(view(0, 30)));
    const pending = cache.missing(view(5000, 5030));
    pending.forEach((r) => cache.markLoading(r));
    const before = cache.size;
    assert.ok(cache.trim(view(9_000_000, 9_000_030)) === before, 'everything is far away');
    pending.forEach((r) => cache.store(r, reply(r)));
    assert.equal(cache.size, 0, 'replies for trimmed blocks are not brought back');
  });

  it('keeps failures until retried, and forgets everything on reset', () => {
    const cache = new RowCache();
    cache.reset(1000, 3);
    const [request] = cache.missing(view(0, 10));
    cache.markLoading(request);
    cache.fail(request, 'boom');
    assert.deepEqual(cache.cell(3, 0), { kind: 'error', message: 'boom' });
    assert.ok(!cache.missing(view(0, 10)).some((r) => r.start === 0), 'a failed block is not asked for again by itself');
    cache.retryFailed();
    assert.ok(cache.missing(view(0, 10)).some((r) => r.start === 0));
    const generation = cache.generation;
    cache.reset(1000, 3);
    assert.equal(cache.generation, generation + 1);
    assert.equal(cache.size, 0);
  });
});

describe('Coalescer', () => {
  it('fetches at once for moves within a screen', () => {
    const c = new Coalescer(60);
    assert.equal(c.moved(0, 30, 0), true);
    assert.equal(c.moved(3, 30, 16), true);
    assert.equal(c.moved(33, 30, 32), true);
  });

  it('waits through a burst of jumps until the viewport rests two frames and the settle time', () => {
    const c = new Coalescer(60);
    c.moved(0, 30, 0);
    let now = 0;
    for (let i = 1; i <= 20; i++) {
      now += 200; // slow frames: each step is still part of the drag
      assert.equal(c.moved(i * 100_000, 30, now), false, `step ${i}`);
      assert.equal(c.settled(now), false, `the frame of step ${i}`);
    }
    assert.equal(c.settled(now + 16), false, 'one quiet frame is not a rest');
    assert.equal(c.settled(now + 32), false, 'nor is a rest shorter than the settle time');
    assert.equal(c.settled(now + 64), true);
    assert.equal(c.settling, false);
    assert.equal(c.moved(2_000_001, 30, now + 80), true, 'small moves fetch at once again');
  });
});
