// `pydock table CODE`: evaluates CODE, opens its value as a table in the agent, filters and sorts it there, and
// prints a window of rows as the viewer shows them, numbers as they read (or exact, with --raw), or as JSON.
import { cellText } from '../../shared/cellText';
import { PydockError } from '../engine/errors';
import type { ColumnFilter, SortKey, NumberFormat } from '../../shared/agentProtocol';
import type { Session } from '../engine/session/session';

/** Filter operators of --filter and the table.filter operations they stand for. */
export const FILTER_OPERATORS = {
  '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge',
  contains: 'contains', regex: 'regex', isnull: 'isnull', notnull: 'notnull',
} as const;
type FilterOperator = keyof typeof FILTER_OPERATORS;

export interface FilterExpression { column: string; operator: FilterOperator; value: string }
export interface SortExpression { column: string; descending: boolean }

export interface TableQuery {
  start: number;
  /** Excluded; undefined: to the last row. */
  end: number | undefined;
  sort: SortExpression[];
  filters: FilterExpression[];
  /** How numbers read, as in the viewer; undefined: exactly (--raw). */
  numbers: NumberFormat | undefined;
}

/** What `pydock table --json` prints. */
export interface TableOutput {
  columns: string[];
  dtypes: string[];
  /** Each row's index label; a list of labels per row for a MultiIndex. */
  index: (string | string[])[];
  total_rows: number;
  filtered_rows: number;
  rows: string[][];
}

const DEFAULT_ROWS = 20;
const PAGE_ROWS = 1000;
const TEXT_WIDTH = 40;
/** pandas' display.precision, as the viewer's default (pydock.table.precision). */
const DEFAULT_PRECISION = 6;
const MAX_PRECISION = 17;

/** Reads --rows, --sort, --filter, --precision and --raw; throws an Error naming the first one that is wrong. */
export function parseTableQuery(options: { rows?: string; sort?: string[]; filter?: string[]; precision?: string; raw?: boolean }): TableQuery {
  const rows = parseRows(options.rows ?? `0:${DEFAULT_ROWS}`);
  return {
    ...rows, sort: (options.sort ?? []).map(parseSort), filters: (options.filter ?? []).map(parseFilter),
    numbers: parseNumbers(options.precision, options.raw ?? false),
  };
}

export function parseNumbers(precision: string | undefined, raw: boolean): NumberFormat | undefined {
  if (raw && precision !== undefined) throw new Error('--raw shows numbers exactly: leave out --precision');
  if (raw) return undefined;
  const digits = Number(precision ?? DEFAULT_PRECISION);
  if (!Number.isInteger(digits) || digits < 0 || digits > MAX_PRECISION) {
    throw new Error(`--precision must be a whole number of digits from 0 to ${MAX_PRECISION}, not "${precision}"`);
  }
  return { precision: digits, thousands: false };
}

export function parseRows(text: string): { start: number; end: number | undefined } {
  const match = /^(\d*):(\d*)$/.exec(text.trim());
  if (!match) throw new Error(`--rows must be START:END (e.g. 0:20, 100:, :50), not "${text}"`);
  const start = match[1] ? Number(match[1]) : 0;
  const end = match[2] ? Number(match[2]) : undefined;
  if (end !== undefined && end < start) throw new Error(`--rows ${text}: END comes before START`);
  return { start, end };
}

export function parseSort(text: string): SortExpression {
  const match = /^(.+?)(?::(asc|desc))?$/.exec(text);
  if (!match) throw new Error(`--sort must be COL or COL:desc, not "${text}"`);
  return { column: match[1], descending: match[2] === 'desc' };
}

export function parseFilter(text: string): FilterExpression {
  // The first operator with a space before it ends the column name, so names may hold spaces and operators.
  const match = /^(.+?)\s+(==|!=|<=|>=|<|>|contains|regex|isnull|notnull)(?:\s+(.*))?$/s.exec(text.trim());
  if (!match) throw new Error(`--filter must be "COL OP VALUE" with OP one of ${Object.keys(FILTER_OPERATORS).join(' ')}, not "${text}"`);
  const operator = match[2] as FilterOperator;
  const value = match[3] ?? '';
  const needsValue = operator !== 'isnull' && operator !== 'notnull';
  if (needsValue === (value === '')) {
    throw new Error(`--filter "${text}": ${operator} ${needsValue ? 'needs a value' : 'takes no value'}`);
  }
  return { column: match[1], operator, value };
}

/** Runs CODE and shows its table; 'python-error' when Python raised (printed already). */
export async function showTable(session: Session, code: string, query: TableQuery, options: { json: boolean; timeoutMs?: number }): Promise<'ok' | 'python-error'> {
  const { json, timeoutMs } = options;
  const outcome = await session.exec(code, {
    mode: 'repl', file: '<pydock table>', line: 1, timeoutMs,
    // What CODE prints goes to stderr, so that stdout holds the table alone.
    onStream: json ? undefined : (_, text) => process.stderr.write(text),
  });
  if (!outcome.ok) {
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: outcome.error })}\n`);
    else process.stderr.write(outcome.error.text);
    return 'python-error';
  }
  if (outcome.repr === '' && outcome.value === null) {
    throw new PydockError('usage', 'CODE gives no value to show: end it with an expression, e.g. df');
  }
  let output: TableOutput;
  try {
    // A DataFrame or array result comes with a ref to the object; anything else is still the REPL's `_`.
    output = await readTable(session, outcome.table ? { ref: outcome.table.ref } : { expr: '_' }, query);
  } catch (error) {
    if (!(error instanceof PydockError && error.code === 'python')) throw error;
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { type: 'PydockError', code: error.code, message: error.message } })}\n`);
    else process.stderr.write(`pydock: ${error.message}\n`);
    return 'python-error';
  }
  process.stdout.write(json ? `${JSON.stringify(output)}\n` : formatTextTable(output, query.start));
  return 'ok';
}

/** Opens the table, applies the query and reads the window; the handle is released at the end. */
export async function readTable(session: Session, source: { ref: number } | { expr: string }, query: TableQuery): Promise<TableOutput> {
  const ask = session.inspect.bind(session);
  let schema = await ask({ type: 'table.open', ...source });
  const handle = schema.handle;
  try {
    const columnIndex = (name: string) => {
      const index = schema.columns.findIndex((c) => c.name === name);
      if (index < 0) throw new PydockError('usage', `no column "${name}"; the columns are: ${schema.columns.map((c) => c.name).join(', ')}`);
      return index;
    };
    if (query.filters.length) {
      const filters = query.filters.map((f) => toColumnFilter(f, columnIndex(f.column)));
      schema = await ask({ type: 'table.filter', handle, filters, search: '' });
    }
    if (query.sort.length) {
      const keys: SortKey[] = query.sort.map((s) => ({ column: columnIndex(s.column), descending: s.descending }));
      schema = await ask({ type: 'table.sort', handle, keys });
    }
    const end = Math.min(query.end ?? schema.filteredRows, schema.filteredRows);
    const rows: string[][] = [];
    const index: (string | string[])[] = [];
    for (let start = query.start; start < end; start += PAGE_ROWS) {
      const page = await ask({ type: 'table.rows', handle, start, end: Math.min(end, start + PAGE_ROWS), numbers: query.numbers });
      rows.push(...page.cells.map((row) => row.map(cellText)));
      index.push(...page.index.map((labels) => (labels.length === 1 ? cellText(labels[0]) : labels.map(cellText))));
    }
    return {
      columns: schema.columns.map((c) => c.name), dtypes: schema.columns.map((c) => c.dtype), index,
      total_rows: schema.totalRows, filtered_rows: schema.filteredRows, rows,
    };
  } finally {
    await session.inspect({ type: 'table.release', handle }).catch(() => undefined);
  }
}

function toColumnFilter(filter: FilterExpression, column: number): ColumnFilter {
  const op = FILTER_OPERATORS[filter.operator];
  switch (op) {
    case 'isnull':
    case 'notnull':
      return { column, op };
    case 'contains':
    case 'regex':
      return { column, op, value: filter.value, caseSensitive: true };
    default:
      return { column, op, value: filter.value };
  }
}

/** An aligned text table: the index, then the columns; numbers to the right; a count of rows at the end. */
export function formatTextTable(output: TableOutput, start: number): string {
  const clip = (text: string) => {
    const line = text.replace(/\s/g, ' ');
    return line.length > TEXT_WIDTH ? `${line.slice(0, TEXT_WIDTH - 1)}…` : line;
  };
  const labels = output.index.map((label) => clip(Array.isArray(label) ? label.join(' ') : label));
  const table = [['', ...output.columns.map(clip)], ...output.rows.map((row, i) => [labels[i], ...row.map(clip)])];
  const widths = table[0].map((_, j) => Math.max(...table.map((row) => row[j].length)));
  const numeric = table[0].map((_, j) => j > 0 && /^(u?int|float|complex)\d*$/i.test(output.dtypes[j - 1]));
  const lines = table.map((row) => row.map((text, j) => (numeric[j] ? text.padStart(widths[j]) : text.padEnd(widths[j]))).join('  ').trimEnd());
  const shown = output.rows.length ? `rows ${start}–${start + output.rows.length - 1}` : 'no rows';
  const filtered = output.filtered_rows === output.total_rows ? '' : ` (${output.filtered_rows} after filters)`;
  return `${lines.join('\n')}\n${shown} of ${output.total_rows}${filtered}\n`;
}
