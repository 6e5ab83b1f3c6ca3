"""Keeps the last few tabular results alive, so a preview's "Open in table viewer" can still reach them."""
import itertools
import threading

from .bounded import BoundedStore
from .sizes import describe_bytes

KEEP = 20
MAX_BYTES = 256 << 20  # of results nothing else holds: a variable's frame costs nothing more here


class ResultStore:
    def __init__(self, keep=KEEP, max_bytes=MAX_BYTES):
        self._objects = BoundedStore(max_bytes, keep)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def put(self, obj):
        with self._lock:
            ref = next(self._ids)
            self._objects.put(ref, obj)
            return ref

    def get(self, ref):
        with self._lock:
            if ref not in self._objects:
                raise KeyError("that result is gone (pydock keeps the last %d tabular results, and of those nothing "
                               "else holds, %s); assign it to a variable and open the variable"
                               % (self._objects.max_count, describe_bytes(self._objects.max_bytes)))
            return self._objects.get(ref)
