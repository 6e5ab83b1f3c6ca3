"""The debugger relay: debugpy started on demand on loopback, and the DAP bytes between it and the extension passed on."""
import os
import socket
import sys
import threading

_READ_SIZE = 1 << 16
_CONNECT_TIMEOUT_S = 30.0


class DebuggerUnavailable(Exception):
    """debugpy cannot be imported by the session's Python."""


class DebugRelay:
    """One DAP client connection to debugpy's adapter at a time, its bytes relayed as they come (framing is the
    extension's business). send(event) sends dap events carrying the id of the dap.open request that made their
    connection; the last one's closed says why that connection ended.
    """

    def __init__(self, send):
        self._send = send
        self._lock = threading.Lock()
        self._endpoint = None  # debugpy listens once per process: (host, port) from then on
        self._socket = None

    def open(self, open_id):
        """On the main thread, so debugpy traces the thread that runs user code. A connection still open is replaced."""
        endpoint = self._listen()
        _untrace_agent_threads()
        connection = socket.create_connection(endpoint, timeout=_CONNECT_TIMEOUT_S)
        connection.settimeout(None)
        with self._lock:
            previous, self._socket = self._socket, connection
        if previous is not None:
            _shut(previous)
        thread = threading.Thread(target=self._pump, args=(connection, open_id), name="pydock-debug-relay", daemon=True)
        _hide_from_debugpy(thread)
        thread.start()

    def relay(self, request):
        """A `dap` or `dap.close` request, on the reader thread."""
        if request["type"] == "dap":
            self.send(request["data"])
        else:
            self.close()

    def send(self, data):
        """DAP bytes from the extension, on the reader thread."""
        with self._lock:
            connection = self._socket
        if connection is None:
            self._emit(None, b"", "the debugger is not connected (open it first, or it has ended)")
            return
        try:
            connection.sendall(data)
        except OSError:  # the pump sees the same broken connection and reports it once
            _shut(connection)

    def close(self):
        """The extension ended its debug session; the pump reports the end."""
        with self._lock:
            connection, self._socket = self._socket, None
        if connection is not None:
            _shut(connection)

    def _listen(self):
        if self._endpoint is not None:
            import debugpy
            # An interrupt raised through debugpy's trace function ended tracing on this thread: trace it again.
            debugpy.trace_this_thread(True)
        else:
            # Python 3.11's frozen modules make pydevd warn on every start; breakpoints in user code are not affected.
            os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
            try:
                import debugpy
            except ImportError as exc:
                # What to do depends on where the session runs: the extension's hint says it.
                raise DebuggerUnavailable("%s cannot import debugpy (%s)" % (sys.executable, exc)) from None
            self._endpoint = tuple(debugpy.listen(("127.0.0.1", 0)))[:2]
        return self._endpoint

    def _emit(self, open_id, data, closed):
        event = {"type": "dap", "id": open_id, "data": data}
        if closed is not None:
            event["closed"] = closed
        self._send(event)

    def _pump(self, connection, open_id):
        reason = "debugpy closed the connection"
        try:
            while True:
                data = connection.recv(_READ_SIZE)
                if not data:
                    break
                self._emit(open_id, data, None)
        except OSError as exc:
            reason = "the connection to debugpy failed: %s" % exc
        _shut(connection)
        with self._lock:  # the cause goes out before a send can find the connection gone and say only that
            if self._socket is connection:
                self._socket = None
            else:
                reason = "the debug session was closed"
            self._emit(open_id, b"", reason)


def _shut(connection):
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the other side
        pass
    connection.close()


def _untrace_agent_threads():
    """The reader, inspector, output and lease threads relay and inspect while user code is stopped in the debugger."""
    for thread in threading.enumerate():
        if thread.name.startswith("pydock-"):
            _hide_from_debugpy(thread)


def _hide_from_debugpy(thread):
    """Never traced or suspended, and not listed among the program's threads: debugpy treats it as one of its own."""
    thread.pydev_do_not_trace = True
    thread.is_pydev_daemon_thread = True
