"""Orders a view by sort keys: several columns, stable, missing values last, each key ascending or descending."""
import sys

from . import vectors


def sort_positions(table, positions, keys, check):
    """positions (None: every row in order) reordered by keys; rows that tie keep their order."""
    if not keys:
        return positions
    numpy = vectors.numpy_module()
    if numpy is None:
        return _sort_python(table, positions, keys, check)
    arrays = []
    for key in keys:
        check()
        arrays.extend(_key_arrays(table.columns[key["column"]], positions, key["descending"], check))
    check()
    # One float key is a single stable argsort of the column itself: as fast as numpy sorts it.
    order = numpy.argsort(arrays[0], kind="stable") if len(arrays) == 1 else numpy.lexsort(arrays[::-1])
    return order if positions is None else positions[order]


def _key_arrays(column, positions, descending, check):
    """numpy arrays whose ascending lexicographic order is the column's order, missing last, reversed if descending."""
    values = vectors.subset(column, positions)
    if column.flavor == "numpy":
        kind = values.dtype.kind
        if kind in "fiub":
            return [_reversed(values) if descending else values]  # NaN sorts last either way
        if kind in "mM":
            return [_datetime_key(values.view("i8"), descending)]
        if kind == "c":
            missing = vectors.null_mask("numpy", values, check)
            values = _reversed(values) if descending else values
            return [missing, vectors.numpy_module().where(missing, 0, values)]
    if column.flavor == "pandas":
        pandas = sys.modules["pandas"]
        if isinstance(values, pandas.Categorical):
            return [_rank_key(values.codes, len(values.categories), descending)]
        asi8 = getattr(values, "asi8", None)  # datetimes, timedeltas and periods as integers, NaT the smallest
        if asi8 is not None:
            return [_datetime_key(asi8, descending)]
        numpy_dtype = getattr(values.dtype, "numpy_dtype", None)  # the nullable Int64, Float64 and boolean
        if numpy_dtype is not None and numpy_dtype.kind in "fiub":
            missing = vectors.null_mask("pandas", values, check)
            data = values.to_numpy(dtype=numpy_dtype, na_value=numpy_dtype.type(0))
            return [missing, _reversed(data) if descending else data]
    codes, count = vectors.ranked_codes(column.flavor, values, check)
    return [_rank_key(codes, count, descending)]


def _reversed(values):
    """An order-reversing map that cannot overflow: ~x for integers and booleans, -x for floats."""
    return -values if values.dtype.kind in "fc" else ~values


def _datetime_key(i8, descending):
    # NaT is the smallest int64: x - 1 wraps it to the largest and ~x maps it there too, so it sorts last.
    return ~i8 if descending else i8 - 1


def _rank_key(codes, count, descending):
    numpy = vectors.numpy_module()
    if descending:
        return count - 1 - codes  # code -1 (missing) becomes count: last
    return numpy.where(codes < 0, count, codes)


def _sort_python(table, positions, keys, check):
    """Without numpy: one stable sort on tuples of ranks."""
    rows = list(range(table.rows)) if positions is None else positions
    ranks = []
    for key in keys:
        column = table.columns[key["column"]]
        codes, count = vectors.ranked_codes(column.flavor, vectors.subset(column, positions), check)
        if key["descending"]:
            ranks.append([count - 1 - c for c in codes])
        else:
            ranks.append([count if c < 0 else c for c in codes])
    check()
    order = sorted(range(len(rows)), key=lambda i: tuple(rank[i] for rank in ranks))
    return [rows[i] for i in order]
