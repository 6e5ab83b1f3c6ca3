// The selection as TSV for the clipboard: rows from the cache or asked for, cut cells asked for in full.
import type { Cell, TableRows, TableSchema } from '../../shared/webviewProtocol';
import { displayCell, exactText } from '../../shared/cellText';
import type { RowCache } from './rowCache';
import type { Selection } from './selection';
import { toTsv } from './tsv';

/** Copy stops here; Export writes the whole view. */
export const COPY_ROW_LIMIT = 10_000;
const CHUNK_ROWS = 1_000;

export interface CopySource {
  cache: RowCache;
  rows(start: number, end: number, columns: [number, number]): Promise<TableRows>;
  /** The full text of a cut cell, by the row's original position. */
  fullText(position: number, column: number): Promise<string>;
}

export interface Copied {
  text: string;
  rows: number;
  /** Rows selected beyond COPY_ROW_LIMIT, not copied. */
  left: number;
}

interface Window {
  positions: number[];
  index: Cell[][];
  cells: Cell[][];
}

/** Cells alone for a cell range; a header line too when whole rows or columns are selected (rows with their index). */
export async function copySelection(schema: TableSchema, selection: Selection, source: CopySource): Promise<Copied> {
  const { rows: [r0, r1], cols: [c0, c1] } = selection.range();
  const withIndex = selection.kind === 'rows';
  const lines: string[][] = [];
  if (selection.kind !== 'cells') {
    const names = schema.columns.slice(c0, c1 + 1).map((c) => c.name);
    lines.push(withIndex ? [...schema.indexLevels.map((l) => l.name), ...names] : names);
  }
  const end = Math.min(r1 + 1, r0 + COPY_ROW_LIMIT);
  for (let start = r0; start < end; start += CHUNK_ROWS) {
    const stop = Math.min(end, start + CHUNK_ROWS);
    const window = fromCache(source.cache, start, stop, c0, c1) ?? await source.rows(start, stop, [c0, c1 + 1]);
    for (let i = 0; i < window.cells.length; i++) {
      const cells = await Promise.all(window.cells[i].map((cell, j) => fullText(cell, window.positions[i], c0 + j, source)));
      lines.push(withIndex ? [...window.index[i].map((cell) => exactText(cell) ?? displayCell(cell).text), ...cells] : cells);
    }
  }
  return { text: toTsv(lines), rows: end - r0, left: r1 + 1 - end };
}

/** What a cell copies as: its exact text (a number's, not as it reads), a cut one asked for whole. */
async function fullText(cell: Cell, position: number, column: number, source: CopySource): Promise<string> {
  return exactText(cell) ?? source.fullText(position, column);
}

function fromCache(cache: RowCache, start: number, end: number, c0: number, c1: number): Window | undefined {
  const window: Window = { positions: [], index: [], cells: [] };
  for (let row = start; row < end; row++) {
    const header = cache.rowHeader(row);
    if (!header) return undefined;
    const cells: Cell[] = [];
    for (let col = c0; col <= c1; col++) {
      const state = cache.cell(row, col);
      if (state.kind !== 'ready') return undefined;
      cells.push(state.cell);
    }
    window.positions.push(header.position);
    window.index.push(header.index);
    window.cells.push(cells);
  }
  return window;
}
