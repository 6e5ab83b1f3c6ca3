// How a table viewer names what it shows, for its tab and its toolbar alike: the source, the rows (following the
// row count after every sort, filter and refresh), and what differs from the data itself (filtered, sorted, snapshot).
import type { TableSchema } from './agentProtocol';

export interface TableLabel {
  /** The variable a live view follows, or what a snapshot came from: "In [7]", an expression. */
  name: string;
  snapshot: boolean;
}

type Shown = Pick<TableSchema, 'kind' | 'columns' | 'totalRows' | 'filteredRows' | 'sort' | 'filters' | 'search' | 'partial'>;

const count = (n: number): string => n.toLocaleString('en-US');

/** "df", or "In [7] (snapshot)". */
export function tableHeading(label: TableLabel): string {
  return label.snapshot ? `${label.name} (snapshot)` : label.name;
}

/** "750,421 rows", "12,345 of 1,000,000 rows"; a search still counting: "1,057+ of 1,000,000 rows". */
export function rowCount(schema: Shown): string {
  const rows = schema.filteredRows === 1 && !schema.partial ? 'row' : 'rows';
  if (schema.filteredRows === schema.totalRows && !schema.partial) return `${count(schema.totalRows)} ${rows}`;
  return `${count(schema.filteredRows)}${schema.partial ? '+' : ''} of ${count(schema.totalRows)} ${rows}`;
}

/** What the data is: "Series · 4 · float64 · temperature" for a Series, else the rows and columns. */
export function tableShape(schema: Shown): string {
  const series = seriesShape(schema);
  if (series) return series;
  const columns = schema.columns.length;
  return `${rowCount(schema)} × ${count(columns)} ${columns === 1 ? 'column' : 'columns'}`;
}

/** What differs from the data itself: filtered (filters or a search), sorted. */
export function viewFlags(schema: Shown): string[] {
  const flags: string[] = [];
  if (schema.filters.length || schema.search) flags.push('filtered');
  if (schema.sort.length) flags.push('sorted');
  return flags;
}

/** The tab's title: "df · 750,421 rows (sorted)", "In [9] (snapshot) · Series · 4 · float64 · temperature". */
export function tableTitle(label: TableLabel, schema: Shown): string {
  const flags = viewFlags(schema);
  const shape = seriesShape(schema) ?? rowCount(schema);
  return `${tableHeading(label)} · ${shape}${flags.length ? ` (${flags.join(', ')})` : ''}`;
}

function seriesShape(schema: Shown): string | undefined {
  if (schema.kind !== 'series' || schema.columns.length !== 1) return undefined;
  const rows = schema.filteredRows === schema.totalRows && !schema.partial
    ? count(schema.totalRows)
    : `${count(schema.filteredRows)}${schema.partial ? '+' : ''} of ${count(schema.totalRows)}`;
  const [column] = schema.columns;
  return `Series · ${rows} · ${column.dtype} · ${column.name}`;
}
