"""What a live table viewer follows: an expression safe to read after every run, and a cheap signature of a table's
content that says whether a run changed what the viewer shows.

Followable expressions are names, attributes and literal subscripts (df, model.data, frames['2024'][0]): reading them
calls nothing but the attribute and item lookups they spell. Others (df.head(), f(x)) are snapshots, read again only
on request.
"""
import ast
import sys
import zlib

from . import vectors
from .formatting import full_text

SEPARATOR = "\x00"
BLOCKS = 64  # a large table is looked at in this many runs of rows, evenly spread (first and last included) …
RUN = 8  # … of this many neighbouring rows each: neighbours share cache lines, so they cost little more than one row
WHOLE = 200000  # up to this many rows, every row is looked at (so a one-cell edit shows)


def followable(expr):
    """Whether expr is a name, attribute or literal subscript chain."""
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError:
        return False
    return _plain(tree.body)


def _plain(node):
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _plain(node.value)
    if isinstance(node, ast.Subscript):
        key = node.slice
        if sys.version_info < (3, 9) and isinstance(key, ast.Index):  # Python 3.8 wraps the key
            key = key.value
        return _plain(node.value) and _literal(key)
    return False


def _literal(node):
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _literal(node.operand)
    return isinstance(node, ast.Tuple) and all(_literal(e) for e in node.elts)


def signature(table):
    """Shape, column labels and dtypes, and a digest of the values (all rows of a small table, runs of rows spread over
    a large one) and of the row labels: equal signatures mean the viewer would show the same."""
    rows = _rows(table.rows)
    columns = tuple((tuple(c.levels), c.dtype) for c in table.columns)
    digests = tuple(_digest(c.flavor, vectors.subset(c, rows)) for c in table.columns)
    labels = None if table.index is None else _labels(table.index, rows)
    return table.kind, table.rows, columns, digests, labels


def _rows(count):
    """None (every row), or the sampled rows of a large table, in order."""
    if count <= WHOLE:
        return None
    starts = [round(i * (count - RUN) / (BLOCKS - 1)) for i in range(BLOCKS)]
    rows = [start + k for start in starts for k in range(RUN)]
    numpy = vectors.numpy_module()
    return numpy.array(rows, dtype="int64") if numpy is not None else rows


def _labels(index, rows):
    """The row labels' digest; a plain range index by its bounds."""
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(index, pandas.RangeIndex):
        return index.start, index.stop, index.step
    return _digest("index", index if rows is None else index.take(rows))


def _digest(flavor, values):
    """A checksum of the values (of a column's flavor, or a pandas "index"): their bytes for numbers and dates (and
    the codes of a category, the numbers and mask of a nullable column), their UTF-8 for text, else pandas' hash of
    each value, or their text."""
    if flavor == "numpy" and values.dtype.kind not in "OV":
        return _crc(values)
    if flavor == "object":
        try:
            return zlib.crc32(SEPARATOR.join(values.tolist()).encode("utf-8", "surrogatepass"))
        except TypeError:  # not all text
            pass
    if flavor == "pandas":
        codes = getattr(values, "codes", None)
        if codes is not None:  # categories are immutable: a new set is a new object
            return _crc(codes), id(values.categories)
        ticks = getattr(values, "asi8", None)
        if ticks is not None:
            return _crc(ticks), str(values.dtype)
        data, mask = getattr(values, "_data", None), getattr(values, "_mask", None)
        if data is not None and mask is not None and hasattr(data, "dtype") and data.dtype.kind != "O":
            return _crc(data), _crc(mask)
    pandas = sys.modules.get("pandas")
    if pandas is not None and flavor != "python":
        try:
            hashed = pandas.util.hash_pandas_object(values if flavor == "index" else pandas.Series(values, copy=False),
                                                    index=False)
            return _crc(hashed.to_numpy())
        except TypeError:  # values pandas cannot hash (dicts in an object column): their text below
            pass
    return zlib.crc32(SEPARATOR.join(full_text(v) for v in values).encode("utf-8", "surrogatepass"))


def _crc(array):
    return zlib.crc32(vectors.numpy_module().ascontiguousarray(array).view("uint8"))
