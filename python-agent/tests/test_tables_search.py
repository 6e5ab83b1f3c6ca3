"""The global search checked against its definition (a row matches when the text the viewer shows for one of its
values contains the string, ignoring case, and missing values never match) on columns of every kind, across chunk
boundaries; its first page against the whole search; a narrowing search against a fresh one."""
import unittest
from unittest import mock

from pydock_agent.tables import search
from pydock_agent.tables.formatting import full_text, is_null

from optional import needs_numpy, needs_pandas, numpy, pandas
from tables_support import never_cancelled, open_handle

NEEDLES = ("1", "12", "n", "f", "-1", "-", "0.", "e-0", "INF", "nan", "an", "É", "2024-01-0", "01 0", " days 0", ":3", "true",
           "b\u00df", "zzz", "7 ")


def expected_rows(frame, needle):
    """The definition, value by value: rows where a present value's text contains needle, ignoring case."""
    columns = [frame.iloc[:, j].tolist() if frame.dtypes.iloc[j].kind == "O" else frame.iloc[:, j].array
               for j in range(frame.shape[1])]
    texts = [[None if is_null(v) else full_text(v).upper() for v in column] for column in columns]
    return [row for row in range(len(frame)) if any(t[row] is not None and needle.upper() in t[row] for t in texts)]


def mixed_frame(rows=700, seed=3):
    pd, np = pandas, numpy
    rng = np.random.default_rng(seed)
    missing = lambda: rng.random(rows) < 0.1
    words = np.array(["apple", "Banana", "éclair", "straße", "an", "", "NaN text", "inf"], dtype=object)
    text = words[rng.integers(0, len(words), rows)]
    text[missing()] = None
    text[missing()] = np.nan
    text[rng.random(rows) < 0.03] = 12  # numbers among the text
    floats = numpy.round(rng.normal(scale=50, size=rows), 2) * 10.0 ** -rng.integers(0, 6, rows)  # short and long texts
    floats[missing()] = np.nan
    floats[rng.random(rows) < 0.02] = np.inf
    floats[rng.random(rows) < 0.02] = 1e-7
    return pd.DataFrame({
        "text": text,
        "string": pd.array(np.where(missing(), None, words[rng.integers(0, len(words), rows)]), dtype="string"),
        "float": floats,
        "float32": (floats * 0.3).astype("float32"),
        "int": rng.integers(-150, 15000, rows),
        "uint8": rng.integers(0, 256, rows).astype("uint8"),
        "Int64": pd.array(np.where(missing(), None, rng.integers(-20, 200, rows)), dtype="Int64"),
        "when": pd.to_datetime(rng.integers(0, 10**6, rows), unit="s", origin="2024-01-01").tz_localize("Europe/Oslo"),
        "naive": pd.to_datetime(rng.integers(0, 10**9, rows), unit="ms").where(~missing()),
        "delta": pd.to_timedelta(np.where(missing(), None, rng.integers(-10**6, 10**7, rows)), unit="s"),
        "cat": pd.Categorical(np.where(missing(), None, rng.choice(["lo", "mid-1", "hi"], rows))),
        "flag": rng.random(rows) < 0.5,
    })


class SearchTest(unittest.TestCase):
    @needs_pandas
    def test_every_kind_of_column_matches_its_definition_across_chunks(self):
        frame = mixed_frame()
        handle = open_handle(frame)
        for chunk in (search.CHUNK, 97):  # 97: a chunk boundary falls inside every column's fast path
            with mock.patch.object(search, "CHUNK", chunk):
                for needle in NEEDLES:
                    with self.subTest(needle=needle, chunk=chunk):
                        handle.set_filters([], needle, never_cancelled)
                        self.assertEqual(list(handle.positions(0, handle.row_count)), expected_rows(frame, needle))

    @needs_pandas
    def test_the_first_page_is_the_start_of_the_whole_search_in_the_view_order(self):
        frame = mixed_frame(rows=5000)
        whole = open_handle(frame)
        whole.set_sort([{"column": 2, "descending": True}], never_cancelled)
        whole.set_filters([], "1", never_cancelled)
        expected = list(whole.positions(0, whole.row_count))
        handle = open_handle(frame)
        handle.set_sort([{"column": 2, "descending": True}], never_cancelled)
        with mock.patch.object(search, "FIRST_CHUNK", 64):
            schema = handle.set_filters([], "1", never_cancelled, limit=10)
        self.assertTrue(schema["partial"], "a search that stopped early says so")
        found = list(handle.positions(0, handle.row_count))
        self.assertGreaterEqual(len(found), 10)
        self.assertLess(len(found), len(expected))
        self.assertEqual(found, expected[:len(found)])
        handle.complete(never_cancelled)
        self.assertEqual((list(handle.positions(0, handle.row_count)), handle.partial), (expected, False))

    @needs_pandas
    def test_a_first_page_that_reaches_the_end_is_the_whole_search(self):
        handle = open_handle(mixed_frame(rows=300))
        schema = handle.set_filters([], "zzz", never_cancelled, limit=100)
        self.assertEqual((schema["filteredRows"], "partial" in schema), (0, False))

    @needs_pandas
    def test_a_narrowing_search_looks_only_at_the_rows_found_before_and_finds_what_a_fresh_search_finds(self):
        frame = mixed_frame(rows=3000)
        handle = open_handle(frame)
        handle.set_filters([{"column": 4, "op": "gt", "value": "0"}], "a", never_cancelled)
        looked_at = []
        real_mask = search.mask
        with mock.patch.object(search, "mask", lambda table, text, positions, check: (
                looked_at.append(len(positions)), real_mask(table, text, positions, check))[1]):
            handle.set_filters([{"column": 4, "op": "gt", "value": "0"}], "AN", never_cancelled)
        fresh = open_handle(frame)
        fresh.set_filters([{"column": 4, "op": "gt", "value": "0"}], "an", never_cancelled)
        self.assertEqual(list(handle.positions(0, handle.row_count)), list(fresh.positions(0, fresh.row_count)))
        self.assertLess(looked_at[0], 3000, "only the rows the search for 'a' kept were searched again")

    @needs_numpy
    def test_integers_of_every_size_and_sign(self):
        values = numpy.array([0, 5, -5, 10, 105, -1205, 120, 9223372036854775807, -9223372036854775808, 1000000],
                             dtype="int64")
        handle = open_handle(values)
        for needle in ("0", "05", "-12", "-1", "12", "922", "-9223372036854775808", "807", "10", "1000000", "00000000000"):
            with self.subTest(needle=needle):
                handle.set_filters([], needle, never_cancelled)
                self.assertEqual(list(handle.positions(0, handle.row_count)),
                                 [i for i, v in enumerate(values.tolist()) if needle in str(v)])
        for dtype in ("int8", "uint64", "uint16"):
            small = numpy.array([0, 127, 12, 100, 255 if dtype != "int8" else -128], dtype=dtype)
            handle = open_handle(small)
            for needle in ("12", "-12", "0", "28"):
                with self.subTest(dtype=dtype, needle=needle):
                    handle.set_filters([], needle, never_cancelled)
                    self.assertEqual(list(handle.positions(0, handle.row_count)),
                                     [i for i, v in enumerate(small.tolist()) if needle in str(v)])

    def test_lists_of_records_without_numpy_paths(self):
        rows = [{"a": "Apple", "b": 12}, {"a": None, "b": -3}, {"a": "pear", "b": None}]
        handle = open_handle(rows)
        for needle, expected in (("ap", [0]), ("-3", [1]), ("none", []), ("1", [0])):
            with self.subTest(needle=needle):
                handle.set_filters([], needle, never_cancelled, limit=1)
                handle.complete(never_cancelled)
                self.assertEqual(list(handle.positions(0, handle.row_count)), expected)


if __name__ == "__main__":
    unittest.main()
