// The column profile side pane: counts, summary statistics, quantiles, a histogram and the most frequent values.
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import type { TableColumn } from '../../shared/agentProtocol';
import type { Cell, ColumnProfile } from '../../shared/webviewProtocol';
import { displayCell } from '../../shared/cellText';
import { formatCount, h } from './dom';
import { histogramChart } from './histogram';

export interface ProfileRequests {
  /** Sends table.profile; `onSent` gets its messageId, for cancelling. */
  profile(column: number, onSent: (messageId: number) => void): Promise<ColumnProfile>;
  cancel(messageId: number): void;
}

export class ProfilePane {
  readonly el = h('aside', { class: 'profile', 'aria-label': 'Column profile', hidden: true });
  private readonly heading = h('h2', { class: 'profile-title' });
  private readonly body = h('div', { class: 'profile-body' });
  /** The request on its way, so that switching columns or closing cancels it. */
  private pending: number | undefined;
  private token = 0;
  column: number | undefined;

  constructor(private readonly requests: ProfileRequests, private readonly onClose: () => void) {
    const close = h('vscode-toolbar-button', { icon: 'close', label: 'Close profile', title: 'Close', class: 'profile-close' });
    close.addEventListener('click', () => this.close());
    this.el.append(h('div', { class: 'profile-head' }, this.heading, close), this.body);
  }

  open(col: number, column: TableColumn): void {
    this.cancelPending();
    const token = ++this.token;
    this.column = col;
    this.el.hidden = false;
    this.heading.replaceChildren(h('span', { class: 'profile-name' }, column.name), h('span', { class: 'profile-dtype' }, column.dtype));
    this.body.replaceChildren(h('div', { class: 'profile-loading' }, h('vscode-progress-ring', {}), 'Computing the profile…'));
    this.requests.profile(col, (id) => (this.pending = id)).then(
      (profile) => {
        if (token !== this.token) return;
        this.pending = undefined;
        this.body.replaceChildren(...profileSections(profile));
      },
      (error: Error) => {
        if (token !== this.token) return;
        this.pending = undefined;
        this.body.replaceChildren(h('div', { class: 'profile-error', role: 'alert' }, `The profile could not be computed: ${error.message}`));
      },
    );
  }

  close(): void {
    this.cancelPending();
    this.token++;
    this.column = undefined;
    this.el.hidden = true;
    this.onClose();
  }

  private cancelPending(): void {
    if (this.pending !== undefined) this.requests.cancel(this.pending);
    this.pending = undefined;
  }
}

function profileSections(p: ColumnProfile): HTMLElement[] {
  const total = p.count + p.nullCount;
  const percent = total ? ` (${((100 * p.nullCount) / total).toFixed(1)}%)` : '';
  const stats: [string, Cell | undefined][] = [
    ['Count', formatCount(p.count)],
    ['Nulls', `${formatCount(p.nullCount)}${percent}`],
    ['Distinct', p.distinct === undefined ? undefined : formatCount(p.distinct)],
    ['Min', p.min],
    ['Max', p.max],
    ['Mean', p.mean],
    ['Std', p.std],
    ...Object.entries(p.quantiles ?? {}).map(([q, v]): [string, Cell] => [`${Math.round(Number(q) * 100)}%`, v]),
  ];
  const statistic = (cell: Cell) => {
    const shown = displayCell(cell);
    return h('dd', { title: shown.exact }, shown.text); // a number as it reads; its exact value on hover
  };
  const sections = [section('Summary', h('dl', { class: 'stats' }, ...stats.flatMap(([k, v]) => (v === undefined ? [] : [h('dt', {}, k), statistic(v)]))))];
  if (p.histogram?.counts.length) sections.push(section('Histogram', histogramChart(p.histogram)));
  if (p.top?.length) {
    const most = Math.max(...p.top.map((t) => t.count));
    sections.push(section('Most frequent', h('ol', { class: 'top' }, ...p.top.map((t) => {
      const bar = h('span', { class: 'top-bar' });
      bar.style.width = `${(100 * t.count) / most}%`;
      const shown = displayCell(t.value);
      return h('li', {}, bar, h('span', { class: `top-value${shown.special ? ' special' : ''}` }, shown.text), h('span', { class: 'top-count' }, formatCount(t.count)));
    }))));
  }
  return sections;
}

function section(title: string, content: HTMLElement): HTMLElement {
  return h('section', {}, h('h3', {}, title), content);
}
