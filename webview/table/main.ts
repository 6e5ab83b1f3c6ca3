// The table viewer webview: wires the protocol to the grid, toolbar, filters, summaries, profile pane and notices.
import '@vscode/codicons/dist/codicon.css';
import './table.css';
import './toolbar.css';
import './notices.css';
import './grid.css';
import './header.css';
import './popovers.css';
import './profile.css';
import './summaries.css';
import type { ReplyTo, RequestBody, RequestType } from '../../shared/messaging';
import { connectToExtension } from '../pagePort';
import type { ColumnFilter, FromTable, SortKey, TableSchema, TableViewSettings, ToTable } from '../../shared/webviewProtocol';
import { AutoWidth, type Fonts } from './autoWidth';
import { copySelection } from './copy';
import { h } from './dom';
import { FilterBar, FilterEditor } from './filters';
import { GridView } from './gridView';
import type { ColumnArea } from './header';
import { columnMenu } from './columnMenu';
import { showMenu } from './menu';
import { Notices } from './notices';
import { ProfilePane } from './profilePane';
import { RowCache, type RowsRequest } from './rowCache';
import { RowLoader } from './rowLoader';
import { nextSortKeys } from './sortKeys';
import { SummaryLoader } from './summaries';
import { Toolbar } from './toolbar';
import { ViewControl, type SchemaChange } from './viewControl';


const { channel } = connectToExtension<ToTable, FromTable>();
const cache = new RowCache();
const notices = new Notices();
const autoWidth = new AutoWidth();
const filterEditor = new FilterEditor();
let schema: TableSchema | undefined;
let settings: TableViewSettings = { autoRefresh: true, summaries: true };
let closedReason: string | undefined;
let busy = 0;
/** Full texts of cut cells by original position and column, for hover and copy; emptied when the data changes. */
let fullTexts = new Map<string, Promise<string>>();
const FULL_TEXTS_KEPT = 500;

function request<K extends RequestType<FromTable>>(body: RequestBody<FromTable, K>, onSent?: (messageId: number) => void): Promise<ReplyTo<FromTable, K>> {
  if (closedReason !== undefined) return Promise.reject(new Error(closedReason));
  return channel.request(body, onSent);
}

const loader = new RowLoader(
  cache,
  (r: RowsRequest) => request({ type: 'table.rows', start: r.start, end: r.end, columns: r.columns }),
  () => {
    fitNewColumns();
    grid.invalidate();
  },
  (r, message) => notices.show('rows', 'error', `Rows ${r.start.toLocaleString('en-US')}–${(r.end - 1).toLocaleString('en-US')} could not be loaded: ${message}`, [{
    label: 'Retry',
    run: () => {
      notices.clear('rows');
      cache.retryFailed();
      loader.refill();
      grid.invalidate();
    },
  }]),
);

const grid = new GridView(cache, {
  viewport: (window) => {
    loader.viewport(window);
    fitNewColumns();
  },
  fullText: (row, col) => {
    const header = cache.rowHeader(row);
    return header ? fullText(header.position, col) : Promise.reject(new Error('the row is not loaded'));
  },
  copy: () => void copy(),
  columnMenuKey: (col) => {
    const anchor = grid.cellElement(grid.selection.active.row, col) ?? grid.el;
    openColumnMenu(col, anchor.getBoundingClientRect());
  },
  sort: (col, addKey) => schema && sort(nextSortKeys(schema.sort, col, addKey)),
  selectColumns: (first, last, extend) => {
    grid.selection.selectColumns(first, extend);
    if (last !== first) grid.selection.selectColumns(last, true);
    grid.el.focus({ preventScroll: true });
    grid.invalidate();
  },
  selectAll: () => {
    grid.selection.selectAll();
    grid.invalidate();
  },
  menu: (col, anchor) => openColumnMenu(col, anchor.getBoundingClientRect()),
  resize: (area, col, width) => {
    (area === 'index' ? grid.indexLayout : grid.layout).setWidth(col, width);
    autoWidth.keep(area, col);
    grid.layoutChanged();
  },
  autoFit: (area: ColumnArea, col) => {
    if (!schema) return;
    autoWidth.refit(schema, cache, grid.layout, grid.indexLayout, area, col, grid.scroll.window().first, fonts());
    autoWidth.keep(area, col);
    grid.layoutChanged();
  },
});

const summaries = new SummaryLoader({
  summary: (column, onSent) => request({ type: 'table.summary', column }, onSent),
  cancel: (messageId) => channel.send({ type: 'table.cancel', request: messageId }),
  changed: () => grid.invalidate(),
});

const view = new ViewControl({
  sort: (keys, onSent) => request({ type: 'table.sort', keys }, onSent),
  filter: (filters, search, limit, onSent) => request({ type: 'table.filter', filters, search, ...(limit ? { limit } : {}) }, onSent),
  refresh: () => request({ type: 'table.refresh' }),
  cancel: (messageId) => channel.send({ type: 'table.cancel', request: messageId }),
}, { apply: applySchema, busy: setBusy }, notices);

const toolbar = new Toolbar({
  search: (text) => schema && text !== schema.search && filter(schema.filters, text),
  addFilter: () => editFilter(grid.selection.active.col),
  profile: () => openProfile(grid.selection.active.col),
  export: (anchor) => showMenu(anchor, [{ label: 'Export as CSV…', value: 'csv' }, { label: 'Export as TSV…', value: 'tsv' }], (format) => void exportView(format as 'csv' | 'tsv')),
  copyCode: () => void copyCode(),
  summaries: (shown) => showSummaries(shown),
  refresh: () => void refresh(),
});

const filterBar = new FilterBar({
  edit: (index) => schema && editFilter(schema.filters[index].column, index),
  remove: (index) => schema && filter(schema.filters.filter((_, i) => i !== index), schema.search),
  clearSearch: () => schema && filter(schema.filters, ''),
  clearAll: () => filter([], ''),
});

const profilePane = new ProfilePane({
  profile: (column, onSent) => request({ type: 'table.profile', column }, onSent),
  cancel: (messageId) => channel.send({ type: 'table.cancel', request: messageId }),
}, () => grid.el.focus({ preventScroll: true }));

// Ctrl+F searches the table: a webview has no find of its own, and the page holds only the rows in view.
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
    event.preventDefault();
    toolbar.focusSearch();
  }
});

document.body.append(h('div', { class: 'viewer' },
  toolbar.el, notices.el, filterBar.el,
  h('div', { class: 'main' }, h('div', { class: 'grid-box' }, grid.el), profilePane.el)));

channel.handle({
  event: (message) => {
    switch (message.type) {
      case 'table.init':
        settings = message.settings;
        fullTexts = new Map();
        toolbar.setSource({ name: message.title, snapshot: message.snapshot }, message.refreshable);
        toolbar.setSummaries(settings.summaries);
        grid.showSummaries(settings.summaries ? summaries : undefined);
        schema = undefined;
        applySchema(message.schema, 'data');
        return;
      case 'table.stale':
        if (settings.autoRefresh) void refresh();
        else notices.show('stale', 'warning', `The variable changed after a later run${message.reason ? ` (${message.reason})` : ''}. This view shows the data as it was.`, [{ label: 'Refresh', run: () => void refresh() }]);
        return;
      case 'table.closed':
        close(message.reason);
        return;
      case 'table.reformat': // the same rows and columns, their numbers written anew
        if (schema) applySchema(schema, 'view');
        summaries.reset();
        return;
      default: {
        const unknown: never = message;
        throw new Error(`unknown message ${JSON.stringify(unknown)}`);
      }
    }
  },
  eventFailed: (message, error) => console.error(`pydock: the table viewer could not handle ${message.type}: ${(error as Error)?.stack ?? error}`),
  requests: {},
});
channel.send({ type: 'table.ready' });

/** Shows a new schema: a changed view or new data start the rows over (keeping widths when the columns stayed); a
 * view that grew at its end (a search that counted the rest) keeps the rows already loaded. */
function applySchema(next: TableSchema, change: SchemaChange): void {
  const previous = schema;
  const rowsChanged = !previous || change !== 'view' || rowSet(previous) !== rowSet(next);
  const keepWidths = previous !== undefined && (change !== 'data' || sameColumns(previous, next));
  schema = next;
  if (change === 'data') fullTexts = new Map();
  if (!keepWidths) autoWidth.reset();
  if (change === 'grow') cache.extend(next.filteredRows);
  else cache.reset(next.filteredRows, next.columns.length);
  if (rowsChanged) summaries.reset();
  grid.setSchema(next, keepWidths);
  toolbar.setCounts(next);
  toolbar.setSearch(next.search);
  filterBar.render(next);
  loader.refill();
  const profiled = profilePane.column;
  if (profiled !== undefined && rowsChanged && change !== 'grow') {
    if (profiled < next.columns.length) profilePane.open(profiled, next.columns[profiled]);
    else profilePane.close();
  }
  if (previous && change === 'data') noteDropped(previous, next);
}

/** After a refresh: says which sort keys and filters no longer apply (their column went, or changed kind). */
function noteDropped(before: TableSchema, after: TableSchema): void {
  const name = (s: TableSchema, col: number) => s.columns[col]?.name ?? `column ${col}`;
  const gone = [
    ...before.filters.filter((f) => !after.filters.some((g) => name(after, g.column) === name(before, f.column))).map((f) => `the filter on ${name(before, f.column)}`),
    ...before.sort.filter((k) => !after.sort.some((l) => name(after, l.column) === name(before, k.column))).map((k) => `the sort by ${name(before, k.column)}`),
  ];
  if (gone.length) notices.show('dropped', 'warning', `The data changed: ${gone.join(' and ')} no longer ${gone.length > 1 ? 'apply' : 'applies'} (its column is gone or holds another kind of values).`);
}

function showSummaries(shown: boolean): void {
  summaries.setEnabled(shown);
  grid.showSummaries(shown ? summaries : undefined);
}

function fullText(position: number, column: number): Promise<string> {
  const key = `${position}:${column}`;
  let text = fullTexts.get(key);
  if (!text) {
    if (fullTexts.size >= FULL_TEXTS_KEPT) fullTexts.delete(fullTexts.keys().next().value!);
    text = request({ type: 'table.cell', row: position, column });
    text.catch(() => fullTexts.delete(key));
    fullTexts.set(key, text);
  }
  return text;
}

/** What decides which rows are in the view (a sort only reorders them: profiles stay true). */
function rowSet(s: TableSchema): string {
  return JSON.stringify([s.totalRows, s.filteredRows, s.filters, s.search]);
}

function sameColumns(a: TableSchema, b: TableSchema): boolean {
  return JSON.stringify([a.columns, a.indexLevels]) === JSON.stringify([b.columns, b.indexLevels]);
}

function fitNewColumns(): void {
  if (!schema) return;
  const [first, end] = grid.layout.span(grid.el.scrollLeft, grid.el.clientWidth);
  if (autoWidth.fit(schema, cache, grid.layout, grid.indexLayout, grid.scroll.window().first, first, end, fonts())) grid.layoutChanged();
}

/** The fonts cells and headers are drawn with, as the theme sets them. */
function fonts(): Fonts {
  // Built from the parts: the `font` shorthand reads empty when a font-variant (tabular-nums) cannot be expressed.
  const font = (selector: string) => {
    const style = getComputedStyle(document.querySelector(selector) ?? grid.el);
    return `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  };
  return { cell: font('.grid .cell:not(.index)'), header: font('.hcell .hname'), badge: font('.hcell .dtype') };
}

function setBusy(delta: number): void {
  busy += delta;
  toolbar.setBusy(busy > 0);
}

function sort(keys: SortKey[]): void {
  void view.sort(keys);
}

function filter(filters: ColumnFilter[], search: string): void {
  void view.filter(filters, search);
}

function editFilter(col: number, index?: number): void {
  if (!schema || col >= schema.columns.length) return;
  const anchor = grid.el.querySelector(`.hrow.names .hcell[data-col="${col}"]`)?.getBoundingClientRect() ?? grid.el.getBoundingClientRect();
  const existing = index === undefined ? undefined : schema.filters[index];
  filterEditor.open(schema, col, anchor, existing, (made) => {
    const filters = [...schema!.filters];
    if (index === undefined) filters.push(made);
    else filters[index] = made;
    filter(filters, schema!.search);
  });
}

/** Opens the column's profile beside the grid, and scrolls the column into what is left of the view. */
function openProfile(col: number): void {
  if (!schema || col >= schema.columns.length) return;
  profilePane.open(col, schema.columns[col]);
  grid.revealColumn(col);
}

function openColumnMenu(col: number, anchor: DOMRect): void {
  if (!schema) return;
  columnMenu(schema, col, anchor, {
    sort, filter, editFilter: (c) => editFilter(c), profile: openProfile,
    select: (c) => {
      grid.selection.selectColumns(c);
      grid.revealActive();
    },
  });
}

async function copy(): Promise<void> {
  if (!schema || schema.filteredRows === 0) return;
  setBusy(1);
  try {
    const copied = await copySelection(schema, grid.selection, {
      cache,
      rows: (start, end, columns) => request({ type: 'table.rows', start, end, columns }),
      fullText,
    });
    await request({ type: 'table.copy', text: copied.text });
    if (copied.left > 0) notices.show('copy', 'info', `Copied the first ${copied.rows.toLocaleString('en-US')} selected rows; ${copied.left.toLocaleString('en-US')} more were left out. Export writes the whole view.`);
  } catch (error) {
    notices.show('copy', 'error', `Copying failed: ${(error as Error).message}`);
  } finally {
    setBusy(-1);
  }
}

async function exportView(format: 'csv' | 'tsv'): Promise<void> {
  setBusy(1);
  try {
    const path = await request({ type: 'table.export', format });
    if (path) notices.show('export', 'info', `Exported to ${path}`);
  } catch (error) {
    notices.show('export', 'error', `Export failed: ${(error as Error).message}`);
  } finally {
    setBusy(-1);
  }
}

/** Reads the source again; a failure replaces "Refreshing…" with its cause and a retry. */
async function refresh(): Promise<void> {
  if (closedReason !== undefined) return;
  notices.show('stale', 'info', 'Refreshing…');
  try {
    await view.refresh();
    notices.clear('stale');
  } catch (error) {
    if (closedReason === undefined) notices.show('stale', 'error', `Refreshing failed: ${(error as Error).message}`, [{ label: 'Retry', run: () => void refresh() }]);
  }
}

async function copyCode(): Promise<void> {
  setBusy(1);
  try {
    await request({ type: 'table.copyCode' });
    notices.clear('copyCode');
  } catch (error) {
    notices.show('copyCode', 'error', `Copying the code failed: ${(error as Error).message}`);
  } finally {
    setBusy(-1);
  }
}

function close(reason: string): void {
  closedReason = reason;
  loader.stop();
  channel.failAll(reason);
  toolbar.disable();
  filterEditor.close();
  notices.clear('stale');
  notices.show('closed', 'error', `This table is closed: ${reason}`);
}
