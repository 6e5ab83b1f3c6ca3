"""Column-wide primitives over all four column flavors: subsets, values for display, null masks and unique values."""
import itertools
import numbers
import sys

from ..values import type_name
from . import timetext
from .formatting import NAT, cell, full_text, is_null

CHUNK = 1 << 16  # values a Python loop handles between two cancellation checks


def numpy_module():
    return sys.modules.get("numpy")


def subset(column, positions):
    """The column's values at positions (all of them when positions is None), in the column's own flavor."""
    values = column.values
    if positions is None:
        return values
    if column.flavor == "python":
        return [values[p] for p in positions]
    return values.take(positions)


def take(column, positions):
    """Python-level values at positions, ready to format."""
    return _python_values(column.flavor, subset(column, positions))


def cells(column, positions):
    """The viewer's cells of the column's values at positions."""
    return page_cells(column.flavor, subset(column, positions))


def page_cells(flavor, chunk):
    """The viewer's cells of a page of values, in their flavor; datetimes and timedeltas formatted in one go."""
    if flavor == "pandas":
        texts = timetext.texts(chunk)
        if texts is not None:
            return [NAT if text is None else text for text in texts]
    return [cell(v) for v in _python_values(flavor, chunk)]


def _python_values(flavor, chunk):
    if flavor in ("numpy", "object") and _lists_exactly(chunk.dtype):
        return chunk.tolist()
    if flavor == "pandas" and getattr(chunk.dtype, "numpy_dtype", None) is not None:
        return chunk.to_numpy(dtype=object).tolist()  # nullable Int64, Float64, boolean: Python numbers and NA
    return list(chunk)  # numpy scalars keep float32 and datetime64 text; pandas arrays give Timestamps, NA …


def _lists_exactly(dtype):
    """tolist() keeps these values as they are (it would widen float32 and turn datetime64 into ints)."""
    return dtype.kind in "biuOUS" or (dtype.kind, dtype.itemsize) in (("f", 8), ("c", 16))


def each(function, values, check):
    """[function(v) for v in values], with a cancellation check between chunks."""
    out = []
    iterator = iter(values)
    while True:
        check()
        part = list(map(function, itertools.islice(iterator, CHUNK)))
        if not part:
            return out
        out.extend(part)


def as_mask(flags):
    numpy = numpy_module()
    return numpy.array(flags, dtype=bool) if numpy is not None else flags


def falses(count):
    """A mask that keeps no row."""
    numpy = numpy_module()
    return numpy.zeros(count, dtype=bool) if numpy is not None else [False] * count


def true_positions(mask):
    """The positions a mask keeps, in order."""
    numpy = numpy_module()
    return numpy.flatnonzero(mask) if numpy is not None else [i for i, keep in enumerate(mask) if keep]


def null_mask(flavor, values, check):
    """True where a value is missing (None, NaN, NaT, NA)."""
    numpy = numpy_module()
    if flavor == "numpy":
        kind = values.dtype.kind
        if kind in "fc":
            return numpy.isnan(values)
        if kind in "mM":
            return numpy.isnat(values)
        return numpy.zeros(len(values), dtype=bool)
    pandas = sys.modules.get("pandas")
    if pandas is not None and flavor in ("pandas", "object"):
        return numpy.asarray(pandas.isna(values), dtype=bool)
    return as_mask(each(is_null, values, check))


def factorize(flavor, values, check):
    """(codes, uniques): codes number each value by its unique value, -1 for missing; uniques can be sliced."""
    pandas = sys.modules.get("pandas")
    if pandas is not None and flavor != "python":
        try:
            return pandas.factorize(values)
        except TypeError:  # unhashable values in an object column
            pass
    numpy = numpy_module()
    if flavor == "numpy":
        uniques, codes = numpy.unique(values, return_inverse=True)
        codes[null_mask(flavor, values, check)] = -1
        return codes.reshape(-1), uniques
    codes, uniques = _factorize_python(values, check)
    return (numpy.array(codes, dtype="int64") if numpy is not None else codes), uniques


def _factorize_python(values, check):
    seen = {}
    uniques = []
    codes = []
    iterator = iter(values)
    while True:
        check()
        part = list(itertools.islice(iterator, CHUNK))
        if not part:
            return codes, uniques
        for value in part:
            if is_null(value):
                codes.append(-1)
                continue
            key = _hashable(value)
            code = seen.get(key)
            if code is None:
                code = seen[key] = len(uniques)
                uniques.append(value)
            codes.append(code)


def _hashable(value):
    try:
        hash(value)
    except TypeError:  # lists, dicts, arrays: told apart by their text
        return (type(value), full_text(value))
    return (type(value), value)


def ranked_codes(flavor, values, check):
    """(codes, count): codes in the order of the values they stand for (-1 for missing), and how many there are."""
    codes, uniques = factorize(flavor, values, check)
    check()
    order = _sorted_order(uniques)
    rank = [0] * len(order)
    for position, unique in enumerate(order):
        rank[unique] = position
    numpy = numpy_module()
    if numpy is not None:
        rank = numpy.append(numpy.array(rank, dtype="int64"), -1)  # code -1 picks the last entry and stays -1
        return rank[codes], len(order)
    return [rank[c] if c >= 0 else -1 for c in codes], len(order)


def _sorted_order(uniques):
    """Indexes of uniques in ascending order; values that cannot be compared are grouped by type, then by text."""
    argsort = getattr(uniques, "argsort", None)
    if argsort is not None:
        try:
            return [int(i) for i in argsort(kind="stable")]
        except TypeError:
            uniques = list(uniques)
    indexes = range(len(uniques))
    try:
        return sorted(indexes, key=uniques.__getitem__)
    except TypeError:
        return sorted(indexes, key=lambda i: _mixed_key(uniques[i]))


def _mixed_key(value):
    if isinstance(value, numbers.Real):
        return (0, value, "")
    if isinstance(value, str):
        return (1, 0, value)
    return (2, 0, type_name(value) + " " + full_text(value))


def per_unique(column, values, predicate, check):
    """A mask from a predicate on each unique non-missing value, evaluated once per unique value."""
    codes, uniques = factorize(column.flavor, values, check)
    flags = each(predicate, uniques, check)
    numpy = numpy_module()
    if numpy is None:
        return [c >= 0 and flags[c] for c in codes]
    return numpy.append(numpy.array(flags, dtype=bool), False)[codes]  # code -1 picks the last entry: False
