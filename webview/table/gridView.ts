// The virtualised grid: a sticky canvas over a scaled scroll range, holding only the visible rows and columns.
import type { Cell, TableSchema } from '../../shared/webviewProtocol';
import { cellText, displayCell } from '../../shared/cellText';
import { ColumnLayout, MIN_COLUMN_WIDTH } from './columns';
import { h, place } from './dom';
import { HeaderView, headerHeight, headerLevels, type HeaderCallbacks } from './header';
import { showMarked } from './highlight';
import type { CellWindow, RowCache } from './rowCache';
import { VirtualScroll } from './scrollMap';
import { Selection } from './selection';
import type { SummaryLoader } from './summaries';

const ROW_HEIGHT = 22;
/** Columns drawn beyond each side of the viewport, so a small horizontal scroll shows no gap. */
const COLUMN_OVERSCAN = 1;
const NUMERIC = new Set(['int', 'float', 'complex']);

export interface GridCallbacks extends HeaderCallbacks {
  /** The visible window changed (the loader fetches around it). */
  viewport(window: CellWindow): void;
  /** The full text of a cut cell, for its tooltip. */
  fullText(row: number, col: number): Promise<string>;
  copy(): void;
  /** The context-menu key on a cell: the active column's menu. */
  columnMenuKey(col: number): void;
}

interface RowElement {
  el: HTMLElement;
  index: HTMLElement;
  strip: HTMLElement;
  signature: string;
}

export class GridView {
  /** The focusable grid: a scroll container whose content is as tall as the (scaled) rows. */
  readonly el = h('div', { class: 'grid', role: 'grid', tabindex: 0, 'aria-multiselectable': 'true' });
  readonly layout = new ColumnLayout();
  readonly indexLayout = new ColumnLayout();
  readonly scroll = new VirtualScroll(ROW_HEIGHT);
  selection = new Selection(0, 0);
  private readonly content = h('div', { class: 'grid-content' });
  private readonly canvas = h('div', { class: 'grid-canvas' });
  private readonly body = h('div', { class: 'grid-body', role: 'rowgroup' });
  private readonly empty = h('div', { class: 'grid-empty' });
  private readonly header: HeaderView;
  private readonly rows = new Map<number, RowElement>();
  private schema: TableSchema | undefined;
  /** The summary row's loader while the row is shown. */
  private summaries: SummaryLoader | undefined;
  private layoutVersion = 0;
  private frame = 0;
  private measured = { width: 0, height: 0 };
  private lastWindow = '';
  private dragging = false;
  private hoverToken = 0;

  constructor(private readonly cache: RowCache, private readonly callbacks: GridCallbacks) {
    this.header = new HeaderView(callbacks);
    this.canvas.append(this.header.el, this.body, this.empty);
    this.content.append(this.canvas);
    this.el.append(this.content);
    this.el.addEventListener('scroll', () => {
      this.scroll.onScroll(this.el.scrollTop);
      this.invalidate();
    });
    this.el.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    this.el.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.body.addEventListener('mousedown', (event) => this.onMouseDown(event));
    this.body.addEventListener('mouseover', (event) => this.onMouseOver(event));
    window.addEventListener('mouseup', () => (this.dragging = false));
    new ResizeObserver(() => this.updateGeometry()).observe(this.el);
  }

  /** A new schema (open, refresh, sort, filter): same columns keep their widths unless `keepWidths` is false. */
  setSchema(schema: TableSchema, keepWidths: boolean): void {
    const indexCount = Math.max(1, schema.indexLevels.length);
    if (!keepWidths || this.layout.count !== schema.columns.length) this.layout.reset(schema.columns.length, 120);
    // Index levels start narrow and grow to their labels as rows arrive.
    if (!keepWidths || this.indexLayout.count !== indexCount) this.indexLayout.reset(indexCount, MIN_COLUMN_WIDTH);
    this.schema = schema;
    this.selection.resize(schema.filteredRows, schema.columns.length);
    this.el.setAttribute('aria-rowcount', String(schema.filteredRows + headerLevels(schema.columns)));
    this.el.setAttribute('aria-colcount', String(schema.columns.length + indexCount));
    this.layoutChanged();
  }

  /** Shows the summary row from this loader, or hides it (undefined). */
  showSummaries(loader: SummaryLoader | undefined): void {
    this.summaries = loader;
    this.layoutChanged();
  }

  /** Widths changed (resize, auto fit). */
  layoutChanged(): void {
    this.layoutVersion++;
    this.header.invalidate();
    this.updateGeometry();
  }

  invalidate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Rows that fit in the viewport (the page for PageUp/PageDown). */
  get pageRows(): number {
    return this.scroll.pageRows;
  }

  /** Shows the active cell, scrolling as little as needed, and redraws. */
  revealActive(): void {
    const { row, col } = this.selection.active;
    const top = this.scroll.reveal(row);
    if (top !== undefined) this.el.scrollTop = top;
    this.revealColumn(col);
  }

  /** Scrolls the least that shows the whole column (or its start, when it is wider than the view), and redraws. */
  revealColumn(col: number): void {
    if (col < this.layout.count) {
      const bodyWidth = this.el.clientWidth - this.indexLayout.total;
      const left = this.layout.left(col);
      const right = left + this.layout.width(col);
      if (left < this.el.scrollLeft || right - left > bodyWidth) this.el.scrollLeft = left;
      else if (right > this.el.scrollLeft + bodyWidth) this.el.scrollLeft = right - bodyWidth;
    }
    this.invalidate();
  }

  /** The cell element on screen, when it is. */
  cellElement(row: number, col: number): HTMLElement | null {
    return this.body.querySelector(`#${cellId(row, col)}`);
  }

  private updateGeometry(): void {
    this.measure();
    this.invalidate();
  }

  /** Sizes the scroll range to the grid as it is now. */
  private measure(): void {
    if (!this.schema) return;
    const width = this.el.clientWidth;
    const height = this.el.clientHeight;
    this.measured = { width, height };
    const headerH = headerHeight(this.schema.columns, this.summaries !== undefined);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.body.style.top = `${headerH}px`;
    const scrollTop = this.scroll.resize(this.schema.filteredRows, height - headerH);
    this.content.style.width = `${Math.max(width, this.indexLayout.total + this.layout.total)}px`;
    this.content.style.height = `${height + this.scroll.domMax}px`;
    this.el.scrollTop = scrollTop;
  }

  private render(): void {
    const schema = this.schema;
    if (!schema) return;
    // A size that came and went within one frame (a notice shown and cleared) never reaches the ResizeObserver.
    if (this.el.clientWidth !== this.measured.width || this.el.clientHeight !== this.measured.height) this.measure();
    const indexWidth = this.indexLayout.total;
    const bodyWidth = Math.max(0, this.el.clientWidth - indexWidth);
    const scrollLeft = this.el.scrollLeft;
    this.canvas.style.setProperty('--sx', String(scrollLeft));
    const [visFirst, visEnd] = this.layout.span(scrollLeft, bodyWidth);
    const first = Math.max(0, visFirst - COLUMN_OVERSCAN);
    const end = Math.min(this.layout.count, visEnd + COLUMN_OVERSCAN);
    this.header.render({ schema, layout: this.layout, indexLayout: this.indexLayout, first, end, layoutVersion: this.layoutVersion, selection: this.selection, summaries: this.summaries });
    this.summaries?.view(first, end); // the columns drawn: those in view and one beside them on each side

    const win = this.scroll.window();
    const signature = `${this.cache.version}|${first}-${end}|${this.layoutVersion}`;
    for (const [row, element] of this.rows) {
      if (row < win.first || row >= win.first + win.count) {
        element.el.remove();
        this.rows.delete(row);
      }
    }
    for (let row = win.first; row < win.first + win.count; row++) {
      let element = this.rows.get(row);
      if (!element) {
        element = this.newRow(row, indexWidth);
        this.rows.set(row, element);
        this.body.append(element.el);
      }
      if (element.signature !== signature) {
        this.fillRow(row, element, first, end, indexWidth);
        element.signature = signature;
      }
      element.el.style.transform = `translateY(${(row - win.first) * ROW_HEIGHT - win.offset}px)`;
    }
    this.paintSelection();
    this.showEmpty(schema);

    const window: CellWindow = { firstRow: win.first, endRow: win.first + win.count, firstCol: visFirst, endCol: visEnd };
    const key = `${window.firstRow}:${window.endRow}:${window.firstCol}:${window.endCol}`;
    if (key !== this.lastWindow) {
      this.lastWindow = key;
      this.callbacks.viewport(window);
    }
  }

  private newRow(row: number, indexWidth: number): RowElement {
    const index = h('div', { class: 'index-part' });
    const strip = h('div', { class: 'strip' });
    const cells = h('div', { class: 'cells-part' }, strip);
    index.style.width = `${indexWidth}px`;
    cells.style.left = `${indexWidth}px`;
    const el = h('div', { class: 'row', role: 'row', 'data-row': row }, index, cells);
    return { el, index, strip, signature: '' };
  }

  private fillRow(row: number, element: RowElement, first: number, end: number, indexWidth: number): void {
    const schema = this.schema!;
    element.el.setAttribute('aria-rowindex', String(row + headerLevels(schema.columns) + 1));
    element.index.style.width = `${indexWidth}px`;
    (element.strip.parentElement as HTMLElement).style.left = `${indexWidth}px`;
    const header = this.cache.rowHeader(row);
    const previous = row > 0 ? this.cache.rowHeader(row - 1) : undefined;
    const indexCells: HTMLElement[] = [];
    for (let level = 0; level < this.indexLayout.count; level++) {
      const label: Cell | undefined = schema.indexLevels.length ? header?.index[level] : String(row);
      const cell = h('div', { class: 'cell index', role: 'rowheader', 'aria-colindex': level + 1, 'data-row': row, 'data-level': level });
      place(cell, this.indexLayout.left(level), this.indexLayout.width(level));
      if (label === undefined) cell.classList.add('loading');
      else {
        showCell(cell, label);
        // Outer MultiIndex labels repeated from the row above read dimmed, as pandas leaves them out.
        const repeated = level < this.indexLayout.count - 1 && previous && sameLabels(previous.index, header!.index, level);
        if (repeated) cell.classList.add('repeat');
      }
      indexCells.push(cell);
    }
    element.index.replaceChildren(...indexCells);
    const cells: HTMLElement[] = [];
    for (let col = first; col < end; col++) {
      const state = this.cache.cell(row, col);
      const cell = h('div', { class: 'cell', role: 'gridcell', id: cellId(row, col), 'aria-colindex': this.indexLayout.count + col + 1, 'data-row': row, 'data-col': col });
      place(cell, this.layout.left(col), this.layout.width(col));
      if (NUMERIC.has(schema.columns[col].kind)) cell.classList.add('num');
      if (state.kind === 'loading') cell.classList.add('loading');
      else if (state.kind === 'error') {
        cell.classList.add('error');
        cell.textContent = '⚠';
        cell.title = state.message;
      } else showCell(cell, state.cell, schema.search);
      cells.push(cell);
    }
    element.strip.replaceChildren(...cells);
  }

  private paintSelection(): void {
    const { active } = this.selection;
    let activeId = '';
    for (const [row, element] of this.rows) {
      const wholeRow = this.selection.isWholeRow(row);
      element.el.classList.toggle('selected', wholeRow);
      element.el.setAttribute('aria-selected', String(wholeRow));
      for (const cell of element.strip.children as HTMLCollectionOf<HTMLElement>) {
        const col = Number(cell.dataset.col);
        const isActive = row === active.row && col === active.col;
        cell.classList.toggle('selected', this.selection.contains(row, col));
        cell.classList.toggle('active', isActive);
        cell.setAttribute('aria-selected', String(this.selection.contains(row, col)));
        if (isActive) activeId = cell.id;
      }
    }
    if (activeId) this.el.setAttribute('aria-activedescendant', activeId);
    else this.el.removeAttribute('aria-activedescendant');
  }

  private showEmpty(schema: TableSchema): void {
    const text = schema.filteredRows > 0 ? '' : schema.totalRows > 0 ? 'No rows match the filters.' : 'No rows.';
    this.empty.textContent = text;
    this.empty.hidden = !text;
  }

  private onWheel(event: WheelEvent): void {
    if (event.ctrlKey) return;
    event.preventDefault();
    const unit = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? ROW_HEIGHT : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? this.el.clientHeight : 1;
    const [dx, dy] = event.shiftKey && !event.deltaX ? [event.deltaY, 0] : [event.deltaX, event.deltaY];
    if (dy) this.el.scrollTop = this.scroll.scrollBy(dy * unit);
    if (dx) this.el.scrollLeft += dx * unit;
    this.invalidate();
  }

  private onKeyDown(event: KeyboardEvent): void {
    const { selection } = this;
    const ctrl = event.ctrlKey || event.metaKey;
    const extend = event.shiftKey;
    const lastRow = (this.schema?.filteredRows ?? 1) - 1;
    const lastCol = this.layout.count - 1;
    switch (event.key) {
      case 'ArrowDown': selection.moveBy(ctrl ? lastRow : 1, 0, extend); break;
      case 'ArrowUp': selection.moveBy(ctrl ? -lastRow - 1 : -1, 0, extend); break;
      case 'ArrowRight': selection.moveBy(0, ctrl ? lastCol : 1, extend); break;
      case 'ArrowLeft': selection.moveBy(0, ctrl ? -lastCol - 1 : -1, extend); break;
      case 'PageDown': selection.moveBy(this.pageRows, 0, extend); break;
      case 'PageUp': selection.moveBy(-this.pageRows, 0, extend); break;
      case 'Home': selection.moveTo(ctrl ? 0 : selection.active.row, 0, extend); break;
      case 'End': selection.moveTo(ctrl ? lastRow : selection.active.row, lastCol, extend); break;
      case ' ':
        if (extend) selection.selectRows(selection.active.row);
        else if (ctrl) selection.selectColumns(selection.active.col);
        else return;
        break;
      case 'ContextMenu':
      case 'F10':
        if (event.key === 'F10' && !extend) return;
        this.callbacks.columnMenuKey(selection.active.col);
        break;
      default:
        if (ctrl && event.key.toLowerCase() === 'a') selection.selectAll();
        else if (ctrl && event.key.toLowerCase() === 'c') this.callbacks.copy();
        else return;
    }
    event.preventDefault();
    this.revealActive();
  }

  private onMouseDown(event: MouseEvent): void {
    if (event.button !== 0) return;
    const cell = (event.target as Element).closest<HTMLElement>('.cell');
    if (!cell) return;
    event.preventDefault();
    this.el.focus({ preventScroll: true });
    const row = Number(cell.dataset.row);
    if (cell.classList.contains('index')) this.selection.selectRows(row, event.shiftKey);
    else {
      this.selection.moveTo(row, Number(cell.dataset.col), event.shiftKey);
      this.dragging = true;
    }
    this.invalidate();
  }

  private onMouseOver(event: MouseEvent): void {
    const cell = (event.target as Element).closest<HTMLElement>('.cell:not(.index)');
    if (!cell) return;
    const row = Number(cell.dataset.row);
    const col = Number(cell.dataset.col);
    if (this.dragging) {
      this.selection.moveTo(row, col, true);
      this.invalidate();
    }
    if (cell.classList.contains('cut') && !cell.dataset.full) this.loadTooltip(cell, row, col);
    else if (!cell.title && cell.scrollWidth > cell.clientWidth) cell.title = cell.textContent ?? '';
  }

  /** Cut cells show their full text on hover: asked for once, kept on the element while it lives. */
  private loadTooltip(cell: HTMLElement, row: number, col: number): void {
    const token = ++this.hoverToken;
    cell.dataset.full = 'loading';
    cell.title = `${cell.textContent} (loading the full text…)`;
    this.callbacks.fullText(row, col).then(
      (text) => {
        cell.title = text;
        cell.dataset.full = 'yes';
      },
      (error: Error) => {
        if (token === this.hoverToken) cell.title = `${cell.textContent} (the full text could not be loaded: ${error.message})`;
        delete cell.dataset.full;
      },
    );
  }
}

/** A cell's text, its search matches marked (missing values never match a search: they are not marked). */
function showCell(el: HTMLElement, cell: Cell, search = ''): void {
  const shown = displayCell(cell);
  if (shown.special) el.classList.add('special');
  if (shown.fullLength !== undefined) el.classList.add('cut');
  if (search && !shown.special) showMarked(el, cellText(cell), search);
  else el.textContent = cellText(cell);
  if (shown.exact !== undefined) el.title = shown.exact; // a number as it reads: its exact value on hover
}

function sameLabels(a: Cell[], b: Cell[], upTo: number): boolean {
  for (let i = 0; i <= upTo; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  return true;
}

function cellId(row: number, col: number): string {
  return `c${row}_${col}`;
}
