"""The panel's table preview: the first rows as pandas shows them, index levels and column levels included."""
import unittest

from pydock_agent.preview import table_preview

from optional import needs_numpy, needs_pandas, numpy, pandas


class PreviewTest(unittest.TestCase):
    @needs_pandas
    def test_a_multiindex_gives_one_label_per_level_and_joined_column_levels(self):
        frame = pandas.DataFrame(
            [[1.5, 2], [3.25, 4], [5.0, 6]],
            index=pandas.MultiIndex.from_tuples([("Oslo", 1), ("Oslo", 2), ("Lima", 1)], names=["city", "month"]),
            columns=pandas.MultiIndex.from_tuples([("temperature", "mean"), ("temperature", "max")]),
        )
        preview = table_preview(frame)
        self.assertEqual(preview["indexNames"], ["city", "month"])
        self.assertEqual(preview["index"], [["Oslo", "1"], ["Oslo", "2"], ["Lima", "1"]])
        self.assertEqual(preview["columns"], ["temperature / mean", "temperature / max"])
        self.assertEqual(preview["rows"], [["1.5", "2"], ["3.25", "4"], ["5.0", "6"]])

    @needs_pandas
    def test_a_plain_frame_and_a_series_have_one_unnamed_level(self):
        preview = table_preview(pandas.Series([10, 20], name="n"))
        self.assertEqual([preview["indexNames"], preview["index"], preview["columns"]], [[""], [["0"], ["1"]], ["n"]])

    @needs_pandas
    def test_a_series_says_it_is_one_with_its_name_and_dtype(self):
        grouped = pandas.DataFrame({"city": ["Oslo", "Lima", "Oslo"], "temperature": [1.0, 2.0, 4.0]}) \
            .groupby("city").temperature.mean()
        preview = table_preview(grouped)
        self.assertEqual([preview["kind"], preview["shape"], preview["columns"], preview["dtypes"], preview["indexNames"]],
                         ["series", [2], ["temperature"], ["float64"], ["city"]])
        self.assertEqual(preview["rows"], [["2.0"], ["2.5"]])
        self.assertEqual(table_preview(pandas.Series([1, 2]))["columns"], ["0"], "unnamed, as the viewer names it")

    @needs_numpy
    def test_an_array_is_labelled_by_position(self):
        preview = table_preview(numpy.arange(6).reshape(3, 2))
        self.assertEqual([preview["indexNames"], preview["index"], preview["rows"][2]], [[""], [["0"], ["1"], ["2"]], ["4", "5"]])


if __name__ == "__main__":
    unittest.main()
