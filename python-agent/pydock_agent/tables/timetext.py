"""The text of a page of pandas datetimes and timedeltas, exactly as str() prints each one, but in one go.

str() of a tz-aware Timestamp costs microseconds, so a page of them took milliseconds: most of a page's time.
"""
import sys

_SECOND = 10**9
_DAY = 86400 * _SECOND
_NAT = -(2**63)


def texts(values):
    """str() of each value of a pandas DatetimeArray or TimedeltaArray in nanoseconds (None for NaT); None for
    anything else, which the caller formats value by value."""
    arrays = sys.modules["pandas"].arrays
    numpy = sys.modules["numpy"]
    dtype = values.dtype
    if isinstance(values, arrays.TimedeltaArray) and dtype == numpy.dtype("m8[ns]"):
        return [None if t == _NAT else _timedelta(t) for t in values.asi8.tolist()]
    if not isinstance(values, arrays.DatetimeArray) or getattr(dtype, "unit", None) not in (None, "ns") or (
            getattr(dtype, "tz", None) is None and dtype != numpy.dtype("M8[ns]")):
        return None
    ticks = values.asi8
    zoned = values.tz is not None
    wall = values.tz_localize(None).asi8 if zoned else ticks  # the local clock time
    seconds = numpy.datetime_as_string(wall.view("M8[ns]"), unit="s").tolist()
    fractions = (wall % _SECOND).tolist()
    offsets = ((wall - ticks) // _SECOND).tolist() if zoned else None
    out = []
    for i, tick in enumerate(ticks.tolist()):
        if tick == _NAT:
            out.append(None)
            continue
        text = seconds[i].replace("T", " ") + _fraction(fractions[i])
        out.append(text + _offset(offsets[i]) if zoned else text)
    return out


def _timedelta(ticks):
    """As pandas prints a Timedelta: days, then the time of day; negative ones as -1 days +23:59:59.999999995."""
    days, rest = divmod(ticks, _DAY)
    hours, rest = divmod(rest, 3600 * _SECOND)
    minutes, rest = divmod(rest, 60 * _SECOND)
    seconds, fraction = divmod(rest, _SECOND)
    return "%d days %s%02d:%02d:%02d%s" % (days, "+" if ticks < 0 else "", hours, minutes, seconds, _fraction(fraction))


def _fraction(nanoseconds):
    """Nothing for whole seconds, microseconds when they say it all, else nanoseconds."""
    if not nanoseconds:
        return ""
    return ".%06d" % (nanoseconds // 1000) if nanoseconds % 1000 == 0 else ".%09d" % nanoseconds


def _offset(seconds):
    """+01:00, or +00:53:28 for an offset with seconds, as datetime.isoformat writes it."""
    sign = "-" if seconds < 0 else "+"
    minutes, second = divmod(abs(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return "%s%02d:%02d" % (sign, hours, minute) + (":%02d" % second if second else "")
