"""Adapts every object the viewer opens to one shape: labelled columns of values, index labels and a row count."""
import datetime
import itertools
import sys

from pydock import Grid

from ..values import type_name
from . import vectors
from .formatting import full_text, is_null

_NUMPY_KINDS = {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex", "U": "str", "S": "bytes",
                "M": "datetime", "m": "timedelta", "O": "object", "V": "object"}
_SAMPLE = 1000  # values looked at to name the kind of an object column


class Column:
    """One column: its label, dtype and kind, and its values (loaded on first use) in one of four flavors.

    Flavors: "numpy" (a numpy array of numbers, strings or datetimes), "object" (a numpy object array), "pandas"
    (a pandas extension array: categorical, nullable, tz-aware …) and "python" (any other sequence).
    """

    def __init__(self, label, levels, dtype, load):
        self.label = label
        self.levels = levels
        self.name = column_name(levels)
        self.dtype = str(dtype)
        self._load = load
        self._values = None
        self._flavor = None
        self.kind = dtype_kind(dtype) or self._inferred_kind()  # object columns: named by a sample of their values

    @property
    def values(self):
        if self._values is None:
            self._values = self._load()
            self._flavor = flavor_of(self._values)
        return self._values

    @property
    def flavor(self):
        return flavor_of(self.values) if self._flavor is None else self._flavor

    def _inferred_kind(self):
        values = self.values
        if self.flavor == "object":
            return _sample_kind(values[:_SAMPLE], strings_only=True)
        if self.flavor == "python":
            return _sample_kind(itertools.islice(values, _SAMPLE), strings_only=False)
        return dtype_kind(values.dtype) or "object"

    def describe(self):
        return {"name": self.name, "levels": self.levels, "dtype": self.dtype, "kind": self.kind}


class Table:
    """The columns of an opened object; `index` holds pandas row labels, or None when positions are the labels."""

    def __init__(self, obj, kind, columns, rows, index=None):
        self.obj = obj
        self.kind = kind
        self.columns = columns
        self.rows = rows
        self.index = index
        if index is None:
            self.index_levels = [{"name": "", "dtype": "int64"}]
        else:
            dtypes = list(index.dtypes) if index.nlevels > 1 else [index.dtype]
            self.index_levels = [{"name": "" if name is None else full_text(name), "dtype": str(dtype)}
                                 for name, dtype in zip(index.names, dtypes)]

    def index_values(self, positions):
        """Each row's index labels, one per level (the position itself when there is no index)."""
        if self.index is None:
            return [(int(p),) for p in positions]
        labels = self.index.take(positions)
        return list(zip(*(labels.get_level_values(i) for i in range(labels.nlevels))))

    def index_cells(self, positions):
        if self.index is None:
            return [[str(int(p))] for p in positions]
        labels = self.index.take(positions)
        levels = [pandas_values(labels.get_level_values(i)) for i in range(labels.nlevels)]
        return [list(row) for row in zip(*(vectors.page_cells(flavor_of(level), level) for level in levels))]

    def has_labels(self):
        """Whether the row index says more than the position (for exports)."""
        index = self.index
        if index is None:
            return False
        return not (isinstance(index, sys.modules["pandas"].RangeIndex) and index.start == 0 and index.step == 1)


def column_name(levels):
    """How a column is named on screen: its label, or the levels of a MultiIndex label joined by " / "."""
    return " / ".join(level for level in levels if level != "") if len(levels) > 1 else levels[0]


def open_table(obj):
    """A Table over obj, or TypeError when the viewer cannot show it."""
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(obj, pandas.DataFrame):
        return _frame(obj)
    if pandas is not None and isinstance(obj, pandas.Series):
        label = 0 if obj.name is None else obj.name
        column = Column(label, [full_text(label)], obj.dtype, lambda: pandas_values(obj))
        return Table(obj, "series", [column], len(obj), obj.index)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(obj, numpy.ndarray):
        return _ndarray(obj)
    if isinstance(obj, Grid):
        return _records(obj, "grid", obj.rows, obj.col_names)
    if isinstance(obj, list) and all(isinstance(row, dict) for row in obj[:_SAMPLE]):
        return _records(obj, "records", obj, _keys(obj))
    if isinstance(obj, dict) and all(_is_sequence(v) for v in obj.values()):
        return _columns(obj)
    raise TypeError("the table viewer shows DataFrames, Series, numpy arrays, lists of dicts, dicts of "
                    "lists and pydock Grids, not %s" % type_name(obj))


def position_labels(array):
    """Labels of an array's positions past its first axis, as "j,k", the columns of its rows."""
    return [",".join(map(str, at)) for at in sys.modules["numpy"].ndindex(*array.shape[1:])]


def flavor_of(values):
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(values, numpy.ndarray):
        if values.ndim != 1 or values.dtype.kind == "V":
            return "python"  # rows of sub-arrays and structured records: handled value by value
        return "object" if values.dtype.kind == "O" else "numpy"
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(values, pandas.api.extensions.ExtensionArray):
        return "pandas"
    return "python"


def _frame(frame):
    pandas = sys.modules["pandas"]
    multi = isinstance(frame.columns, pandas.MultiIndex)
    columns = []
    for position, (label, dtype) in enumerate(zip(frame.columns, frame.dtypes)):
        levels = [full_text(level) for level in label] if multi else [full_text(label)]
        columns.append(Column(label, levels, dtype, lambda p=position: pandas_values(frame.iloc[:, p])))
    return Table(frame, "dataframe", columns, len(frame), frame.index)


def pandas_values(series):
    """The values of a Series or Index: a numpy array for numpy dtypes (a view, no copy); pandas' own array for
    datetimes and extension dtypes."""
    dtype = series.dtype
    numpy = sys.modules["numpy"]
    if isinstance(dtype, numpy.dtype) and dtype.kind not in "mM":
        return series.to_numpy()
    return series.array


def dtype_kind(dtype):
    """The TableColumn kind a numpy or pandas dtype gives; None for object dtypes, whose values decide."""
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(dtype, numpy.dtype):
        return None if dtype.kind == "O" else _NUMPY_KINDS[dtype.kind]
    pandas = sys.modules.get("pandas")
    if pandas is None or isinstance(dtype, str):
        return None
    if isinstance(dtype, pandas.CategoricalDtype):
        return "category"
    if isinstance(dtype, pandas.PeriodDtype):
        return "period"
    if isinstance(dtype, pandas.IntervalDtype):
        return "interval"
    if isinstance(dtype, pandas.StringDtype):
        return "str"
    return _NUMPY_KINDS.get(getattr(dtype, "kind", "O"))


def _ndarray(array):
    if array.ndim == 1 and array.dtype.names:
        columns = [Column(name, [name], array.dtype.fields[name][0], lambda n=name: array[n]) for name in array.dtype.names]
    elif array.ndim == 1:
        columns = [Column(0, ["0"], array.dtype, lambda: array)]
    elif array.ndim == 2:
        columns = [Column(j, [str(j)], array.dtype, lambda j=j: array[:, j]) for j in range(array.shape[1])]
    elif array.ndim > 2:  # rows keep the first axis; each column is one position in the others, labelled "j,k"
        flat = array.reshape(len(array), -1)
        columns = [Column(j, [label], array.dtype, lambda j=j: flat[:, j]) for j, label in enumerate(position_labels(array))]
    else:
        raise TypeError("the table viewer shows arrays of at least one dimension, not a 0-D array")
    return Table(array, "ndarray", columns, len(array))


def _records(obj, kind, rows, keys):
    columns = [_python_column(key, lambda k=key: _Field(rows, k)) for key in keys]
    return Table(obj, kind, columns, len(rows))


def _columns(mapping):
    rows = max((len(v) for v in mapping.values()), default=0)
    columns = [_python_column(key, lambda v=values: v if len(v) == rows else _Padded(v, rows))
               for key, values in mapping.items()]
    return Table(mapping, "columns", columns, rows)


def _python_column(label, load):
    column = Column(label, [full_text(label)], "object", load)
    if column.flavor == "python":
        column.dtype = _sample_dtype(itertools.islice(column.values, _SAMPLE))
    else:
        column.dtype = str(column.values.dtype)
    return column


def _keys(rows):
    keys = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)


def _is_sequence(value):
    numpy = sys.modules.get("numpy")
    return isinstance(value, (list, tuple)) or (numpy is not None and isinstance(value, numpy.ndarray) and value.ndim == 1)


def _present(values):
    return [v for v in values if not is_null(v)]


def _sample_kind(values, strings_only):
    """str or bytes when every sampled value is one; with strings_only False, numbers and dates count too."""
    types = {type(v) for v in _present(values)}
    if types and all(issubclass(t, str) for t in types):
        return "str"
    if types and all(issubclass(t, bytes) for t in types):
        return "bytes"
    if strings_only or not types:
        return "object"
    if types == {bool}:
        return "bool"
    if types <= {int, float} and float in types:
        return "float"
    if types == {int}:
        return "int"
    if types == {complex}:
        return "complex"
    if all(issubclass(t, datetime.date) for t in types):
        return "datetime"
    return "object"


def _sample_dtype(values):
    names = {type_name(v) for v in _present(values)}
    return names.pop() if len(names) == 1 else "object"


class _Field:
    """One key of a list of dicts, as a sequence; rows without the key (or not dicts) read as None."""

    def __init__(self, rows, key):
        self._rows = rows
        self._key = key

    def __len__(self):
        return len(self._rows)

    def __getitem__(self, position):
        row = self._rows[position]
        return row.get(self._key) if isinstance(row, dict) else None

    def __iter__(self):
        key = self._key
        return (row.get(key) if isinstance(row, dict) else None for row in self._rows)


class _Padded:
    """A shorter column of a dict of lists, read as None past its end."""

    def __init__(self, values, rows):
        self._values = values
        self._rows = rows

    def __len__(self):
        return self._rows

    def __getitem__(self, position):
        return self._values[position] if position < len(self._values) else None

    def __iter__(self):
        return itertools.chain(self._values, itertools.repeat(None, self._rows - len(self._values)))
