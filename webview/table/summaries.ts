// The summary row under the column names: each column's missing share as a bar, a sparkline of its numbers or its
// most frequent values, and key statistics. Asked of the agent one column at a time as columns come into view, so a
// page of rows never waits long behind them; a column that scrolls away before its turn is cancelled.
import type { Cell, ColumnSummary, TableColumn } from '../../shared/agentProtocol';
import { displayCell } from '../../shared/cellText';
import { formatCount, h, svg } from './dom';
import { histogramBars } from './histogram';

export type SummaryState =
  | { kind: 'loading' }
  | { kind: 'ready'; summary: ColumnSummary }
  | { kind: 'error'; message: string };

export interface SummaryRequests {
  /** Sends table.summary; `onSent` gets its messageId, for cancelling. */
  summary(column: number, onSent: (messageId: number) => void): Promise<ColumnSummary>;
  cancel(messageId: number): void;
  /** A summary arrived (or failed): redraw. */
  changed(): void;
}

export class SummaryLoader {
  private states = new Map<number, SummaryState>();
  private wanted: [number, number] = [0, 0];
  private inFlight: { column: number; messageId?: number } | undefined;
  private generation = 0;
  private enabled = true;
  /** Bumped whenever what state() answers changes: the header redraws when it moves. */
  version = 0;

  constructor(private readonly requests: SummaryRequests) {}

  state(column: number): SummaryState {
    return this.states.get(column) ?? { kind: 'loading' };
  }

  /** The data changed (refresh, filter, search): every summary is asked for again. */
  reset(): void {
    this.cancelInFlight();
    this.states = new Map();
    this.generation++;
    this.version++;
    this.pump();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.cancelInFlight();
    this.pump();
  }

  /** The columns [first, end) are in view: those are summarized, and one no longer in view is cancelled. */
  view(first: number, end: number): void {
    this.wanted = [first, end];
    const asked = this.inFlight;
    if (asked && (asked.column < first || asked.column >= end)) this.cancelInFlight();
    this.pump();
  }

  private cancelInFlight(): void {
    const asked = this.inFlight;
    if (!asked) return;
    this.inFlight = undefined;
    this.states.delete(asked.column);
    if (asked.messageId !== undefined) this.requests.cancel(asked.messageId);
  }

  private pump(): void {
    if (!this.enabled || this.inFlight) return;
    const [first, end] = this.wanted;
    let column = first;
    while (column < end && this.states.has(column)) column++;
    if (column >= end) return;
    const asked: { column: number; messageId?: number } = { column };
    const generation = this.generation;
    this.inFlight = asked;
    this.states.set(column, { kind: 'loading' });
    this.requests.summary(column, (id) => (asked.messageId = id)).then(
      (summary) => this.settle(asked, generation, { kind: 'ready', summary }),
      (error: Error) => this.settle(asked, generation, { kind: 'error', message: error.message }),
    );
  }

  private settle(asked: { column: number }, generation: number, state: SummaryState): void {
    if (this.inFlight !== asked) return; // cancelled, or the data changed meanwhile
    this.inFlight = undefined;
    if (generation === this.generation) {
      this.states.set(asked.column, state);
      this.version++;
      this.requests.changed();
    }
    this.pump();
  }
}

const SPARK_WIDTH = 100;
const SPARK_HEIGHT = 18;

/** The content of one column's summary cell. */
export function summaryContent(state: SummaryState, column: TableColumn): Element[] {
  if (state.kind === 'loading') return [h('div', { class: 'summary-loading', 'aria-label': 'Summarizing' })];
  if (state.kind === 'error') return [h('div', { class: 'summary-error', title: state.message }, '⚠ no summary')];
  const s = state.summary;
  const rows = s.count + s.nullCount;
  const nullShare = rows ? s.nullCount / rows : 0;
  const nullBar = h('div', { class: 'null-bar', role: 'img', 'aria-label': `${percent(nullShare)} missing` }, h('span', {}));
  (nullBar.firstChild as HTMLElement).style.width = `${Math.max(nullShare > 0 ? 2 : 0, 100 * nullShare)}%`;
  const picture = s.bins ? sparkline(s.bins) : topBar(s, rows);
  return [picture, h('div', { class: 'summary-stats' }, statsLine(s, column, nullShare)), nullBar];
}

/** The cell's tooltip: every figure of the summary, and where counts come from a sample. */
export function summaryTitle(state: SummaryState, column: TableColumn): string | undefined {
  if (state.kind !== 'ready') return undefined;
  const s = state.summary;
  const rows = s.count + s.nullCount;
  const lines = [`${column.name} · ${column.dtype}`, `${formatCount(s.count)} values, ${formatCount(s.nullCount)} missing (${percent(rows ? s.nullCount / rows : 0)})`];
  if (s.distinct !== undefined) lines.push(`${s.sample ? 'at least ' : ''}${formatCount(s.distinct)} distinct`);
  for (const [name, value] of [['min', s.min], ['max', s.max], ['mean', s.mean]] as const) if (value !== undefined) lines.push(`${name} ${text(value)}`);
  for (const top of s.top ?? []) lines.push(`${text(top.value)}: ${formatCount(top.count)}`);
  if (s.sample) lines.push(`(counted in a sample of ${formatCount(s.sample)} rows)`);
  return lines.join('\n');
}

function statsLine(s: ColumnSummary, column: TableColumn, nullShare: number): string {
  const about = s.sample ? '≈' : '';
  const parts: string[] = [];
  if (s.min !== undefined && s.max !== undefined) parts.push(`${text(s.min)} – ${text(s.max)}`);
  else if (s.distinct !== undefined) parts.push(`${s.sample ? '≥' : ''}${formatCount(s.distinct)} distinct`); // a sample sees a floor
  if (nullShare > 0) parts.push(`${about}${percent(nullShare)} null`);
  if (s.mean !== undefined && column.kind !== 'datetime' && column.kind !== 'timedelta') parts.push(`μ ${text(s.mean)}`);
  return parts.join(' · ');
}

function sparkline(bins: number[]): SVGElement {
  const chart = svg('svg', { class: 'sparkline', viewBox: `0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `Histogram, ${bins.length} bins` });
  for (const bar of histogramBars(bins, SPARK_WIDTH, SPARK_HEIGHT, 0.5)) chart.append(svg('rect', { x: bar.x, y: bar.y, width: bar.width, height: bar.height }));
  return chart;
}

/** The most frequent values as a stacked bar: each value's share, the first one named. */
function topBar(s: ColumnSummary, rows: number): HTMLElement {
  const sampled = s.sample ?? rows;
  const bar = h('div', { class: 'top-values' });
  (s.top ?? []).forEach((top, i) => {
    const part = h('span', { class: `top-part top-${i}` });
    part.style.width = `${(100 * top.count) / Math.max(1, sampled)}%`;
    bar.append(part);
  });
  const first = s.top?.[0];
  const label = first ? `${text(first.value)} ${percent(first.count / Math.max(1, sampled))}` : 'no values';
  return h('div', { class: 'top-box' }, bar, h('div', { class: 'top-label' }, label));
}

function text(cell: Cell): string {
  return displayCell(cell).text;
}

/** A share as a percentage that never reads 0 when it is not: "<0.1%", "2.5%", "40%". */
function percent(share: number): string {
  if (share > 0 && share < 0.001) return '<0.1%';
  return `${(100 * share).toFixed(share < 0.1 ? 1 : 0)}%`;
}
