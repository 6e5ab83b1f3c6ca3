"""Live table views: which expressions a viewer follows, a result bound to the name its cell ended in, the signature
that tells a changed table from an untouched one, and a refresh that keeps the view's sort, filters and search."""
import unittest

from pydock_agent.results import ResultStore
from pydock_agent.tables import Tables
from pydock_agent.tables.live import followable

from optional import needs_pandas, numpy, pandas
from tables_support import never_cancelled


class FollowableTest(unittest.TestCase):
    def test_names_attributes_and_literal_subscripts_are_followed_and_calls_are_not(self):
        for expr in ("df", " df ", "model.data", "frames['2024'][0]", "grid[-1]", "cube[1, 'a']", "a.b['c'].d"):
            self.assertTrue(followable(expr), expr)
        for expr in ("df.head()", "df[df.x > 3]", "f(x)", "df[key]", "df +", "1", "[df]", "x[y.z]", "lambda: df"):
            self.assertFalse(followable(expr), expr)


class LiveTablesTest(unittest.TestCase):
    def setUp(self):
        self.namespace = {"rows": [{"a": i % 7, "b": "text %d" % (i % 3)} for i in range(100)]}
        self.results = ResultStore()
        self.tables = Tables(self.namespace, self.results)

    def test_a_variable_is_live_and_a_computed_expression_a_snapshot(self):
        live = self.tables.open("rows")
        computed = self.tables.open("rows[:10]")
        self.assertEqual((live.schema()["source"], "source" in computed.schema()), ("rows", False))
        self.namespace["rows"] = self.namespace["rows"][:50]
        self.assertEqual((self.tables.changed(live.id), self.tables.changed(computed.id)), (True, False),
                         "only the live view is compared after a run")

    def test_a_result_follows_the_name_it_came_from_only_while_that_name_holds_it(self):
        ref = self.results.put(self.namespace["rows"])
        bound = self.tables.open(ref=ref, bind="rows")
        self.assertEqual(bound.schema().get("source"), "rows")
        self.namespace["other"] = list(self.namespace["rows"])
        copied = self.tables.open(ref=ref, bind="other")
        unbound = self.tables.open(ref=ref)
        self.assertEqual(["source" in h.schema() for h in (copied, unbound)], [False, False],
                         "a name that holds another object, or none, makes a snapshot")
        with self.assertRaisesRegex(ValueError, "came from a result"):
            self.tables.refresh(unbound.id, never_cancelled)

    def test_an_in_place_edit_of_one_value_shows_as_a_change_and_nothing_else_does(self):
        handle = self.tables.open("rows")
        self.assertFalse(self.tables.changed(handle.id), "nothing ran")
        self.namespace["unrelated"] = 1
        self.assertFalse(self.tables.changed(handle.id), "another variable changed")
        self.namespace["rows"][40]["b"] = "edited"
        self.assertTrue(self.tables.changed(handle.id), "one cell of the table changed in place")
        self.tables.refresh(handle.id, never_cancelled)
        self.assertFalse(self.tables.changed(handle.id), "the refresh took the new state in")
        del self.namespace["rows"]
        self.assertTrue(self.tables.changed(handle.id), "a variable that is gone changed")

    @needs_pandas
    def test_in_place_changes_to_a_frame_show_however_they_are_made(self):
        frame = pandas.DataFrame({"x": numpy.arange(1000.0), "s": ["v%d" % i for i in range(1000)]})
        self.namespace["df"] = frame
        handle = self.tables.open("df")
        for change in (lambda: frame.loc.__setitem__((500, "x"), -1.0),
                       lambda: frame.__setitem__("x", frame["x"] * 10),
                       lambda: frame.loc.__setitem__((3, "s"), "edited"),
                       lambda: frame.__setitem__("t", 1),
                       lambda: setattr(frame, "index", frame.index + 1)):
            change()
            self.assertTrue(self.tables.changed(handle.id))
            self.tables.refresh(handle.id, never_cancelled)
            self.assertFalse(self.tables.changed(handle.id))

    @needs_pandas
    def test_a_large_frame_is_compared_by_a_sample_quickly(self):
        frame = pandas.DataFrame({"x": numpy.arange(3000000), "y": numpy.zeros(3000000)})
        self.namespace["big"] = frame
        handle = self.tables.open("big")
        frame["y"] = frame["y"] + 1
        self.assertTrue(self.tables.changed(handle.id), "a whole column changed")

    @needs_pandas
    def test_a_refresh_keeps_sort_filters_and_search_on_columns_still_there(self):
        rng = numpy.random.default_rng(0)
        frame = pandas.DataFrame({"city": rng.choice(["Oslo", "Lima", "Pune", "Kyiv"], 2000),
                                  "temperature": rng.normal(15, 8, 2000).round(2), "gone": 1})
        self.namespace["df"] = frame
        handle = self.tables.open("df")
        handle.set_filters([{"column": 1, "op": "gt", "value": "10"}, {"column": 2, "op": "eq", "value": "1"}], "i",
                           never_cancelled)
        handle.set_sort([{"column": 1, "descending": True}], never_cancelled)
        changed = frame[frame.city != "Oslo"].drop(columns="gone").assign(extra=0)[["extra", "temperature", "city"]]
        changed["temperature"] *= 10
        self.namespace["df"] = changed
        schema = self.tables.refresh(handle.id, never_cancelled)
        self.assertEqual(schema["sort"], [{"column": 1, "descending": True}])
        self.assertEqual(schema["filters"], [{"column": 1, "op": "gt", "value": "10"}], "the filter on 'gone' went")
        self.assertEqual(schema["search"], "i")
        expected = changed[(changed.temperature > 10) & changed.city.str.contains("i", case=False)]
        expected = expected.sort_values("temperature", ascending=False, kind="stable")
        self.assertEqual((schema["totalRows"], schema["filteredRows"]), (len(changed), len(expected)))
        self.assertEqual(handle.rows(0, 5)["index"], [[str(i)] for i in expected.index[:5]])


if __name__ == "__main__":
    unittest.main()
