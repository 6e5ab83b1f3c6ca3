"""The live language server: names, attributes, keys, signatures and hovers, read without running user code."""
import json
import os
import time
import unittest

from pydock_agent.lsp.server import LspServer

from optional import needs_pandas, pandas

URI = "file:///workspace/cells.py"


class Booby:
    """An object whose every hook counts its calls, sleeps and raises: answering must call none of them."""
    calls = 0
    armed = True  # off while a test builds containers of them (pandas probes its values)

    def __init__(self):
        self.plain = 41

    def _hit(self):
        if not type(self).armed:
            raise AttributeError("disarmed")
        type(self).calls += 1
        time.sleep(0.5)
        raise RuntimeError("user code ran")

    @property
    def expensive(self):
        return self._hit()

    def __getattr__(self, name):
        return self._hit()

    def __repr__(self):
        return self._hit()

    def __dir__(self):
        return self._hit()

    def __getitem__(self, key):
        return self._hit()

    def _ipython_key_completions_(self):
        return self._hit()

    def method(self, first, second=2, *rest, flag=False):
        """Does a thing.

        At length."""


class Session:
    """A server over a namespace, with one document."""

    def __init__(self, namespace):
        self.server = LspServer(namespace)
        self.next_id = 0
        self.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "python", "version": 1, "text": ""}})

    def request(self, method, params):
        self.next_id += 1
        reply = json.loads(self.server.handle(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})))
        if "error" in reply:
            raise AssertionError(reply["error"])
        return reply["result"]

    def notify(self, method, params):
        return self.server.handle(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}))

    def at_end(self, method, text, character=None):
        """The reply to a request at the end of the text (or at that character of its last line)."""
        self.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text}]})
        lines = text.split("\n")
        position = {"line": len(lines) - 1, "character": len(lines[-1]) if character is None else character}
        return self.request(method, {"textDocument": {"uri": URI}, "position": position})

    def labels(self, text):
        return [item["label"] for item in self.at_end("textDocument/completion", text)["items"]]


class LspTest(unittest.TestCase):
    def setUp(self):
        Booby.calls = 0
        self.booby = Booby()
        self.session = Session({"booby": self.booby, "table": {"alpha": 1, "beta": {"gamma": 2}}, "os": os,
                                "counter": 3, "local_only": 1})

    def tearDown(self):
        self.assertEqual(Booby.calls, 0, "user code ran while answering")

    def test_initialize_states_what_it_answers(self):
        capabilities = self.session.request("initialize", {"capabilities": {}})["capabilities"]
        self.assertEqual(capabilities["completionProvider"]["triggerCharacters"], [".", "[", '"', "'"])
        self.assertEqual(capabilities["signatureHelpProvider"]["triggerCharacters"], ["(", ","])
        self.assertTrue(capabilities["hoverProvider"])

    def test_names_are_the_live_ones_the_document_does_not_define(self):
        labels = self.session.labels("local_only = 2\nco")
        self.assertIn("counter", labels)
        self.assertNotIn("local_only", self.session.labels("local_only = 2\nlo"))
        item = self.session.at_end("textDocument/completion", "cou")["items"][0]
        self.assertEqual([item["detail"], item["labelDetails"]["description"]], ["live", "int"])

    def test_many_names_are_cut_best_first_and_the_list_says_it_is_incomplete(self):
        session = Session(dict({"name_%d" % i: i for i in range(10_000)}, nm_4=1))
        result = session.at_end("textDocument/completion", "name_4")
        labels = [item["label"] for item in result["items"]]
        self.assertTrue(result["isIncomplete"])
        self.assertEqual(labels[:3], ["name_4", "name_40", "name_400"])
        self.assertTrue(all(label.startswith("name_4") for label in labels), "names starting with the typed text first")
        self.assertEqual([i["label"] for i in session.at_end("textDocument/completion", "nm4")["items"]][:2], ["nm_4", "name_4"])

    def test_attributes_are_read_statically_so_no_property_or_getattr_runs(self):
        labels = self.session.labels("booby.")
        self.assertTrue({"plain", "expensive", "method"} <= set(labels), labels)
        kinds = {i["label"]: i["kind"] for i in self.session.at_end("textDocument/completion", "booby.")["items"]}
        self.assertEqual([kinds["expensive"], kinds["method"], kinds["plain"]], [10, 2, 6])

    def test_module_members_and_their_signatures(self):
        self.assertIn("path", self.session.labels("os.pa"))
        kinds = {i["label"]: i["kind"] for i in self.session.at_end("textDocument/completion", "os.get")["items"]}
        self.assertEqual(kinds["getcwd"], 3, "a module's function is a function, not a method")
        help_ = self.session.at_end("textDocument/signatureHelp", "os.path.join(")
        self.assertTrue(help_["signatures"][0]["label"].startswith("join(a, *p)"), help_)

    def test_keys_of_dicts_nested_dicts_and_the_environment(self):
        self.assertEqual(self.session.labels('table["'), ["alpha", "beta"])
        self.assertEqual(self.session.labels("table['beta']['"), ["gamma"])
        os.environ["PYDOCK_LSP_TEST"] = "1"
        self.assertIn("PYDOCK_LSP_TEST", self.session.labels('os.environ["PYDOCK'))

    def test_a_key_replaces_what_is_typed_and_closes_its_quote(self):
        item = self.session.at_end("textDocument/completion", 'table["al')["items"][0]
        self.assertEqual(item["textEdit"], {"range": {"start": {"line": 0, "character": 7}, "end": {"line": 0, "character": 9}},
                                            "newText": 'alpha"'})
        quoted = self.session.at_end("textDocument/completion", "table[")["items"][0]["textEdit"]["newText"]
        self.assertEqual(quoted, "'alpha'")

    def test_keys_of_an_unknown_type_are_not_asked_for(self):
        self.assertEqual(self.session.labels('booby["'), [])

    def test_a_method_signature_marks_the_argument_being_written(self):
        help_ = self.session.at_end("textDocument/signatureHelp", "booby.method(1, ")
        signature = help_["signatures"][0]
        self.assertEqual(signature["label"], "method(first, second=2, *rest, flag=False)")
        self.assertEqual(help_["activeParameter"], 1)
        self.assertEqual(signature["documentation"]["value"], "Does a thing.")
        self.assertEqual(self.session.at_end("textDocument/signatureHelp", "booby.method(1, flag=")["activeParameter"], 3)

    def test_no_signature_for_a_callable_instance(self):
        self.assertIsNone(self.session.at_end("textDocument/signatureHelp", "booby("))

    def test_hover_names_the_type_without_asking_for_its_repr(self):
        value = self.session.at_end("textDocument/hover", "booby")["contents"]["value"]
        self.assertRegex(value.split("\n")[1], r"^booby: (\w+\.)*Booby$")
        self.assertIn("An object whose every hook counts", value)

    def test_hover_of_a_dict_shows_length_and_a_bounded_repr(self):
        value = self.session.at_end("textDocument/hover", "table")["contents"]["value"]
        self.assertIn("2 items", value)
        self.assertIn("{'alpha': 1, 'beta': {'gamma': 2}}", value)

    def test_a_type_whose_repr_went_over_the_time_budget_is_not_asked_again(self):
        from pydock_agent.lsp import describe
        budget, describe.REPR_BUDGET_S = describe.REPR_BUDGET_S, -1.0  # every repr is over it
        try:
            session = Session({"values": frozenset({1, 2})})
            hover = lambda: session.at_end("textDocument/hover", "values")["contents"]["value"]
            self.assertIn("{1, 2}", hover(), "the first repr is shown")
            self.assertNotIn("{1, 2}", hover(), "the type is not asked again")
        finally:
            describe.REPR_BUDGET_S = budget
            describe._slow_types.discard(frozenset)

    def test_a_property_or_a_name_the_session_lacks_has_no_hover(self):
        self.assertIsNone(self.session.at_end("textDocument/hover", "booby.expensive"))
        self.assertIsNone(self.session.at_end("textDocument/hover", "print"))

    def test_resolve_adds_the_signature_and_doc(self):
        item = next(i for i in self.session.at_end("textDocument/completion", "booby.")["items"] if i["label"] == "method")
        resolved = self.session.request("completionItem/resolve", item)
        self.assertIn("method(first, second=2, *rest, flag=False)", resolved["documentation"]["value"])

    def test_a_failing_request_is_an_error_reply_and_the_server_goes_on(self):
        reply = json.loads(self.session.server.handle(json.dumps({"jsonrpc": "2.0", "id": 9, "method": "textDocument/hover", "params": {}})))
        self.assertEqual(reply["error"]["code"], -32602)
        unknown = json.loads(self.session.server.handle(json.dumps({"jsonrpc": "2.0", "id": 10, "method": "x/y"})))
        self.assertEqual(unknown["error"]["code"], -32601)
        self.assertIn("counter", self.session.labels("co"))

    def test_positions_count_utf16_units(self):
        self.assertEqual(self.session.labels('"😀"; table["'), ["alpha", "beta"])


@needs_pandas
class LspPandasTest(unittest.TestCase):
    def setUp(self):
        self.frame = pandas.DataFrame({"price": [1.5, 2.5], "city name": ["Oslo", "Lima"], "n": [1, 2]})
        self.session = Session({"df": self.frame})

    def test_columns_after_df_quote(self):
        self.assertEqual(self.session.labels('df["'), ["price", "city name", "n"])

    def test_methods_and_identifier_columns_after_df_dot(self):
        labels = self.session.labels("df.gro")
        self.assertIn("groupby", labels)
        self.assertIn("price", self.session.labels("df.p"))

    def test_groupby_signature(self):
        help_ = self.session.at_end("textDocument/signatureHelp", "df.groupby(")
        self.assertTrue(help_["signatures"][0]["label"].startswith("groupby(by=None"), help_)

    def test_hover_shows_type_shape_dtypes_and_rows(self):
        value = self.session.at_end("textDocument/hover", "df")["contents"]["value"]
        self.assertIn("df: pandas.core.frame.DataFrame", value)
        self.assertIn("2 rows × 3 columns", value)
        self.assertIn("price float64", value)
        self.assertIn("Oslo", value)

    def test_a_column_of_user_objects_is_not_shown_by_repr(self):
        Booby.calls, Booby.armed = 0, False
        frame = pandas.DataFrame({"thing": [Booby()]})
        Booby.armed = True
        session = Session({"df": frame})
        value = session.at_end("textDocument/hover", "df")["contents"]["value"]
        self.assertIn("1 rows × 1 columns", value)
        self.assertEqual(Booby.calls, 0)

    def test_a_column_hover(self):
        value = self.session.at_end("textDocument/hover", 'df["price"]')["contents"]["value"]
        self.assertIn("2 rows, dtype float64", value)
        inside = self.session.at_end("textDocument/hover", 'total = df["price"].sum()', 13)["contents"]["value"]
        self.assertIn('df["price"]: pandas.core.series.Series', inside)
        on_name = self.session.at_end("textDocument/hover", 'total = df["price"].sum()', 9)["contents"]["value"]
        self.assertIn("df: pandas.core.frame.DataFrame", on_name)


if __name__ == "__main__":
    unittest.main()
