// The frozen header rows: grouped MultiIndex levels, column names, dtype badges, sort marks, menus, resize handles,
// and the column summaries under the names.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { TableColumn } from '../../shared/agentProtocol';
import type { SortKey, TableSchema } from '../../shared/webviewProtocol';
import type { ColumnLayout } from './columns';
import { h, icon, place } from './dom';
import type { Selection } from './selection';
import { summaryContent, summaryTitle, type SummaryLoader } from './summaries';

const LEVEL_HEIGHT = 22;
const NAME_ROW_HEIGHT = 28;
const SUMMARY_HEIGHT = 48;
/** How near a column's edge (px) a double click fits the column, whatever element it lands on. */
const EDGE = 5;

export type ColumnArea = 'index' | 'data';

export interface HeaderCallbacks {
  sort(col: number, addKey: boolean): void;
  selectColumns(first: number, last: number, extend: boolean): void;
  selectAll(): void;
  menu(col: number, anchor: HTMLElement): void;
  resize(area: ColumnArea, col: number, width: number): void;
  autoFit(area: ColumnArea, col: number): void;
}

export interface HeaderState {
  schema: TableSchema;
  layout: ColumnLayout;
  indexLayout: ColumnLayout;
  /** Visible data columns [first, end). */
  first: number;
  end: number;
  /** Changes whenever a width changes. */
  layoutVersion: number;
  selection: Selection;
  /** The summary row's data, when it is shown. */
  summaries?: SummaryLoader;
}

/** Header levels: one per MultiIndex column level, the last one carrying names and badges. */
export function headerLevels(columns: TableColumn[]): number {
  return Math.max(1, ...columns.map((c) => c.levels.length));
}

export function headerHeight(columns: TableColumn[], summaries: boolean): number {
  return (headerLevels(columns) - 1) * LEVEL_HEIGHT + NAME_ROW_HEIGHT + (summaries ? SUMMARY_HEIGHT : 0);
}

export class HeaderView {
  readonly el = h('div', { class: 'header', role: 'rowgroup' });
  private signature = '';

  constructor(private readonly callbacks: HeaderCallbacks) {
    this.el.addEventListener('mousedown', (event) => this.onMouseDown(event));
    // On click, not mousedown: a menu opened on mousedown would take the same press's click for a click outside it.
    this.el.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLElement>('.hmenu');
      const cell = button?.closest<HTMLElement>('.hcell');
      if (button && cell) callbacks.menu(Number(cell.dataset.col), button);
    });
    this.el.addEventListener('dblclick', (event) => {
      const edge = this.edgeAt(event);
      if (edge) callbacks.autoFit(edge.area, edge.col);
    });
  }

  render(state: HeaderState): void {
    const { schema, first, end, layoutVersion, selection } = state;
    const selected = selection.kind === 'columns' ? selection.range().cols.join('-') : '';
    const signature = JSON.stringify([schema.handle, first, end, layoutVersion, schema.sort, schema.filters.map((f) => f.column), selected, state.summaries?.version ?? -1]);
    if (signature === this.signature) return;
    this.signature = signature;
    const levels = headerLevels(schema.columns);
    const rows: HTMLElement[] = [];
    for (let level = 0; level < levels; level++) {
      const last = level === levels - 1;
      const row = h('div', { class: `hrow${last ? ' names' : ''}`, role: 'row', 'aria-rowindex': level + 1 });
      row.style.height = `${last ? NAME_ROW_HEIGHT : LEVEL_HEIGHT}px`;
      row.style.top = `${level * LEVEL_HEIGHT}px`;
      const corner = h('div', { class: 'index-part' });
      corner.style.width = `${state.indexLayout.total}px`;
      if (last) this.indexNames(state).forEach((cell) => corner.append(cell));
      const strip = h('div', { class: 'strip' });
      const cells = last ? this.nameCells(state) : this.groupCells(state, level);
      strip.append(...cells);
      row.append(corner, h('div', { class: 'cells-part' }, strip));
      row.querySelector<HTMLElement>('.cells-part')!.style.left = `${state.indexLayout.total}px`;
      rows.push(row);
    }
    if (state.summaries) rows.push(this.summaryRow(state, state.summaries, (levels - 1) * LEVEL_HEIGHT + NAME_ROW_HEIGHT));
    this.el.replaceChildren(...rows);
  }

  /** The column under a double click's edge: the cell whose right edge (or whose right neighbour's left edge) is near. */
  private edgeAt(event: MouseEvent): { area: ColumnArea; col: number } | undefined {
    const handle = (event.target as Element).closest<HTMLElement>('.resize');
    if (handle) return { area: handle.dataset.area as ColumnArea, col: Number(handle.dataset.col) };
    const cell = (event.target as Element).closest<HTMLElement>('.hrow.names .hcell');
    if (!cell) return undefined;
    const box = cell.getBoundingClientRect();
    const area: ColumnArea = cell.classList.contains('index') ? 'index' : 'data';
    const col = area === 'index' ? Number(cell.getAttribute('aria-colindex')) - 1 : Number(cell.dataset.col);
    if (box.right - event.clientX <= EDGE) return { area, col };
    if (event.clientX - box.left <= EDGE && col > 0) return { area, col: col - 1 };
    return undefined;
  }

  /** Each column's summary, as the loader has it (asked for as the columns come into view). */
  private summaryRow(state: HeaderState, loader: SummaryLoader, top: number): HTMLElement {
    const { schema, layout, first, end } = state;
    const row = h('div', { class: 'hrow summary', role: 'row', 'aria-label': 'Column summaries' });
    row.style.height = `${SUMMARY_HEIGHT}px`;
    row.style.top = `${top}px`;
    const corner = h('div', { class: 'index-part' }, h('div', { class: 'hcell index summary-corner' }, 'Summary'));
    corner.style.width = `${state.indexLayout.total}px`;
    place(corner.firstChild as HTMLElement, 0, state.indexLayout.total);
    const strip = h('div', { class: 'strip' });
    for (let col = first; col < end; col++) {
      const column = schema.columns[col];
      const summary = loader.state(col);
      const cell = h('div', { class: 'hcell hsummary', role: 'gridcell', 'data-col': col, title: summaryTitle(summary, column) },
        ...summaryContent(summary, column));
      place(cell, layout.left(col), layout.width(col));
      strip.append(cell);
    }
    const cells = h('div', { class: 'cells-part' }, strip);
    cells.style.left = `${state.indexLayout.total}px`;
    row.append(corner, cells);
    return row;
  }

  invalidate(): void {
    this.signature = '';
  }

  private indexNames(state: HeaderState): HTMLElement[] {
    const levels = state.schema.indexLevels.length ? state.schema.indexLevels : [{ name: '', dtype: '' }];
    return levels.map((level, i) => {
      const cell = h('div', { class: 'hcell index', role: 'columnheader', 'aria-colindex': i + 1, title: level.dtype ? `${level.name || 'index'} · ${level.dtype}` : undefined },
        h('span', { class: 'hname' }, level.name),
        h('div', { class: 'resize', 'data-area': 'index', 'data-col': i }));
      place(cell, state.indexLayout.left(i), state.indexLayout.width(i));
      return cell;
    });
  }

  private nameCells(state: HeaderState): HTMLElement[] {
    const { schema, layout, first, end, selection } = state;
    const levels = headerLevels(schema.columns);
    const indexCount = state.indexLayout.count;
    const cells: HTMLElement[] = [];
    for (let col = first; col < end; col++) {
      const column = schema.columns[col];
      const label = column.levels.length === levels ? column.levels[levels - 1] : column.name;
      const keyAt = schema.sort.findIndex((k) => k.column === col);
      const key: SortKey | undefined = schema.sort[keyAt];
      const filtered = schema.filters.some((f) => f.column === col);
      const cell = h('div', {
        class: `hcell${selection.isWholeColumn(col) ? ' selected' : ''}`,
        role: 'columnheader',
        'aria-colindex': indexCount + col + 1,
        'aria-sort': key ? (key.descending ? 'descending' : 'ascending') : undefined,
        'data-col': col,
      },
      h('span', { class: 'sort-target', title: `Sort by ${column.name} (Shift+click adds a sort key)` },
        h('span', { class: 'hname' }, label),
        key && icon(key.descending ? 'arrow-down' : 'arrow-up', key.descending ? 'descending' : 'ascending'),
        key && schema.sort.length > 1 && h('span', { class: 'sort-order' }, String(keyAt + 1))),
      h('vscode-badge', { class: 'dtype', title: `${column.dtype} (${column.kind})` }, column.dtype),
      filtered && h('span', { class: 'codicon codicon-filter-filled filtered', title: 'Filtered' }),
      h('button', { class: 'hmenu', title: 'Column actions', 'aria-label': `Actions for ${column.name}`, tabindex: -1 }, icon('chevron-down')),
      h('div', { class: 'resize', 'data-area': 'data', 'data-col': col }));
      place(cell, layout.left(col), layout.width(col));
      cells.push(cell);
    }
    return cells;
  }

  /** Cells of an upper MultiIndex level: neighbours with the same labels down to this level share one cell. */
  private groupCells(state: HeaderState, level: number): HTMLElement[] {
    const { schema, layout, first, end } = state;
    const prefix = (col: number) => JSON.stringify(schema.columns[col].levels.slice(0, level + 1));
    const cells: HTMLElement[] = [];
    for (let col = first; col < end;) {
      let last = col;
      while (last + 1 < end && prefix(last + 1) === prefix(col)) last++;
      const cell = h('div', { class: 'hcell group', role: 'columnheader', 'aria-colindex': state.indexLayout.count + col + 1, 'aria-colspan': last - col + 1, 'data-col': col, 'data-last': last },
        h('span', { class: 'hname' }, schema.columns[col].levels[level] ?? ''));
      place(cell, layout.left(col), layout.left(last) + layout.width(last) - layout.left(col));
      cells.push(cell);
      col = last + 1;
    }
    return cells;
  }

  private onMouseDown(event: MouseEvent): void {
    if (event.button !== 0) return;
    const target = event.target as Element;
    const handle = target.closest<HTMLElement>('.resize');
    if (handle) return this.startResize(event, handle);
    const cell = target.closest<HTMLElement>('.hcell');
    if (!cell) return;
    event.preventDefault();
    if (cell.classList.contains('index')) return this.callbacks.selectAll();
    if (target.closest('.hmenu')) return; // its click opens the menu
    const col = Number(cell.dataset.col);
    if (target.closest('.sort-target')) return this.callbacks.sort(col, event.shiftKey);
    this.callbacks.selectColumns(col, Number(cell.dataset.last ?? col), event.shiftKey);
  }

  private startResize(event: MouseEvent, handle: HTMLElement): void {
    event.preventDefault();
    const area = handle.dataset.area as ColumnArea;
    const col = Number(handle.dataset.col);
    const startX = event.clientX;
    const startWidth = handle.parentElement!.getBoundingClientRect().width;
    document.body.classList.add('resizing');
    const move = (e: MouseEvent) => this.callbacks.resize(area, col, startWidth + e.clientX - startX);
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      document.body.classList.remove('resizing');
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }
}
