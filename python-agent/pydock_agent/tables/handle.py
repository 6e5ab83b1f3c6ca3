"""A table handle: an opened object and its current view (filters, search, sort) as positions into it, never a copy."""
from ..sizes import estimate_bytes
from . import filtering, profile, search, sorting, summary, vectors
from .formatting import full_text

MAX_CELLS = 1000000  # cells one rows request may ask for: pages are small, and a reply is built in memory


class TableHandle:
    """The view is kept in layers, so that changing one redoes none of the others: the rows the column filters keep
    (`_base`), those rows in sort order (`_ordered`), the search's matches as a mask over every row (`_matches`), and
    what rows() pages: the ordered rows the search matches (`_view`). None in a layer means "every row, in order" (or
    no search). A search asked with a limit may stop at its first page of matches (`partial`): the next request that
    needs the whole view finishes it."""

    def __init__(self, handle_id, table, object_bytes=0):
        self.id = handle_id
        self.table = table
        self.object_bytes = object_bytes  # the opened object's estimated size
        self.source = None  # the expression a live view follows (set by Tables), None for a snapshot
        self.sort = []
        self.filters = []
        self.search = ""
        self.partial = False
        self._base = None
        self._ordered = None
        self._matches = None
        self._view = None

    def view_bytes(self):
        """What the view's layers hold (the handle's own memory; the table's columns are the object's)."""
        layers = {id(v): v for v in (self._base, self._ordered, self._matches, self._view) if v is not None}
        return sum(estimate_bytes(v) for v in layers.values())

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
        schema = {
            "handle": self.id, "kind": table.kind, "columns": [c.describe() for c in table.columns],
            "indexLevels": table.index_levels, "totalRows": table.rows, "filteredRows": self.row_count,
            "sort": self.sort, "filters": self.filters, "search": self.search,
        }
        if self.source is not None:
            schema["source"] = self.source
        if self.partial:
            schema["partial"] = True
        return schema

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
        self.complete(check)
        ordered = sorting.sort_positions(self.table, self._base, keys, check) if keys else None
        self._ordered, self.sort = ordered, keys
        self._view = _restrict(self._order(), self._matches)
        return self.schema()

    def set_filters(self, filters, text, check, limit=None):
        """Sets the column filters and the search; with a limit, the search may stop at its first `limit` matches
        (the view is then partial). Only a finished request changes the view: a cancelled one leaves it as it was."""
        filters = [self._checked_filter(f) for f in filters]
        base, ordered, candidates = self._base, self._ordered, None
        if filters != self.filters:
            base = filtering.filter_positions(self.table, filters, check)
            ordered = sorting.sort_positions(self.table, base, self.sort, check) if self.sort else None
        elif not self.partial and search.narrows(self.search, text):
            candidates = self._view if self._view is not None else self._order()  # the old matches, in order
        order = ordered if ordered is not None else base
        matches, view, partial = None, order, False
        if text:
            scope = order if candidates is None else candidates
            if limit:
                view, whole = search.first_matches(self.table, text, scope, limit, check)
                partial = not whole
            else:
                found = search.mask(self.table, text, scope, check)
                view = vectors.true_positions(found) if scope is None else _kept(scope, found)
            if not partial:
                matches = _as_matches(view, self.table.rows)
        self.filters, self.search, self.partial = filters, text, partial
        self._base, self._ordered, self._matches, self._view = base, ordered, matches, view
        return self.schema()

    def complete(self, check):
        """Finishes a partial search (sort, export, profile and summaries need every match)."""
        if self.partial:
            self.set_filters(self.filters, self.search, check)

    def replace(self, table, object_bytes, check):
        """The same view of a new version of the data (a live refresh): sort keys and filters follow their columns by
        label and kind; those whose column is gone, or holds another kind of values now, are dropped."""
        where = {}
        for j, column in enumerate(table.columns):
            where.setdefault((tuple(column.levels), column.kind), j)
        old = self.table.columns
        moved = lambda j: where.get((tuple(old[j].levels), old[j].kind))
        fresh = TableHandle(self.id, table, object_bytes)
        fresh.source = self.source
        fresh.set_filters([dict(f, column=moved(f["column"])) for f in self.filters if moved(f["column"]) is not None],
                          self.search, check)
        fresh.set_sort([dict(k, column=moved(k["column"])) for k in self.sort if moved(k["column"]) is not None], check)
        self.__dict__.update(fresh.__dict__)
        return self.schema()

    def profile(self, column, check):
        self.complete(check)
        return profile.profile(self._column(column), column, self._view, check)

    def summary(self, column, check):
        self.complete(check)
        return summary.summarize(self._column(column), column, self._view, check)

    def _order(self):
        return self._ordered if self._ordered is not None else self._base

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


def _restrict(order, matches):
    """The rows of order (None: every row in order) that the search matches (None: no search)."""
    if matches is None:
        return order
    if order is None:
        return vectors.true_positions(matches)
    return order[matches[order]] if vectors.numpy_module() is not None else [p for p in order if matches[p]]


def _kept(positions, found):
    return positions[found] if vectors.numpy_module() is not None else [p for p, keep in zip(positions, found) if keep]


def _as_matches(view, rows):
    """A mask over every row that keeps the rows of view."""
    matches = vectors.falses(rows)
    if vectors.numpy_module() is not None:
        matches[view] = True
    else:
        for p in view:
            matches[p] = True
    return matches
