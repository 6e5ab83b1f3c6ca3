"""MessagePack for the agent: the `msgpack` package when installed, else the pure-Python fallback; plus frame headers."""
import struct

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
MAX_FRAME = 1 << 30  # 1 GiB: anything larger is a corrupt length, not a message
