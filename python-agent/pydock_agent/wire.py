"""MessagePack for the agent: the `msgpack` package when installed, else the pure-Python fallback; plus frame headers."""
import struct

from .msgpack_fallback import _Reader as _ItemReader  # reads items one at a time, which msgpack's unpackb cannot

try:
    import msgpack as _msgpack

    HAVE_MSGPACK = True
    ExtType = _msgpack.ExtType

    def packb(obj):
        return _msgpack.packb(obj, use_bin_type=True)

    def unpackb(data, ext_hook):
        return _msgpack.unpackb(data, raw=False, strict_map_key=False, ext_hook=ext_hook)

except ImportError:  # a stock image: the standard library alone
    from . import msgpack_fallback as _fallback

    HAVE_MSGPACK = False
    ExtType = _fallback.ExtType

    def packb(obj):
        return _fallback.packb(obj)

    def unpackb(data, ext_hook):
        return _fallback.unpackb(data, ext_hook)


HEADER = struct.Struct(">I")
MAX_FRAME = 1 << 30  # 1 GiB: neither side sends more in one message, so a larger length means the stream is out of step
_TYPE_KEY = b"\xa4type"  # every message is a map whose first key is "type"
_MAP_HEADER_BYTES = {0xDE: 3, 0xDF: 5}  # map16, map32; a fixmap's header is its one byte
BIG = 256 * 1024  # binaries this large travel as their own segment, never copied into a msgpack buffer


def starts_as_message(data, start, size):
    """Whether a frame of `size` bytes at data[start:] can be a message: True, False, or None until more bytes arrive.

    A length read where no header is (a stream out of step) is caught here before anything trusts it.
    """
    if size > MAX_FRAME:
        return False
    if len(data) <= start:
        return None
    first = data[start]
    skip = 1 if 0x81 <= first <= 0x8F else _MAP_HEADER_BYTES.get(first)
    if skip is None or size < skip + len(_TYPE_KEY):
        return False
    head = bytes(data[start + skip:start + skip + len(_TYPE_KEY)])
    if len(head) < len(_TYPE_KEY):
        return None if _TYPE_KEY.startswith(head) else False
    return head == _TYPE_KEY


class Segments:
    """A MessagePack value as a list of buffers, so a large binary is written with writev instead of copied."""

    __slots__ = ("parts", "size")

    def __init__(self, parts):
        self.parts = parts
        self.size = sum(len(p) if type(p) is not memoryview else p.nbytes for p in parts)


class SegmentedList(list):
    """A list (or msgpack array) holding Segments somewhere inside."""


class SegmentedDict(dict):
    """A dict (or msgpack map) holding Segments somewhere inside."""


class MessageTooLarge(Exception):
    """A value or an event over what one message may carry."""

    def __init__(self, what, size):
        Exception.__init__(self, "%s of %.1f GiB is over the %d GiB one message may carry. Keep the object in Python and "
                           "work on it through a handle (session.ref in the library API), or write it to a file in "
                           "/workspace." % (what, size / 2 ** 30, MAX_FRAME // 2 ** 30))


def bin_segments(data):
    size = len(data) if type(data) is not memoryview else data.nbytes
    if size > MAX_FRAME:
        raise MessageTooLarge("A value", size)
    return Segments([struct.pack(">BI", 0xC6, size), data])


def ext_segments(code, inner):
    """An extension value whose payload is inner (Segments or bytes)."""
    parts = inner.parts if type(inner) is Segments else [inner]
    size = inner.size if type(inner) is Segments else len(inner)
    if size > MAX_FRAME:
        raise MessageTooLarge("A value", size)
    return Segments([struct.pack(">BIb", 0xC9, size, code)] + parts)


_HEAD_BYTES = 1024  # enough for any shape numpy allows (32 dimensions) and a dtype name
_BIN_SIZES = {0xC4: (">B", 1), 0xC5: (">H", 2), 0xC6: (">I", 4)}


def split_trailing_bin(data):
    """Reads a short array whose last item is a binary (a matrix payload) without copying the binary.

    Returns the items, the binary as a memoryview into data. Decoding it as a whole would copy it twice.
    """
    head = _ItemReader(bytes(memoryview(data)[:_HEAD_BYTES]), ExtType)
    first = head.take(1)[0]
    if not 0x91 <= first <= 0x9F:
        raise ValueError("a matrix payload must be a short array, not 0x%02x" % first)
    items = [head.read() for _ in range((first & 0x0F) - 1)]
    size = _BIN_SIZES.get(head.take(1)[0])
    if size is None:
        raise ValueError("a matrix payload must end in a binary")
    length = head.unpack(*size)
    items.append(memoryview(data)[head.pos:head.pos + length])
    return items


def pack_parts(obj):
    """Buffers that together are the MessagePack encoding of obj, which may hold Segments.

    A plain dict is checked one level deep, so protocol events can carry a segmented value.
    """
    t = type(obj)
    if t is Segments:
        return obj.parts
    if t is SegmentedList:
        parts = [_array_header(len(obj))]
        for item in obj:
            parts.extend(pack_parts(item))
        return parts
    if t is SegmentedDict or (t is dict and any(type(v) in SEGMENTED for v in obj.values())):
        parts = [_map_header(len(obj))]
        for key, value in obj.items():
            parts.append(packb(key))
            parts.extend(pack_parts(value))
        return parts
    return [packb(obj)]


def _array_header(n):
    return bytes((0x90 | n,)) if n < 16 else struct.pack(">BH", 0xDC, n) if n < 0x10000 else struct.pack(">BI", 0xDD, n)


def _map_header(n):
    return bytes((0x80 | n,)) if n < 16 else struct.pack(">BH", 0xDE, n) if n < 0x10000 else struct.pack(">BI", 0xDF, n)


SEGMENTED = (Segments, SegmentedList, SegmentedDict)
