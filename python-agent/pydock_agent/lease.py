"""The extension's lease on the agent: with no request for the grace period, its window is gone and the agent exits."""
import threading
import time

DEFAULT_GRACE_S = 600.0  # until the extension's first heartbeat names its own
EXIT_CODE = 75  # the extension reports this exit as "no heartbeat"
_MAX_NAP_S = 1.0


class Lease:
    def __init__(self, on_expiry, grace_s=DEFAULT_GRACE_S, clock=time.monotonic):
        self._on_expiry = on_expiry
        self._clock = clock
        self.grace_s = grace_s
        self._renewed = clock()

    def renew(self, grace_ms=None):
        """Any request renews it; a heartbeat may also set the grace the extension wants."""
        if grace_ms is not None and grace_ms > 0:
            self.grace_s = grace_ms / 1000.0
        self._renewed = self._clock()

    def remaining_s(self):
        return self._renewed + self.grace_s - self._clock()

    def watch(self):
        threading.Thread(target=self._watch, name="pydock-lease", daemon=True).start()

    def _watch(self):
        while True:
            remaining = self.remaining_s()
            if remaining <= 0:
                self._on_expiry(self.grace_s)
                return
            time.sleep(min(remaining, _MAX_NAP_S))
