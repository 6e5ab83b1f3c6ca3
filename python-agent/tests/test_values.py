"""Value marshalling on the Python side: each marshalling-table type survives encode then decode."""
import datetime
import unittest

from pydock import Grid, GridBuilder, Marker, Matrix, NA, Ref, Remove, Uri
from pydock_agent import values

from optional import needs_numpy, needs_pandas, numpy, pandas


def round_trip(value):
    return values.decode(values.encode(value))


class ValuesTest(unittest.TestCase):
    def test_scalars(self):
        for value in (None, True, False, 0, -1, 2**53 + 1, 2**64 - 1, -2**63, 1.25, "text", b"\x00\xff", [1, "a"], {"k": [None]}):
            with self.subTest(value=value):
                self.assertEqual(round_trip(value), value)

    def test_ints_beyond_64_bits(self):
        for value in (2**64, -2**63 - 1, 2**200, -(3**150)):
            self.assertEqual(round_trip(value), value)

    def test_singletons_refs_uris(self):
        self.assertIs(round_trip(Marker), Marker)
        self.assertIs(round_trip(NA), NA)
        self.assertIs(round_trip(Remove), Remove)
        self.assertEqual(round_trip(Ref("p:1", "Site")), Ref("p:1", "Site"))
        uri = round_trip(Uri("https://x/y"))
        self.assertIsInstance(uri, Uri)
        self.assertEqual(uri, "https://x/y")

    def test_dates_and_times(self):
        for value in (datetime.date(2024, 2, 29), datetime.time(23, 59, 59, 999999),
                      datetime.datetime(2024, 1, 2, 3, 4, 5, 6), datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)):
            self.assertEqual(round_trip(value), value)

    def test_time_zone_name_is_kept(self):
        try:
            from zoneinfo import ZoneInfo
            berlin = ZoneInfo("Europe/Berlin")
        except Exception:
            self.skipTest("no zoneinfo database here")
        value = datetime.datetime(2024, 7, 1, 12, 0, tzinfo=berlin)
        back = round_trip(value)
        self.assertEqual(back, value)
        self.assertEqual(getattr(back.tzinfo, "key", None), "Europe/Berlin")

    def test_iso_from_typescript_on_any_python(self):
        self.assertEqual(values._parse_iso_datetime("2024-01-02T03:04:05.1Z"),
                         datetime.datetime(2024, 1, 2, 3, 4, 5, 100000, tzinfo=datetime.timezone.utc))

    def test_dict_with_non_string_keys(self):
        value = {1: "one", 2.5: None, "s": {3: []}}
        self.assertEqual(round_trip(value), value)

    def test_tuple_returns_as_list(self):
        self.assertEqual(round_trip((1, (2, 3))), [1, [2, 3]])

    def test_grid(self):
        grid = GridBuilder().set_meta({"dis": "g"}).add_col("a").add_col("b", {"unit": "kW"}).add_row([1, "x"]).add_row([None, Marker]).to_grid()
        self.assertEqual(round_trip(grid), grid)

    def test_matrix_without_numpy_type(self):
        matrix = Matrix([2, 2], "int32", b"\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00")
        self.assertEqual(matrix.tolist(), [[1, 2], [3, 4]])
        self.assertEqual(round_trip(matrix).tolist(), [[1, 2], [3, 4]])

    @needs_numpy
    def test_ndarray(self):
        for array in (numpy.arange(6, dtype="float64").reshape(2, 3), numpy.array([True, False]), numpy.arange(5, dtype=">i4")):
            back = round_trip(array)
            self.assertEqual(back.shape, array.shape)
            self.assertTrue((back == array).all())

    @needs_pandas
    def test_dataframe_becomes_grid(self):
        frame = pandas.DataFrame({"a": [1, 2], "b": ["x", None]})
        grid = round_trip(frame)
        self.assertEqual(grid.col_names, ["a", "b"])
        self.assertEqual(grid.rows, [{"a": 1, "b": "x"}, {"a": 2, "b": None}])
        self.assertEqual(grid.to_dataframe().to_dict("list"), frame.to_dict("list"))

    def test_unmarshallable_names_type_and_path(self):
        import socket
        sock = socket.socket()
        try:
            with self.assertRaises(values.Unmarshallable) as caught:
                values.encode([0, 1, 2, {"x": sock}])
            self.assertEqual(str(caught.exception), "result[3]['x']: socket.socket")
        finally:
            sock.close()

    def test_lenient_mode_sends_repr(self):
        wire = values.to_wire([complex(1, 2)], strict=False)
        self.assertEqual(wire[0].code, values.EXT["opaque"])
        self.assertEqual(values.decode(wire[0].data), ["complex", "(1+2j)"])

    def test_cycles_are_reported_not_recursed_forever(self):
        loop = []
        loop.append(loop)
        with self.assertRaises(values.Unmarshallable):
            values.encode(loop)

    def test_bounded_repr(self):
        self.assertLess(len(values.bounded_repr("x" * 10**7)), 20000)
        self.assertLess(len(values.bounded_repr(list(range(10**6)))), 2000)

        class Broken:
            def __repr__(self):
                raise RuntimeError("nope")

        self.assertIn("repr failed", values.bounded_repr(Broken()))


class SegmentsTest(unittest.TestCase):
    """Big binaries are encoded as separate buffers; the bytes must be the same MessagePack as one buffer."""

    def test_big_bytes_alone_nested_and_in_a_map_with_int_keys(self):
        big = bytes(range(256)) * 2048  # 512 KiB
        for value in (big, [1, [2, big], {"k": big}], {1: big, "x": [big, big]}):
            wire = values.to_wire(value)
            self.assertIn(type(wire).__name__, ("Segments", "SegmentedList", "SegmentedDict", "ExtType"))
            self.assertEqual(values.decode(values.encode(value)), value)

    def test_big_matrix(self):
        data = bytes(8) * 100000
        back = round_trip(Matrix([100000], "float64", data))
        self.assertEqual(back.shape, (100000,))
        self.assertEqual(bytes(back.data) if isinstance(back, Matrix) else back.tobytes(), data)

    def test_parts_are_the_same_bytes_as_one_buffer(self):
        from pydock_agent import wire
        big = b"z" * (wire.BIG + 1)
        value = {"a": [1, big], "b": "text"}
        joined = b"".join(wire.pack_parts(values.to_wire(value)))
        self.assertEqual(joined, wire.packb({"a": [1, big], "b": "text"}))
