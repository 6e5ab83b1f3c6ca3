"""A compact, never-whole description of a tabular result: shape, columns, dtypes and the first rows as cells (numbers
as they read, with their exact text)."""
import sys

from .tables.formatting import cell
from .tables.sources import column_name, position_labels

HEAD_ROWS = 10
HEAD_COLUMNS = 50


def table_preview(value):
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.Series):  # one column, named as the viewer names it
        return dict(_frame_preview(value.to_frame(0 if value.name is None else value.name)), kind="series",
                    shape=[len(value)])
    if pandas is not None and isinstance(value, pandas.DataFrame):
        return _frame_preview(value)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.ndarray) and value.ndim >= 1:
        return _array_preview(value)
    return None


def _frame_preview(frame):
    head = frame.iloc[:HEAD_ROWS, :HEAD_COLUMNS]
    return {
        "kind": "dataframe",
        "shape": list(frame.shape),
        "columns": [column_name(_parts(c, head.columns)) for c in head.columns],
        "dtypes": [str(t) for t in head.dtypes],
        "indexNames": ["" if name is None else _text(name) for name in head.index.names],
        "index": [_parts(label, head.index) for label in head.index],
        "rows": [[cell(v) for v in row] for row in head.itertuples(index=False, name=None)],
    }


def _array_preview(array):
    matrix = array.reshape(array.shape[0], -1) if array.ndim > 2 else array
    if matrix.ndim == 1:
        matrix = matrix.reshape(-1, 1)
    head = matrix[:HEAD_ROWS, :HEAD_COLUMNS]
    return {
        "kind": "ndarray",
        "shape": list(array.shape),
        "columns": position_labels(array)[:HEAD_COLUMNS] if array.ndim > 2 else [str(i) for i in range(head.shape[1])],
        "dtypes": [str(array.dtype)] * head.shape[1],
        "indexNames": [""],
        "index": [[str(i)] for i in range(head.shape[0])],
        "rows": [[cell(v) for v in row] for row in head.tolist()],
    }


def _parts(label, axis):
    """A row or column label as text, one part per level: a MultiIndex label is a tuple, as pandas shows it."""
    return [_text(part) for part in (label if axis.nlevels > 1 else (label,))]


def _text(value):
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    return text if len(text) <= 200 else text[:200] + "…"
