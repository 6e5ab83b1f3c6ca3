"""Numbers as they read: pandas' own formatting at the same precision, tiny values never 0, thousands separators,
and the exact text beside them in cells, table.cell, previews, variables and exports."""
import csv
import math
import os
import random
import shutil
import tempfile
import unittest

from pydock_agent import namespace, tables
from pydock_agent.preview import table_preview
from pydock_agent.tables.formatting import cell, full_text
from pydock_agent.tables.numbertext import NumberFormat, numbers_as, readable

from optional import needs_numpy, needs_pandas, numpy, pandas
from tables_support import never_cancelled, open_handle

SAMPLES = [0.1 + 0.2, 222.39999999999998, 193.70000000000002, 24.869412937427317, 27.072000000000003, 1e-12, -1e-12,
           5e-7, 1e-6, 0.0000015, 0.5, 5.0, -0.0, 0.0, 1.0, 123456.789, 999999.4999, 1000000.0, 1000000.5, 1234567.0,
           -9876543.21, 1e15, 1.5e300, 2.2250738585072014e-308, 5e-324, math.pi, -math.e, 1 / 3, 2 / 3, 0.125, 99.99999999]


def pandas_text(number, precision, dtype="float64"):
    """What pandas prints for a float column holding only this number, at display.precision `precision`: as it shows
    a frame, beside its index (which gives the values a sign column, and counts in pandas' choice of notation)."""
    with pandas.option_context("display.precision", precision):
        return pandas.Series([number], dtype=dtype).to_string().split()[-1]


def trimmed_scientific(text):
    """pandas keeps the mantissa's zeros in scientific notation (1.000000e-12); pydock drops them (1e-12)."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + "e" + exponent


def shown(value, **spec):
    with numbers_as(dict({"precision": 6, "thousands": False}, **spec)):
        return readable(value)


class AsPandasWritesTest(unittest.TestCase):
    @needs_pandas
    def test_each_number_reads_as_pandas_writes_it_at_the_same_precision(self):
        rng = random.Random(7)
        numbers = SAMPLES + [rng.uniform(-1, 1) * 10 ** rng.randint(-12, 12) for _ in range(300)]
        for precision in (0, 1, 2, 3, 6, 10):
            for number in numbers:
                with self.subTest(number=repr(number), precision=precision):
                    self.assertEqual(NumberFormat(precision).float_text(number), trimmed_scientific(pandas_text(number, precision)))

    @needs_pandas
    def test_float32_reads_as_pandas_writes_it(self):
        # (pandas 1.5 writes a nullable Float64 1e-9 as 0.0 at precision 3: that one is not followed)
        for number in (0.1, 2.675, 1e-9, 12345.6789, 3e7, 1.5e12):
            value = pandas.Series([number], dtype="float32").iloc[0]
            with self.subTest(number=number):
                self.assertEqual(shown(value, precision=3), trimmed_scientific(pandas_text(number, 3, "float32")))

    def test_the_examples_of_the_issue(self):
        self.assertEqual([shown(v) for v in (222.39999999999998, 193.70000000000002, 0.1 + 0.2, 24.869412937427317)],
                         ["222.4", "193.7", "0.3", "24.869413"])
        self.assertEqual(shown(27.072000000000003), "27.072")
        self.assertEqual(shown(1e-12), "1e-12")

    def test_tiny_values_never_read_as_zero(self):
        for precision in range(0, 12):
            for exponent in range(-320, 0):
                number = 1.7 * 10.0 ** exponent
                if number == 0:
                    continue
                text = NumberFormat(precision).float_text(number)
                with self.subTest(number=number, precision=precision, text=text):
                    self.assertNotEqual(float(text), 0.0)

    def test_thousands_separators_in_integers_and_the_integral_part(self):
        self.assertEqual(shown(1234567, thousands=True), "1,234,567")
        self.assertEqual(shown(-1234.5, thousands=True), "-1,234.5")
        self.assertEqual(shown(999999.25, thousands=True), "999,999.25")
        self.assertEqual(shown(2e6, thousands=True), "2,000,000.0")
        self.assertEqual(shown(1e15, thousands=True), "1e+15", "scientific notation has no separators")
        self.assertIsNone(shown(1234567), "integers are exact without separators")

    def test_only_finite_plain_numbers_change(self):
        for value in (float("nan"), float("inf"), -float("inf"), True, "0.30000000000000004", None, 1 + 2j, [0.1]):
            with self.subTest(value=value):
                self.assertIsNone(shown(value))
        self.assertIsNone(readable(0.1 + 0.2), "outside numbers_as numbers stay exact")

    def test_precision_is_bounded(self):
        self.assertEqual(NumberFormat(-3).precision, 0)
        self.assertEqual(NumberFormat(400).float_text(0.1), "0.10000000000000001")

    @needs_numpy
    def test_numpy_scalars(self):
        self.assertEqual(shown(numpy.float64(0.1) + numpy.float64(0.2)), "0.3")
        self.assertEqual(shown(numpy.float32(0.1)), "0.1")
        self.assertEqual(shown(numpy.int64(10 ** 9), thousands=True), "1,000,000,000")
        self.assertIsNone(shown(numpy.float64("nan")))
        self.assertIsNone(shown(numpy.bool_(True)))


class ExactBesideTest(unittest.TestCase):
    def test_a_cell_carries_the_exact_text_beside_the_shown_one(self):
        with numbers_as({"precision": 6, "thousands": False}):
            self.assertEqual(cell(0.1 + 0.2), ["0.3", "0.30000000000000004"])
            self.assertEqual(cell(0.5), "0.5", "a number that reads as it is needs no exact text")
            self.assertEqual(cell(float("nan")), cell(None) + 1, "NaN stays a special value")
            self.assertEqual(full_text(1e-12), "1e-12")
        self.assertEqual(cell(0.1 + 0.2), "0.30000000000000004", "no format: exact")

    def test_rows_read_formatted_and_the_exact_text_survives_table_cell_and_export(self):
        values = [0.1 + 0.2, 1e-12, 1234567.125, float("nan")]
        namespace_ = {"rows": [{"x": v, "n": 10 ** 6 + i} for i, v in enumerate(values)]}
        agent_tables = tables.Tables(namespace_, None)
        handle = agent_tables.open("rows")
        with numbers_as({"precision": 6, "thousands": True}):
            page = handle.rows(0, 4)
        self.assertEqual([row[0] for row in page["cells"]],
                         [["0.3", "0.30000000000000004"], "1e-12", ["1,234,567.125", "1234567.125"], cell(float("nan"))])
        self.assertEqual([row[1] for row in page["cells"]][:2], [["1,000,000", "1000000"], ["1,000,001", "1000001"]])
        for i, value in enumerate(values[:3]):
            exact = handle.cell_text(i, 0)
            self.assertEqual(float(exact), value, "table.cell gives the exact text, what hover and copy show")
        folder = tempfile.mkdtemp(prefix="pydock-numbers-")
        self.addCleanup(shutil.rmtree, folder)
        self.addCleanup(os.chdir, os.getcwd())
        os.chdir(folder)
        with numbers_as({"precision": 2, "thousands": True}):  # the viewer's format never reaches an export
            tables.export(handle, "out.csv", "csv", never_cancelled)
        with open("out.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual([r[0] for r in rows[1:]], ["0.30000000000000004", "1e-12", "1234567.125", ""])
        self.assertEqual([float(r[0]) for r in rows[1:4]], values[:3])

    def test_profiles_read_formatted_with_their_exact_text(self):
        handle = open_handle([{"t": v} for v in (24.1, 25.3, 25.208241, 24.869412937427317)])
        with numbers_as({"precision": 3, "thousands": False}):
            profile = handle.profile(0, never_cancelled)
        mean = (24.1 + 25.3 + 25.208241 + 24.869412937427317) / 4
        self.assertEqual(profile["mean"], ["%.3f" % mean, repr(mean)])
        self.assertEqual(profile["max"], "25.3")
        self.assertTrue(all(isinstance(e, str) or len(e[0]) <= 6 for e in profile["histogram"]["edges"]),
                        profile["histogram"]["edges"])

    def test_variables_give_the_number_as_it_reads_beside_its_repr(self):
        space = {"x": 0.1 + 0.2, "n": 1234567, "s": "text"}
        with numbers_as({"precision": 6, "thousands": True}):
            listed = {v["name"]: v for v in namespace.list_variables(space)["variables"]}
        self.assertEqual((listed["x"]["repr"], listed["x"]["shown"]), ("0.30000000000000004", "0.3"))
        self.assertEqual(listed["n"]["shown"], "1,234,567")
        self.assertNotIn("shown", listed["s"])

    @needs_pandas
    def test_the_preview_reads_as_pandas_writes_and_keeps_nan_as_pandas_names_it(self):
        frame = pandas.DataFrame({"a": [0.1 + 0.2, float("nan"), 1e-12], "b": ["x", None, "z"]})
        with numbers_as({"precision": 6, "thousands": False}):
            preview = table_preview(frame)
        nan, none = cell(float("nan")), cell(None)
        self.assertEqual(preview["rows"], [[["0.3", "0.30000000000000004"], "x"], [nan, none], ["1e-12", "z"]])
        with pandas.option_context("display.precision", 6):
            self.assertIn("NaN", frame.to_string(), "the special value's name is pandas' own")


if __name__ == "__main__":
    unittest.main()
