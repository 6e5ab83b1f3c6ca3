"""Filter masks: compares, between, contains and regex, null tests and value sets (search.py searches every column).

Missing values never match a compare, a text test or a set; only isnull finds them. Text tests look at the text the
viewer shows. table.code (code.py) writes the same rules as pandas code, so both must change together.
"""
import datetime
import numbers
import operator
import re
import sys

from . import sources, vectors
from .formatting import full_text

COMPARE = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt,
           "ge": operator.ge}
OPS = frozenset(COMPARE) | {"between", "contains", "regex", "isnull", "notnull", "in"}
# Python values a compare on a list column treats as numbers, dates …; other values in it never match.
_FAMILIES = {"int": numbers.Real, "float": numbers.Real, "bool": bool, "complex": numbers.Complex,
             "datetime": datetime.date, "timedelta": datetime.timedelta}
# The characters the text of a column of these kinds is made of (uppercased): a search for any other skips the column.
_ALPHABETS = {"int": frozenset("0123456789-"), "float": frozenset("0123456789.-+EINF"),
              "datetime": frozenset("0123456789-:+. T")}
_PANDAS_TIMEDELTA = frozenset("0123456789-:+. DAYS")  # "1 days 02:00:00"; numpy's and Python's read otherwise


def filter_positions(table, filters, check):
    """Positions of the rows every filter keeps, in their original order; None: all rows."""
    mask = None
    for spec in filters:
        check()
        mask = _and(mask, column_mask(table.columns[spec["column"]], spec, check))
    return None if mask is None else vectors.true_positions(mask)


def column_mask(column, spec, check):
    op = spec["op"]
    values = column.values
    if op in ("isnull", "notnull"):
        missing = vectors.null_mask(column.flavor, values, check)
        return missing if op == "isnull" else _not(missing)
    if column.kind == "category":  # decided once per category, then spread by the codes
        return vectors.numpy_module().append(category_mask(column, spec, check), False)[values.codes]
    if is_native(column) and op not in ("contains", "regex"):
        return _native_mask(column, values, spec, check)
    return vectors.per_unique(column, values, value_test(column, spec), check)


def category_mask(column, spec, check):
    """Which categories a filter keeps: ordered categories compare by their order, others by their values."""
    categories = column.values.categories
    if column.values.ordered and spec["op"] in ("lt", "le", "gt", "ge", "between"):
        texts = [full_text(c) for c in categories]
        bounds = [spec["value"]] + ([spec["value2"]] if spec["op"] == "between" else [])
        unknown = [b for b in bounds if b not in texts]
        if unknown:
            raise ValueError("column %s: %r is not one of its categories" % (column.name, unknown[0]))
        ranks = vectors.numpy_module().arange(len(categories))
        if spec["op"] == "between":
            return (ranks >= texts.index(bounds[0])) & (ranks <= texts.index(bounds[1]))
        return COMPARE[spec["op"]](ranks, texts.index(bounds[0]))
    return column_mask(sources.Column(column.label, column.levels, categories.dtype,
                                      lambda: sources.pandas_values(categories)), spec, check)


def searchable(column, text):
    """False when no value of the column can contain text (letters in an int or a date column): the search skips it."""
    needle = text.upper()
    if column.kind == "bool":
        return needle in "TRUE" or needle in "FALSE"
    allowed = _ALPHABETS.get(column.kind)
    if column.kind == "timedelta" and column.flavor == "pandas":
        allowed = _PANDAS_TIMEDELTA
    return allowed is None or set(needle) <= allowed


def is_native(column):
    """Whether the column's own array compares with a parsed value (numbers, dates, strings), in one vector op."""
    if column.flavor == "numpy":
        return column.values.dtype.kind in "biufcmMU"
    if column.flavor == "pandas":
        dtype = column.values.dtype
        return column.kind in ("int", "float", "bool", "datetime", "timedelta", "period", "str") and (
            hasattr(dtype, "numpy_dtype") or hasattr(column.values, "asi8") or column.kind == "str")
    return False


def parse(column, text):
    """The filter value, given as text, read as the column's kind: 3, 0.5, true, 2024-01-31 10:00 …"""
    kind = column.kind
    try:
        if kind == "int":
            return int(text) if text.strip().lstrip("+-").isdigit() else float(text)
        if kind == "float":
            return float(text)
        if kind == "bool":
            return {"true": True, "1": True, "false": False, "0": False}[text.strip().lower()]
        if kind == "complex":
            return complex(text.replace(" ", ""))
        if kind in ("datetime", "timedelta", "period"):
            return _parse_time(column, kind, text.strip())
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("column %s: %r is not a %s value (%s)" % (column.name, text, kind, exc))
    return text


def _parse_time(column, kind, text):
    pandas = sys.modules.get("pandas")
    if pandas is None:
        if kind == "timedelta":  # without pandas, a number of seconds
            seconds = float(text)
            return vectors.numpy_module().timedelta64(int(seconds * 1e9), "ns") if column.flavor == "numpy" else \
                datetime.timedelta(seconds=seconds)
        return vectors.numpy_module().datetime64(text) if column.flavor == "numpy" else datetime.datetime.fromisoformat(text)
    if kind == "period":
        return pandas.Period(text, freq=column.values.dtype.freq)
    if kind == "timedelta":
        value = pandas.Timedelta(text)
        return value.to_timedelta64() if column.flavor == "numpy" else value
    value = pandas.Timestamp(text)
    tz = getattr(column.values.dtype, "tz", None) if column.flavor == "pandas" else None
    if tz is not None and value.tzinfo is None:
        value = value.tz_localize(tz)  # a wall time in the column's own zone
    return value.to_datetime64() if column.flavor == "numpy" else value


def _native_mask(column, values, spec, check):
    op = spec["op"]
    if op == "in":
        wanted = [parse(column, v) for v in spec["values"]]
        result = values.isin(wanted) if column.flavor == "pandas" else vectors.numpy_module().isin(values, wanted)
    elif op == "between":
        low, high = parse(column, spec["value"]), parse(column, spec["value2"])
        result = _as_bool(values >= low) & _as_bool(values <= high)
    else:
        result = COMPARE[op](values, parse(column, spec["value"]))
    mask = _as_bool(result)
    if op == "ne":  # NaN != 3 is true, but missing values never match
        mask &= ~vectors.null_mask(column.flavor, values, check)
    return mask


def _as_bool(result):
    numpy = vectors.numpy_module()
    if isinstance(result, numpy.ndarray):
        return result.astype(bool, copy=False)
    return result.to_numpy(dtype=bool, na_value=False)  # a nullable BooleanArray: NA does not match


def value_test(column, spec):
    """A test of one non-missing value, for columns compared value by value."""
    op = spec["op"]
    if op == "in":
        wanted = frozenset(spec["values"])
        return lambda value: full_text(value) in wanted
    if op == "regex":
        pattern = re.compile(spec["value"], 0 if spec.get("caseSensitive") else re.IGNORECASE)
        return lambda value: pattern.search(full_text(value)) is not None
    if op == "contains":
        needle = spec["value"]
        if spec.get("caseSensitive"):
            return lambda value: needle in full_text(value)
        needle = needle.upper()  # as pandas' str.contains(case=False) does
        return lambda value: needle in full_text(value).upper()
    bounds = (spec["value"], spec["value2"]) if op == "between" else (spec["value"],)
    family = _FAMILIES.get(column.kind) if column.flavor == "python" else None
    if family is None:
        return lambda value: _holds(op, full_text(value), bounds)
    parsed = [parse(column, b) for b in bounds]
    return lambda value: isinstance(value, family) and _holds(op, value, parsed)


def _holds(op, value, bounds):
    try:
        if op == "between":
            return bounds[0] <= value <= bounds[1]
        return COMPARE[op](value, bounds[0])
    except TypeError:  # a value that does not compare with the bound (a date with a datetime)
        return False


def _and(a, b):
    if a is None:
        return b
    if isinstance(a, list):
        return [x and y for x, y in zip(a, b)]
    return a & b


def either(a, b):
    """Rows either mask keeps (a may be None: no mask yet)."""
    if a is None:
        return b
    if isinstance(a, list):
        return [x or y for x, y in zip(a, b)]
    return a | b


def _not(mask):
    return [not x for x in mask] if isinstance(mask, list) else ~mask
