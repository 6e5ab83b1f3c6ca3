"""The debugger relay in a real agent process: debugpy on loopback, DAP bytes in and out, its death, its absence."""
import importlib.util
import json
import os
import signal
import unittest

from test_conformance import CheckedAgent

HAVE_DEBUGPY = importlib.util.find_spec("debugpy") is not None
needs_debugpy = unittest.skipUnless(HAVE_DEBUGPY, "debugpy is not installed here")


def dap(seq, command, **arguments):
    body = json.dumps({"seq": seq, "type": "request", "command": command, "arguments": arguments}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class DebuggedAgent(CheckedAgent):
    """An agent whose dap events are parsed into DAP messages as they come; other events are kept aside."""

    def __init__(self):
        super().__init__()
        self.buffer = b""
        self.messages = []
        self.others = []
        self.closed = None
        self.open_id = None

    def open(self):
        """A new connection: what the last one left is dropped."""
        self.buffer, self.messages, self.closed, self.open_id = b"", [], None, self.next_id
        events = self.ask("dap.open")
        self.others.extend(e for e in events if e["type"] != "dap")
        for event in events:
            self._take(event)
        return events[-1]

    def read_event(self):
        event = super().read_event()
        if event["type"] == "dap" and hasattr(self, "buffer"):
            self._take(event)
        return event

    def _take(self, event):
        if event["type"] != "dap" or event["id"] not in (self.open_id, None):
            return
        self.buffer += event["data"]
        if "closed" in event:
            self.closed = event["closed"]
        while b"\r\n\r\n" in self.buffer:
            header, rest = self.buffer.split(b"\r\n\r\n", 1)
            size = int(header.split(b":")[1])
            if len(rest) < size:
                break
            self.messages.append(json.loads(rest[:size]))
            self.buffer = rest[size:]

    def send_dap(self, data):
        self.write({"type": "dap", "data": data})

    def until(self, predicate, what):
        while True:
            for message in self.messages:
                if predicate(message):
                    self.messages.remove(message)
                    return message
            event = self.read_event()
            if event["type"] != "dap":
                self.others.append(event)
            if self.closed is not None and not any(predicate(m) for m in self.messages):
                raise AssertionError("the debugger connection closed (%s) before %s" % (self.closed, what))

    def response(self, command):
        return self.until(lambda m: m.get("type") == "response" and m.get("command") == command, command)

    def event(self, name):
        return self.until(lambda m: m.get("type") == "event" and m.get("event") == name, name)

    def attach(self):
        self.send_dap(dap(1, "initialize", adapterID="pydock", pathFormat="path", linesStartAt1=True, columnsStartAt1=True))
        self.response("initialize")
        self.send_dap(dap(2, "attach", justMyCode=True, redirectOutput=False))
        self.event("initialized")


class DebuggerTest(unittest.TestCase):
    def setUp(self):
        self.agent = DebuggedAgent()

    def tearDown(self):
        self.agent.close()

    @needs_debugpy
    def test_relays_dap_messages_split_and_merged(self):
        agent = self.agent
        self.assertEqual(agent.open()["type"], "result")
        initialize = dap(1, "initialize", adapterID="pydock", pathFormat="path")
        agent.send_dap(initialize[:10])  # a header cut in two
        agent.send_dap(initialize[10:])
        self.assertTrue(agent.response("initialize")["success"])
        agent.send_dap(dap(2, "attach", justMyCode=True, redirectOutput=False) + dap(3, "threads"))  # two in one write
        agent.event("initialized")
        threads = agent.response("threads")["body"]["threads"]
        self.assertEqual([t["name"] for t in threads], ["MainThread"], "the agent's own threads are not the program's")

    @needs_debugpy
    def test_a_breakpoint_stops_the_run_while_the_agent_answers_and_the_session_goes_on_after(self):
        agent = self.agent
        agent.open()
        agent.attach()
        path = os.path.join(agent.folder.name, "cell.py")
        code = "x = 41\ny = x + 1\nprint('y is', y)\n"
        with open(path, "w") as file:
            file.write(code)
        agent.send_dap(dap(3, "setBreakpoints", source={"path": path}, breakpoints=[{"line": 2}]))
        self.assertTrue(agent.response("setBreakpoints")["body"]["breakpoints"][0]["verified"])
        agent.send_dap(dap(4, "configurationDone"))
        agent.response("attach")
        agent.write({"type": "exec", "id": 100, "code": code, "file": path, "line": 1})
        stopped = agent.event("stopped")
        agent.send_dap(dap(5, "stackTrace", threadId=stopped["body"]["threadId"]))
        frames = agent.response("stackTrace")["body"]["stackFrames"]
        self.assertEqual((frames[0]["source"]["path"], frames[0]["line"]), (path, 2))
        names = [v["name"] for v in agent.ask("vars")[-1]["value"]["variables"]]  # the inspector is not stopped
        self.assertIn("x", names)
        agent.send_dap(dap(6, "evaluate", expression="x * 10", frameId=frames[0]["id"], context="repl"))
        self.assertEqual(agent.response("evaluate")["body"]["result"], "410")
        agent.send_dap(dap(7, "continue", threadId=stopped["body"]["threadId"]))
        while not any(e["type"] == "result" and e["id"] == 100 for e in agent.others):
            agent.others.append(agent.read_event())
        self.assertIn("y is 42\n", "".join(e["text"] for e in agent.others if e["type"] == "stream"))
        self.assertEqual(agent.ask("eval", expr="y")[-1]["value"], 42)

    @needs_debugpy
    def test_debugs_again_after_an_interrupt_ended_a_run_held_at_a_breakpoint(self):
        agent = self.agent
        path = os.path.join(agent.folder.name, "cell.py")
        code = "x = 41\ny = x + 1\n"
        with open(path, "w") as file:
            file.write(code)
        for run_id, stop in ((100, "interrupt"), (101, "continue")):
            agent.open()
            agent.attach()
            agent.send_dap(dap(3, "setBreakpoints", source={"path": path}, breakpoints=[{"line": 2}]))
            agent.response("setBreakpoints")
            agent.send_dap(dap(4, "configurationDone"))
            agent.response("attach")
            agent.write({"type": "exec", "id": run_id, "code": code, "file": path, "line": 1})
            stopped = agent.event("stopped")["body"]
            agent.send_dap(dap(5, "stackTrace", threadId=stopped["threadId"]))
            self.assertEqual((stopped["reason"], agent.response("stackTrace")["body"]["stackFrames"][0]["line"]), ("breakpoint", 2))
            if stop == "interrupt":
                agent.write({"type": "interrupt", "id": 200, "target": run_id})
            else:
                agent.send_dap(dap(6, "continue", threadId=stopped["threadId"]))
            while not any(e["type"] in ("result", "error") and e["id"] == run_id for e in agent.others):
                agent.others.append(agent.read_event())
            agent.send_dap(dap(7, "disconnect", restart=False, terminateDebuggee=False))
            agent.response("disconnect")
        outcomes = {e["id"]: e for e in agent.others if e["type"] in ("result", "error")}
        self.assertEqual(outcomes[100]["error"]["type"], "KeyboardInterrupt")
        self.assertEqual(outcomes[101]["type"], "result")

    @needs_debugpy
    def test_a_debugger_that_dies_ends_its_connection_and_the_session_lives(self):
        agent = self.agent
        agent.open()
        agent.attach()
        relay = "[o for o in __import__('gc').get_objects() if type(o).__name__ == 'DebugRelay'][0]"
        port = agent.ask("eval", expr=relay + "._endpoint[1]")[-1]["value"]
        os.kill(_listening_on(port), signal.SIGKILL)  # debugpy's adapter process (it daemonizes, so it is no child)
        with self.assertRaisesRegex(AssertionError, "the debugger connection closed .* before threads"):
            agent.send_dap(dap(3, "threads"))
            agent.response("threads")
        self.assertIn("debugpy", agent.closed)
        self.assertEqual(agent.ask("eval", expr="6 * 7")[-1]["value"], 42)
        agent.send_dap(dap(4, "threads"))
        event = agent.read_event()
        while event["type"] != "dap":
            event = agent.read_event()
        self.assertIn("not connected", event["closed"])

    @unittest.skipIf(HAVE_DEBUGPY, "debugpy is installed here")
    def test_without_debugpy_opening_says_so(self):
        error = self.agent.open()
        self.assertEqual(error["error"]["type"], "DebuggerUnavailable")
        self.assertIn("cannot import debugpy", error["error"]["message"])


def _listening_on(port):
    """The process that listens on this loopback TCP port."""
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    inodes = {row[9] for row in rows if row[1].endswith(":%04X" % port) and row[3] == "0A"}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            fds = os.listdir("/proc/%s/fd" % entry)
            if any(os.readlink("/proc/%s/fd/%s" % (entry, fd)) in {"socket:[%s]" % i for i in inodes} for fd in fds):
                return int(entry)
        except OSError:  # gone, or not ours to read
            continue
    raise AssertionError("nothing listens on port %d" % port)


if __name__ == "__main__":
    unittest.main()
