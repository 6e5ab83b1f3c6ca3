// The table viewer's test fixture: a fake extension serving a generated 10,000,000-row table to the real webview in
// headless Chromium, and the waits (on conditions, never on time) the table's webview tests share.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after } from 'node:test';
import { SPECIAL, type Cell, type ColumnFilter, type ColumnProfile, type ColumnSummary, type SortKey, type TableColumn, type TableRows, type TableSchema } from '../../shared/agentProtocol';
import type { Envelope, TableViewSettings } from '../../shared/webviewProtocol';
import { opInfo, type FilterOp } from '../../webview/table/filterModel';
import { openWebview, type Theme, type WebviewHandle } from './page';

export const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');
export const TEN_MILLION = 10_000_000;
/** Chromium's largest element height; the grid must scroll past it. */
export const CHROMIUM_MAX_HEIGHT = 33_554_428;

export type Body = { type: string } & Record<string, unknown>;

// ---- The table the fake extension serves: every cell is a function of the row's position. ----

export const column = (name: string, dtype: string, kind: TableColumn['kind']): TableColumn => ({ name, levels: [name], dtype, kind });
export const COLUMNS: TableColumn[] = [
  column('id', 'int64', 'int'),
  column('value', 'float64', 'float'),
  column('name', 'object', 'str'),
  column('category', 'category', 'category'),
  column('when', 'datetime64[ns]', 'datetime'),
  column('note', 'object', 'str'),
  column('score', 'Int64', 'int'),
  column('ratio', 'float32', 'float'),
];
export const CUT_AT = 40;

export function fullNote(position: number): string {
  return `note ${position}: ${'a long remark that goes on '.repeat(20)}`.slice(0, 500);
}

export function cellAt(position: number, col: number): Cell {
  switch (col) {
    case 0: return String(position);
    case 1: return position % 11 === 3 ? SPECIAL.nan : ((position * 0.37) % 1000).toFixed(3);
    case 2: return `name ${position}`;
    case 3: return ['red', 'green', 'blue'][position % 3];
    case 4: return new Date(Date.UTC(2020, 0, 1) + position * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    case 5: return position % 10 === 0 ? [fullNote(position).slice(0, CUT_AT), 500] : `short ${position}`;
    case 6: return position % 7 === 0 ? SPECIAL.na : String((position * 13) % 997);
    default: return position % 5 === 0 ? SPECIAL.posinf : (position / 7).toFixed(4);
  }
}

export function fullText(position: number, col: number): string {
  const cell = cellAt(position, col);
  return col === 5 && Array.isArray(cell) ? fullNote(position) : String(cell);
}

/**
 * The view the fake agent keeps: sorting by id descending reverses the rows, an `id lt N` filter keeps the first N, a
 * search finds every tenth row (positions ending in 7: their name contains "7"), or with a limit its first `limit`;
 * other keys and filters are echoed back without changing rows, which is all the checks need.
 */
export class FakeTable {
  sort: SortKey[] = [];
  filters: ColumnFilter[] = [];
  search = '';
  /** The limit of the last search, when it stopped there. */
  partialAt: number | undefined;
  constructor(readonly totalRows = TEN_MILLION, readonly columns = COLUMNS) {}

  get filteredRows(): number {
    if (this.search) return this.partialAt ?? Math.floor(this.totalRows / 10);
    const limit = this.filters.find((f) => f.column === 0 && f.op === 'lt') as { value: string } | undefined;
    return limit ? Math.min(this.totalRows, Number(limit.value)) : this.totalRows;
  }

  position(row: number): number {
    if (this.search) return row * 10 + 7;
    return this.sort[0]?.column === 0 && this.sort[0].descending ? this.filteredRows - 1 - row : row;
  }

  setFilter(filters: ColumnFilter[], search: string, limit: number | undefined): void {
    this.filters = filters;
    this.search = search;
    this.partialAt = search && limit !== undefined && limit < Math.floor(this.totalRows / 10) ? limit : undefined;
  }

  schema(): TableSchema {
    return {
      handle: 1, kind: 'dataframe', columns: this.columns, indexLevels: [{ name: '', dtype: 'int64' }],
      totalRows: this.totalRows, filteredRows: this.filteredRows, sort: this.sort, filters: this.filters, search: this.search,
      ...(this.partialAt !== undefined ? { partial: true } : {}),
    };
  }

  rows(start: number, end: number, columns: [number, number] = [0, this.columns.length]): TableRows {
    const positions: number[] = [];
    for (let row = start; row < Math.min(end, this.filteredRows); row++) positions.push(this.position(row));
    return {
      start, positions, firstColumn: columns[0], filteredRows: this.filteredRows,
      index: positions.map((p) => [String(p)]),
      cells: positions.map((p) => Array.from({ length: columns[1] - columns[0] }, (_, j) => cellAt(p, columns[0] + j))),
    };
  }

  /** Numbers get bins, the rest top values; every column has a few missing values. */
  summary(col: number): ColumnSummary {
    const numeric = ['int', 'float'].includes(this.columns[col].kind);
    const base = { column: col, count: this.filteredRows - 100, nullCount: 100 };
    return numeric
      ? { ...base, min: '0', max: '999.5', mean: '499.75', bins: [3, 5, 8, 13, 21, 13, 8, 5, 3, 1] }
      : { ...base, distinct: 3, top: [{ value: 'red', count: 50_000 }, { value: 'green', count: 30_000 }, { value: 'blue', count: 19_900 }], sample: 100_000 };
  }

  profile(col: number): ColumnProfile {
    return {
      column: col, count: this.filteredRows - 1000, nullCount: 1000, distinct: 4242, min: '0', max: '999.630', mean: '499.5', std: SPECIAL.nan,
      quantiles: { '0.05': '50', '0.25': '250', '0.5': '500', '0.75': '750', '0.95': '950' },
      histogram: { edges: Array.from({ length: 11 }, (_, i) => String(i * 100)), counts: [5, 9, 14, 20, 26, 24, 18, 12, 7, 3] },
      top: [{ value: 'red', count: 3_333_334 }, { value: 'green', count: 3_333_333 }, { value: SPECIAL.none, count: 1000 }],
    };
  }
}

/** Column 1's numbers as the agent sends them under a NumberFormat of `digits`: [shown, exact]. */
export class NumberTable extends FakeTable {
  digits = 1;

  override rows(start: number, end: number, columns: [number, number] = [0, this.columns.length]): TableRows {
    const page = super.rows(start, end, columns);
    const shown = (cell: Cell, col: number): Cell => (col === 1 && typeof cell === 'string' ? [Number(cell).toFixed(this.digits), cell] : cell);
    return { ...page, cells: page.cells.map((row) => row.map((cell, j) => shown(cell, columns[0] + j))) };
  }
}

/** Plays the extension: answers the page's requests from a FakeTable, or fails or holds them when told to. */
export class FakeHost {
  readonly seen: Envelope<Body>[] = [];
  /** Request types answered with an error reply carrying this message. */
  readonly failing = new Map<string, string>();
  /** Request types not answered until released. */
  readonly holding = new Set<string>();
  /** The table a refresh opens. */
  refreshTo: FakeTable | undefined;
  private readonly held: Envelope<Body>[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly view: WebviewHandle, public table: FakeTable) {
    this.loop = this.run();
  }

  requests(type: string): Envelope<Body>[] {
    return this.seen.filter((m) => m.body.type === type);
  }

  /** Answers the oldest held request of this type; the others stay held. */
  async releaseFirst(type: string): Promise<Envelope<Body>> {
    const at = await until(`a held ${type} request`, async () => {
      const index = this.held.findIndex((m) => m.body.type === type);
      return index >= 0 ? index + 1 : undefined;
    });
    const [message] = this.held.splice(at - 1, 1);
    await this.answer(message);
    return message;
  }

  async release(type: string): Promise<void> {
    this.holding.delete(type);
    for (const message of this.held.splice(0).filter((m) => m.body.type === type)) await this.answer(message);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let posted: Envelope<Body>[];
      try {
        posted = await this.view.posted();
      } catch {
        return; // the page closed
      }
      for (const message of posted.slice(this.seen.length)) {
        this.seen.push(message);
        if (this.holding.has(message.body.type)) this.held.push(message);
        else await this.answer(message);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private async answer(message: Envelope<Body>): Promise<void> {
    const body = message.body;
    const error = this.failing.get(body.type);
    if (error) return this.view.send({ type: 'reply', ok: false, error } as Body, message.messageId);
    const value = this.value(body);
    if (message.request) await this.view.reply(message.messageId, value ?? null);
  }

  private value(body: Body): unknown {
    const table = this.table;
    switch (body.type) {
      case 'table.rows': return table.rows(body.start as number, body.end as number, body.columns as [number, number] | undefined);
      case 'table.cell': return fullText(body.row as number, body.column as number);
      case 'table.sort': table.sort = body.keys as SortKey[]; return table.schema();
      case 'table.filter': table.setFilter(body.filters as ColumnFilter[], body.search as string, body.limit as number | undefined); return table.schema();
      case 'table.profile': return table.profile(body.column as number);
      case 'table.summary': return table.summary(body.column as number);
      case 'table.export': return `/workspace/df-${body.format}.${body.format}`;
      case 'table.refresh':
        this.table = this.refreshTo ?? table;
        return this.table.schema();
      default: return undefined; // events (no reply), and requests whose reply has no value
    }
  }
}

// ---- Opening the viewer, and waiting on conditions (never on time). ----

export interface Viewer {
  view: WebviewHandle;
  host: FakeHost;
  page: WebviewHandle['page'];
}

/** Viewers still open: closed after the test file. */
export const open: Viewer[] = [];
after(async () => {
  for (const viewer of [...open]) await close(viewer);
});

export async function close(viewer: Viewer): Promise<void> {
  if (!open.includes(viewer)) return;
  open.splice(open.indexOf(viewer), 1);
  await viewer.host.stop();
  await viewer.view.close();
}

export interface OpenOptions {
  theme?: Theme;
  table?: FakeTable;
  settings?: TableViewSettings;
  width?: number;
  height?: number;
  title?: string;
  snapshot?: boolean;
}

export async function openTable(options: OpenOptions = {}): Promise<Viewer> {
  const view = await openWebview('table', { theme: options.theme, width: options.width ?? 1100, height: options.height ?? 700 });
  const table = options.table ?? new FakeTable();
  await view.waitForPosted((b) => b.type === 'table.ready');
  const host = new FakeHost(view, table);
  const viewer = { view, host, page: view.page };
  open.push(viewer);
  await view.send({
    type: 'table.init', title: options.title ?? 'df', snapshot: options.snapshot ?? false, refreshable: true, schema: table.schema(),
    settings: options.settings ?? { autoRefresh: false, summaries: false },
  } as Body);
  await waitForCell(viewer, 0, 0, '0');
  return viewer;
}

/**
 * Polls until `check` gives a value that is not false/undefined; fails with what it expected and what it last saw
 * (a check may throw to say what it saw).
 */
export async function until<T>(what: string, check: () => Promise<T | false | undefined>, timeout = 5000): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - start > timeout) assert.fail(`expected ${what} within ${timeout} ms; last saw ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export const cellText = (viewer: Viewer, row: number, col: number) =>
  viewer.page.evaluate(([r, c]) => document.getElementById(`c${r}_${c}`)?.textContent ?? null, [row, col]);

export async function waitForCell(viewer: Viewer, row: number, col: number, text: string): Promise<void> {
  await until(`cell (${row}, ${col}) to show "${text}"`, async () => {
    const shown = await cellText(viewer, row, col);
    if (shown !== text) throw new Error(`it shows ${JSON.stringify(shown)}`);
    return true;
  });
}

/**
 * Data rows in the DOM and the rows that fit in the body, as the grid draws them: read after the page's next frame,
 * since a change the page has taken in (a refresh's reply, a key) reaches the rows only in the frame that follows.
 */
export function domRows(viewer: Viewer) {
  return viewer.page.evaluate(async () => {
    await new Promise(requestAnimationFrame);
    const rows = [...document.querySelectorAll<HTMLElement>('.grid-body .row')].map((r) => Number(r.dataset.row));
    const body = document.querySelector('.grid-body')!.getBoundingClientRect();
    return { rows, bodyHeight: body.height, cells: document.querySelectorAll('.grid-body .cell').length, loading: document.querySelectorAll('.grid-body .cell.loading').length };
  });
}

export async function viewportFilled(viewer: Viewer, what: string): Promise<number[]> {
  return until(`${what}: every visible cell loaded`, async () => {
    const { rows, loading } = await domRows(viewer);
    return loading === 0 && rows.length > 0 ? rows.sort((a, b) => a - b) : undefined;
  });
}

type FrameGate = { __heldFrames: FrameRequestCallback[]; __requestFrame: typeof requestAnimationFrame };

/**
 * Holds the page's animation frames until the returned release: the page takes in messages and keys but draws
 * nothing, as a loaded machine leaves it between a reply and the frame that shows it.
 */
export async function holdFrames(viewer: Viewer): Promise<() => Promise<void>> {
  await viewer.page.evaluate(() => {
    const held: FrameRequestCallback[] = [];
    const frames = window as unknown as FrameGate;
    frames.__heldFrames = held;
    frames.__requestFrame = window.requestAnimationFrame;
    window.requestAnimationFrame = (callback) => held.push(callback);
  });
  return () => viewer.page.evaluate(() => {
    const frames = window as unknown as FrameGate;
    window.requestAnimationFrame = frames.__requestFrame;
    for (const callback of frames.__heldFrames.splice(0)) requestAnimationFrame(callback);
  });
}

export const headerCell = (viewer: Viewer, col: number) => viewer.page.locator(`.hrow.names .hcell[data-col="${col}"]`);
export const posted = (viewer: Viewer, type: string) => viewer.host.requests(type).map((m) => m.body);

export async function lastPosted(viewer: Viewer, type: string, count: number): Promise<Body> {
  return until(`${count} ${type} message(s)`, async () => {
    const all = posted(viewer, type);
    return all.length >= count ? all[count - 1] : undefined;
  });
}

export async function noticeText(viewer: Viewer, id: string): Promise<string> {
  return until(`a "${id}" notice`, () => viewer.page.evaluate((n) => document.querySelector(`[data-notice="${n}"] .text`)?.textContent ?? undefined, id));
}

export async function screenshot(viewer: Viewer, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await viewer.page.screenshot({ path: path.join(SCREENSHOTS, `table-${name}.png`) });
}


/** Adds a filter through the column's menu and the filter editor, as a user would. */
export async function addFilter(viewer: Viewer, col: number, op: FilterOp, value: string, shot?: string): Promise<void> {
  await headerCell(viewer, col).hover();
  // Held as long as a hand holds it: the menu must not take the button's own click for a click outside it.
  await headerCell(viewer, col).locator('.hmenu').click({ delay: 150 });
  await viewer.page.locator('vscode-context-menu-item', { hasText: 'Add Filter' }).click();
  await viewer.page.locator('.filter-op').click({ delay: 150 });
  await viewer.page.locator('.filter-op li.option', { hasText: new RegExp(`^\\s*${opInfo(op).label}\\s*$`) }).click({ delay: 150 });
  await viewer.page.locator('.filter-value input').fill(value);
  if (shot) await screenshot(viewer, shot);
  await viewer.page.locator('.filter-apply').click();
}

