// What a click on a column header does to the sort keys: asc → desc → none; with Shift, it adds a secondary key.
import type { SortKey } from '../../shared/webviewProtocol';

export function nextSortKeys(keys: SortKey[], column: number, addKey: boolean): SortKey[] {
  const current = keys.find((k) => k.column === column);
  if (!addKey) {
    if (!current || keys.length > 1) return [{ column, descending: false }];
    return current.descending ? [] : [{ column, descending: true }];
  }
  if (!current) return [...keys, { column, descending: false }];
  if (!current.descending) return keys.map((k) => (k === current ? { column, descending: true } : k));
  return keys.filter((k) => k !== current);
}
