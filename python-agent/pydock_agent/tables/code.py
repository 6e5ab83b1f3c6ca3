"""table.code: pandas code that reproduces a view's filters, search and sort on a named variable.

It follows the rules filtering.py applies (missing values never match; text tests see the text the viewer shows),
so running the code gives exactly the rows of the view, in its order.
"""
import datetime
import json
import keyword
import sys

from . import filtering, vectors

SYMBOLS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_OPERATORS = (" & ", " | ", " == ", " != ", " < ", " <= ", " > ", " >= ")
_PANDAS_SOURCES = ("dataframe", "series")


def to_code(handle, name):
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError("%r is not a Python variable name" % (name,))
    table = handle.table
    frame = name if table.kind in _PANDAS_SOURCES else "df"
    conditions = [_condition(table, spec, frame) for spec in handle.filters]
    if handle.search:
        conditions.append(_search(table, handle.search, frame))
    if None in conditions:  # a search no column can match
        expression = "%s.iloc[0:0]" % frame
    elif conditions:
        expression = "%s[%s]" % (frame, conditions[0] if len(conditions) == 1 else " & ".join(map(_atom, conditions)))
    else:
        expression = frame
    if handle.sort and None not in conditions:
        expression += _sort(table, handle.sort, frame)
    if table.kind not in _PANDAS_SOURCES:
        expression = "%s.pipe(lambda df: %s)" % (_as_frame(table, name), expression)
    return ("import pandas as pd\n" if "pd." in expression else "") + expression


def literal(value):
    """Python source for a value pandas compares with a column's values, or None when there is none."""
    numpy = vectors.numpy_module()
    if numpy is not None and isinstance(value, numpy.datetime64):
        return "pd.Timestamp(%s)" % json.dumps(str(value))
    if numpy is not None and isinstance(value, numpy.timedelta64):
        return "pd.Timedelta(%d, unit=\"ns\")" % value.astype("m8[ns]").astype("i8")
    if numpy is not None and isinstance(value, numpy.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, bytes, complex)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "float(%s)" % json.dumps(repr(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.Period):
        return "pd.Period(%s, freq=%s)" % (json.dumps(str(value)), json.dumps(value.freqstr))
    if isinstance(value, datetime.datetime):  # the offset is in the text; a named zone is added to it
        zone = getattr(value.tzinfo, "zone", None) or getattr(value.tzinfo, "key", None)
        return "pd.Timestamp(%s%s)" % (json.dumps(value.isoformat()), ", tz=%s" % json.dumps(zone) if zone else "")
    if isinstance(value, datetime.timedelta):
        return "pd.Timedelta(%s)" % json.dumps(str(value))
    if isinstance(value, tuple):
        items = [literal(v) for v in value]
        return None if None in items else "(%s%s)" % (", ".join(items), "," if len(items) == 1 else "")
    return None


def _condition(table, spec, frame):
    column = table.columns[spec["column"]]
    ref = _ref(table, spec["column"], frame)
    op = spec["op"]
    if op in ("isnull", "notnull"):
        return "%s.%s()" % (ref, "isna" if op == "isnull" else "notna")
    if column.kind == "category":
        return _category_condition(column, spec, ref)
    if _compares_values(column) and op not in ("contains", "regex"):
        return _value_condition(column, spec, ref)
    text = _text(column, ref)
    condition = _text_condition(text, spec)
    if (text == ref and op != "ne") or not _can_be_missing(column):  # strings: missing values fail these already
        return condition
    return "%s.notna() & %s" % (ref, _atom(condition))


def _can_be_missing(column):
    return not (column.flavor == "numpy" and column.values.dtype.kind in "biuUS")


def _compares_values(column):
    """filtering compares these columns' values with parsed values; the rest by their text."""
    return filtering.is_native(column) or (column.flavor == "python" and column.kind in ("int", "float", "bool"))


def _value_condition(column, spec, ref):
    op = spec["op"]
    if op == "in":
        return "%s.isin([%s])" % (ref, ", ".join(literal(filtering.parse(column, v)) for v in spec["values"]))
    if op == "between":
        return "%s.between(%s, %s)" % (ref, _parsed(column, spec["value"]), _parsed(column, spec["value2"]))
    condition = "%s %s %s" % (ref, SYMBOLS[op], _parsed(column, spec["value"]))
    if op == "ne" and _can_be_missing(column):  # NaN != 3 is true, but missing values never match
        return "(%s) & %s.notna()" % (condition, ref)
    return condition


def _text_condition(text, spec):
    op = spec["op"]
    if op in ("contains", "regex"):
        return "%s.str.contains(%s, case=%s, regex=%s, na=False)" % (
            text, literal(spec["value"]), bool(spec.get("caseSensitive")), op == "regex")
    if op == "in":
        return "%s.isin([%s])" % (text, ", ".join(literal(v) for v in spec["values"]))
    if op == "between":
        return "%s.between(%s, %s)" % (text, literal(spec["value"]), literal(spec["value2"]))
    return "%s %s %s" % (text, SYMBOLS[op], literal(spec["value"]))


def _category_condition(column, spec, ref):
    """filtering decides per category: the code names the categories that match."""
    categories = column.values.categories
    matching = [literal(c) for c in categories[filtering.category_mask(column, spec, lambda: None)]]
    if None in matching:
        raise ValueError("column %s: its categories cannot be written as Python literals" % column.name)
    return "%s.isin([%s])" % (ref, ", ".join(matching))


def _text(column, ref):
    """pandas code for the text the viewer shows of each value (as filtering's text tests see it)."""
    if column.kind == "str" and (column.flavor == "pandas" or _all_strings(column)):
        return ref
    if column.flavor == "object" or (column.flavor == "numpy" and column.values.dtype.kind in "biufcS"):
        return "%s.astype(str)" % ref  # str() of each value; numpy's own short text for float32
    return "%s.map(str)" % ref  # Timestamps, Intervals, Periods … as str() prints each one


def _all_strings(column):
    pandas = sys.modules.get("pandas")
    if pandas is None or column.flavor not in ("object", "numpy"):
        return False
    return pandas.api.types.infer_dtype(column.values, skipna=True) == "string"


def _search(table, text, frame):
    spec = {"op": "contains", "value": text}
    parts = [_atom(_condition(table, dict(spec, column=j), frame))
             for j, column in enumerate(table.columns) if filtering.searchable(column, text)]
    return " | ".join(parts) if parts else None


def _sort(table, keys, frame):
    ascending = [not key["descending"] for key in keys]
    if table.kind == "series":
        return '.sort_values(ascending=%r, kind="stable", na_position="last")' % ascending[0]
    labels = [_label(table, key["column"]) for key in keys]
    if None not in labels:
        return '.sort_values([%s], ascending=%r, kind="stable", na_position="last")' % (", ".join(labels), ascending)
    # Duplicate or unwritable labels: sort a frame of just the key columns, renamed 0, 1 …, then take its order.
    positions = [key["column"] for key in keys]
    return ('.pipe(lambda view: view.iloc[view.iloc[:, %r].set_axis(range(%d), axis=1).reset_index(drop=True)'
            '.sort_values(list(range(%d)), ascending=%r, kind="stable", na_position="last").index])'
            % (positions, len(keys), len(keys), ascending))


def _ref(table, index, frame):
    if table.kind == "series":
        return frame
    label = _label(table, index)
    return "%s[%s]" % (frame, label) if label is not None else "%s.iloc[:, %d]" % (frame, index)


def _label(table, index):
    """The column label as a literal, when it names that column alone."""
    label = table.columns[index].label
    if sum(1 for c in table.columns if type(c.label) is type(label) and c.label == label) > 1:
        return None
    return literal(label)


def _as_frame(table, name):
    if table.kind == "grid":
        return "%s.to_dataframe()" % name
    if table.kind == "columns" and len({len(v) for v in table.obj.values()}) > 1:
        return "pd.DataFrame({k: pd.Series(v) for k, v in %s.items()})" % name
    if table.kind == "ndarray" and table.obj.ndim > 2:
        return "pd.DataFrame(%s.reshape(len(%s), -1))" % (name, name)
    return "pd.DataFrame(%s)" % name


def _parsed(column, text):
    return literal(filtering.parse(column, text))


def _atom(condition):
    return "(%s)" % condition if any(op in condition for op in _OPERATORS) else condition
