// Virtual vertical scrolling: maps the browser's limited scroll range onto any number of rows, row-precisely.

/** The tallest scroll range we ask of the browser: below Chromium's ~33.5M px and Firefox's ~17.9M px limits. */
export const MAX_DOM_SCROLL = 8_000_000;

export interface RowWindow {
  /** First row at least partly visible. */
  first: number;
  /** How far that row is scrolled out of view, in pixels. */
  offset: number;
  /** Rows at least partly visible, from `first`. */
  count: number;
}

/**
 * The virtual top (row × rowHeight + offset) is the truth; the element's scrollTop is its scaled image. Our own
 * scrollTop assignments echo back as scroll events and leave the virtual top alone, so wheel and keyboard moves
 * stay exact to the row even when one DOM pixel stands for many rows' worth of virtual pixels.
 */
export class VirtualScroll {
  private top = 0;
  private expectedScrollTop = 0;
  private rows = 0;
  private viewport = 0;

  constructor(readonly rowHeight: number, private readonly maxDomScroll = MAX_DOM_SCROLL) {}

  /** The row count or the body's height changed; returns the scrollTop the element needs now. */
  resize(rows: number, viewportHeight: number): number {
    this.rows = rows;
    this.viewport = Math.max(0, viewportHeight);
    return this.scrollTo(this.top);
  }

  /** Scrollable distance in virtual pixels. */
  get virtualMax(): number {
    return Math.max(0, this.rows * this.rowHeight - this.viewport);
  }

  /** Scrollable distance the element gets: its content is the viewport plus this. */
  get domMax(): number {
    return Math.min(this.virtualMax, this.maxDomScroll);
  }

  /** Virtual pixels per DOM pixel (1 until the rows outgrow the browser). */
  get scale(): number {
    return this.domMax === 0 ? 1 : this.virtualMax / this.domMax;
  }

  get virtualTop(): number {
    return this.top;
  }

  /** The element scrolled. A scrollbar drag moves the virtual top; the echo of our own assignment does not. */
  onScroll(scrollTop: number): boolean {
    if (Math.abs(scrollTop - this.expectedScrollTop) < 1) return false;
    this.expectedScrollTop = scrollTop;
    const top = scrollTop >= this.domMax ? this.virtualMax : this.clamp(scrollTop * this.scale);
    const moved = top !== this.top;
    this.top = top;
    return moved;
  }

  /** Sets the virtual top; returns the scrollTop to give the element. */
  scrollTo(virtualTop: number): number {
    this.top = this.clamp(virtualTop);
    this.expectedScrollTop = this.top / this.scale;
    return this.expectedScrollTop;
  }

  scrollBy(delta: number): number {
    return this.scrollTo(this.top + delta);
  }

  /** Scrolls the least that shows the whole row; returns the new scrollTop, or undefined when it is in view. */
  reveal(row: number): number | undefined {
    const rowTop = row * this.rowHeight;
    if (rowTop < this.top) return this.scrollTo(rowTop);
    const rowBottom = rowTop + this.rowHeight;
    if (rowBottom > this.top + this.viewport) return this.scrollTo(rowBottom - this.viewport);
    return undefined;
  }

  window(): RowWindow {
    if (this.rows === 0) return { first: 0, offset: 0, count: 0 };
    const first = Math.min(this.rows - 1, Math.floor(this.top / this.rowHeight));
    const offset = this.top - first * this.rowHeight;
    const count = Math.min(this.rows - first, Math.ceil((this.viewport + offset) / this.rowHeight));
    return { first, offset, count };
  }

  /** Rows that fit whole in the viewport (the distance of PageDown). */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.viewport / this.rowHeight));
  }

  private clamp(top: number): number {
    return Math.min(Math.max(0, top), this.virtualMax);
  }
}
