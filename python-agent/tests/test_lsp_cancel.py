"""$/cancelRequest: a request still waiting on the language server's thread answers RequestCancelled (-32800)."""
import json
import queue
import threading
import unittest

from pydock_agent.lsp.channel import LanguageInspector

WAIT_S = 30
URI = "file:///workspace/cells.py"


class CancelTest(unittest.TestCase):
    def setUp(self):
        self.replies = queue.Queue()
        self.inspector = LanguageInspector(lambda request, value, error, ms: self.replies.put((request["id"], value, error)),
                                           {"counter": 3})
        self.gate = threading.Event()
        self.addCleanup(self.gate.set)
        self.inspector.server.methods["test/wait"] = lambda params: self.gate.wait(WAIT_S)  # holds the thread busy
        self.sent = 0

    def send(self, message):
        self.sent += 1
        self.inspector.submit({"type": "lsp", "id": "agent-%d" % self.sent, "message": json.dumps(dict(message, jsonrpc="2.0"))})

    def cancel(self, request_id):
        self.send({"method": "$/cancelRequest", "params": {"id": request_id}})

    def replies_by_lsp_id(self, count):
        found = {}
        for _ in range(count):
            _, value, error = self.replies.get(timeout=WAIT_S)
            self.assertIsNone(error)
            if value:
                reply = json.loads(value)
                found[reply["id"]] = reply
        return found

    def test_a_pending_request_answers_request_cancelled_and_the_next_is_answered(self):
        self.send({"id": 1, "method": "test/wait", "params": {}})
        self.send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": URI, "text": "cou"}}})
        completion = {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 3}}
        self.send({"id": 2, "method": "textDocument/completion", "params": completion})
        self.cancel(2)
        self.send({"id": 3, "method": "textDocument/completion", "params": completion})
        self.gate.set()
        replies = self.replies_by_lsp_id(5)
        self.assertTrue(replies[1]["result"], "the running request is answered")
        self.assertEqual(replies[2]["error"]["code"], -32800)
        self.assertIn("counter", [item["label"] for item in replies[3]["result"]["items"]])

    def test_a_cancel_after_the_answer_is_dropped(self):
        self.gate.set()
        self.send({"id": 1, "method": "test/wait", "params": {}})
        self.assertTrue(self.replies_by_lsp_id(1)[1]["result"])
        self.cancel(1)
        self.assertEqual(self.replies_by_lsp_id(1), {}, "the cancel notification has no reply of its own")
        self.send({"id": 1, "method": "test/wait", "params": {}})  # the same id again, as a restarted client sends it
        self.assertTrue(self.replies_by_lsp_id(1)[1]["result"], "a cancel that came after its answer was kept")


if __name__ == "__main__":
    unittest.main()
