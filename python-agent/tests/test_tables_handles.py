"""Handles through the inspector as the agent runs them: open by expression and by result ref, profiles checked
against pandas and the statistics module, exports read back, cancellation, release and the handle limit."""
import csv
import os
import queue
import shutil
import statistics
import tempfile
import threading
import unittest
from unittest import mock

from pydock_agent.inspector import Inspector
from pydock_agent.results import ResultStore
from pydock_agent.sizes import estimate_bytes
from pydock_agent import conformance, tables
from pydock_agent.tables import profile as profiles

from optional import needs_numpy, needs_pandas, numpy, pandas
from tables_support import never_cancelled, open_handle


class InspectorHarness:
    """A real Inspector with the table handlers; replies land in a queue."""

    def __init__(self, namespace):
        self.replies = queue.Queue()
        self.inspector = Inspector(self._replied)
        self.results = ResultStore()
        self.tables = tables.register(self.inspector, namespace, self.results)
        self._ids = iter(range(1, 1 << 30))

    def _replied(self, request, value, error, ms):
        """Every reply is held to the protocol's tables, as the agent holds its events with PYDOCK_CHECK_EVENTS."""
        problem = error is None and conformance.reply_problem(request["type"], value)
        if problem:
            error = {"type": "ProtocolViolation", "message": problem, "frames": [], "text": problem}
        self.replies.put((request["id"], value, error))

    def submit(self, kind, **fields):
        request_id = next(self._ids)
        self.inspector.submit(dict(fields, type=kind, id=request_id))
        return request_id

    def ask(self, kind, **fields):
        request_id = self.submit(kind, **fields)
        reply_id, value, error = self.replies.get(timeout=60)
        assert reply_id == request_id, (reply_id, request_id)
        if error is not None:
            raise AssertionError("%s failed: %s: %s" % (kind, error["type"], error["message"]))
        return value


class HandlesTest(unittest.TestCase):
    def setUp(self):
        self.namespace = {"rows": [{"a": i % 7, "b": "text %d" % (i % 3)} for i in range(100)]}
        self.agent = InspectorHarness(self.namespace)

    def test_changed_tells_a_reassigned_or_reshaped_variable_from_an_untouched_one(self):
        handle = self.agent.ask("table.open", expr="rows")["handle"]
        self.namespace["unrelated"] = 1
        self.assertFalse(self.agent.ask("table.changed", handle=handle), "nothing it shows changed")
        self.namespace["rows"].append({"a": 0, "b": "new"})
        self.assertTrue(self.agent.ask("table.changed", handle=handle), "a row was added in place")
        fresh = self.agent.ask("table.open", expr="rows")["handle"]
        self.namespace["rows"] = list(self.namespace["rows"])
        self.assertTrue(self.agent.ask("table.changed", handle=fresh), "the name now holds another object")
        del self.namespace["rows"]
        self.assertTrue(self.agent.ask("table.changed", handle=fresh), "the name is gone")
        preview = self.agent.results.put([{"a": 1}])
        self.assertFalse(self.agent.ask("table.changed", handle=self.agent.ask("table.open", ref=preview)["handle"]),
                         "a result opened by reference has no variable to change")

    def test_open_rows_and_release(self):
        schema = self.agent.ask("table.open", expr="rows")
        self.assertEqual((schema["kind"], schema["totalRows"], schema["filteredRows"]), ("records", 100, 100))
        page = self.agent.ask("table.rows", handle=schema["handle"], start=10, end=12)
        self.assertEqual(page["cells"], [["3", "text 1"], ["4", "text 2"]])
        self.assertEqual(self.agent.ask("table.cell", handle=schema["handle"], row=11, column=1), "text 2")
        self.assertIsNone(self.agent.ask("table.release", handle=schema["handle"]))
        self.assertEqual(self.agent.tables.open_ids(), [])
        self.agent.submit("table.rows", handle=schema["handle"], start=0, end=1)
        error = self.agent.replies.get(timeout=10)[2]
        self.assertIn("is not open", error["message"])

    def test_open_by_result_ref(self):
        ref = self.agent.results.put({"x": [1, 2, 3]})
        schema = self.agent.ask("table.open", ref=ref)
        self.assertEqual((schema["kind"], schema["totalRows"]), ("columns", 3))

    def test_sort_and_filter_replies_are_schemas(self):
        handle = self.agent.ask("table.open", expr="rows")["handle"]
        schema = self.agent.ask("table.filter", handle=handle, filters=[{"column": 0, "op": "eq", "value": "3"}], search="1")
        self.assertEqual((schema["filteredRows"], schema["search"]), (len([i for i in range(100) if i % 7 == 3 and i % 3 == 1]), "1"))
        schema = self.agent.ask("table.sort", handle=handle, keys=[{"column": 1, "descending": True}])
        self.assertEqual(schema["sort"], [{"column": 1, "descending": True}])
        self.assertEqual(self.agent.ask("table.code", handle=handle, name="rows").splitlines()[0], "import pandas as pd")

    def test_the_least_recently_used_handle_goes_past_the_limit(self):
        registry = tables.Tables({"x": [{"a": 1}]}, ResultStore(), max_handles=3)
        first, second, third = (registry.open("x").id for _ in range(3))
        registry.get(first)
        fourth = registry.open("x").id
        self.assertEqual(registry.open_ids(), [third, first, fourth])
        self.assertNotIn(second, registry.open_ids())

    def test_handles_over_the_byte_budget_close_least_recently_used_first_and_say_why(self):
        registry = tables.Tables({}, ResultStore(), max_bytes=200000)
        rows = "[{'a': i} for i in range(1000)]"  # not a variable: only its handle keeps it, about 240 kB
        first = registry.open(rows).id
        second = registry.open(rows).id
        self.assertEqual(registry.open_ids(), [second], "the newest stays, even alone over the budget")
        with self.assertRaisesRegex(KeyError, r"table handle %d was closed to keep at most 64 tables open, holding "
                                              r"195.3 KiB: the least recently used go first; open it again" % first):
            registry.get(first)
        registry.release(first)
        with self.assertRaisesRegex(KeyError, "is not open: it was released"):
            registry.get(first)

    def test_a_variable_costs_its_handles_nothing_but_their_views(self):
        namespace = {"rows": [{"a": i % 10} for i in range(100000)]}  # about 20 MB, far over the budget by itself
        sort = lambda handle: handle.set_sort([{"column": 0}], never_cancelled)  # 100,000 positions
        probe = open_handle(namespace["rows"])
        sort(probe)
        registry = tables.Tables(namespace, ResultStore(), max_bytes=probe.view_bytes() * 3 // 2)  # one sorted view fits
        first, second = registry.open("rows").id, registry.open("rows").id
        registry.update(first, sort)
        self.assertEqual(registry.open_ids(), [second, first], "one sorted view and the variable fit")
        registry.update(second, sort)
        self.assertEqual(registry.open_ids(), [second], "the second sorted view made the least recently used handle go")

    def test_a_filter_without_a_sort_counts_its_positions_once(self):
        handle = open_handle([{"a": i % 10} for i in range(1000)])
        handle.set_filters([{"column": 0, "op": "eq", "value": "3"}], "", never_cancelled)
        self.assertEqual(handle.view_bytes(), estimate_bytes(handle._base))

    def test_an_interrupt_cancels_a_long_filter_and_the_view_stays(self):
        self.namespace["big"] = [{"s": "value %d" % i} for i in range(1000000)]
        handle = self.agent.ask("table.open", expr="big")["handle"]
        request_id = self.agent.submit("table.filter", handle=handle, filters=[{"column": 0, "op": "regex", "value": "9$"}])
        threading.Timer(0.05, self.agent.inspector.interrupt, [request_id]).start()
        reply_id, value, error = self.agent.replies.get(timeout=60)
        self.assertEqual((reply_id, error and error["type"]), (request_id, "KeyboardInterrupt"))
        self.assertEqual(self.agent.ask("table.open", expr="rows")["totalRows"], 100, "the inspector goes on")
        self.assertEqual(self.agent.tables.get(handle).row_count, 1000000, "the cancelled filter changed nothing")

    def test_profile_of_a_list_column_matches_the_statistics_module(self):
        values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, None]
        handle = open_handle([{"v": v} for v in values])
        profile = handle.profile(0, never_cancelled)
        present = [v for v in values if v is not None]
        self.assertEqual((profile["count"], profile["nullCount"], profile["distinct"]), (11, 1, 7))
        self.assertEqual((profile["min"], profile["max"]), ("1", "9"))
        self.assertAlmostEqual(float(profile["mean"]), statistics.mean(present), places=12)
        self.assertAlmostEqual(float(profile["std"]), statistics.stdev(present), places=12)
        for q, text in profile["quantiles"].items():
            expected = statistics.quantiles(present, n=100, method="inclusive")[round(float(q) * 100) - 1] if q != "0.5" \
                else statistics.median(present)
            self.assertAlmostEqual(float(text), expected, places=9, msg="quantile %s" % q)
        self.assertEqual(sum(profile["histogram"]["counts"]), 11)
        self.assertEqual(profile["histogram"]["edges"][0], "1")
        text_profile = open_handle([{"s": s} for s in "abacabad"]).profile(0, never_cancelled)
        self.assertEqual(text_profile["top"][:2], [{"value": "a", "count": 4}, {"value": "b", "count": 2}])


class PandasProfileTest(unittest.TestCase):
    @needs_pandas
    def test_profiles_match_pandas(self):
        rng = numpy.random.default_rng(5)
        floats = rng.normal(10, 3, 5000)
        floats[rng.random(5000) < 0.1] = numpy.nan
        frame = pandas.DataFrame({
            "f": floats,
            "i": pandas.array(numpy.where(rng.random(5000) < 0.1, None, rng.integers(0, 1000, 5000)), dtype="Int64"),
            "t": pandas.to_datetime(rng.integers(0, 10**9, 5000), unit="s").tz_localize("UTC").tz_convert("Asia/Tokyo"),
            "s": pandas.Series(rng.choice(["x", "y", "z", None], 5000, p=[0.5, 0.3, 0.1, 0.1]), dtype=object),
            "c": pandas.Categorical(rng.choice(["lo", "hi"], 5000)),
        })
        handle = open_handle(frame)
        for j, name in enumerate(["f", "i"]):
            with self.subTest(column=name):
                series = frame[name].astype("float64")
                profile = handle.profile(j, never_cancelled)
                self.assertEqual((profile["count"], profile["nullCount"]), (series.count(), series.isna().sum()))
                self.assertEqual(float(profile["min"]), series.min())
                self.assertEqual(float(profile["max"]), series.max())
                self.assertAlmostEqual(float(profile["mean"]), series.mean(), places=9)
                self.assertAlmostEqual(float(profile["std"]), series.std(), places=9)
                for q, text in profile["quantiles"].items():
                    self.assertAlmostEqual(float(text), series.quantile(float(q)), places=9, msg="quantile %s" % q)
                self.assertEqual(sum(profile["histogram"]["counts"]), series.count())
                self.assertEqual(profile["distinct"], series.nunique())
        times = handle.profile(2, never_cancelled)
        self.assertEqual((times["min"], times["max"]), (str(frame["t"].min()), str(frame["t"].max())))
        self.assertEqual(times["quantiles"]["0.5"], str(frame["t"].quantile(0.5)))
        self.assertEqual(times["histogram"]["edges"][0], str(frame["t"].min()))
        for j, name in ((3, "s"), (4, "c")):
            with self.subTest(column=name):
                profile = handle.profile(j, never_cancelled)
                counts = frame[name].value_counts()
                self.assertEqual([(t["value"], t["count"]) for t in profile["top"]], list(counts.items()))
                self.assertEqual((profile["distinct"], profile["nullCount"]), (frame[name].nunique(), frame[name].isna().sum()))

    @needs_pandas
    def test_profile_follows_the_view(self):
        frame = pandas.DataFrame({"v": range(100)})
        handle = open_handle(frame)
        handle.set_filters([{"column": 0, "op": "ge", "value": "90"}], "", never_cancelled)
        profile = handle.profile(0, never_cancelled)
        self.assertEqual((profile["count"], profile["min"], profile["max"]), (10, "90", "99"))


class LargeColumnProfileTest(unittest.TestCase):
    @needs_numpy
    def test_quantiles_of_a_large_column_are_exact(self):
        rng = numpy.random.default_rng(9)
        for name, numbers in (("many ties", rng.integers(0, 50, 400000)), ("heavy tails", rng.standard_cauchy(400000))):
            expected = [float(numpy.quantile(numbers, q)) for q in profiles.QUANTILES]
            # A margin of 0 makes the sample's brackets miss, so the exact partition behind them answers.
            for margin in (profiles.MARGIN, 0):
                with self.subTest(numbers=name, margin=margin), mock.patch.object(profiles, "MARGIN", margin):
                    quantiles = open_handle(numbers).profile(0, never_cancelled)["quantiles"]
                    self.assertEqual([float(quantiles[repr(q)]) for q in profiles.QUANTILES], expected)


class ExportTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="pydock-export-")
        self.addCleanup(shutil.rmtree, self.folder)
        self.addCleanup(os.chdir, os.getcwd())
        os.chdir(self.folder)

    def test_exports_the_view_in_its_order(self):
        handle = open_handle([{"n": n, "s": "a,b" if n == 2 else "t\tx", "f": float("nan") if n == 3 else n / 4}
                              for n in range(25000)])
        handle.set_filters([{"column": 0, "op": "lt", "value": "5"}], "", never_cancelled)
        handle.set_sort([{"column": 0, "descending": True}], never_cancelled)
        for name, delimiter in (("out.csv", ","), ("out.tsv", "\t")):
            reply = tables.export(handle, name, name[-3:], never_cancelled)
            self.assertEqual(reply, {"path": os.path.join(os.path.realpath(self.folder), name), "rows": 5})
            with open(name, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f, delimiter=delimiter))
            self.assertEqual(rows[0], ["n", "s", "f"])
            self.assertEqual([r[0] for r in rows[1:]], ["4", "3", "2", "1", "0"])
            self.assertEqual(rows[3], ["2", "a,b", "0.5"])
            self.assertEqual(rows[2][2], "", "missing values are empty fields")

    @needs_pandas
    def test_exports_labels_of_an_index(self):
        frame = pandas.DataFrame({"v": [1.5, None]}, index=pandas.Index(["x", "y"], name="key"))
        tables.export(open_handle(frame), "labelled.csv", "csv", never_cancelled)
        with open("labelled.csv", encoding="utf-8") as f:
            self.assertEqual(f.read(), "key,v\nx,1.5\ny,\n")

    def test_refuses_paths_outside_the_working_tree(self):
        handle = open_handle([{"a": 1}])
        for path in ("../outside.csv", "/etc/pydock.csv", "sub/../../x.csv"):
            with self.subTest(path=path), self.assertRaises(PermissionError):
                tables.export(handle, path, "csv", never_cancelled)
        with self.assertRaises(FileNotFoundError):
            tables.export(handle, "missing/folder/x.csv", "csv", never_cancelled)
        self.assertEqual(os.listdir(self.folder), [], "nothing was written")

    def test_a_cancelled_export_leaves_no_file(self):
        handle = open_handle([{"a": i} for i in range(50000)])
        checks = []

        def cancel_on_the_third_chunk():
            checks.append(1)
            if len(checks) == 3:
                raise RuntimeError("cancelled")

        with self.assertRaises(RuntimeError):
            tables.export(handle, "cancelled.csv", "csv", cancel_on_the_third_chunk)
        self.assertEqual(os.listdir(self.folder), [])


if __name__ == "__main__":
    unittest.main()
