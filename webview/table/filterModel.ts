// Column filters as data: the operators, building a filter from what the user typed, and describing one.
import type { TableColumn } from '../../shared/agentProtocol';
import type { ColumnFilter } from '../../shared/webviewProtocol';

export type FilterOp = ColumnFilter['op'];

export interface FilterOpInfo {
  op: FilterOp;
  label: string;
  /** How the filter reads in a chip, e.g. "price ≥ 10". */
  symbol: string;
  /** What the user types: nothing, one value, two values, or a comma-separated list. */
  takes: 'none' | 'one' | 'two' | 'list';
}

export const FILTER_OPS: readonly FilterOpInfo[] = [
  { op: 'eq', label: 'equals', symbol: '=', takes: 'one' },
  { op: 'ne', label: 'does not equal', symbol: '≠', takes: 'one' },
  { op: 'lt', label: 'less than', symbol: '<', takes: 'one' },
  { op: 'le', label: 'less than or equal', symbol: '≤', takes: 'one' },
  { op: 'gt', label: 'greater than', symbol: '>', takes: 'one' },
  { op: 'ge', label: 'greater than or equal', symbol: '≥', takes: 'one' },
  { op: 'between', label: 'between', symbol: 'between', takes: 'two' },
  { op: 'contains', label: 'contains', symbol: 'contains', takes: 'one' },
  { op: 'regex', label: 'matches regex', symbol: 'matches', takes: 'one' },
  { op: 'isnull', label: 'is null', symbol: 'is null', takes: 'none' },
  { op: 'notnull', label: 'is not null', symbol: 'is not null', takes: 'none' },
  { op: 'in', label: 'is one of', symbol: 'in', takes: 'list' },
];

export function opInfo(op: FilterOp): FilterOpInfo {
  return FILTER_OPS.find((o) => o.op === op)!;
}

const ORDER: FilterOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'between'];
const NULLS: FilterOp[] = ['isnull', 'notnull'];
/** Operators by column kind: no text tests on numbers and dates (their text is not what one filters them by), no
 * order on booleans. Kinds not named take every operator. */
const KIND_OPS: Partial<Record<TableColumn['kind'], FilterOp[]>> = {
  int: [...ORDER, 'in', ...NULLS],
  float: [...ORDER, 'in', ...NULLS],
  complex: ['eq', 'ne', 'in', ...NULLS],
  bool: ['eq', 'ne', ...NULLS],
  datetime: [...ORDER, 'in', ...NULLS],
  timedelta: [...ORDER, 'in', ...NULLS],
  period: [...ORDER, 'in', ...NULLS],
};

/** The operators a column of this kind offers (and `keep`, an existing filter's, even if it would not). */
export function opsFor(kind: TableColumn['kind'], keep?: FilterOp): readonly FilterOpInfo[] {
  const ops = KIND_OPS[kind];
  return ops ? FILTER_OPS.filter((o) => ops.includes(o.op) || o.op === keep) : FILTER_OPS;
}

/** What the filter editor holds. */
export interface FilterInput {
  op: FilterOp;
  value: string;
  value2: string;
  caseSensitive: boolean;
}

/** Builds the filter, or says what is missing. */
export function makeFilter(column: number, input: FilterInput): ColumnFilter | { error: string } {
  const { op, value, value2, caseSensitive } = input;
  switch (op) {
    case 'isnull':
    case 'notnull':
      return { column, op };
    case 'between':
      if (value.trim() === '' || value2.trim() === '') return { error: 'between needs two values' };
      return { column, op, value, value2 };
    case 'in': {
      const values = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
      return values.length ? { column, op, values } : { error: 'list at least one value, separated by commas' };
    }
    case 'contains':
    case 'regex':
      // Python checks the pattern: its syntax is not JavaScript's.
      if (value === '') return { error: 'type a value' };
      return { column, op, value, caseSensitive };
    default:
      return value.trim() === '' ? { error: 'type a value' } : { column, op, value };
  }
}

/** The editor's fields for an existing filter. */
export function filterInput(filter: ColumnFilter): FilterInput {
  const input: FilterInput = { op: filter.op, value: '', value2: '', caseSensitive: false };
  if ('values' in filter) input.value = filter.values.join(', ');
  if ('value' in filter) input.value = filter.value;
  if ('value2' in filter) input.value2 = filter.value2;
  if ('caseSensitive' in filter) input.caseSensitive = filter.caseSensitive ?? false;
  return input;
}

export function describeFilter(filter: ColumnFilter, columnName: string): string {
  const { symbol } = opInfo(filter.op);
  switch (filter.op) {
    case 'isnull':
    case 'notnull':
      return `${columnName} ${symbol}`;
    case 'between':
      return `${columnName} between ${filter.value} and ${filter.value2}`;
    case 'in':
      return `${columnName} in (${filter.values.join(', ')})`;
    case 'contains':
    case 'regex':
      return `${columnName} ${symbol} "${filter.value}"${filter.caseSensitive ? ' (Aa)' : ''}`;
    default:
      return `${columnName} ${symbol} ${filter.value}`;
  }
}

