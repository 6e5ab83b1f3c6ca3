"""Turns single values into the viewer's cells: true text, special-value codes, long text cut with its full length,
numbers as they read (numbertext) beside their exact text."""
import datetime
import sys

import pydock

from ..protocol import SPECIAL
from ..values import bounded_repr, type_name
from .numbertext import readable

CUT = 200  # characters a cell carries; table.cell gives the whole text

NONE, NAN, NAT, NA, POSINF, NEGINF = (SPECIAL[k] for k in ("none", "nan", "nat", "na", "posinf", "neginf"))
NULL_CODES = frozenset((NONE, NAN, NAT, NA))
# What the viewer shows for each code; shared/cellText.ts holds the same table for the TypeScript side.
SPECIAL_TEXT = {NONE: "None", NAN: "NaN", NAT: "NaT", NA: "<NA>", POSINF: "inf", NEGINF: "-inf"}

_INF = float("inf")


def cell(value):
    """The cell for one value: its text (cut to CUT characters with the full length), a number as it reads with its
    exact text ([shown, exact], under numbertext.numbers_as), or a special-value code."""
    text = text_or_code(value)
    if type(text) is str:
        if len(text) > CUT:
            return [text[:CUT], len(text)]
        shown = readable(value)
        if shown is not None and shown != text:
            return [shown, text]
    return text


def full_text(value):
    """The whole text of a value as the viewer shows it, special values included."""
    text = text_or_code(value)
    return text if type(text) is str else SPECIAL_TEXT[text]


def is_null(value):
    """None, NaN, NaT, pd.NA (and pydock's NA): the values filters treat as missing."""
    if value is None:
        return True
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return False
    if kind is float:
        return value != value
    return _special_code(value) in NULL_CODES


def text_or_code(value):
    """The full text of a value, or its special-value code."""
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    if _add_numpy_scalars():
        return text_or_code(value)
    code = _special_code(value)
    if code is not None:
        return code
    return _text(value)


def _float(value):
    if value != value:
        return NAN
    if value == _INF:
        return POSINF
    if value == -_INF:
        return NEGINF
    return float.__repr__(value)  # the shortest text that reads back as the same float: 1e-12, 0.1


def _numpy_float(value):
    text = str(value)  # numpy's shortest text in the value's own precision: float32 0.1 is 0.1
    return _FLOAT_CODES.get(text, text)


_FLOAT_CODES = {"nan": NAN, "inf": POSINF, "-inf": NEGINF}


def _add_numpy_scalars():
    """Adds numpy's scalar types to _BY_TYPE the first time numpy is loaded; True when it added them."""
    numpy = sys.modules.get("numpy")
    if numpy is None or numpy.float64 in _BY_TYPE:
        return False
    _BY_TYPE[numpy.float64] = _float
    _BY_TYPE[numpy.bool_] = _BY_TYPE[bool]
    for name in ("float16", "float32", "longdouble"):
        _BY_TYPE[getattr(numpy, name)] = _numpy_float
    for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "longlong", "ulonglong"):
        _BY_TYPE[getattr(numpy, name)] = lambda v: int.__repr__(int(v))
    return True


def _special_code(value):
    if value is None:
        return NONE
    if value is pydock.NA:
        return NA
    if isinstance(value, float):
        text = _float(value)
        return text if type(text) is int else None
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        if value is pandas.NaT:
            return NAT
        if value is pandas.NA:
            return NA
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        if isinstance(value, numpy.floating):
            return NAN if numpy.isnan(value) else POSINF if value == _INF else NEGINF if value == -_INF else None
        if isinstance(value, (numpy.datetime64, numpy.timedelta64)) and numpy.isnat(value):
            return NAT
    return None


def _text(value):
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        return float.__repr__(value)
    if isinstance(value, complex):
        return repr(complex(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return repr(bytes(value))
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return bounded_repr(value)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return str(value)  # pandas' Timestamp, Timedelta are these too, and print as pandas does
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        if isinstance(value, numpy.bool_):
            return "True" if value else "False"
        if isinstance(value, numpy.integer):
            return str(int(value))
        if isinstance(value, numpy.ndarray):
            return bounded_repr(value.tolist())
        if isinstance(value, numpy.generic):
            return str(value)  # numpy's own shortest text for float32, complex64, datetime64 …
    try:
        return str(value)
    except Exception as exc:  # a broken __str__ must not break the page
        return "<%s: str() failed: %s>" % (type_name(value), exc)


_BY_TYPE = {
    str: lambda v: v,
    int: int.__repr__,
    bool: lambda v: "True" if v else "False",
    float: _float,
    type(None): lambda v: NONE,
}
