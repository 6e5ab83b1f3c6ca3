"""Grid: Haxall's table value (meta, named columns with meta, rows), convertible to and from a pandas DataFrame."""


class Grid:
    """A table: `meta` dict, `cols` list of {"name", "meta"} and `rows` list of dicts keyed by column name."""

    __slots__ = ("meta", "cols", "rows")

    def __init__(self, meta=None, cols=None, rows=None):
        self.meta = dict(meta or {})
        self.cols = [{"name": c["name"], "meta": dict(c.get("meta") or {})} for c in (cols or [])]
        self.rows = [dict(r) for r in (rows or [])]

    @property
    def col_names(self):
        return [c["name"] for c in self.cols]

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def __eq__(self, other):
        return isinstance(other, Grid) and (self.meta, self.cols, self.rows) == (other.meta, other.cols, other.rows)

    def __repr__(self):
        return "Grid(cols=%r, rows=%d)" % (self.col_names, len(self.rows))

    def to_dataframe(self):
        """A pandas DataFrame of the rows; grid and column meta stay behind."""
        try:
            import pandas
        except ImportError:
            raise ImportError("Grid.to_dataframe needs pandas, which this Python does not have; "
                              "read grid.rows and grid.cols instead") from None
        return pandas.DataFrame([[row.get(name) for name in self.col_names] for row in self.rows], columns=self.col_names)

    @classmethod
    def from_dataframe(cls, df, meta=None):
        return GridBuilder.from_dataframe(df).set_meta(meta or {}).to_grid()


class GridBuilder:
    """Builds a Grid column by column, then row by row."""

    def __init__(self):
        self._meta = {}
        self._cols = []
        self._rows = []

    @classmethod
    def from_dataframe(cls, df):
        """A builder holding the frame's columns and rows, to add grid or column meta before to_grid()."""
        builder = cls()
        names = [str(c) for c in df.columns]
        for name in names:
            builder.add_col(name)
        builder._rows = [dict(zip(names, values)) for values in df.itertuples(index=False, name=None)]
        return builder

    def set_col_meta(self, name, meta):
        for col in self._cols:
            if col["name"] == name:
                col["meta"] = dict(meta)
                return self
        raise KeyError("the grid has no column %r" % (name,))

    def set_meta(self, meta):
        self._meta = dict(meta)
        return self

    def add_col(self, name, meta=None):
        self._cols.append({"name": name, "meta": dict(meta or {})})
        return self

    def add_row(self, values):
        names = [c["name"] for c in self._cols]
        if len(values) != len(names):
            raise ValueError("row has %d values for %d columns" % (len(values), len(names)))
        self._rows.append(dict(zip(names, values)))
        return self

    def to_grid(self):
        return Grid(self._meta, self._cols, self._rows)
