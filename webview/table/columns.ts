// Column geometry: widths, left edges, which columns a horizontal span shows, and widths fitted to sampled text.

export const MIN_COLUMN_WIDTH = 48;
export const MAX_AUTO_WIDTH = 360;

export class ColumnLayout {
  private widths: number[] = [];
  /** lefts[i] is the left edge of column i; lefts[n] is the total width. */
  private lefts: number[] = [0];

  constructor(count = 0, width = 100) {
    this.reset(count, width);
  }

  reset(count: number, width: number): void {
    this.widths = Array.from({ length: count }, () => width);
    this.recompute(0);
  }

  get count(): number {
    return this.widths.length;
  }

  get total(): number {
    return this.lefts[this.widths.length];
  }

  width(col: number): number {
    return this.widths[col];
  }

  left(col: number): number {
    return this.lefts[col];
  }

  setWidth(col: number, width: number): void {
    this.widths[col] = Math.max(MIN_COLUMN_WIDTH, Math.round(width));
    this.recompute(col);
  }

  /** The column under x (clamped to the table). */
  at(x: number): number {
    let lo = 0;
    let hi = this.widths.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lefts[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Columns [first, end) at least partly inside [x, x + width). */
  span(x: number, width: number): [number, number] {
    if (this.widths.length === 0) return [0, 0];
    return [this.at(x), Math.min(this.widths.length, this.at(x + width - 1) + 1)];
  }

  private recompute(from: number): void {
    this.lefts.length = this.widths.length + 1;
    for (let i = from; i < this.widths.length; i++) this.lefts[i + 1] = this.lefts[i] + this.widths[i];
  }
}

/** A width that shows the widest sample, within limits; `padding` covers the cell's insets and header extras. */
export function fitWidth(samples: Iterable<string>, measure: (text: string) => number, padding: number): number {
  let widest = 0;
  for (const text of samples) widest = Math.max(widest, measure(text));
  return Math.min(MAX_AUTO_WIDTH, Math.max(MIN_COLUMN_WIDTH, Math.ceil(widest + padding)));
}
