"""Marshals Python values to and from the wire: plain MessagePack plus pydock's extension types."""
import datetime
import itertools
import reprlib
import struct
import sys

from pydock import Grid, Marker, Matrix, NA, Ref, Remove, Uri, kept

from .protocol import EXT
from .wire import (BIG, SegmentedDict, SegmentedList, Segments, ExtType, bin_segments, ext_segments, pack_parts,
                   packb, split_trailing_bin, unpackb)

MAX_DEPTH = 100
GRID_MAX_CELLS = 100000  # a larger DataFrame returns as an object handle (open it as a table), never whole
REPR_LIMIT = 10000

_INT64_MIN = -(1 << 63)
_UINT64_MAX = (1 << 64) - 1
_F64 = struct.Struct(">d")


class Unmarshallable(Exception):
    """A value that cannot cross to TypeScript; `path` says where it sits in the result."""

    def __init__(self, type_name, reason=""):
        Exception.__init__(self, type_name)
        self.type_name = type_name
        self.reason = reason
        self.path = []

    def where(self, root="result"):
        parts = [root] + ["[%r]" % (p,) for p in self.path]
        return "".join(parts)

    def __str__(self):
        return "%s: %s%s" % (self.where(), self.type_name, " (%s)" % self.reason if self.reason else "")


class ObjectRef:
    """A handle to an object the session keeps (see calls.ObjectStore): its number, type name and a short repr."""

    __slots__ = ("ref", "type", "repr")

    def __init__(self, ref, type, repr):
        self.ref = ref
        self.type = type
        self.repr = repr

    def __repr__(self):
        return "ObjectRef(%d, %r)" % (self.ref, self.type)


def type_name(obj):
    t = type(obj)
    if t is ObjectRef:
        return obj.type
    module = t.__module__
    return t.__qualname__ if module == "builtins" else "%s.%s" % (module, t.__qualname__)


class _InsertionOrderRepr(reprlib.Repr):
    """reprlib's Repr, but a dict's keys in their own order (reprlib sorts them), as repr() and the Variables view's
    children show them."""

    def repr_dict(self, x, level):
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        pieces = ["%s: %s" % (self.repr1(key, level - 1), self.repr1(x[key], level - 1))
                  for key in itertools.islice(x, self.maxdict)]
        if len(x) > self.maxdict:
            pieces.append(getattr(self, "fillvalue", "..."))  # fillvalue: Python 3.11 and later
        return "{%s}" % ", ".join(pieces)


_REPR = _InsertionOrderRepr()
_REPR.maxlevel = 6
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdeque = 100
_REPR.maxstring = _REPR.maxlong = _REPR.maxother = REPR_LIMIT
_CONTAINERS = (str, bytes, bytearray, list, tuple, dict, set, frozenset)
SMALL_ITEMS = 10000


def bounded_repr(obj, limit=REPR_LIMIT):
    """repr() that stays cheap and short, also for a 100 MB string or a list of ten million items."""
    try:
        text = _REPR.repr(obj) if type(obj) in _CONTAINERS or type(obj) is int else repr(obj)
    except Exception as exc:  # a broken __repr__ must not break the run
        text = "<%s object; repr failed: %s>" % (type_name(obj), exc)
    if len(text) > limit:
        text = "%s… (%d characters)" % (text[:limit], len(text))
    return text


def is_small(obj):
    """Whether a REPL result is cheap enough to send as a value beside its repr."""
    if isinstance(obj, _CONTAINERS):
        return len(obj) <= SMALL_ITEMS
    return True


def encode(obj, strict=True):
    """MessagePack bytes for obj. strict: unmarshallable values raise; otherwise they cross as repr."""
    return b"".join(pack_parts(to_wire(obj, strict)))


def to_wire(obj, strict=True, objects=None):
    """The wire form of obj. With an ObjectStore, a DataFrame too big for a Grid is kept there and crosses as a handle."""
    return _Encoder(strict, objects).walk(obj, 0)


class _Encoder:
    def __init__(self, strict, objects=None):
        self.strict = strict
        self.objects = objects
        self.segments = 0  # how many big binaries became Segments so far: a container that saw one is segmented

    def walk(self, obj, depth):
        t = type(obj)
        if obj is None or t is bool or t is str or t is float:
            return obj
        if t is bytes:
            return obj if len(obj) < BIG else self.big(obj)
        if t is int:
            return obj if _INT64_MIN <= obj <= _UINT64_MAX else _bigint(obj)
        if depth > MAX_DEPTH:
            return self.reject(obj, "nested more than %d deep, or a cycle" % MAX_DEPTH)
        if t is list or t is tuple:
            return self.walk_list(obj, depth)
        if t is dict:
            return self.walk_dict(obj, depth)
        special = _SPECIAL.get(t)
        if special is not None:
            return special(self, obj, depth)
        return self.walk_other(obj, depth)

    def big(self, data):
        self.segments += 1
        return bin_segments(data)

    def ext(self, code, value, segments_before):
        """An extension value; its payload stays in segments when it holds a big binary."""
        if self.segments == segments_before:
            return ExtType(code, packb(value))
        return ext_segments(code, Segments(pack_parts(value)))

    def walk_list(self, items, depth):
        if _all_plain(items):
            return items
        before = self.segments
        out = []
        for index, item in enumerate(items):
            try:
                out.append(self.walk(item, depth + 1))
            except Unmarshallable as exc:
                exc.path.insert(0, index)
                raise
        return out if self.segments == before else SegmentedList(out)

    def walk_dict(self, mapping, depth):
        before = self.segments
        if "__proto__" not in mapping and all(type(k) is str for k in mapping):
            if _all_plain(mapping.values()):
                return mapping
            out = {}
            for key, value in mapping.items():
                try:
                    out[key] = self.walk(value, depth + 1)
                except Unmarshallable as exc:
                    exc.path.insert(0, key)
                    raise
            return out if self.segments == before else SegmentedDict(out)
        flat = []
        for key, value in mapping.items():
            try:
                flat.append(self.walk(key, depth + 1))
                flat.append(self.walk(value, depth + 1))
            except Unmarshallable as exc:
                exc.path.insert(0, key)
                raise
        return self.ext(EXT["map"], flat if self.segments == before else SegmentedList(flat), before)

    def walk_other(self, obj, depth):
        if isinstance(obj, bool):
            return bool(obj)
        if isinstance(obj, Uri):
            return ExtType(EXT["uri"], str(obj).encode("utf-8"))
        if isinstance(obj, str):
            return str(obj)
        if isinstance(obj, int):
            return self.walk(int(obj), depth)
        if isinstance(obj, float):
            return float(obj)
        if isinstance(obj, (bytearray, memoryview)):
            return self.walk(bytes(obj), depth)
        if isinstance(obj, datetime.datetime):
            return _datetime(obj)
        if isinstance(obj, datetime.date):
            return ExtType(EXT["date"], obj.isoformat().encode("ascii"))
        if isinstance(obj, datetime.time):
            return ExtType(EXT["time"], obj.isoformat().encode("ascii"))
        if isinstance(obj, dict):
            return self.walk_dict(obj, depth)
        if isinstance(obj, (list, tuple)):
            return self.walk_list(obj, depth)
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            if isinstance(obj, numpy.ndarray):
                return self.walk_ndarray(obj, depth)
            if isinstance(obj, numpy.generic):
                return self.walk(obj.item(), depth)
        pandas = sys.modules.get("pandas")
        if pandas is not None:
            if obj is pandas.NaT or obj is pandas.NA:
                return None
            if isinstance(obj, pandas.Series):
                return self.walk_frame(obj.to_frame(), depth, obj)
            if isinstance(obj, pandas.DataFrame):
                return self.walk_frame(obj, depth, obj)
        return self.reject(obj)

    def walk_ndarray(self, array, depth):
        if array.dtype.kind in "biuf" and array.dtype.itemsize <= 8:
            dtype = array.dtype.newbyteorder("<")
            data = array.astype(dtype, copy=False, order="C")
            name = "bool" if array.dtype.kind == "b" else dtype.name
            return self.matrix(array.shape, name, memoryview(data).cast("B"))
        return self.walk(array.tolist(), depth)

    def walk_frame(self, frame, depth, original):
        if frame.size > GRID_MAX_CELLS:
            if self.objects is not None:
                return _objref(self.objects.keep(original))
            return self.reject(original, "%d cells; view it as a table instead" % frame.size)
        if not _is_default_index(frame.index):
            frame = frame.reset_index()
        names = [str(c) for c in frame.columns]
        rows = [list(r) for r in frame.itertuples(index=False, name=None)]
        return self.walk_grid(Grid({}, [{"name": n, "meta": {}} for n in names], []), depth, rows)

    def matrix(self, shape, dtype, data):
        before = self.segments
        body = [list(shape), dtype, data if data.nbytes < BIG else self.big(data)]
        return self.ext(EXT["matrix"], body if self.segments == before else SegmentedList(body), before)

    def walk_grid(self, grid, depth, rows=None):
        before = self.segments
        names = grid.col_names
        if rows is None:
            rows = [[row.get(n) for n in names] for row in grid.rows]
        body = [self.walk(grid.meta, depth + 1), self.walk(grid.cols, depth + 1), self.walk_list(rows, depth + 1)]
        return self.ext(EXT["grid"], body if self.segments == before else SegmentedList(body), before)

    def reject(self, obj, reason=""):
        if self.strict:
            raise Unmarshallable(type_name(obj), reason)
        return ExtType(EXT["opaque"], packb([type_name(obj), bounded_repr(obj, 1000)]))


_PLAIN_TYPES = frozenset((str, float, bool, type(None)))


def _all_plain(items):
    """Whether every item crosses as it is, so the container needs no copy: most records are like this."""
    for item in items:
        t = type(item)
        if t is int:
            if not _INT64_MIN <= item <= _UINT64_MAX:
                return False
        elif t not in _PLAIN_TYPES:
            return False
    return True


def _is_default_index(index):
    return type(index).__name__ == "RangeIndex" and index.start == 0 and index.step == 1


def _bigint(n):
    return ExtType(EXT["bigint"], n.to_bytes((n.bit_length() + 8) // 8, "big", signed=True))


def _objref(handle):
    return ExtType(EXT["objref"], packb([handle.ref, handle.type, handle.repr]))


def _datetime(dt):
    tz = dt.tzinfo
    name = getattr(tz, "key", None) or getattr(tz, "zone", None) if tz is not None else None
    if name is None and tz is datetime.timezone.utc:
        name = "UTC"
    return ExtType(EXT["datetime"], packb([dt.isoformat(), name]))


_SPECIAL = {
    type(Marker): lambda enc, obj, depth: ExtType(EXT[{"Marker": "marker", "NA": "na", "Remove": "remove"}[repr(obj)]], b""),
    Ref: lambda enc, obj, depth: ExtType(EXT["ref"], packb([obj.id, obj.dis])),
    Uri: lambda enc, obj, depth: ExtType(EXT["uri"], str(obj).encode("utf-8")),
    datetime.datetime: lambda enc, obj, depth: _datetime(obj),
    datetime.date: lambda enc, obj, depth: ExtType(EXT["date"], obj.isoformat().encode("ascii")),
    datetime.time: lambda enc, obj, depth: ExtType(EXT["time"], obj.isoformat().encode("ascii")),
    Grid: lambda enc, obj, depth: enc.walk_grid(obj, depth),
    Matrix: lambda enc, obj, depth: enc.matrix(obj.shape, obj.dtype, memoryview(obj.data)),
    ObjectRef: lambda enc, obj, depth: _objref(obj),
}


def decode(data):
    return unpackb(data, _ext_hook)


def _ext_hook(code, data):
    reader = _READERS.get(code)
    if reader is None:
        raise ValueError("unknown value extension type %d" % code)
    return reader(bytes(data))


def _read_datetime(data):
    iso, tz = decode(data)
    dt = _parse_iso_datetime(iso)
    if tz and tz != "UTC" and dt.tzinfo is not None:
        try:
            from zoneinfo import ZoneInfo

            dt = dt.astimezone(ZoneInfo(tz))
        except Exception:  # no tz database, or Python < 3.9: keep the fixed offset
            pass
    elif tz == "UTC" and dt.tzinfo is not None:
        dt = dt.astimezone(datetime.timezone.utc)
    return dt


def _parse_iso_datetime(iso):
    """datetime.fromisoformat as Python 3.11 reads it, also on 3.8: 'Z' and 1-6 digit fractions."""
    if iso.endswith("Z"):
        iso = iso[:-1] + "+00:00"
    head, sep, frac = iso.partition(".")
    if sep:
        digits = len(frac) - len(frac.lstrip("0123456789"))
        iso = head + "." + frac[:digits].ljust(6, "0")[:6] + frac[digits:]
    return datetime.datetime.fromisoformat(iso)


def _read_grid(data):
    meta, cols, rows = decode(data)
    names = [c["name"] for c in cols]
    return Grid(meta, cols, [dict(zip(names, r)) for r in rows])


def _read_matrix(data):
    shape, dtype, raw = split_trailing_bin(data)  # raw is a view: the one copy below makes the array writable
    try:
        import numpy
    except ImportError:
        return Matrix(shape, dtype, raw)
    return numpy.frombuffer(bytearray(raw), dtype=numpy.dtype(dtype).newbyteorder("<")).reshape(shape)


def _read_map(data):
    flat = decode(data)
    return dict(zip(flat[0::2], flat[1::2]))


_READERS = {
    EXT["bigint"]: lambda d: int.from_bytes(d, "big", signed=True),
    EXT["float"]: lambda d: _F64.unpack(d)[0],
    EXT["marker"]: lambda d: Marker,
    EXT["na"]: lambda d: NA,
    EXT["remove"]: lambda d: Remove,
    EXT["ref"]: lambda d: Ref(*decode(d)),
    EXT["uri"]: lambda d: Uri(d.decode("utf-8")),
    EXT["date"]: lambda d: datetime.date.fromisoformat(d.decode("ascii")),
    EXT["time"]: lambda d: datetime.time.fromisoformat(d.decode("ascii")),
    EXT["datetime"]: _read_datetime,
    EXT["map"]: _read_map,
    EXT["grid"]: _read_grid,
    EXT["matrix"]: _read_matrix,
    EXT["objref"]: lambda d: kept(decode(d)[0]),
}
