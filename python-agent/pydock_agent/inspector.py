"""The inspector thread: answers variables and table requests beside running user code, one at a time."""
import queue
import threading
import time


class Cancelled(Exception):
    """Raised by check() in an inspection whose request was interrupted."""


class Inspector:
    """Runs handlers registered by kind; each returns the reply value or raises. interrupt(id) cancels cooperatively."""

    def __init__(self, reply, name="pydock-inspector"):
        self._reply = reply  # reply(request, value=None, error=None, duration_ms=0.0)
        self._queue = queue.Queue()
        self._cancelled = set()
        self._lock = threading.Lock()
        self._current = None
        self.handlers = {}
        threading.Thread(target=self._loop, name=name, daemon=True).start()

    def submit(self, request):
        self._queue.put(request)

    def interrupt(self, request_id):
        """True when the request is this inspector's (queued or running): it will end as cancelled."""
        if request_id is None:  # no target: the running code's, never an inspection's
            return False
        with self._lock:
            if request_id == self._current or any(r["id"] == request_id for r in list(self._queue.queue)):
                self._cancelled.add(request_id)
                return True
        return False

    def check(self):
        """Called by long handlers between chunks of work; raises Cancelled when their request was interrupted."""
        if self._current in self._cancelled:
            raise Cancelled()

    def _loop(self):
        while True:
            request = self._queue.get()
            with self._lock:
                self._current = request["id"]
            started = time.perf_counter()
            try:
                self.check()
                value = self.handlers[request["type"]](request)
                error = None
            except Cancelled:
                value, error = None, {"type": "KeyboardInterrupt", "message": "cancelled", "frames": [], "text": ""}
            except Exception as exc:  # an inspection must never take the agent down
                value, error = None, {"type": type(exc).__name__, "message": str(exc), "frames": [],
                                      "text": "%s: %s\n" % (type(exc).__name__, exc)}
            with self._lock:
                self._cancelled.discard(request["id"])
                self._current = None
            self._reply(request, value, error, (time.perf_counter() - started) * 1000.0)
