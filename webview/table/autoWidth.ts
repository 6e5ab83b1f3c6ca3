// Column widths fitted to what the columns show: the header and the first rows that arrive, measured on a canvas.
import type { TableSchema } from '../../shared/webviewProtocol';
import { cellText } from '../../shared/cellText';
import type { Cell } from '../../shared/agentProtocol';
import { fitWidth, type ColumnLayout } from './columns';
import type { RowCache } from './rowCache';

/** Cell insets, and what a header adds to its name: sort mark, dtype badge insets, menu button. */
const CELL_PADDING = 18;
const HEADER_EXTRAS = 64;
const SAMPLE_ROWS = 100;

export class AutoWidth {
  private readonly context = document.createElement('canvas').getContext('2d')!;
  /** Columns fitted already, or sized by the user: left alone from then on. */
  private done = new Set<number>();
  /** Index levels the user sized; the others grow as wider labels scroll in (row numbers get longer). */
  private indexKept = new Set<number>();

  /** A new table: every column is fitted again as its rows arrive. */
  reset(): void {
    this.done = new Set();
    this.indexKept = new Set();
  }

  /** The user sized this column: keep it. */
  keep(area: 'index' | 'data', col: number): void {
    (area === 'index' ? this.indexKept : this.done).add(col);
  }

  /**
   * Fits the columns in [first, end) whose sampled rows, from `row`, have arrived, and widens index levels whose
   * labels no longer fit; returns whether a width changed.
   */
  fit(schema: TableSchema, cache: RowCache, layout: ColumnLayout, indexLayout: ColumnLayout, row: number, first: number, end: number, font: Fonts): boolean {
    const rows = sampleRows(row, schema.filteredRows);
    if (!rows.length) return false;
    let changed = false;
    for (let col = first; col < end; col++) {
      if (this.done.has(col) || cache.cell(rows[0], col).kind === 'loading') continue;
      this.done.add(col);
      layout.setWidth(col, this.width(schema, cache, rows, col, font));
      changed = true;
    }
    for (let level = 0; level < indexLayout.count; level++) {
      if (this.indexKept.has(level)) continue;
      const width = this.indexWidth(schema, cache, rows, level, font);
      if (width > indexLayout.width(level)) {
        indexLayout.setWidth(level, width);
        changed = true;
      }
    }
    return changed;
  }

  /** Fits one column to the rows loaded around `row` (a double click on its edge). */
  refit(schema: TableSchema, cache: RowCache, layout: ColumnLayout, indexLayout: ColumnLayout, area: 'index' | 'data', col: number, row: number, font: Fonts): void {
    const rows = sampleRows(row, schema.filteredRows);
    if (area === 'index') indexLayout.setWidth(col, this.indexWidth(schema, cache, rows, col, font));
    else layout.setWidth(col, this.width(schema, cache, rows, col, font));
  }

  private width(schema: TableSchema, cache: RowCache, rows: number[], col: number, font: Fonts): number {
    const column = schema.columns[col];
    const header = this.measure(column.levels.at(-1) ?? column.name, font.header) + this.measure(column.dtype, font.badge) + HEADER_EXTRAS;
    const cells = fitWidth(texts(rows, (r) => {
      const state = cache.cell(r, col);
      return state.kind === 'ready' ? state.cell : undefined;
    }), (text) => this.measure(text, font.cell), CELL_PADDING);
    return Math.max(header, cells);
  }

  private indexWidth(schema: TableSchema, cache: RowCache, rows: number[], level: number, font: Fonts): number {
    const name = schema.indexLevels[level]?.name ?? '';
    const labels = texts(rows, (r) => (schema.indexLevels.length ? cache.rowHeader(r)?.index[level] : String(r)));
    return Math.max(fitWidth(labels, (text) => this.measure(text, font.cell), CELL_PADDING), this.measure(name, font.header) + CELL_PADDING);
  }

  private measure(text: string, font: string): number {
    this.context.font = font;
    return this.context.measureText(text).width;
  }
}

export interface Fonts {
  cell: string;
  header: string;
  badge: string;
}

function sampleRows(from: number, count: number): number[] {
  const rows: number[] = [];
  for (let r = from; r < Math.min(count, from + SAMPLE_ROWS); r++) rows.push(r);
  return rows;
}

function* texts(rows: number[], cellOf: (row: number) => Cell | undefined): Generator<string> {
  for (const row of rows) {
    const cell = cellOf(row);
    if (cell !== undefined) yield cellText(cell);
  }
}
