// A compact preview of a DataFrame, Series or ndarray result (shape, dtypes, first rows) with "Open in table viewer".
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { TablePreview, Cell } from '../../shared/agentProtocol';
import { cellText, displayCell } from '../../shared/cellText';
import { el } from './dom';
import { formatCount } from './numbers';

const NUMERIC = /^(u?int|float|complex|bool|Int|UInt|Float)/;

export function renderTablePreview(table: TablePreview, open: () => void): HTMLElement {
  const box = el('div', 'pd-table-preview');
  const caption = el('div', 'pd-table-caption');
  const button = el('vscode-button');
  button.secondary = true;
  button.icon = 'table';
  button.textContent = 'Open in table viewer';
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    open();
  });
  caption.append(el('span', 'pd-table-shape', shapeText(table)), button);

  const scroll = el('div', 'pd-table-scroll');
  scroll.tabIndex = 0; // wide tables scroll sideways from the keyboard too
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', `Preview of ${shapeText(table)}`);
  scroll.append(tableElement(table));
  box.append(caption, scroll);
  const total = table.shape[0] ?? table.rows.length;
  if (total > table.rows.length) box.append(el('div', 'pd-table-more', `First ${formatCount(table.rows.length)} of ${formatCount(total)} rows`));
  return box;
}

function shapeText(table: TablePreview): string {
  if (table.kind === 'series') return `Series · ${(table.shape[0] ?? 0).toLocaleString()} · ${table.dtypes[0]} · ${table.columns[0]}`;
  if (table.kind === 'dataframe') {
    const [rows = 0, columns = 0] = table.shape;
    return `DataFrame · ${formatCount(rows)} rows × ${formatCount(columns)} columns`;
  }
  const dtype = new Set(table.dtypes).size === 1 ? ` · ${table.dtypes[0]}` : '';
  return `ndarray · ${table.shape.map(formatCount).join(' × ')}${dtype}`;
}

function tableElement(table: TablePreview): HTMLTableElement {
  const element = el('table', 'pd-table');
  const numeric = table.columns.map((_, i) => NUMERIC.test(table.dtypes[i] ?? ''));
  const head = el('tr');
  head.append(...table.indexNames.map((name) => el('th', 'pd-table-index pd-table-index-name', name)));
  table.columns.forEach((name, i) => {
    const th = el('th', numeric[i] ? 'pd-num' : undefined, name);
    th.scope = 'col';
    if (table.dtypes[i]) th.append(el('span', 'pd-dtype', table.dtypes[i]));
    head.append(th);
  });
  const body = el('tbody');
  table.rows.forEach((row, r) => {
    const tr = el('tr');
    const labels = table.index[r] ?? [String(r)];
    labels.forEach((label, level) => {
      // An outer level's label repeated from the row above is dimmed, as pandas leaves it out.
      const repeat = level < labels.length - 1 && r > 0 && table.index[r - 1]?.slice(0, level + 1).join('\0') === labels.slice(0, level + 1).join('\0');
      const th = el('th', repeat ? 'pd-table-index pd-repeat' : 'pd-table-index', label);
      th.scope = 'row';
      tr.append(th);
    });
    tr.append(...row.map((cell, i) => previewCell(cell, numeric[i])));
    body.append(tr);
  });
  const thead = el('thead');
  thead.append(head);
  element.append(thead, body);
  return element;
}

/** A cell as it reads; a number's exact text, or a cut text's start, on hover. */
function previewCell(cell: Cell, numeric: boolean): HTMLTableCellElement {
  const shown = displayCell(cell);
  const td = el('td', [numeric && 'pd-num', shown.special && 'pd-special'].filter(Boolean).join(' ') || undefined, cellText(cell));
  if (shown.exact !== undefined) td.title = shown.exact;
  return td;
}
