// The page cache of table rows: blocks of rows × column ranges, what to fetch around the viewport, what to trim.
import type { Cell, TableRows } from '../../shared/webviewProtocol';

/** A rectangle of cells, end-exclusive. */
export interface CellWindow {
  firstRow: number;
  endRow: number;
  firstCol: number;
  endCol: number;
}

/** One table.rows request: rows [start, end) of columns [columns[0], columns[1]). */
export interface RowsRequest {
  start: number;
  end: number;
  columns: [number, number];
}

export type CellState =
  | { kind: 'ready'; cell: Cell }
  | { kind: 'loading' }
  | { kind: 'error'; message: string };

interface Block {
  state: 'loading' | 'ready' | 'error';
  error?: string;
  /** Per row of the block: original position, index labels, cells of the block's columns. */
  positions?: number[];
  index?: Cell[][];
  cells?: Cell[][];
}

export interface CacheOptions {
  blockRows: number;
  blockCols: number;
  /** Screens of rows fetched beyond the viewport, above and below. */
  overscanScreens: number;
  /** Screens of rows kept around the viewport; blocks farther away are dropped. */
  keepScreens: number;
  /** At most this many row blocks in one request. */
  maxBlocksPerRequest: number;
}

const DEFAULTS: CacheOptions = { blockRows: 100, blockCols: 50, overscanScreens: 3, keepScreens: 12, maxBlocksPerRequest: 4 };

export class RowCache {
  readonly options: CacheOptions;
  private blocks = new Map<string, Block>();
  private rows = 0;
  private cols = 0;
  /** Bumped by reset(): replies to requests of an older generation are dropped. */
  generation = 0;
  /** Bumped whenever what cell() answers may have changed: views redraw when it moves. */
  version = 0;

  constructor(options: Partial<CacheOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Forgets everything (new schema, sort or filter). */
  reset(rows: number, cols: number): void {
    this.rows = rows;
    this.cols = cols;
    this.blocks = new Map();
    this.generation++;
    this.version++;
  }

  /** The view grew at its end (a search finished counting): rows loaded before stay; the last, short block goes. */
  extend(rows: number): void {
    const complete = Math.floor(this.rows / this.options.blockRows);
    for (const key of [...this.blocks.keys()]) if (Number(key.split(':')[0]) >= complete) this.blocks.delete(key);
    this.rows = rows;
    this.version++;
  }

  get size(): number {
    return this.blocks.size;
  }

  cell(row: number, col: number): CellState {
    const block = this.blocks.get(this.key(row, col));
    if (!block || block.state === 'loading') return { kind: 'loading' };
    if (block.state === 'error') return { kind: 'error', message: block.error ?? '' };
    const r = row % this.options.blockRows;
    const cell = block.cells?.[r]?.[col % this.options.blockCols];
    return cell === undefined ? { kind: 'loading' } : { kind: 'ready', cell };
  }

  /** The row's index labels and original position, once any block of the row is loaded. */
  rowHeader(row: number): { index: Cell[]; position: number } | undefined {
    const r = row % this.options.blockRows;
    for (let cb = 0; cb * this.options.blockCols < Math.max(this.cols, 1); cb++) {
      const block = this.blocks.get(`${Math.floor(row / this.options.blockRows)}:${cb}`);
      if (block?.state === 'ready' && block.positions?.[r] !== undefined) return { index: block.index![r], position: block.positions[r] };
    }
    return undefined;
  }

  /**
   * Requests for blocks around the visible window that are neither loaded nor loading: the visible ones first,
   * then the overscan nearest first, adjacent row blocks of one column range merged into one request.
   */
  missing(visible: CellWindow): RowsRequest[] {
    const { blockRows, blockCols, overscanScreens, maxBlocksPerRequest } = this.options;
    if (this.rows === 0) return [];
    const screenRows = Math.max(1, visible.endRow - visible.firstRow);
    const screenCols = Math.max(1, visible.endCol - visible.firstCol);
    const tiers: CellWindow[] = [
      visible,
      {
        firstRow: visible.firstRow - overscanScreens * screenRows, endRow: visible.endRow + overscanScreens * screenRows,
        firstCol: visible.firstCol - screenCols, endCol: visible.endCol + screenCols,
      },
    ];
    const taken = new Set<string>();
    const requests: RowsRequest[] = [];
    for (const tier of tiers) {
      const [rb0, rb1] = this.blockSpan(tier.firstRow, tier.endRow, this.rows, blockRows);
      // A table without columns still has rows: their index labels come with an empty column range.
      const [cb0, cb1] = this.blockSpan(tier.firstCol, Math.max(tier.endCol, 1), Math.max(this.cols, 1), blockCols);
      const tierRequests: (RowsRequest & { distance: number })[] = [];
      for (let cb = cb0; cb <= cb1; cb++) {
        let run: { from: number; to: number } | undefined;
        const flush = () => {
          if (!run) return;
          const start = run.from * blockRows;
          tierRequests.push({
            start, end: Math.min(this.rows, (run.to + 1) * blockRows),
            columns: [cb * blockCols, Math.min(this.cols, (cb + 1) * blockCols)],
            distance: distanceTo(run.from, run.to, visible.firstRow / blockRows, (visible.endRow - 1) / blockRows),
          });
          run = undefined;
        };
        for (let rb = rb0; rb <= rb1; rb++) {
          const key = `${rb}:${cb}`;
          if (this.blocks.has(key) || taken.has(key)) {
            flush();
            continue;
          }
          taken.add(key);
          if (run && rb - run.from < maxBlocksPerRequest) run.to = rb;
          else {
            flush();
            run = { from: rb, to: rb };
          }
        }
        flush();
      }
      tierRequests.sort((a, b) => a.distance - b.distance);
      requests.push(...tierRequests.map(({ start, end, columns }) => ({ start, end, columns })));
    }
    return requests;
  }

  markLoading(request: RowsRequest): void {
    for (const key of this.keysOf(request)) this.blocks.set(key, { state: 'loading' });
  }

  /** Stores a reply; blocks trimmed or reset while it travelled are not brought back. */
  store(request: RowsRequest, rows: TableRows): void {
    const { blockRows } = this.options;
    this.version++;
    for (const key of this.keysOf(request)) {
      if (this.blocks.get(key)?.state !== 'loading') continue;
      const rb = Number(key.split(':')[0]);
      const from = rb * blockRows - rows.start;
      const to = from + blockRows;
      this.blocks.set(key, {
        state: 'ready',
        positions: rows.positions.slice(from, to),
        index: rows.index.slice(from, to),
        cells: rows.cells.slice(from, to),
      });
    }
  }

  fail(request: RowsRequest, error: string): void {
    this.version++;
    for (const key of this.keysOf(request)) {
      if (this.blocks.get(key)?.state === 'loading') this.blocks.set(key, { state: 'error', error });
    }
  }

  /** Forgets failed blocks so that they are asked for again. */
  retryFailed(): void {
    this.version++;
    for (const [key, block] of this.blocks) if (block.state === 'error') this.blocks.delete(key);
  }

  /** Drops blocks far from the visible window (loading ones too: their replies are then dropped). */
  trim(visible: CellWindow): number {
    const { blockRows, blockCols, keepScreens } = this.options;
    const screenRows = Math.max(1, visible.endRow - visible.firstRow);
    const screenCols = Math.max(1, visible.endCol - visible.firstCol);
    const rowLo = Math.floor((visible.firstRow - keepScreens * screenRows) / blockRows);
    const rowHi = Math.floor((visible.endRow + keepScreens * screenRows) / blockRows);
    const colLo = Math.floor((visible.firstCol - 2 * screenCols) / blockCols);
    const colHi = Math.floor((visible.endCol + 2 * screenCols) / blockCols);
    let dropped = 0;
    for (const key of [...this.blocks.keys()]) {
      const [rb, cb] = key.split(':').map(Number);
      if (rb < rowLo || rb > rowHi || cb < colLo || cb > colHi) {
        this.blocks.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  private key(row: number, col: number): string {
    return `${Math.floor(row / this.options.blockRows)}:${Math.floor(col / this.options.blockCols)}`;
  }

  private keysOf(request: RowsRequest): string[] {
    const { blockRows, blockCols } = this.options;
    const cb = Math.floor(request.columns[0] / blockCols);
    const keys: string[] = [];
    for (let rb = Math.floor(request.start / blockRows); rb * blockRows < request.end; rb++) keys.push(`${rb}:${cb}`);
    return keys;
  }

  /** The first and last block touching [from, to), clamped to the table. */
  private blockSpan(from: number, to: number, count: number, size: number): [number, number] {
    const lo = Math.max(0, Math.floor(from / size));
    const hi = Math.min(Math.ceil(count / size) - 1, Math.floor((Math.min(to, count) - 1) / size));
    return [lo, Math.max(lo - 1, hi)];
  }
}

function distanceTo(from: number, to: number, lo: number, hi: number): number {
  if (to < lo) return lo - to;
  if (from > hi) return from - hi;
  return 0;
}
