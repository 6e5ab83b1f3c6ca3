"""Column summaries for the viewer's overview of every column: missing values, a small histogram or the most frequent
values, and the key statistics, quick enough to show all ten columns of ten million rows in about a second.

Numbers, dates and categories are summarized exactly, in a few passes of numpy over the column. Text and other
columns of Python objects are summarized from a sample of the rows when there are many (`sample` says how many; the
counts are then scaled to the view's rows): looking at each of ten million objects once takes most of a second.
"""
from . import profile, vectors
from .formatting import cell

BINS = 20
TOP = 3
SAMPLE = 100000
CHUNK = 1 << 20


def summarize(column, index, positions, check):
    """The ColumnSummary of the column's values at positions (None: every row)."""
    values = vectors.subset(column, positions)
    if vectors.numpy_module() is None or column.flavor == "python":
        return _from_profile(profile.profile(column, index, positions, check))
    if column.kind == "category":
        return _counted(index, values.codes, values.categories, check)
    if column.flavor == "numpy" and values.dtype.kind == "b":
        return _counted(index, values.view("int8"), [False, True], check)
    if not profile.is_numeric(column):
        return _frequencies(column, index, values, check)
    missing = vectors.null_mask(column.flavor, values, check)
    null_count = int(missing.sum())
    result = {"column": index, "count": len(values) - null_count, "nullCount": null_count}
    check()
    numbers, ticks = profile.as_numbers(column, values, None)  # missing ones left in, skipped chunk by chunk below
    if null_count < len(values):
        result.update(_statistics(numbers, missing if null_count else None, ticks, check))
    return result


def _statistics(numbers, missing, ticks, check):
    """min, max, mean and the bins, a chunk at a time: whole-column temporaries of ten million values cost more in
    fresh memory than the arithmetic itself. Missing values are stood in for by a present one (`fill`), whose extra
    copies are then taken back out of the sum and its bin."""
    numpy = vectors.numpy_module()
    absent = 0 if missing is None else int(missing.sum())
    fill = numbers[int(numpy.argmin(missing))] if absent else None  # argmin: the first row not missing
    lows, highs, total = [], [], 0.0
    for part in _filled(numbers, missing, fill):
        check()
        lows.append(part.min())
        highs.append(part.max())
        total += float(part.sum(dtype="float64"))
    count = len(numbers) - absent
    low, high = min(lows), max(highs)
    mean = (total - absent * float(fill)) / count if absent else total / count
    bins = _bins(_filled(numbers, missing, fill), float(low), float(high), check)
    if absent and len(bins) > 1:
        bins[_bin_of(float(fill), float(low), float(high))] -= absent
    elif absent:
        bins[0] -= absent
    back = ticks or cell
    return {"min": back(low), "max": back(high), "mean": back(int(round(mean))) if ticks else cell(mean), "bins": bins}


def _filled(numbers, missing, fill):
    for start in range(0, len(numbers), CHUNK):
        part = numbers[start:start + CHUNK]
        if fill is not None:
            part = vectors.numpy_module().where(missing[start:start + CHUNK], fill, part)
        yield part


def _bins(parts, low, high, check):
    """Counts in BINS equal bins from low to high (the last bin holds high)."""
    numpy = vectors.numpy_module()
    if low == high:
        return [sum(len(part) for part in parts)]
    scale = BINS / (high - low)
    counts = numpy.zeros(BINS, dtype="int64")
    for part in parts:
        check()
        index = ((part - low) * scale).astype("int64")
        numpy.minimum(index, BINS - 1, out=index)
        counts += numpy.bincount(index, minlength=BINS)
    return counts.tolist()


def _bin_of(value, low, high):
    return min(int((value - low) * (BINS / (high - low))), BINS - 1)


def _counted(index, codes, uniques, check):
    """Columns of few values, counted exactly from their codes (-1 for missing): categories, booleans."""
    numpy = vectors.numpy_module()
    counts = numpy.zeros(len(uniques), dtype="int64")
    for start in range(0, len(codes), CHUNK):
        check()
        part = codes[start:start + CHUNK]
        counts += numpy.bincount(part[part >= 0], minlength=len(uniques))
    present = int(counts.sum())
    return {"column": index, "count": present, "nullCount": len(codes) - present,
            "distinct": int(numpy.count_nonzero(counts)),
            "top": [{"value": cell(uniques[i]), "count": int(counts[i])} for i in _largest(counts)]}


def _frequencies(column, index, values, check):
    """Missing, distinct and most frequent values, of every row or of SAMPLE rows (always the same ones), scaled."""
    numpy = vectors.numpy_module()
    rows = len(values)
    result = {"column": index}
    if rows > SAMPLE:
        values = values.take(numpy.sort(numpy.random.default_rng(0).choice(rows, SAMPLE, replace=False)))
        result["sample"] = SAMPLE
    missing = int(vectors.null_mask(column.flavor, values, check).sum())
    result["nullCount"] = round(missing * rows / len(values)) if len(values) else 0
    result["count"] = rows - result["nullCount"]
    codes, uniques = vectors.factorize(column.flavor, values, check)
    check()
    counts = numpy.bincount(codes[codes >= 0], minlength=len(uniques))
    result["distinct"] = len(uniques)
    result["top"] = [{"value": cell(uniques[i]), "count": int(counts[i])} for i in _largest(counts)]
    return result


def _largest(counts):
    """Indexes of the TOP largest counts, largest first (the first seen first among equals); none of zero."""
    order = vectors.numpy_module().argsort(-counts, kind="stable")[:TOP]
    return [int(i) for i in order if counts[i] > 0]


def _from_profile(full):
    """Without numpy (or for a column of Python values, which are small): the profile, cut to a summary."""
    result = {key: full[key] for key in ("column", "count", "nullCount", "distinct", "min", "max", "mean") if key in full}
    if "histogram" in full:
        result["bins"] = full["histogram"]["counts"]
    if "top" in full:
        result["top"] = full["top"][:TOP]
    return result
