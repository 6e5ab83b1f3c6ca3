"""Column summaries checked against pandas and numpy: counts, missing values, extremes, mean, the bins against
numpy.histogram, exact counts of categories and booleans, sampled ones of text, and the summary of a filtered view."""
import unittest
from unittest import mock

from pydock_agent import conformance
from pydock_agent.tables import summary

from optional import needs_pandas, numpy, pandas
from tables_support import never_cancelled, open_handle


def summaries(handle):
    found = [handle.summary(j, never_cancelled) for j in range(len(handle.table.columns))]
    for value in found:
        problem = conformance.reply_problem("table.summary", value)
        assert problem is None, problem
    return found


class SummaryTest(unittest.TestCase):
    @needs_pandas
    def test_numbers_and_dates_are_summarized_exactly(self):
        rng = numpy.random.default_rng(1)
        rows = 50000
        floats = rng.normal(size=rows)
        floats[rng.random(rows) < 0.1] = numpy.nan
        counts = pandas.array(rng.integers(-5, 1000, rows), dtype="Int64")
        counts[rng.random(rows) < 0.2] = pandas.NA
        when = pandas.Series(pandas.date_range("2024-01-01", periods=rows, freq="min", tz="Europe/Oslo"))
        when[rng.random(rows) < 0.05] = pandas.NaT
        frame = pandas.DataFrame({"float": floats, "Int64": counts, "when": when, "int": rng.integers(0, 7, rows)})
        with mock.patch.object(summary, "CHUNK", 4096):  # missing values fall in many chunks
            found = summaries(open_handle(frame))
        for column, result in zip(frame.columns, found):
            with self.subTest(column=column):
                series = frame[column]
                present = series.dropna()
                self.assertEqual((result["count"], result["nullCount"]), (len(present), int(series.isna().sum())))
                self.assertEqual(sum(result["bins"]), len(present))
                if column == "when":
                    self.assertEqual((result["min"], result["max"]), (str(present.min()), str(present.max())))
                    continue
                numbers = present.to_numpy(dtype="float64")
                self.assertEqual((float(result["min"]), float(result["max"])), (numbers.min(), numbers.max()))
                self.assertAlmostEqual(float(result["mean"]), numbers.mean(), places=9)
                if column != "int":  # numpy puts values on a bin edge into the upper bin too, with its own rounding
                    expected = numpy.histogram(numbers, bins=summary.BINS)[0].tolist()
                    self.assertLessEqual(sum(abs(a - b) for a, b in zip(result["bins"], expected)), 2)

    @needs_pandas
    def test_categories_and_booleans_count_exactly_and_text_from_a_sample(self):
        rng = numpy.random.default_rng(2)
        rows = 30000
        city = pandas.Categorical(rng.choice(["Oslo", "Lima", "Pune", "Kyiv", None], rows, p=[0.4, 0.3, 0.2, 0.05, 0.05]),
                                  categories=["Oslo", "Lima", "Pune", "Kyiv", "Unused"])
        words = numpy.array(rng.choice(["alpha", "beta", "gamma"], rows, p=[0.6, 0.3, 0.1]), dtype=object)
        words[rng.random(rows) < 0.25] = None
        frame = pandas.DataFrame({"city": city, "flag": rng.random(rows) < 0.7, "text": words})
        with mock.patch.object(summary, "SAMPLE", 5000):
            city_summary, flag_summary, text_summary = summaries(open_handle(frame))
        counts = frame["city"].value_counts()
        self.assertEqual(city_summary["top"], [{"value": v, "count": int(counts[v])} for v in counts.index[:3]])
        self.assertEqual((city_summary["distinct"], city_summary["nullCount"]), (4, int(frame["city"].isna().sum())))
        self.assertEqual(flag_summary["top"][0], {"value": "True", "count": int(frame["flag"].sum())})
        self.assertEqual((text_summary["sample"], text_summary["distinct"], text_summary["top"][0]["value"]), (5000, 3, "alpha"))
        self.assertAlmostEqual(text_summary["nullCount"] / rows, 0.25, delta=0.03, msg="scaled from the sample")
        self.assertEqual(text_summary["count"] + text_summary["nullCount"], rows)

    @needs_pandas
    def test_a_summary_follows_the_filtered_view(self):
        frame = pandas.DataFrame({"x": numpy.arange(100.0), "s": ["a", "b"] * 50})
        handle = open_handle(frame)
        handle.set_filters([{"column": 1, "op": "eq", "value": "b"}], "", never_cancelled)
        result = handle.summary(0, never_cancelled)
        self.assertEqual((result["count"], result["min"], result["max"]), (50, "1.0", "99.0"))

    def test_lists_are_summarized_from_their_profile(self):
        handle = open_handle([{"n": n, "s": s} for n, s in ((3, "a"), (None, "b"), (5, "a"))])
        number, text = summaries(handle)
        self.assertEqual((number["count"], number["nullCount"], number["min"], number["max"]), (2, 1, "3", "5"))
        self.assertEqual(text["top"][0], {"value": "a", "count": 2})


if __name__ == "__main__":
    unittest.main()
