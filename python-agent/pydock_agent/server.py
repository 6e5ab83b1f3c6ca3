"""The agent's main loop: reads requests from the private protocol fds, runs them in order, writes events."""
import importlib.util
import os
import queue
import sys
import threading
import time
import traceback
import types

import pydock.handles

from . import calls, conformance, display, inbox, namespace, plots, protocol, tables, values
from .debugger import DebugRelay
from .inspector import Inspector
from .interrupts import InterruptGate
from .lsp.channel import LanguageInspector
from .lease import EXIT_CODE as NO_LEASE_EXIT, Lease
from .preview import table_preview
from .replay import ReplayBuffer
from .results import ResultStore
from .runner import NO_VALUE, Runner, describe_error
from .streams import OutputCapture, enlarge_pipe
from .tables.numbertext import numbers_as
from .wire import HAVE_MSGPACK, HEADER, MAX_FRAME, MessageTooLarge, Segments, pack_parts

_IOV_MAX = 512  # buffers per writev, under every system's IOV_MAX
_CHECK_EVENTS = os.environ.get("PYDOCK_CHECK_EVENTS") == "1"
_STOP = object()


class Agent:
    def __init__(self, proto_in, proto_out):
        self._in = proto_in
        self._out = proto_out
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._seq = 0
        self._last_id = 0
        self._replay = ReplayBuffer()
        self._lease = Lease(_lease_expired)
        self._requests = queue.Queue()
        self._cancelled = set()
        self._queued = set()
        self.current_id = None
        self._pid = os.getpid()
        os.register_at_fork(after_in_child=self._forked)
        main = types.ModuleType("__main__")
        sys.modules["__main__"] = main  # so pickle finds functions defined in the session
        self.runner = Runner(main.__dict__)
        self.objects = calls.ObjectStore()
        pydock.handles.install(self.objects)
        self.calls = calls.Calls(self.runner.namespace, self.objects)
        self.capture = OutputCapture(self._emit_stream)
        self.results = ResultStore()
        self.gate = InterruptGate()
        self.inspector = Inspector(self._inspection_reply)
        namespace.register(self.inspector, self.runner.namespace)
        tables.register(self.inspector, self.runner.namespace, self.results)
        self.plots = plots.PlotStore()
        self.inspector.handlers["plot.render"] = lambda r: self.plots.render(r["plot"], r["format"])
        self.language_inspector = LanguageInspector(self._inspection_reply, self.runner.namespace)
        display.set_emitter(self._emit_display, self.plots)
        self.debugger = DebugRelay(self.send)

    # --- writing events -------------------------------------------------------------------

    def _forked(self):
        """In a child that user code forked: it shares the protocol pipe, so it must never write to it."""
        self._out = None

    def _exit_if_forked(self):
        """A forked child whose code returns here is not the agent: its output is flushed to the capture, then it ends."""
        if os.getpid() == self._pid:
            return
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # closed or replaced by user code: nothing more to save
                pass
        os._exit(0)

    def send(self, *events):
        """Writes events in one system call where possible; each gets the next sequence number and is kept for replay."""
        if self._out is None:  # a forked child of user code
            return
        self.gate.hold()  # an interrupt must not cut a frame in two
        try:
            with self._write_lock:
                frames = [self._frame(event) for event in events]
                _write_all(self._out, [part for frame in frames for part in frame[1]])
                for seq, parts, size in frames:
                    self._replay.keep(seq, parts, size)
        finally:
            self.gate.release()

    def _frame(self, event):
        """(seq, buffers, size) of the event's frame; the caller holds the write lock, so seq order is write order."""
        self._seq += 1
        event["seq"] = self._seq
        parts, size = _framed(event)
        return self._seq, parts, size

    def _answer_hello(self, request):
        """A (re)attached extension: the sync marker it asked for, hello, then every kept event after its lastSeq.

        The marker lets it find the hello in a stream it may have joined in the middle of a frame; hellos are not kept.
        """
        last_seq = request.get("lastSeq")
        with self._write_lock:
            hello = self.hello(request["id"])
            replayed = []
            if last_seq is not None:
                replayed, hello["replay"] = self._replay.after(last_seq)
            _, parts, _ = self._frame(hello)
            sync = request.get("sync")
            _write_all(self._out, ([sync] if sync else []) + parts + replayed)

    def _emit_stream(self, name, text):
        self.send({"type": "stream", "id": self.current_id, "name": name, "text": text})

    def _emit_display(self, mime, data, plot=None):
        self.capture.drain()  # output printed before the figure comes before it
        event = {"type": "display", "id": self.current_id, "mime": mime, "data": data}
        if plot is not None:
            event["plot"] = plot
        self.send(event)

    def _inspection_reply(self, request, value, error, duration_ms):
        request_id = request["id"]
        if error is None and _CHECK_EVENTS:
            _conform(conformance.reply_problem(request["type"], value))
        if error is None:
            try:
                event = {"type": "result", "id": request_id, "pyType": values.type_name(value), "repr": "",
                         "value": values.to_wire(value, strict=True), "durationMs": duration_ms}
            except values.Unmarshallable as exc:
                error = {"type": "Unmarshallable", "message": str(exc), "frames": [], "text": str(exc) + "\n"}
        if error is not None:
            event = {"type": "error", "id": request_id, "error": error, "durationMs": duration_ms}
        self.send(event)

    def hello(self, request_id):
        return {
            "type": "hello", "id": request_id, "python": sys.version.split()[0], "agent": protocol.VERSION,
            "pid": os.getpid(), "cwd": os.getcwd(),
            "running": self.current_id, "lastId": self._last_id,
            "modules": {"numpy": _has("numpy"), "pandas": _has("pandas"), "msgpack": HAVE_MSGPACK,
                        "matplotlib": _has("matplotlib")},
        }

    # --- reading requests -----------------------------------------------------------------

    def read_loop(self):
        for frame in inbox.frames(self._in, self._out_of_step):
            self._accept(frame)
        self._requests.put(_STOP)

    def _out_of_step(self, skipped):
        """Bytes that could not start a request were skipped: one of them may have been a request, whose id is lost."""
        error = inbox.ProtocolError("the request stream was out of step: %d bytes skipped" % skipped)
        self.send({"type": "error", "id": None, "error": inbox.protocol_error(error)})

    def _accept(self, frame):
        request_id = None
        try:
            request = values.decode(frame)
            request_id = request.get("id") if isinstance(request, dict) else None
            inbox.validate(request)
        except Exception as exc:
            if request_id is None:  # e.g. an argument named a released handle: the request's caller must hear of it
                request_id = inbox.peek_id(frame)
            self.send({"type": "error", "id": request_id, "error": inbox.protocol_error(exc)})
            return
        kind = request["type"]
        if isinstance(request_id, int) and request_id > self._last_id:
            self._last_id = request_id
        self._lease.renew(request.get("graceMs") if kind == "ack" else None)
        if kind == "ack":
            with self._write_lock:
                self._replay.ack(request["seq"])
        elif kind == "hello":
            self._answer_hello(request)
        elif kind == "ping":
            with self._write_lock:  # not kept: a heartbeat is not worth replaying
                _write_all(self._out, _framed({"type": "pong", "id": None, "seq": self._seq})[0])
        elif kind == "interrupt":
            target = request.get("target")
            if not self.inspector.interrupt(target) and not self.language_inspector.interrupt(target):
                self._interrupt(target)
        elif kind == "lsp":
            self.language_inspector.submit(request)
        elif kind in protocol.INSPECT:
            self.inspector.submit(request)
        elif kind in ("dap", "dap.close"):  # the debugger's bytes pass beside runs: the main thread may be stopped in it
            self.debugger.relay(request)
        else:
            with self._state_lock:
                self._queued.add(request_id)
            self._requests.put(request)

    def _interrupt(self, target):
        with self._state_lock:
            if target is not None and target in self._queued:
                self._cancelled.add(target)
            elif self.current_id is not None and target in (None, self.current_id):
                self.gate.interrupt(self.current_id)

    # --- running requests -----------------------------------------------------------------

    def serve(self):
        with self._write_lock:
            _write_all(self._out, self._frame(self.hello(None))[1])
        self._lease.watch()
        threading.Thread(target=self.read_loop, name="pydock-reader", daemon=True).start()
        while True:
            try:
                request = self._requests.get()
                if request is _STOP or request["type"] == "shutdown":
                    return
                self._run(request)
            except KeyboardInterrupt:  # an interrupt that arrived just as a run ended
                continue

    def _run(self, request):
        request_id = request["id"]
        with self._state_lock:
            self._queued.discard(request_id)
            cancelled = request_id in self._cancelled
            self._cancelled.discard(request_id)
            if not cancelled:
                self.current_id = request_id
        if cancelled:
            error = {"type": "KeyboardInterrupt", "message": "cancelled before it started", "frames": [], "text": ""}
            self.send({"type": "error", "id": request_id, "error": error, "durationMs": 0.0})
            return
        self.send({"type": "status", "id": request_id, "state": "busy"})
        started = time.perf_counter()
        try:
            outcome = self._execute(request)
        finally:
            with self._state_lock:
                self.current_id = None
        outcome["durationMs"] = (time.perf_counter() - started) * 1000.0
        self.send(outcome, {"type": "status", "id": request_id, "state": "idle"})

    def _execute(self, request):
        """The run's result or error event. An interrupt raises only inside the user code part (see InterruptGate)."""
        request_id = request["id"]
        try:
            self.gate.enter(request_id)
            try:
                value = NO_VALUE
                for step in _steps(request):
                    value = self._step(step)
                self._exit_if_forked()
                display.show_open_figures()
                self.capture.drain()
                with numbers_as(request.get("numbers")):  # how the table preview's numbers read
                    return self._result(request_id, value, request.get("mode") or "value")
            finally:
                self.gate.leave()
        except BaseException as exc:  # user code may raise anything, SystemExit and KeyboardInterrupt included
            self._exit_if_forked()
            self.capture.drain()
            return {"type": "error", "id": request_id, "error": _described(exc)}

    def _step(self, step):
        kind = step["type"]
        if kind == "exec":
            return self.runner.exec(step["code"], step.get("file"), step.get("line"))
        if kind == "eval":
            return self.runner.eval(step["expr"], step.get("file"), step.get("line"))
        if kind == "define":
            self.runner.define(step["name"], step["value"])
            return NO_VALUE
        if kind == "dap.open":
            self.debugger.open(step["id"])
            return NO_VALUE
        return self.calls.run(step)

    def _result(self, request_id, value, mode):
        event = {"type": "result", "id": request_id, "pyType": values.type_name(None), "repr": "", "value": None}
        if value is NO_VALUE or (value is None and mode == "repl"):  # a REPL shows nothing for None
            return event
        event["pyType"] = values.type_name(value)
        if mode == "value":
            event["value"] = values.to_wire(value, strict=True, objects=self.objects)
            return event
        self.runner.namespace["_"] = value
        event["repr"] = values.bounded_repr(value)
        table = table_preview(value)
        if table is not None:
            table["ref"] = self.results.put(value)
            event["table"] = table
            return event
        rich = display.rich_reprs(value)
        if rich:
            event["display"] = rich
        if values.is_small(value):
            try:
                event["value"] = values.to_wire(value, strict=True)
            except values.Unmarshallable:
                pass
        return event


def _steps(request):
    if request["type"] == "batch":
        return request["steps"]
    return [request]


def _framed(event):
    """(buffers, size) of an event's frame; one over the size of one message is replaced by one that says so."""
    if _CHECK_EVENTS:
        _conform(conformance.event_problem(event))
    payload = Segments(pack_parts(event))
    if payload.size > MAX_FRAME:
        payload = Segments(pack_parts(_too_large(event, payload.size)))
    return [HEADER.pack(payload.size)] + payload.parts, HEADER.size + payload.size


def _described(exc):
    """The error event's body; every run settles, even one whose exception cannot be rendered."""
    try:
        return describe_error(calls.without_agent_frames(exc))
    except Exception as broken:
        name = type(exc).__name__
        text = "%s: <the exception could not be rendered: %s>\n" % (name, type(broken).__name__)
        return {"type": name, "message": text.split(": ", 1)[1].strip(), "frames": [], "text": text}


def _too_large(event, size):
    """What goes instead of an event too large to send: an error for its request, or a notice in its output."""
    what = {"display": "A display", "stream": "Output"}.get(event["type"], "The reply")
    exc = MessageTooLarge(what, size)
    if event["type"] in ("display", "stream"):
        return {"type": "stream", "id": event["id"], "name": "stderr", "text": "pydock: %s\n" % exc, "seq": event["seq"]}
    error = {"type": "MessageTooLarge", "message": str(exc), "frames": [], "text": "MessageTooLarge: %s\n" % exc}
    return {"type": "error", "id": event["id"], "error": error, "durationMs": event.get("durationMs", 0.0), "seq": event["seq"]}


def _conform(problem):
    """With PYDOCK_CHECK_EVENTS set, an event off the protocol's tables ends the agent, loudly: it is a bug to fix."""
    if problem:
        _fatal("an event does not follow the protocol: " + problem)


def _has(module):
    return importlib.util.find_spec(module) is not None


def _write_all(fd, parts):
    views = [memoryview(p).cast("B") for p in parts]
    while views:
        written = os.writev(fd, views[:_IOV_MAX])
        while views and written >= len(views[0]):
            written -= len(views.pop(0))
        if written:
            views[0] = views[0][written:]


def _lease_expired(grace_s):
    """The window that owned this session is gone (no request for grace_s): free the container instead of idling."""
    os.write(_DIAGNOSTICS, b"pydock agent: no heartbeat from pydock for %d s; exiting\n" % grace_s)
    os._exit(NO_LEASE_EXIT)


def _fatal(message):
    os.write(_DIAGNOSTICS, ("pydock agent: %s\n" % message).encode("utf-8", "replace"))
    os._exit(70)


_DIAGNOSTICS = 2


def main():
    """Moves the protocol to private fds, so nothing user code writes to fd 0/1/2 can reach it."""
    global _DIAGNOSTICS
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    _DIAGNOSTICS = os.dup(2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(0, "r", closefd=False)
    for fd in (proto_in, proto_out, _DIAGNOSTICS):
        os.set_inheritable(fd, False)
    enlarge_pipe(proto_out)  # fewer wake-ups of the reader on the other side for big results
    # plt.show() sends figures to the panel; child Pythons can import the backend (and pydock) too, where it is inert.
    os.environ["MPLBACKEND"] = display.BACKEND
    agent_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), agent_dir) if p)
    try:
        Agent(proto_in, proto_out).serve()
    except BaseException:  # a bug in the agent: say so where the extension reads diagnostics, not into the capture
        _fatal("internal error\n" + traceback.format_exc())
