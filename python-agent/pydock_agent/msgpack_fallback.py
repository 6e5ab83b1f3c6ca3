"""A small pure-Python MessagePack codec, used only when the `msgpack` package is not installed."""
import struct
from collections import namedtuple

ExtType = namedtuple("ExtType", "code data")

_pack_double = struct.Struct(">Bd").pack
_unpack_float = struct.Struct(">f").unpack_from
_unpack_double = struct.Struct(">d").unpack_from


def packb(obj, default=None):
    out = []
    _pack(obj, out.append, default)
    return b"".join(out)


def _pack(obj, put, default):
    t = type(obj)
    if obj is None:
        put(b"\xc0")
    elif t is bool:
        put(b"\xc3" if obj else b"\xc2")
    elif t is int:
        _pack_int(obj, put)
    elif t is float:
        put(_pack_double(0xCB, obj))
    elif t is str:
        data = obj.encode("utf-8", "surrogatepass")
        put(_header(len(data), 0xA0, 32, 0xD9, 0xDA, 0xDB))
        put(data)
    elif t is bytes or t is bytearray or t is memoryview:
        put(_header(len(obj) if t is not memoryview else obj.nbytes, None, 0, 0xC4, 0xC5, 0xC6))
        put(bytes(obj))
    elif t is list or t is tuple:
        put(_header(len(obj), 0x90, 16, None, 0xDC, 0xDD))
        for item in obj:
            _pack(item, put, default)
    elif t is dict:
        put(_header(len(obj), 0x80, 16, None, 0xDE, 0xDF))
        for key, value in obj.items():
            _pack(key, put, default)
            _pack(value, put, default)
    elif t is ExtType:
        _pack_ext(obj.code, obj.data, put)
    elif default is not None:
        _pack(default(obj), put, default)
    else:
        raise TypeError("can not serialize %r object" % (t.__name__,))


def _header(n, fix, fix_limit, tag8, tag16, tag32):
    """A str/bin/array/map size header: the fix form under fix_limit, else the smallest sized form there is."""
    if n < fix_limit:
        return bytes((fix | n,))
    if tag8 is not None and n < 0x100:
        return struct.pack(">BB", tag8, n)
    if n < 0x10000:
        return struct.pack(">BH", tag16, n)
    return struct.pack(">BI", tag32, n)


def _pack_int(n, put):
    if 0 <= n < 0x80:
        put(bytes((n,)))
    elif -32 <= n < 0:
        put(bytes((n & 0xFF,)))
    elif 0 <= n <= 0xFFFFFFFF:
        put(struct.pack(">BI", 0xCE, n))
    elif 0 <= n <= 0xFFFFFFFFFFFFFFFF:
        put(struct.pack(">BQ", 0xCF, n))
    elif -0x80000000 <= n < 0:
        put(struct.pack(">Bi", 0xD2, n))
    elif -0x8000000000000000 <= n < 0:
        put(struct.pack(">Bq", 0xD3, n))
    else:
        raise OverflowError("Integer value out of range")


def _pack_ext(code, data, put):
    n = len(data)
    fixed = {1: 0xD4, 2: 0xD5, 4: 0xD6, 8: 0xD7, 16: 0xD8}.get(n)
    if fixed:
        put(struct.pack(">Bb", fixed, code))
    elif n < 0x100:
        put(struct.pack(">BBb", 0xC7, n, code))
    elif n < 0x10000:
        put(struct.pack(">BHb", 0xC8, n, code))
    else:
        put(struct.pack(">BIb", 0xC9, n, code))
    put(data)


def unpackb(data, ext_hook=ExtType):
    reader = _Reader(bytes(data), ext_hook)
    obj = reader.read()
    if reader.pos != len(reader.data):
        raise ValueError("extra data after MessagePack value")
    return obj


class _Reader:
    def __init__(self, data, ext_hook):
        self.data = data
        self.pos = 0
        self.ext_hook = ext_hook

    def take(self, n):
        start = self.pos
        end = start + n
        if end > len(self.data):
            raise ValueError("truncated MessagePack data")
        self.pos = end
        return self.data[start:end]

    def unpack(self, fmt, size):
        return struct.unpack(fmt, self.take(size))[0]

    def read(self):
        b = self.take(1)[0]
        if b < 0x80:
            return b
        if b >= 0xE0:
            return b - 0x100
        if b < 0x90:
            return self.read_map(b & 0x0F)
        if b < 0xA0:
            return self.read_array(b & 0x0F)
        if b < 0xC0:
            return self.take(b & 0x1F).decode("utf-8", "surrogatepass")
        reader = _TOKENS.get(b)
        if reader is None:
            raise ValueError("invalid MessagePack byte 0x%02x" % b)
        return reader(self)

    def read_array(self, n):
        return [self.read() for _ in range(n)]

    def read_map(self, n):
        out = {}
        for _ in range(n):
            key = self.read()
            out[key] = self.read()
        return out

    def read_str(self, n):
        return self.take(n).decode("utf-8", "surrogatepass")

    def read_ext(self, n):
        code = struct.unpack(">b", self.take(1))[0]
        return self.ext_hook(code, self.take(n))


_TOKENS = {
    0xC0: lambda r: None,
    0xC2: lambda r: False,
    0xC3: lambda r: True,
    0xC4: lambda r: r.take(r.unpack(">B", 1)),
    0xC5: lambda r: r.take(r.unpack(">H", 2)),
    0xC6: lambda r: r.take(r.unpack(">I", 4)),
    0xC7: lambda r: r.read_ext(r.unpack(">B", 1)),
    0xC8: lambda r: r.read_ext(r.unpack(">H", 2)),
    0xC9: lambda r: r.read_ext(r.unpack(">I", 4)),
    0xCA: lambda r: _unpack_float(r.take(4))[0],
    0xCB: lambda r: _unpack_double(r.take(8))[0],
    0xCC: lambda r: r.unpack(">B", 1),
    0xCD: lambda r: r.unpack(">H", 2),
    0xCE: lambda r: r.unpack(">I", 4),
    0xCF: lambda r: r.unpack(">Q", 8),
    0xD0: lambda r: r.unpack(">b", 1),
    0xD1: lambda r: r.unpack(">h", 2),
    0xD2: lambda r: r.unpack(">i", 4),
    0xD3: lambda r: r.unpack(">q", 8),
    0xD4: lambda r: r.read_ext(1),
    0xD5: lambda r: r.read_ext(2),
    0xD6: lambda r: r.read_ext(4),
    0xD7: lambda r: r.read_ext(8),
    0xD8: lambda r: r.read_ext(16),
    0xD9: lambda r: r.read_str(r.unpack(">B", 1)),
    0xDA: lambda r: r.read_str(r.unpack(">H", 2)),
    0xDB: lambda r: r.read_str(r.unpack(">I", 4)),
    0xDC: lambda r: r.read_array(r.unpack(">H", 2)),
    0xDD: lambda r: r.read_array(r.unpack(">I", 4)),
    0xDE: lambda r: r.read_map(r.unpack(">H", 2)),
    0xDF: lambda r: r.read_map(r.unpack(">I", 4)),
}
