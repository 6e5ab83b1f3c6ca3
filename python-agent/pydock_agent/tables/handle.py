"""A table handle: an opened object and its current view (filters, search, sort) as positions into it, never a copy."""
from ..sizes import estimate_bytes
from . import filtering, profile, sorting, vectors
from .formatting import full_text

MAX_CELLS = 1000000  # cells one rows request may ask for: pages are small, and a reply is built in memory


class TableHandle:
    def __init__(self, handle_id, table, object_bytes=0):
        self.id = handle_id
        self.table = table
        self.object_bytes = object_bytes  # the opened object's estimated size
        self.sort = []
        self.filters = []
        self.search = ""
        self._filtered = None  # positions the filters and search keep, in their original order; None: every row
        self._view = None  # the same positions in sort order; None: every row, in order

    def view_bytes(self):
        """What the view's positions hold (the handle's own memory; the table's columns are the object's)."""
        views = {id(v): v for v in (self._filtered, self._view) if v is not None}  # without a sort they may be one
        return sum(estimate_bytes(v) for v in views.values())

    @property
    def row_count(self):
        return self.table.rows if self._view is None else len(self._view)

    def positions(self, start, end):
        """Original positions of the view's rows start to end (end excluded)."""
        if self._view is not None:
            return self._view[start:end]
        numpy = vectors.numpy_module()
        return numpy.arange(start, end) if numpy is not None else list(range(start, end))

    def schema(self):
        table = self.table
        return {
            "handle": self.id, "kind": table.kind, "columns": [c.describe() for c in table.columns],
            "indexLevels": table.index_levels, "totalRows": table.rows, "filteredRows": self.row_count,
            "sort": self.sort, "filters": self.filters, "search": self.search,
        }

    def rows(self, start, end, columns=None):
        """Formatted cells of the view's rows start to end and of columns [first, last)."""
        count = self.row_count
        start = max(0, min(int(start), count))
        end = max(start, min(int(end), count))
        first, last = columns if columns else (0, len(self.table.columns))
        first = max(0, min(int(first), len(self.table.columns)))
        last = max(first, min(int(last), len(self.table.columns)))
        if (end - start) * (last - first) > MAX_CELLS:
            raise ValueError("a rows request may ask for %d cells at most, not %d" % (MAX_CELLS, (end - start) * (last - first)))
        positions = self.positions(start, end)
        per_column = [vectors.cells(self.table.columns[j], positions) for j in range(first, last)]
        return {
            "start": start,
            "positions": positions.tolist() if hasattr(positions, "tolist") else list(positions),
            "index": self.table.index_cells(positions),
            "cells": [list(row) for row in zip(*per_column)] if per_column else [[] for _ in range(end - start)],
            "firstColumn": first,
            "filteredRows": count,
        }

    def cell_text(self, position, column):
        """The whole text of the cell at an original position (as rows reports it) and a column."""
        if not 0 <= position < self.table.rows:
            raise IndexError("row %d is outside the table's %d rows" % (position, self.table.rows))
        return full_text(vectors.take(self._column(column), [position])[0])

    def set_sort(self, keys, check):
        keys = [{"column": self._column_index(k["column"]), "descending": bool(k.get("descending"))} for k in keys]
        self._view = sorting.sort_positions(self.table, self._filtered, keys, check)
        self.sort = keys
        return self.schema()

    def set_filters(self, filters, search, check):
        filters = [self._checked_filter(f) for f in filters]
        filtered = filtering.filter_positions(self.table, filters, search, check)
        view = sorting.sort_positions(self.table, filtered, self.sort, check)
        # Only a finished filter changes the view: a cancelled one leaves the old view as it was.
        self._filtered, self._view, self.filters, self.search = filtered, view, filters, search
        return self.schema()

    def profile(self, column, check):
        return profile.profile(self._column(column), column, self._view, check)

    def _column(self, index):
        return self.table.columns[self._column_index(index)]

    def _column_index(self, index):
        if not (isinstance(index, int) and 0 <= index < len(self.table.columns)):
            raise IndexError("column %r is not one of the table's %d columns" % (index, len(self.table.columns)))
        return index

    def _checked_filter(self, spec):
        op = spec.get("op")
        if op not in filtering.OPS:
            raise ValueError("unknown filter operation %r" % (op,))
        needed = {"between": ("value", "value2"), "in": ("values",), "isnull": (), "notnull": ()}.get(op, ("value",))
        missing = [name for name in needed if name not in spec]
        if missing:
            raise ValueError("a %s filter needs %s" % (op, " and ".join(missing)))
        checked = {"column": self._column_index(spec.get("column")), "op": op}
        for name in needed:  # values arrive as text; a number sent by mistake reads as its text
            checked[name] = [str(v) for v in spec[name]] if name == "values" else str(spec[name])
        if "caseSensitive" in spec:
            checked["caseSensitive"] = bool(spec["caseSensitive"])
        return checked
