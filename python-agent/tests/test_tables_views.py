"""Sorts and filters checked against pandas' own sort_values and boolean masks, and against Python's sorted(), on
random tables with missing values; table.code is run and must give exactly the same rows in the same order."""
import datetime
import math
import unittest

from pydock_agent.tables.code import to_code

from optional import needs_numpy, needs_pandas, numpy, pandas
from tables_support import never_cancelled, open_handle

ROWS = 600


def random_frame(seed=7, rows=ROWS):
    pd, np = pandas, numpy
    rng = np.random.default_rng(seed)
    missing = lambda: rng.random(rows) < 0.15
    words = np.array(["apple", "Banana", "cherry", "date", "éclair", "an"], dtype=object)
    text = words[rng.integers(0, len(words), rows)]
    text[missing()] = None
    text[missing()] = np.nan
    floats = rng.normal(size=rows).round(1)  # rounded: many ties
    floats[missing()] = np.nan
    when = pd.to_datetime(rng.integers(0, 6, rows), unit="D", origin="2024-01-01").tz_localize("Europe/Berlin")
    return pd.DataFrame({
        "int": rng.integers(-3, 4, rows),
        "float": floats,
        "text": text,
        "cat": pd.Categorical(np.where(missing(), None, rng.choice(["lo", "mid", "hi"], rows)),
                              categories=["lo", "mid", "hi"], ordered=True),
        "when": when.where(~missing()),
        "Int64": pd.array(np.where(missing(), None, rng.integers(-2, 3, rows)), dtype="Int64"),
        "boolean": pd.array(np.where(missing(), None, rng.random(rows) < 0.5), dtype="boolean"),
        "string": pd.array(np.where(missing(), None, text), dtype="string"),
        "delta": pd.to_timedelta(np.where(missing(), None, rng.integers(0, 5, rows)), unit="h"),
    })


def pandas_masks(df):
    """(filter, the same filter as a pandas mask): the viewer's filters and what pandas says they keep."""
    pd = pandas
    column = {name: i for i, name in enumerate(df.columns)}
    f = lambda name, op, **more: dict(more, column=column[name], op=op)
    text = df["text"]
    return [
        (f("float", "gt", value="0.5"), df["float"] > 0.5),
        (f("float", "ne", value="0.1"), (df["float"] != 0.1) & df["float"].notna()),
        (f("int", "between", value="-1", value2="1"), df["int"].between(-1, 1)),
        (f("int", "in", values=["1", "3"]), df["int"].isin([1, 3])),
        (f("text", "contains", value="AN"), text.str.contains("an", case=False, na=False)),
        (f("text", "contains", value="An", caseSensitive=True), text.str.contains("An", na=False)),
        (f("text", "regex", value="^[a-c]"), text.str.contains("^[a-c]", case=False, regex=True, na=False)),
        (f("text", "eq", value="apple"), text == "apple"),
        (f("text", "lt", value="c"), text.map(lambda v: isinstance(v, str) and v < "c")),
        (f("text", "in", values=["date", "éclair"]), text.isin(["date", "éclair"])),
        (f("text", "isnull"), text.isna()),
        (f("cat", "gt", value="lo"), df["cat"] > "lo"),
        (f("cat", "eq", value="mid"), df["cat"] == "mid"),
        (f("cat", "notnull"), df["cat"].notna()),
        (f("when", "ge", value="2024-01-03"), df["when"] >= pd.Timestamp("2024-01-03", tz="Europe/Berlin")),
        (f("when", "between", value="2024-01-02", value2="2024-01-03 12:00"),
         df["when"].between(pd.Timestamp("2024-01-02", tz="Europe/Berlin"), pd.Timestamp("2024-01-03 12:00", tz="Europe/Berlin"))),
        (f("Int64", "le", value="0"), (df["Int64"] <= 0).fillna(False)),
        (f("Int64", "ne", value="1"), (df["Int64"] != 1).fillna(False)),
        (f("boolean", "eq", value="true"), (df["boolean"] == True).fillna(False)),  # noqa: E712 - pandas' own mask
        (f("string", "contains", value="err"), df["string"].str.contains("err", case=False).fillna(False)),
        (f("string", "ge", value="cherry"), (df["string"] >= "cherry").fillna(False)),
        (f("delta", "gt", value="2 hours"), df["delta"] > pd.Timedelta(hours=2)),
    ]


def python_sorted(columns, keys, rows):
    """Positions in order: stable sorts from the last key to the first, missing values last, by sorted()."""
    order = list(range(rows))
    for name, descending in reversed(keys):
        values = columns[name]
        present = [i for i in order if not _missing(values[i])]
        present.sort(key=values.__getitem__, reverse=descending)  # sorted() stays stable in reverse too
        order = present + [i for i in order if _missing(values[i])]
    return order


def _missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        numpy is not None and isinstance(value, numpy.generic) and value.dtype.kind in "fmM" and numpy.isnan(value))


def view_positions(handle):
    return handle.rows(0, handle.row_count, [0, 0])["positions"]


class PandasViewsTest(unittest.TestCase):
    @needs_pandas
    def setUp(self):
        self.frame = random_frame()
        self.handle = open_handle(self.frame, df=self.frame)

    def assert_view(self, expected, what):
        expected = [int(i) for i in expected]
        positions = view_positions(self.handle)
        self.assertEqual(len(positions), len(expected), "%s: %d rows, pandas keeps %d" % (what, len(positions), len(expected)))
        self.assertEqual(positions, expected, "%s: the rows differ from pandas'" % what)
        self.assertEqual(self.handle.schema()["filteredRows"], len(expected), what)

    def assert_code_gives_view(self, what):
        code = to_code(self.handle, "df")
        namespace = {"df": self.frame}
        *statements, expression = code.splitlines()
        exec("\n".join(statements), namespace)
        result = eval(expression, namespace)
        self.assertEqual(list(result.index), view_positions(self.handle), "%s: %s gives other rows" % (what, code))

    def test_each_column_sorts_as_pandas_does(self):
        for j, name in enumerate(self.frame.columns):
            for descending in (False, True):
                with self.subTest(column=name, descending=descending):
                    self.handle.set_sort([{"column": j, "descending": descending}], never_cancelled)
                    expected = self.frame.sort_values(name, ascending=not descending, kind="stable", na_position="last")
                    self.assert_view(expected.index, "sort %s" % name)
                    self.assert_code_gives_view("sort %s" % name)

    def test_several_keys_sort_as_pandas_does(self):
        names = list(self.frame.columns)
        for keys in ([("int", False), ("float", True)], [("cat", True), ("text", False)],
                     [("when", False), ("Int64", True), ("string", False)], [("boolean", True), ("delta", False), ("int", True)]):
            with self.subTest(keys=keys):
                self.handle.set_sort([{"column": names.index(n), "descending": d} for n, d in keys], never_cancelled)
                expected = self.frame.sort_values([n for n, _ in keys], ascending=[not d for _, d in keys],
                                                  kind="stable", na_position="last")
                self.assert_view(expected.index, "sort %s" % keys)
                self.assert_code_gives_view("sort %s" % keys)

    def test_each_filter_keeps_what_pandas_keeps(self):
        for spec, mask in pandas_masks(self.frame):
            with self.subTest(filter=spec):
                self.handle.set_filters([spec], "", never_cancelled)
                self.assert_view(numpy.flatnonzero(mask.to_numpy(dtype=bool)), "filter %s" % spec)
                self.assert_code_gives_view("filter %s" % spec)

    def test_filters_combine_and_the_sort_applies_to_what_they_keep(self):
        masks = pandas_masks(self.frame)
        (first, first_mask), (second, second_mask) = masks[0], masks[4]
        self.handle.set_sort([{"column": 3, "descending": True}, {"column": 1, "descending": False}], never_cancelled)
        self.handle.set_filters([first, second], "", never_cancelled)
        kept = self.frame[first_mask & second_mask]
        expected = kept.sort_values(["cat", "float"], ascending=[False, True], kind="stable", na_position="last")
        self.assert_view(expected.index, "two filters, then a sort")
        self.assert_code_gives_view("two filters and a sort")
        self.handle.set_sort([], never_cancelled)
        self.assert_view(kept.index, "an empty sort restores the original order")
        self.handle.set_filters([], "", never_cancelled)
        self.assert_view(self.frame.index, "no filters keep every row")

    def test_search_finds_text_in_any_column(self):
        for needle in ("AN", "2024-01-0", "-1", "tru", "zzz"):
            with self.subTest(search=needle):
                self.handle.set_filters([], needle, never_cancelled)
                expected = [i for i, row in enumerate(self.frame.itertuples(index=False))
                            if any(not pandas.isna(v) and needle.upper() in str(v).upper() for v in row)]
                self.assert_view(expected, "search %r" % needle)
                self.assert_code_gives_view("search %r" % needle)

    def test_code_for_duplicate_and_tuple_labels(self):
        frame = pandas.DataFrame({"a": [3, 1, 2, 1], "b": [1.0, None, 2.0, 0.5]})
        frame.columns = ["x", "x"]
        handle = open_handle(frame, df=frame)
        handle.set_sort([{"column": 1, "descending": True}, {"column": 0, "descending": False}], never_cancelled)
        handle.set_filters([{"column": 0, "op": "ge", "value": "1"}], "", never_cancelled)
        self.handle, self.frame = handle, frame
        self.assertEqual(view_positions(handle), [2, 0, 3, 1])
        self.assert_code_gives_view("duplicate labels")

    def test_code_for_arrays_records_and_grids_converts_them_first(self):
        from pydock import Grid

        rng = numpy.random.default_rng(2)
        array = rng.normal(size=(200, 3)).round(1)
        records = [{"n": int(rng.integers(0, 5)), "s": str(rng.choice(["ab", "b", "c"]))} for _ in range(200)]
        grid = Grid({}, [{"name": "n"}, {"name": "s"}], records)
        for value, filters, keys in (
                (array, [{"column": 1, "op": "gt", "value": "0"}], [{"column": 2, "descending": True}]),
                (array.reshape(200, 3, 1), [{"column": 1, "op": "gt", "value": "0"}], [{"column": 2, "descending": True}]),
                (records, [{"column": 1, "op": "contains", "value": "B"}], [{"column": 0, "descending": False}]),
                (grid, [{"column": 0, "op": "in", "values": ["1", "3"]}], [{"column": 1, "descending": True}])):
            with self.subTest(kind=type(value).__name__, dimensions=getattr(value, "ndim", None)):
                self.handle, self.frame = open_handle(value), value
                self.handle.set_filters(filters, "", never_cancelled)
                self.handle.set_sort(keys, never_cancelled)
                self.assert_code_gives_view("code on a %s" % type(value).__name__)

    def test_the_example_of_the_issue(self):
        frame = pandas.DataFrame({"a": [5, 1, 4, 9], "b": ["xa", "X", "y", None]})
        handle = open_handle(frame, df=frame)
        handle.set_filters([{"column": 0, "op": "gt", "value": "3"}, {"column": 1, "op": "contains", "value": "x"}], "",
                           never_cancelled)
        handle.set_sort([{"column": 0, "descending": True}], never_cancelled)
        self.assertEqual(to_code(handle, "df"), 'df[(df["a"] > 3) & df["b"].str.contains("x", case=False, regex=False, '
                                                'na=False)].sort_values(["a"], ascending=[False], kind="stable", na_position="last")')

    def test_a_bad_filter_value_says_which_column(self):
        with self.assertRaisesRegex(ValueError, "column float: 'abc' is not a float value"):
            self.handle.set_filters([{"column": 1, "op": "gt", "value": "abc"}], "", never_cancelled)
        self.assertEqual(self.handle.schema()["filters"], [], "a failed filter leaves the view as it was")


class PythonViewsTest(unittest.TestCase):
    """Lists of dicts sort and filter without numpy or pandas, as sorted() and list comprehensions say."""

    def setUp(self):
        import random

        rng = random.Random(11)
        self.rows = [{"n": rng.choice([None, float("nan"), 1, 2, 2.5, -1]), "s": rng.choice([None, "b", "a", "B", "ab"]),
                      "d": rng.choice([None] + [datetime.date(2024, 1, d) for d in (1, 2, 3)])} for _ in range(300)]
        self.handle = open_handle(self.rows)
        self.columns = {k: [r.get(k) for r in self.rows] for k in ("n", "s", "d")}

    def test_sorts(self):
        for keys in ([("n", False)], [("n", True)], [("s", True)], [("d", False), ("s", False)], [("s", False), ("n", True)]):
            with self.subTest(keys=keys):
                self.handle.set_sort([{"column": "nsd".index(k), "descending": d} for k, d in keys], never_cancelled)
                self.assertEqual(view_positions(self.handle), python_sorted(self.columns, keys, len(self.rows)))

    def test_filters(self):
        n, s = self.columns["n"], self.columns["s"]
        cases = [
            ({"column": 0, "op": "ge", "value": "2"}, [not _missing(v) and v >= 2 for v in n]),
            ({"column": 0, "op": "isnull"}, [_missing(v) for v in n]),
            ({"column": 1, "op": "contains", "value": "A"}, [v is not None and "A" in v.upper() for v in s]),
            ({"column": 1, "op": "in", "values": ["a", "B"]}, [v in ("a", "B") for v in s]),
            ({"column": 1, "op": "regex", "value": "^b$", "caseSensitive": True}, [v == "b" for v in s]),
        ]
        for spec, expected in cases:
            with self.subTest(filter=spec):
                self.handle.set_filters([spec], "", never_cancelled)
                self.assertEqual(view_positions(self.handle), [i for i, keep in enumerate(expected) if keep])

    def test_search(self):
        self.handle.set_filters([], "2024-01-02", never_cancelled)
        self.assertEqual(view_positions(self.handle), [i for i, d in enumerate(self.columns["d"]) if d == datetime.date(2024, 1, 2)])


class NumpyViewsTest(unittest.TestCase):
    """numpy arrays sort and filter with numpy alone (pandas, when it is here, changes nothing)."""

    @needs_numpy
    def test_sorts_as_sorted_does(self):
        rng = numpy.random.default_rng(3)
        floats = rng.normal(size=500).round(1)
        floats[rng.random(500) < 0.1] = numpy.nan
        dates = numpy.array(rng.integers(0, 5, 500), dtype="datetime64[D]")
        dates[rng.random(500) < 0.1] = numpy.datetime64("NaT")
        for name, array in (("float", floats), ("int", rng.integers(-3, 3, 500)), ("datetime64", dates),
                            ("str", numpy.array(["b", "a", "c", "ab"])[rng.integers(0, 4, 500)])):
            for descending in (False, True):
                with self.subTest(array=name, descending=descending):
                    handle = open_handle(array)
                    handle.set_sort([{"column": 0, "descending": descending}], never_cancelled)
                    expected = python_sorted({"a": list(array)}, [("a", descending)], len(array))
                    self.assertEqual(view_positions(handle), expected)

    @needs_numpy
    def test_filters_on_a_2d_array(self):
        array = numpy.arange(40, dtype="float64").reshape(10, 4)
        array[3, 1] = numpy.nan
        handle = open_handle(array)
        handle.set_filters([{"column": 1, "op": "gt", "value": "10"}, {"column": 2, "op": "contains", "value": "2"}], "",
                           never_cancelled)
        expected = [i for i in range(10) if array[i, 1] > 10 and "2" in repr(float(array[i, 2]))]
        self.assertEqual(view_positions(handle), expected)


if __name__ == "__main__":
    unittest.main()
