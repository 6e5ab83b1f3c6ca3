"""The events the agent really sends follow the protocol's tables: a real agent process, run with PYDOCK_CHECK_EVENTS."""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

from optional import needs_pandas
from pydock_agent import protocol
from pydock_agent.wire import HEADER, packb, unpackb

AGENT = str(pathlib.Path(__file__).resolve().parent.parent / "agent.py")


class CheckedAgent:
    """The agent as the extension runs it, with every event it sends held to the tables; a violation ends it."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory()
        env = dict(os.environ, PYDOCK_CHECK_EVENTS="1", MPLBACKEND="agg")
        self.process = subprocess.Popen([sys.executable, AGENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env, cwd=self.folder.name)
        self.next_id = 1
        self.seen = set()
        self.read_event()  # the hello

    def close(self):
        self.process.kill()
        self.process.wait()
        self.process.stdin.close()
        self.process.stdout.close()
        self.process.stderr.close()
        self.folder.cleanup()

    def ask(self, kind, **fields):
        """Sends a request and returns the events up to its result or error."""
        request_id = self.next_id
        self.next_id += 1
        self.write(dict({"type": kind, "id": request_id}, **fields))
        events = []
        while not events or events[-1]["type"] not in ("result", "error") or events[-1]["id"] != request_id:
            events.append(self.read_event())
        return events

    def write(self, request):
        payload = packb(request)
        self.process.stdin.write(HEADER.pack(len(payload)) + payload)
        self.process.stdin.flush()

    def read_event(self):
        header = self.process.stdout.read(HEADER.size)
        if len(header) < HEADER.size:
            self.process.wait()
            raise AssertionError("the agent ended (code %s): %s" % (self.process.returncode, self.process.stderr.read().decode()))
        event = unpackb(self.process.stdout.read(HEADER.unpack(header)[0]), _ext)
        self.seen.add(event["type"])
        return event


def _ext(code, data):
    """Extension values as the extension would see them, without the agent's own decoding: an object handle is its number."""
    return unpackb(data, _ext)[0] if code == protocol.EXT["objref"] else (code, data)


NUMBERS = {"precision": 6, "thousands": True}


class ConformanceTest(unittest.TestCase):
    def setUp(self):
        self.agent = CheckedAgent()

    def tearDown(self):
        self.agent.close()

    def last(self, events):
        return events[-1]

    def test_runs_and_their_events(self):
        ask = self.agent.ask
        self.assertEqual(self.last(ask("exec", code="import sys\nprint('out')\nsys.stderr.write('err\\n')\n41", mode="repl"))["repr"], "41")
        self.assertEqual(self.last(ask("define", name="x", value=[1, 2]))["type"], "result")
        self.assertEqual(self.last(ask("batch", steps=[{"type": "exec", "code": "y = 2"}, {"type": "eval", "expr": "y"}]))["value"], 2)
        self.assertEqual(self.last(ask("eval", expr="1 / 0"))["error"]["type"], "ZeroDivisionError")
        self.assertEqual(self.last(ask("call", target="math.hypot", args=[3, 4], kwargs={}))["value"], 5)
        ref = self.last(ask("ref.new", expr="[1, 2, 3]"))["value"]
        self.assertEqual(self.last(ask("ref.call", ref=ref, method="count", args=[2], kwargs={}))["value"], 1)
        self.assertEqual(self.last(ask("ref.get", ref=ref, attr="__len__", asRef=True))["type"], "result")
        self.assertEqual(self.last(ask("ref.value", ref=ref))["value"], [1, 2, 3])
        self.assertEqual(self.last(ask("ref.release", refs=[ref]))["type"], "result")
        self.assertEqual(self.last(ask("nonsense"))["error"]["type"], "ProtocolError")
        self.assertEqual(self.last(ask("vars"))["value"]["truncated"], False)
        self.last(ask("exec", code="z = 0.1 + 0.2"))
        shown = {v["name"]: v.get("shown") for v in self.last(ask("vars", numbers=NUMBERS))["value"]["variables"]}
        self.assertEqual(shown["z"], "0.3")
        self.assertEqual(self.last(ask("vars.expand", path=["x"], expr="x"))["type"], "result")
        self.agent.write({"type": "ping"})
        self.assertEqual(self.agent.read_event()["type"], "pong")
        self.agent.write({"type": "hello", "id": 999, "lastSeq": 0})
        self.assertIn("replay", self.agent.read_event())
        self.assertLessEqual({"hello", "status", "stream", "result", "error", "pong"}, self.agent.seen)

    @needs_pandas
    def test_tables_and_previews(self):
        ask = self.agent.ask
        code = "import pandas as pd\ndf = pd.DataFrame({'a': [3, 1, 2], 'b': list('xyz'), 'c': [0.1 + 0.2, None, 1e-12]})\ndf"
        preview = self.last(ask("exec", code=code, mode="repl", numbers=NUMBERS))
        self.assertEqual(preview["table"]["shape"], [3, 3])
        self.assertEqual(preview["table"]["rows"][0][2], ["0.3", "0.30000000000000004"])
        handle = self.last(ask("table.open", expr="df"))["value"]["handle"]
        self.assertEqual(self.last(ask("table.rows", handle=handle, start=0, end=3, numbers=NUMBERS))["value"]["filteredRows"], 3)
        self.assertEqual(self.last(ask("table.sort", handle=handle, keys=[{"column": 0, "descending": True}]))["value"]["sort"][0]["column"], 0)
        filtered = ask("table.filter", handle=handle, filters=[{"column": 0, "op": "gt", "value": "1"}], search="")
        self.assertEqual(self.last(filtered)["value"]["filteredRows"], 2)
        self.assertEqual(self.last(ask("table.cell", handle=handle, row=0, column=1))["value"], "x")
        self.assertIn("histogram", self.last(ask("table.profile", handle=handle, column=2, numbers=NUMBERS))["value"])
        self.assertIn("sort_values", self.last(ask("table.code", handle=handle, name="df"))["value"])
        exported = self.last(ask("table.export", handle=handle, path=os.path.join(self.agent.folder.name, "df.csv"), format="csv"))
        self.assertEqual(exported["value"]["rows"], 2)
        self.assertIs(self.last(ask("table.changed", handle=handle))["value"], False)
        self.assertIsNone(self.last(ask("table.release", handle=handle))["value"])

    @needs_pandas
    def test_live_tables_searches_and_summaries(self):
        ask = self.agent.ask
        code = "import pandas as pd\ndf = pd.DataFrame({'a': range(10000), 'c': [0.1 + 0.2, 1e-12] * 5000})\ndf"
        ref = self.last(ask("exec", code=code, mode="repl"))["table"]["ref"]
        schema = self.last(ask("table.open", ref=ref, bind="df"))["value"]
        self.assertEqual(schema["source"], "df")
        handle = schema["handle"]
        summary = self.last(ask("table.summary", handle=handle, column=1, numbers=NUMBERS))["value"]
        shown, exact = summary["mean"]  # as numbers read, and the exact value beside
        self.assertEqual(shown, "0.15")
        self.assertAlmostEqual(float(exact), 0.1500000000005, places=15)
        first = self.last(ask("table.filter", handle=handle, filters=[], search="1", limit=5))["value"]
        self.assertTrue(first["partial"], "the search stopped after its first rows of matches")
        self.assertLess(first["filteredRows"], 3439)  # of 3,439 numbers below 10,000 with a 1 in them
        self.last(ask("exec", code="df = df.head(10)"))
        self.assertIs(self.last(ask("table.changed", handle=handle))["value"], True)
        self.assertEqual(self.last(ask("table.refresh", handle=handle))["value"]["totalRows"], 10)

    def test_plots_and_their_svg(self):
        try:
            import matplotlib  # noqa: F401  (the agent's own process imports it)
        except ImportError:
            self.skipTest("matplotlib is not installed")
        events = self.agent.ask("exec", code="import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()")
        shown = [e for e in events if e["type"] == "display"]
        self.assertEqual([e["mime"] for e in shown], ["image/png"])
        svg = self.last(self.agent.ask("plot.render", plot=shown[0]["plot"], format="svg"))["value"]
        self.assertIn("<svg", svg)
        gone = self.last(self.agent.ask("plot.render", plot=999, format="svg"))
        self.assertEqual((gone["type"], gone["error"]["type"]), ("error", "KeyError"))

    def test_an_event_off_the_tables_ends_the_agent_loudly(self):
        code = "[o for o in __import__('gc').get_objects() if type(o).__name__ == 'Agent'][0].send({'type': 'status', 'id': 1, 'state': 'sleepy'})"
        self.agent.write({"type": "exec", "id": 1, "code": code})
        with self.assertRaisesRegex(AssertionError, r"does not follow the protocol: the status event.state is 'sleepy'"):
            while True:
                self.agent.read_event()


if __name__ == "__main__":
    unittest.main()
