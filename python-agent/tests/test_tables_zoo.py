"""A zoo of tables: every cell the viewer sends must show the value pandas, numpy or Python itself holds there."""
import datetime
import decimal
import unittest

from pydock import Grid
from pydock_agent.protocol import SPECIAL

from optional import needs_numpy, needs_pandas, numpy, pandas
from tables_support import CellAssertions, all_cells, open_handle


def pandas_zoo():
    pd, np = pandas, numpy
    long_text = "long " * 100
    return {
        "empty": pd.DataFrame(),
        "no rows": pd.DataFrame({"a": pd.Series([], dtype="float64"), "b": pd.Series([], dtype=object)}),
        "no columns": pd.DataFrame(index=range(3)),
        "multiindex rows and columns": pd.DataFrame(
            np.arange(12).reshape(4, 3) * 1.5,
            index=pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["letter", "number"]),
            columns=pd.MultiIndex.from_tuples([("x", "one"), ("x", "two"), ("y", "")])),
        "duplicate, integer and tuple names": pd.DataFrame([[1, 2, 3, 4], [5, 6, 7, 8]], columns=["x", "x", 5, ("t", 1)]),
        "mixed objects": pd.DataFrame({"o": pd.Series(["a", 1, 2.5, None, b"\x00b", [1, [2]], {"k": 1}, (1, "t"),
                                                       decimal.Decimal("1.10"), datetime.date(2024, 2, 29)], dtype=object)}),
        "categorical": pd.DataFrame({"c": pd.Categorical(["b", None, "a", "b"]),
                                     "n": pd.Categorical([1.5, 2.5, None, 1.5]),
                                     "big": pd.Categorical.from_codes([49999, 0, 123, -1], ["c%d" % i for i in range(50000)])}),
        "times": pd.DataFrame({
            "tz": pd.to_datetime(["2024-03-31 01:30", None, "2024-10-27 02:30", "2000-01-01 00:00:00.000000001"])
                    .tz_localize("Europe/Berlin", ambiguous=True),
            "naive": pd.to_datetime(["2024-01-01", None, "1970-01-01 00:00:01", "2262-04-11"]),
            "delta": pd.to_timedelta(["1 days 02:03:04", None, "-5 ns", "0 s"]),
            "period": pd.period_range("2024-01", periods=4, freq="M"),
            "interval": pd.IntervalIndex.from_breaks([0, 1.5, 3, 10, 11], closed="left"),
        }),
        "clock edge cases": pd.DataFrame(
            {"amsterdam": pd.to_datetime(["1900-01-01 12:00", "1969-12-31 23:59:59.5", "2024-07-01 00:00:00.000001",
                                          "2024-01-01 00:00:00.000000001"]).tz_localize("Europe/Amsterdam"),
             "naive": pd.to_datetime(["1969-12-31 23:59:59.999999999", "1677-09-22", "2262-04-11 23:47:16.854775807",
                                      "1970-01-01 00:00:00.123"]),
             "delta": pd.to_timedelta([-1, -86400 * 10**9, 10**18, 1500], unit="ns"),
             "odd offset": pd.to_datetime(["2024-01-01 10:00", None, "1950-06-01", "2000-01-01"]).tz_localize(
                 datetime.timezone(datetime.timedelta(hours=-1, seconds=-30)))},
            index=pd.DatetimeIndex(["2024-03-10 01:59:59", "2024-03-10 03:00:00", "1890-01-01", None], tz="America/St_Johns")),
        "nullable": pd.DataFrame({"i": pd.array([1, None, 2**62, -3], dtype="Int64"),
                                  "b": pd.array([True, None, False, True], dtype="boolean"),
                                  "s": pd.array(["x", None, "", "ünï"], dtype="string"),
                                  "f": pd.array([0.1, None, 1e-12, -0.0], dtype="Float64")}),
        "numbers": pd.DataFrame({"f": [1e-12, 0.1, 1 / 3, 1e300, -0.0, 5e-324, float(2**53 + 2), float("inf")],
                                 "f32": np.array([0.1, 1e-12, 3.4e38, -1, 0, 1 / 3, 16777217, np.nan], dtype="float32"),
                                 "c": [1 + 2j, -0.5j, complex(1e-12, 1e300), 0j, complex("nan+1j"), 3, 4, 5],
                                 "u": np.array([2**64 - 1, 0, 1, 2, 3, 4, 5, 6], dtype="uint64"),
                                 "i": np.array([-2**63, 2**63 - 1, 2**53 + 1, 0, 1, 2, 3, 4], dtype="int64"),
                                 "huge": pd.Series([2**100, -(3**70), 1, 2, 3, 4, 5, 6], dtype=object),
                                 "bool": [True, False] * 4}),
        "missing mixes": pd.DataFrame({"o": pd.Series([float("nan"), None, pd.NaT, pd.NA, 1.0, float("inf"),
                                                       -float("inf"), numpy.datetime64("NaT")], dtype=object),
                                       "f": [np.nan, 1, None, np.inf, -np.inf, 0, 2, 3]}),
        "text": pd.DataFrame({"s": ["héllo", "日本語", "👍🏽 thumbs", long_text, "tab\there", "", " ", "line\nbreak"]}),
    }


class ZooTest(CellAssertions):
    def check_table(self, name, handle, value_at, index_at=None):
        reply = all_cells(handle)
        self.assertEqual(len(reply["cells"]), handle.row_count, name)
        for row, (position, cells) in enumerate(zip(reply["positions"], reply["cells"])):
            self.assertEqual(position, row, "%s: an unsorted view is in order" % name)
            self.assertEqual(len(cells), len(handle.table.columns), name)
            for column, cell in enumerate(cells):
                self.assert_cell_shows(cell, value_at(row, column), "%s[%d, %d]" % (name, row, column))
            if index_at is not None:
                for level, label in enumerate(reply["index"][row]):
                    self.assert_cell_shows(label, index_at(row, level), "%s index[%d, %d]" % (name, row, level))

    @needs_pandas
    def test_pandas_frames_show_their_own_values(self):
        for name, frame in pandas_zoo().items():
            with self.subTest(frame=name):
                handle = open_handle(frame)
                schema = handle.schema()
                self.assertEqual((schema["totalRows"], len(schema["columns"])), frame.shape, name)
                self.assertEqual([c["dtype"] for c in schema["columns"]], [str(t) for t in frame.dtypes], name)
                index = frame.index
                self.check_table(name, handle, lambda r, c: frame.iat[r, c],
                                 lambda r, l: index[r][l] if index.nlevels > 1 else index[r])

    @needs_pandas
    def test_column_labels_and_levels(self):
        zoo = pandas_zoo()
        names = [(c["name"], c["levels"]) for c in open_handle(zoo["multiindex rows and columns"]).schema()["columns"]]
        self.assertEqual(names, [("x / one", ["x", "one"]), ("x / two", ["x", "two"]), ("y", ["y", ""])])
        schema = open_handle(zoo["multiindex rows and columns"]).schema()
        self.assertEqual(schema["indexLevels"], [{"name": "letter", "dtype": "object"}, {"name": "number", "dtype": "int64"}])
        labels = [c["name"] for c in open_handle(zoo["duplicate, integer and tuple names"]).schema()["columns"]]
        self.assertEqual(labels, ["x", "x", "5", "('t', 1)"])

    @needs_pandas
    def test_kinds(self):
        zoo = pandas_zoo()
        kinds = lambda name: [c["kind"] for c in open_handle(zoo[name]).schema()["columns"]]
        self.assertEqual(kinds("times"), ["datetime", "datetime", "timedelta", "period", "interval"])
        self.assertEqual(kinds("nullable"), ["int", "bool", "str", "float"])
        self.assertEqual(kinds("numbers"), ["float", "float", "complex", "int", "int", "object", "bool"])
        self.assertEqual(kinds("categorical"), ["category"] * 3)
        self.assertEqual(kinds("text"), ["str"])

    @needs_pandas
    def test_long_text_is_cut_and_whole_on_request(self):
        frame = pandas_zoo()["text"]
        handle = open_handle(frame)
        self.assertEqual(handle.rows(3, 4)["cells"][0][0], [frame.iat[3, 0][:200], len(frame.iat[3, 0])])
        self.assertEqual(handle.cell_text(3, 0), frame.iat[3, 0])
        self.assertEqual(open_handle(pandas_zoo()["missing mixes"]).cell_text(0, 0), "NaN")

    @needs_pandas
    def test_series(self):
        for series in (pandas.Series([0.1, None, 3], name="price"), pandas.Series(["a", "b"], index=["x", "y"])):
            with self.subTest(name=series.name):
                handle = open_handle(series)
                self.assertEqual(handle.schema()["kind"], "series")
                self.assertEqual(handle.schema()["columns"][0]["name"], "price" if series.name else "0")
                self.check_table("series", handle, lambda r, c: series.iat[r], lambda r, l: series.index[r])

    @needs_numpy
    def test_numpy_arrays(self):
        arrays = {
            "1-D float": numpy.array([0.1, numpy.nan, -numpy.inf, 1e-12]),
            "2-D float32": numpy.array([[0.1, 1e-12], [3.4e38, numpy.nan]], dtype="float32"),
            "1-D datetime64": numpy.array(["2024-01-01T10:00", "NaT"], dtype="datetime64[s]"),
            "1-D str": numpy.array(["a", "日本"]),
            "1-D object": numpy.array([None, 1, "x", 2**70], dtype=object),
            "structured": numpy.array([(1, 2.5, b"ab", (1.0, 2.0)), (-2, numpy.nan, b"", (3.0, 4.0))],
                                      dtype=[("id", "i8"), ("x", "f8"), ("raw", "S4"), ("pair", "f8", (2,))]),
            "3-D int": numpy.arange(24).reshape(2, 3, 4),
        }
        for name, array in arrays.items():
            with self.subTest(array=name):
                handle = open_handle(array)
                if array.dtype.names:
                    fields = array.dtype.names
                    self.assertEqual([c["name"] for c in handle.schema()["columns"]], list(fields))
                    value_at = lambda r, c, a=array, f=fields: a[f[c]][r] if a[f[c]].ndim == 1 else a[f[c]][r].tolist()
                elif array.ndim == 2:
                    value_at = lambda r, c, a=array: a[r, c]
                elif array.ndim == 3:
                    self.assertEqual(handle.schema()["columns"][5]["levels"], ["1,1"])
                    value_at = lambda r, c, a=array: a[r, c // a.shape[2], c % a.shape[2]]
                else:
                    value_at = lambda r, c, a=array: a[r]
                self.check_table(name, handle, value_at)

    def test_lists_of_dicts_dicts_of_lists_and_grids(self):
        records = [{"a": 1, "b": "x"}, {"b": None, "c": 2**80}, {"a": 0.5, "c": [1, {"k": "v"}]}]
        columns = {"n": [1, 2, 3], "short": ["only one"], 7: [b"\x01", 1e-12, None]}
        grid = Grid({}, [{"name": "id"}, {"name": "v"}], [{"id": "r1", "v": 1.5}, {"id": "r2"}])
        cases = [
            ("records", records, ["a", "b", "c"], lambda r, c: records[r].get("abc"[c])),
            ("columns", columns, ["n", "short", "7"], lambda r, c: (list(columns.values())[c] + [None] * 3)[r]),
            ("grid", grid, ["id", "v"], lambda r, c: grid.rows[r].get(("id", "v")[c])),
        ]
        for kind, value, names, value_at in cases:
            with self.subTest(kind=kind):
                handle = open_handle(value)
                schema = handle.schema()
                self.assertEqual((schema["kind"], [c["name"] for c in schema["columns"]]), (kind, names))
                self.assertEqual(schema["totalRows"], 3 if kind != "grid" else 2)
                self.check_table(kind, handle, value_at)

    def test_python_columns_are_typed_by_their_values(self):
        handle = open_handle([{"i": 1, "f": 1, "s": "a", "d": datetime.datetime(2024, 1, 1), "m": 1},
                              {"i": None, "f": 2.5, "s": None, "d": None, "m": "x"}])
        columns = handle.schema()["columns"]
        self.assertEqual([(c["kind"], c["dtype"]) for c in columns],
                         [("int", "int"), ("float", "object"), ("str", "str"), ("datetime", "datetime.datetime"),
                          ("object", "object")])

    def test_what_does_not_open_says_why(self):
        for value in (42, "text", [1, 2], {"a": 1}):
            with self.subTest(value=value), self.assertRaisesRegex(TypeError, "table viewer shows"):
                open_handle(value)

    def test_window_and_column_range(self):
        handle = open_handle({"a": list(range(10)), "b": list(range(10, 20)), "c": list(range(20, 30))})
        reply = handle.rows(8, 50, [1, 3])
        self.assertEqual((reply["start"], reply["positions"], reply["firstColumn"], reply["filteredRows"]), (8, [8, 9], 1, 10))
        self.assertEqual(reply["cells"], [["18", "28"], ["19", "29"]])
        self.assertEqual(reply["index"], [["8"], ["9"]])
        self.assertEqual(handle.rows(20, 30)["cells"], [], "a window past the end is empty")
        self.assertEqual(SPECIAL["none"], open_handle([{"a": None}]).rows(0, 1)["cells"][0][0])


if __name__ == "__main__":
    unittest.main()
