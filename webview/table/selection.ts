// The grid's selection as data: an active cell, an anchor, and whether whole rows or columns are selected.

export interface CellPos {
  row: number;
  col: number;
}

/** Inclusive bounds of the selected rectangle. */
export interface SelectedRange {
  rows: [number, number];
  cols: [number, number];
}

export type SelectionKind = 'cells' | 'rows' | 'columns';

export class Selection {
  kind: SelectionKind = 'cells';
  active: CellPos = { row: 0, col: 0 };
  anchor: CellPos = { row: 0, col: 0 };

  constructor(private rows: number, private cols: number) {}

  /** The table changed shape (filter, refresh): keeps what still fits. */
  resize(rows: number, cols: number): void {
    this.rows = rows;
    this.cols = cols;
    this.active = this.clamp(this.active);
    this.anchor = this.clamp(this.anchor);
  }

  /** Moves the active cell; with `extend`, the range grows from the anchor and keeps its kind. */
  moveTo(row: number, col: number, extend = false): void {
    this.active = this.clamp({ row, col });
    if (!extend) {
      this.kind = 'cells';
      this.anchor = { ...this.active };
    }
  }

  moveBy(rows: number, cols: number, extend = false): void {
    this.moveTo(this.active.row + rows, this.active.col + cols, extend);
  }

  selectRows(row: number, extend = false): void {
    this.moveTo(row, extend ? this.active.col : 0, extend);
    this.kind = 'rows';
  }

  selectColumns(col: number, extend = false): void {
    this.moveTo(extend ? this.active.row : 0, col, extend);
    this.kind = 'columns';
  }

  selectAll(): void {
    this.anchor = { row: 0, col: 0 };
    this.active = this.clamp({ row: this.rows - 1, col: this.cols - 1 });
    this.kind = 'cells';
  }

  range(): SelectedRange {
    const rows: [number, number] = this.kind === 'columns'
      ? [0, this.rows - 1]
      : [Math.min(this.anchor.row, this.active.row), Math.max(this.anchor.row, this.active.row)];
    const cols: [number, number] = this.kind === 'rows'
      ? [0, this.cols - 1]
      : [Math.min(this.anchor.col, this.active.col), Math.max(this.anchor.col, this.active.col)];
    return { rows, cols };
  }

  contains(row: number, col: number): boolean {
    const { rows, cols } = this.range();
    return row >= rows[0] && row <= rows[1] && col >= cols[0] && col <= cols[1];
  }

  /** Whether the row is selected whole (its index cells show it). */
  isWholeRow(row: number): boolean {
    const { rows } = this.range();
    return this.kind === 'rows' && row >= rows[0] && row <= rows[1];
  }

  /** Whether the column is selected whole (its header shows it). */
  isWholeColumn(col: number): boolean {
    const { cols } = this.range();
    return this.kind === 'columns' && col >= cols[0] && col <= cols[1];
  }

  private clamp(pos: CellPos): CellPos {
    return {
      row: Math.max(0, Math.min(this.rows - 1, pos.row)),
      col: Math.max(0, Math.min(this.cols - 1, pos.col)),
    };
  }
}
