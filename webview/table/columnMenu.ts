// A column's menu (from its header's button or the keyboard): sort, filter, select and profile that column.
import type { ColumnFilter, SortKey, TableSchema } from '../../shared/webviewProtocol';
import { showMenu, type MenuItem } from './menu';

export interface ColumnActions {
  sort(keys: SortKey[]): void;
  filter(filters: ColumnFilter[], search: string): void;
  editFilter(col: number): void;
  select(col: number): void;
  profile(col: number): void;
}

export function columnMenu(schema: TableSchema, col: number, anchor: DOMRect, actions: ColumnActions): void {
  const sorted = schema.sort.some((k) => k.column === col);
  const filtered = schema.filters.some((f) => f.column === col);
  const items: MenuItem[] = [
    { label: 'Sort Ascending', value: 'asc' },
    { label: 'Sort Descending', value: 'desc' },
    ...(sorted ? [{ label: 'Clear Sorting', value: 'unsort' }] : []),
    { separator: true },
    { label: 'Add Filter…', value: 'filter' },
    ...(filtered ? [{ label: 'Clear Column Filters', value: 'unfilter' }] : []),
    { separator: true },
    { label: 'Select Column', value: 'select' },
    { label: 'Profile Column', value: 'profile' },
  ];
  showMenu(anchor, items, (value) => {
    switch (value) {
      case 'asc':
      case 'desc':
        return actions.sort([{ column: col, descending: value === 'desc' }]);
      case 'unsort':
        return actions.sort(schema.sort.filter((k) => k.column !== col));
      case 'filter':
        return actions.editFilter(col);
      case 'unfilter':
        return actions.filter(schema.filters.filter((f) => f.column !== col), schema.search);
      case 'select':
        return actions.select(col);
      case 'profile':
        return actions.profile(col);
    }
  });
}
