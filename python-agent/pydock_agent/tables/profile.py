"""Column profiles of the current view: counts, extremes, mean, spread, quantiles, a histogram or the top values."""
import bisect
import fractions
import math
import sys

from . import vectors
from .formatting import cell

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BINS = 20
TOP = 10
DISTINCT_ROWS = 1000000  # above this, counting the distinct numbers takes longer than the rest of the profile
SAMPLE = 1 << 16  # values sampled to bracket the quantiles of a large column
MARGIN = 1024  # sample positions on each side of a quantile's place: over 8 standard errors


def profile(column, index, positions, check):
    """The ColumnProfile of the column's values at positions (None: all rows)."""
    values = vectors.subset(column, positions)
    missing = vectors.null_mask(column.flavor, values, check)
    null_count = int(missing.sum()) if hasattr(missing, "sum") else sum(missing)
    result = {"column": index, "count": len(values) - null_count, "nullCount": null_count}
    check()
    if not is_numeric(column):
        result.update(_frequencies(column, values, check))
        return result
    numbers, ticks = as_numbers(column, values, missing)
    if len(numbers):
        result.update(_statistics(numbers, ticks, check))
    if len(values) <= DISTINCT_ROWS:
        result["distinct"] = len(vectors.factorize(column.flavor, values, check)[1])
    return result


def is_numeric(column):
    if column.kind in ("int", "float"):
        return True
    return column.kind in ("datetime", "timedelta") and column.flavor != "python"  # numpy's or pandas' ticks


def as_numbers(column, values, missing):
    """The non-missing values as numbers (a sorted list without numpy), and for dates and durations a function
    turning their integer ticks back into cells (None for plain numbers)."""
    if column.flavor == "python":
        return sorted(v for v, m in zip(values, missing) if not m), None
    if column.flavor == "numpy":
        if column.kind in ("int", "float"):
            return _present(values, missing), None
        dtype = values.dtype
        numpy = vectors.numpy_module()
        return _present(values.view("i8"), missing), lambda ticks: cell(numpy.array(ticks, dtype="i8").view(dtype)[()])
    asi8 = getattr(values, "asi8", None)
    if asi8 is not None:
        return _present(asi8, missing), _pandas_ticks(values.dtype)
    data = getattr(values, "_data", None)  # nullable Int64, Float64: pandas keeps the numbers here, beside a mask
    if data is None:
        numpy_dtype = values.dtype.numpy_dtype
        data = values.to_numpy(dtype=numpy_dtype, na_value=numpy_dtype.type(0))
    return _present(data, missing), None


def _present(array, missing):
    """The values that are not missing (missing None: all of them, missing ones included, as some number)."""
    return array[~missing] if missing is not None and missing.any() else array  # no copy without missing values


def _pandas_ticks(dtype):
    pandas = sys.modules["pandas"]
    tz = getattr(dtype, "tz", None)
    unit = getattr(dtype, "unit", None) or sys.modules["numpy"].datetime_data(dtype)[0]
    if tz is not None:
        return lambda ticks: cell(pandas.Timestamp(ticks, unit=unit, tz="UTC").tz_convert(tz))
    if dtype.kind == "m":
        return lambda ticks: cell(pandas.Timedelta(ticks, unit=unit))
    return lambda ticks: cell(pandas.Timestamp(ticks, unit=unit))


def _statistics(numbers, ticks, check):
    """min, max, mean, std, quantiles and a histogram, of a numpy array or of a sorted list (no numpy)."""
    count = len(numbers)
    listed = isinstance(numbers, list)
    low, high = (numbers[0], numbers[-1]) if listed else (numbers.min(), numbers.max())
    ranks = sorted({i for q in QUANTILES for i in _around(q, count)})
    ranked = {r: numbers[r] for r in ranks} if listed else _order_statistics(numbers, ranks, check)
    mean, std = _moments(numbers)
    check()
    back = ticks or cell
    result = {
        "min": back(low), "max": back(high),  # numpy scalars as they are: float32 keeps its own short text
        "mean": back(int(round(mean))) if ticks else cell(mean),
        "quantiles": {repr(q): back(_quantile(ranked, q, count, bool(ticks))) for q in QUANTILES},
        "histogram": _histogram(numbers, _plain(low), _plain(high), (lambda e: ticks(int(round(e)))) if ticks else cell),
    }
    if std is not None and not ticks:  # the spread of dates has no date to show as
        result["std"] = cell(std)
    return result


def _order_statistics(numbers, ranks, check):
    """{rank: the value at that rank in ascending order}, exactly. Large arrays are not partitioned (ten passes over
    10M values take a second): each rank is bracketed by values of a random sample, and only the values between
    those two are sorted."""
    numpy = vectors.numpy_module()
    count = len(numbers)
    if count <= 4 * SAMPLE:
        ordered = numpy.partition(numbers, ranks)
        return {r: ordered[r] for r in ranks}
    sample = numpy.sort(numbers[numpy.random.default_rng(0).integers(0, count, SAMPLE)])
    found = {}
    for rank in ranks:
        if rank in found:
            continue
        check()
        at = rank * SAMPLE // count
        low, high = sample[max(at - MARGIN, 0)], sample[min(at + MARGIN, SAMPLE - 1)]
        below = int(numpy.count_nonzero(numbers < low))
        between = numpy.sort(numbers[(numbers >= low) & (numbers <= high)])
        found.update((r, between[r - below]) for r in ranks if below <= r < below + len(between))
        if rank not in found:  # the sample missed it (a chance of well under one in a million)
            found[rank] = numpy.partition(numbers, rank)[rank]
    return found


def _around(q, count):
    position = (count - 1) * q
    return int(math.floor(position)), int(math.ceil(position))


def _quantile(ranked, q, count, ticks):
    """Linear interpolation between the values around the q-th position, pandas' and numpy's default."""
    below, above = _around(q, count)
    a, b = _plain(ranked[below]), _plain(ranked[above])
    if ticks:  # exact fractions: ticks of nanoseconds do not fit a float's 53 bits
        return a + int(round((b - a) * (fractions.Fraction(q) * (count - 1) - below)))
    a, b, t = float(a), float(b), (count - 1) * q - below
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t  # numpy's formula, to the last bit


def _moments(numbers):
    count = len(numbers)
    if isinstance(numbers, list):
        mean = math.fsum(numbers) / count
        spread = math.sqrt(math.fsum((x - mean) ** 2 for x in numbers) / (count - 1)) if count > 1 else None
        return mean, spread
    numpy = vectors.numpy_module()
    mean = float(numpy.mean(numbers, dtype="float64"))
    return mean, (float(numpy.std(numbers, dtype="float64", ddof=1)) if count > 1 else None)


def _histogram(numbers, low, high, back):
    if low == high:
        return {"edges": [back(low), back(high)], "counts": [len(numbers)]}
    edges = _edges(low, high)
    if isinstance(numbers, list):  # sorted
        cuts = [bisect.bisect_left(numbers, e) for e in edges[1:-1]]
        counts = [b - a for a, b in zip([0] + cuts, cuts + [len(numbers)])]
    else:  # equal bins: numpy's fast path (explicit edges would cost a binary search per value)
        counts = vectors.numpy_module().histogram(numbers, bins=len(edges) - 1, range=(edges[0], edges[-1]))[0].tolist()
    return {"edges": [back(e) for e in edges], "counts": counts}


def _edges(low, high):
    """One bin per integer for small integer ranges, else BINS equal bins from low to high."""
    if isinstance(low, int) and isinstance(high, int) and high - low < BINS:
        return list(range(low, high + 2))
    step = (high - low) / BINS
    return [low + step * i for i in range(BINS)] + [high]


def _plain(number):
    """A Python int or float from a numpy scalar."""
    item = getattr(number, "item", None)
    return item() if item is not None else number


def _frequencies(column, values, check):
    """Distinct values and the most frequent ones, for text, categories, booleans and everything else."""
    codes, uniques = vectors.factorize(column.flavor, values, check)
    check()
    numpy = vectors.numpy_module()
    if numpy is not None:
        counts = numpy.bincount(codes[codes >= 0], minlength=len(uniques))
        top = numpy.argsort(-counts, kind="stable")[:TOP]
        pairs = [(int(i), int(counts[i])) for i in top if counts[i] > 0]
    else:
        tally = [0] * len(uniques)
        for code in codes:
            if code >= 0:
                tally[code] += 1
        pairs = sorted(enumerate(tally), key=lambda pair: -pair[1])[:TOP]
    return {"distinct": len(uniques), "top": [{"value": cell(uniques[i]), "count": n} for i, n in pairs]}
