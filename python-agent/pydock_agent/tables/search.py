"""The global search: rows where any column's text contains a string, ignoring case, as the viewer shows the text.

Each kind of column is searched its fastest way: text, floats and pandas' dates are written out a chunk at a time,
joined into one string and searched there by str's own find; integers compare windows of their digits arithmetically;
a category is tested once per category, other columns once per distinct value; and a column whose text cannot hold the string (letters in a number or a date) is
skipped. Missing values never match. first_matches() walks a view in its order, a chunk at a time, and stops at a page
of matches, so the first page shows long before the whole table is searched.
"""
import re

from . import filtering, timetext, vectors
from .formatting import full_text, is_null

CHUNK = 1 << 20  # rows searched between two cancellation checks (and the most first_matches takes in one step)
FIRST_CHUNK = 1 << 12  # rows first_matches looks at first; each step looks at four times more
SEPARATOR = "\x00"  # joins the texts of a chunk: a search string never holds it (else the slow path runs)
_INTEGER = re.compile(r"-?[0-9]+\Z")
_MAX_DIGITS = 20  # uint64 has 20 digits at most


def narrows(old, new):
    """Whether every row new finds, old found too: new contains old (ignoring case), so only old's rows need a look."""
    return bool(old) and old.upper() in new.upper()


def mask(table, text, positions, check):
    """For each row at positions (None: every row), whether any column's text contains text, ignoring case."""
    count = table.rows if positions is None else len(positions)
    found = None
    for column in table.columns:
        if filtering.searchable(column, text):
            check()
            found = filtering.either(found, column_mask(column, text, positions, check))
    return found if found is not None else vectors.falses(count)


def first_matches(table, text, order, limit, check):
    """(rows, whole): the matching rows of order (None: every row in order), in that order, from its start up to at
    least `limit` of them or its end; whole says whether all of order was searched (then rows are all its matches)."""
    numpy = vectors.numpy_module()
    total = table.rows if order is None else len(order)
    parts, found, start, size = [], 0, 0, FIRST_CHUNK
    while start < total and found < limit:
        end = min(total, start + size)
        if order is not None:
            chunk = order[start:end]
        else:
            chunk = numpy.arange(start, end) if numpy is not None else list(range(start, end))
        hits = mask(table, text, chunk, check)
        part = chunk[hits] if numpy is not None else [p for p, hit in zip(chunk, hits) if hit]
        parts.append(part)
        found += len(part)
        start, size = end, min(size * 4, CHUNK)
    if numpy is None:
        return [p for part in parts for p in part], start >= total
    return (numpy.concatenate(parts) if parts else numpy.zeros(0, dtype="int64")), start >= total


def column_mask(column, text, positions, check):
    """Whether the text of each of the column's values at positions contains text, ignoring case."""
    values = vectors.subset(column, positions)
    if column.kind == "category":
        flags = filtering.category_mask(column, {"op": "contains", "value": text}, check)
        return vectors.numpy_module().append(flags, False)[values.codes]  # code -1 (missing) picks False
    if column.kind == "int" and _INTEGER.match(text) and column.flavor in ("numpy", "pandas"):
        return _digits_mask(column.flavor, values, text, check)
    texts = _texts_of(column) if SEPARATOR not in text else None
    if texts is not None:
        return _joined_mask(values, texts, text.upper(), check)
    predicate = filtering.value_test(column, {"op": "contains", "value": text})
    return vectors.per_unique(column, values, predicate, check)


def _texts_of(column):
    """For columns of many distinct values that are quick to write out in bulk: a function from a chunk of values to
    their texts as the viewer shows them ("" for missing values, which never match), joined by SEPARATOR. None: test
    each distinct value instead."""
    if column.flavor == "python":
        return None
    if column.kind == "str":
        return _strings
    dtype = column.values.dtype
    if column.flavor == "numpy" and dtype.kind == "f":
        return _float64_texts if dtype.itemsize == 8 else _short_float_texts
    if column.flavor == "pandas" and column.kind in ("datetime", "timedelta") and timetext.texts(column.values[:1]) is not None:
        return lambda part: SEPARATOR.join(["" if t is None else t for t in timetext.texts(part)])
    return None


def _strings(part):
    items = part.tolist()
    try:
        return SEPARATOR.join(items)
    except TypeError:  # missing values or numbers among the texts
        return SEPARATOR.join(["" if is_null(v) else full_text(v) for v in items])


def _float64_texts(part):
    text = float.__repr__
    return SEPARATOR.join(["" if v != v else text(v) for v in part.tolist()])  # NaN is missing; inf reads "inf"


def _short_float_texts(part):
    """float32 and float16 in their own shortest text, as numpy writes them (and the viewer shows them)."""
    return SEPARATOR.join(["" if t == "nan" else t for t in part.astype(str).tolist()])


def _joined_mask(values, texts, needle, check):
    """Each chunk's texts joined by SEPARATOR into one string, uppercased once and searched by find."""
    numpy = vectors.numpy_module()
    out = numpy.zeros(len(values), dtype=bool)
    for start in range(0, len(values), CHUNK):
        check()
        rows = _items_containing(texts(values[start:start + CHUNK]).upper(), needle)
        if rows:
            out[numpy.array(rows, dtype="int64") + start] = True
    return out


def _items_containing(joined, needle):
    """Indexes of the SEPARATOR-separated items of joined that contain needle, each once, in order."""
    rows = []
    find, count = joined.find, joined.count
    row, counted = 0, 0  # the item `counted` starts, and how many separators lie before it
    at = find(needle)
    while at >= 0:
        row += count(SEPARATOR, counted, at)
        rows.append(row)
        end = find(SEPARATOR, at + len(needle))
        if end < 0:
            break
        row, counted = row + 1, end + 1
        at = find(needle, counted)
    return rows


def _digits_mask(flavor, values, text, check):
    """Integers whose decimal text contains text (digits, maybe a leading minus): each window of len(digits) decimal
    digits is compared with the number they spell, for as many windows as the largest value has digits."""
    numpy = vectors.numpy_module()
    missing = None
    if flavor == "pandas":  # nullable Int64: NA never matches
        missing = vectors.null_mask(flavor, values, check)
        values = values.to_numpy(dtype=values.dtype.numpy_dtype, na_value=0)
    negative = text.startswith("-")
    digits = text.lstrip("-")
    width = len(digits)
    if width > _MAX_DIGITS:
        return numpy.zeros(len(values), dtype=bool)
    signed = values.dtype.kind == "i"
    # abs() of int64's minimum wraps to itself, which reads as 2**63 unsigned: its true magnitude.
    magnitude = numpy.abs(values.astype(numpy.int64)).astype(numpy.uint64) if signed else values.astype(numpy.uint64)
    wanted = int(digits)
    top = int(magnitude.max()) if len(magnitude) else 0
    found = numpy.zeros(len(values), dtype=bool)
    for shift in range(_MAX_DIGITS - width + 1):
        highest = shift + width - 1  # the window's leftmost digit: the number needs at least that many digits
        if highest > 0 and 10 ** highest > top:
            break
        check()
        hit = (magnitude // numpy.uint64(10 ** shift)) % numpy.uint64(10 ** width) == wanted
        if highest > 0:
            hit &= magnitude >= numpy.uint64(10 ** highest)
        if negative:  # "-12" is the start of a negative number's text: the window holds its leading digits
            hit &= values < 0
            if highest + 1 < _MAX_DIGITS:
                hit &= magnitude < numpy.uint64(10 ** (highest + 1))
        found |= hit
    return found if missing is None else found & ~missing
