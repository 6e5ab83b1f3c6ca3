"""Calls and object handles: resolving targets, keeping and releasing objects, handles as arguments and results."""
import linecache
import os
import sys
import tempfile
import traceback
import tracemalloc
import unittest

import pydock
import pydock.handles
from pydock_agent import calls, values, wire
from pydock_agent.runner import describe_error

from optional import needs_pandas, pandas


def call(target, *args, **kwargs):
    return {"type": "call", "id": 1, "target": target, "args": list(args), "kwargs": kwargs}


def from_the_agent_on(exc):
    """The traceback as the server sees it: without this test's own frame in front."""
    return calls.without_agent_frames(exc.with_traceback(exc.__traceback__.tb_next))


class CallsTest(unittest.TestCase):
    def setUp(self):
        self.namespace = {"__name__": "__main__"}
        self.objects = calls.ObjectStore()
        pydock.handles.install(self.objects)
        self.calls = calls.Calls(self.namespace, self.objects)

    def test_calls_a_function_defined_in_the_session(self):
        exec("def mult(x, y=1):\n    return x * y", self.namespace)
        self.assertEqual(self.calls.run(call("mult", 6, y=7)), 42)

    def test_imports_a_dotted_name_the_session_has_not_imported(self):
        self.assertEqual(self.calls.run(call("os.path.join", "a", "b")), os.path.join("a", "b"))
        self.assertNotIn("os", self.namespace, "resolving a target does not touch the namespace")

    def test_uses_builtins_and_session_names_before_modules(self):
        self.assertEqual(self.calls.run(call("len", [1, 2, 3])), 3)
        self.namespace["json"] = {"dumps": "not the module"}
        self.assertEqual(self.calls.run(call("json.get", "dumps")), "not the module")

    def test_evaluates_an_expression_target_once_per_source_text(self):
        target = "lambda x: x * x"
        self.assertEqual([self.calls.run(call(target, i)) for i in range(4)], [0, 1, 4, 9])
        self.assertEqual(list(self.calls._compiled), [target], "compiled once and reused")

    def test_an_unknown_name_says_so(self):
        with self.assertRaises(NameError) as caught:
            self.calls.run(call("no_such_module_xyz.func"))
        self.assertIn("no module of that name can be imported", str(caught.exception))

    def test_an_import_error_inside_a_found_module_is_not_hidden(self):
        sys.modules.pop("pydock_broken_module", None)
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "pydock_broken_module.py"), "w") as f:
                f.write("import no_such_dependency_xyz\n")
            sys.path.insert(0, folder)
            try:
                with self.assertRaises(ModuleNotFoundError) as caught:
                    self.calls.run(call("pydock_broken_module.f"))
                self.assertEqual(caught.exception.name, "no_such_dependency_xyz")
            finally:
                sys.path.remove(folder)

    def test_as_ref_keeps_the_result_and_ref_requests_use_it(self):
        handle = self.calls.run(dict(call("dict", a=1), asRef=True))
        self.assertIsInstance(handle, values.ObjectRef)
        self.assertEqual((handle.type, handle.repr), ("dict", "{'a': 1}"))
        ref = handle.ref
        self.assertEqual(self.calls.run({"type": "ref.call", "id": 2, "ref": ref, "method": "get", "args": ["a"], "kwargs": {}}), 1)
        self.assertEqual(self.calls.run({"type": "ref.get", "id": 3, "ref": ref, "attr": "__class__"}), dict)
        self.assertEqual(self.calls.run({"type": "ref.value", "id": 4, "ref": ref}), {"a": 1})
        self.assertIs(pydock.kept(ref), self.calls.run({"type": "ref.value", "id": 5, "ref": ref}))

    def test_ref_new_evaluates_in_the_namespace(self):
        self.namespace["data"] = [3, 1, 2]
        handle = self.calls.run({"type": "ref.new", "id": 1, "expr": "data"})
        self.assertIs(self.objects.get(handle.ref), self.namespace["data"])
        self.calls.run({"type": "ref.call", "id": 2, "ref": handle.ref, "method": "sort", "args": [], "kwargs": {}})
        self.assertEqual(self.namespace["data"], [1, 2, 3], "a method call acts on the kept object itself")

    def test_a_released_handle_is_a_clear_error(self):
        handle = self.objects.keep(object())
        self.assertIsNone(self.calls.run({"type": "ref.release", "id": 1, "refs": [handle.ref]}))
        with self.assertRaises(calls.HandleError) as caught:
            self.calls.run({"type": "ref.value", "id": 2, "ref": handle.ref})
        self.assertEqual(str(caught.exception), "object handle %d was released" % handle.ref)
        self.assertEqual(len(self.objects), 0)

    def test_a_handle_from_another_agent_is_not_mistaken_for_a_released_one(self):
        other = calls.ObjectStore()
        foreign = other.keep(1).ref
        while self.objects._first <= foreign < self.objects._first + 10:
            foreign = other.keep(1).ref
        with self.assertRaises(calls.HandleError) as caught:
            self.objects.get(foreign)
        self.assertIn("does not belong to this session", str(caught.exception))

    def test_handles_cross_the_wire_both_ways(self):
        handle = self.objects.keep({"big": "object"})
        encoded = values.encode([handle])
        self.assertEqual(values.decode(encoded), [{"big": "object"}], "an objref argument decodes to the kept object")
        raw = wire.unpackb(encoded, lambda code, data: (code, wire.unpackb(data, None)))
        self.assertEqual(raw, [(values.EXT["objref"], [handle.ref, "dict", "{'big': 'object'}"])])

    def test_decoding_a_released_handle_fails_with_its_number(self):
        handle = self.objects.keep([1])
        self.objects.release([handle.ref])
        with self.assertRaisesRegex(calls.HandleError, "object handle %d was released" % handle.ref):
            values.decode(values.encode(handle))

    def test_errors_show_user_frames_not_the_agent(self):
        exec("def fail(x):\n    return 1 / x", self.namespace)
        try:
            self.calls.run(call("fail", 0))
        except ZeroDivisionError as exc:
            error = describe_error(from_the_agent_on(exc))
        self.assertEqual([f["name"] for f in error["frames"]], ["fail"])
        self.assertNotIn("pydock_agent", error["text"])

    def test_an_expression_target_error_shows_its_text(self):
        try:
            self.calls.run(call("lambda x: x.missing", 1))
        except AttributeError as exc:
            text = "".join(traceback.format_exception(type(exc), exc, from_the_agent_on(exc).__traceback__))
        self.assertIn('File "<lambda x: x.missing>", line 1', text)
        self.assertIn("lambda x: x.missing", text.split("line 1")[1])

    @needs_pandas
    def test_a_frame_too_big_for_a_grid_becomes_a_handle(self):
        frame = pandas.DataFrame({"a": range(values.GRID_MAX_CELLS + 1)})
        wire_form = values.to_wire({"df": frame}, strict=True, objects=self.objects)
        self.assertEqual(wire_form["df"].code, values.EXT["objref"])
        ref = wire.unpackb(wire_form["df"].data, None)[0]
        self.assertIs(pydock.kept(ref), frame)
        with self.assertRaisesRegex(values.Unmarshallable, r"result\['df'\]: pandas.*DataFrame \(100001 cells"):
            values.to_wire({"df": frame}, strict=True)


class BoundsTest(unittest.TestCase):
    """What calls keep (objects for handles, compiled targets and their text) stays within bytes."""

    def setUp(self):
        self.namespace = {"__name__": "__main__"}
        self.calls = calls.Calls(self.namespace, calls.ObjectStore())

    def test_over_its_budget_the_store_evicts_and_a_later_use_says_why(self):
        objects = calls.ObjectStore(max_bytes=10000)
        first, second = objects.keep(bytearray(6000)), objects.keep(bytearray(6000))
        with self.assertRaises(calls.HandleError) as caught:
            objects.get(first.ref)
        self.assertRegex(str(caught.exception), r"^object handle %d was released: the objects kept for handles came "
                         r"to over 9.8 KiB, .*Release handles you no longer need, or keep the object in a Python "
                         r"variable as well" % first.ref)
        self.assertEqual(len(objects.get(second.ref)), 6000, "the newest stays")
        objects.release([first.ref])
        with self.assertRaisesRegex(calls.HandleError, r"^object handle %d was released$" % first.ref):
            objects.get(first.ref)

    def test_an_object_the_session_also_holds_is_never_evicted(self):
        objects = calls.ObjectStore(max_bytes=10000)
        self.namespace["frame"] = bytearray(6000)
        held = objects.keep(self.namespace["frame"])
        alone = objects.keep(bytearray(6000))
        objects.keep(bytearray(6000))
        self.assertIs(objects.get(held.ref), self.namespace["frame"], "letting it go would free nothing")
        with self.assertRaisesRegex(calls.HandleError, "was released: the objects kept"):
            objects.get(alone.ref)

    def test_the_default_budget_is_a_gibibyte(self):
        self.assertEqual(calls.ObjectStore()._objects.max_bytes, 1 << 30)

    def test_call_targets_keep_their_text_for_tracebacks_for_the_most_recent_only(self):
        count = calls.MAX_CACHED_TARGETS + 100
        for i in range(count):
            self.assertEqual(self.calls.run(call("lambda x: x + %d" % i, 1)), i + 1)
        texts = [f for f in linecache.cache if f.startswith("<lambda x: x + ")]
        self.assertEqual(len(texts), calls.MAX_CACHED_TARGETS, "older targets' text left linecache with them")
        self.assertIn("<lambda x: x + %d>" % (count - 1), linecache.cache)

    def test_compiled_call_targets_are_bounded_in_characters(self):
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for i in range(12):  # 1 MiB each: 12 MiB of source text, and as much again in code constants
                self.assertEqual(self.calls.run(call("lambda: len(%r)" % (chr(97 + i) * (1 << 20)))), 1 << 20)
            held = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        self.assertLess(held, 12 << 20, "the cache holds %.1f MiB" % (held / (1 << 20)))


class GridWithoutPandasTest(unittest.TestCase):
    def test_builder_and_meta(self):
        grid = pydock.GridBuilder().set_meta({"dis": "g"}).add_col("a").add_col("b").set_col_meta("b", {"unit": "kW"}) \
            .add_row([1, "x"]).to_grid()
        self.assertEqual(grid.cols, [{"name": "a", "meta": {}}, {"name": "b", "meta": {"unit": "kW"}}])
        self.assertEqual(grid.rows, [{"a": 1, "b": "x"}])
        self.assertEqual(values.decode(values.encode(grid)), grid)

    @unittest.skipIf(pandas is not None, "pandas is installed here")
    def test_to_dataframe_says_pandas_is_missing(self):
        with self.assertRaisesRegex(ImportError, "needs pandas"):
            pydock.Grid().to_dataframe()

    @needs_pandas
    def test_dataframe_round_trip(self):
        frame = pandas.DataFrame({"a": [1, 2], "b": ["x", "y"]})
        builder = pydock.GridBuilder.from_dataframe(frame).set_col_meta("a", {"unit": "m"})
        grid = builder.to_grid()
        self.assertEqual(grid.cols[0], {"name": "a", "meta": {"unit": "m"}})
        self.assertTrue(grid.to_dataframe().equals(frame))
        self.assertEqual(pydock.Grid.from_dataframe(frame, {"dis": "t"}).meta, {"dis": "t"})


if __name__ == "__main__":
    unittest.main()
