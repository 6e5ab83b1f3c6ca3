"""The pure-Python MessagePack fallback must write and read what the msgpack package does."""
import math
import unittest

from pydock_agent import msgpack_fallback as fallback

try:
    import msgpack
except ImportError:
    msgpack = None

SAMPLES = [
    None, True, False, 0, 1, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1,
    -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63,
    0.0, -0.0, 1.5, 1e300, float("inf"), float("-inf"),
    "", "a", "x" * 31, "x" * 32, "x" * 255, "x" * 256, "x" * 70000, "ünïcode ✓",
    b"", b"\x00\xff", b"y" * 300, b"z" * 70000,
    [], [1, [2, [3]]], list(range(20)), list(range(70000)),
    {}, {"a": 1}, {str(i): i for i in range(20)}, {1: "int key", None: [], 2.5: {}},
]


class FallbackTest(unittest.TestCase):
    def test_round_trip(self):
        for value in SAMPLES:
            with self.subTest(value=repr(value)[:40]):
                self.assertEqual(fallback.unpackb(fallback.packb(value)), value)

    def test_nan_round_trip(self):
        self.assertTrue(math.isnan(fallback.unpackb(fallback.packb(float("nan")))))

    def test_ext_types(self):
        for code, data in ((5, b""), (1, b"x"), (9, b"12345678"), (66, b"a" * 16), (13, b"b" * 17), (12, b"c" * 70000)):
            packed = fallback.packb(fallback.ExtType(code, data))
            self.assertEqual(fallback.unpackb(packed, lambda c, d: (c, d)), (code, data))

    def test_too_large_int_raises_overflow(self):
        with self.assertRaises(OverflowError):
            fallback.packb(2**64)

    def test_truncated_and_invalid_input_raise(self):
        with self.assertRaises(ValueError):
            fallback.unpackb(fallback.packb("hello")[:-1])
        with self.assertRaises(ValueError):
            fallback.unpackb(b"\xc1")

    @unittest.skipIf(msgpack is None, "msgpack is not installed here")
    def test_same_bytes_as_msgpack(self):
        for value in SAMPLES:
            with self.subTest(value=repr(value)[:40]):
                ours = fallback.packb(value)
                theirs = msgpack.packb(value, use_bin_type=True)
                self.assertEqual(msgpack.unpackb(ours, raw=False, strict_map_key=False), msgpack.unpackb(theirs, raw=False, strict_map_key=False))
                self.assertEqual(fallback.unpackb(theirs), value if not isinstance(value, float) or not math.isnan(value) else value)
