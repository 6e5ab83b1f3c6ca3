"""Keeps the last few tabular results alive, so a preview's "Open in table viewer" can still reach them."""
import collections
import itertools
import threading

KEEP = 20


class ResultStore:
    def __init__(self, keep=KEEP):
        self._objects = collections.OrderedDict()
        self._ids = itertools.count(1)
        self._keep = keep
        self._lock = threading.Lock()

    def put(self, obj):
        with self._lock:
            ref = next(self._ids)
            self._objects[ref] = obj
            while len(self._objects) > self._keep:
                self._objects.popitem(last=False)
            return ref

    def get(self, ref):
        with self._lock:
            if ref not in self._objects:
                raise KeyError("that result is gone (pydock keeps the last %d tabular results); "
                               "assign it to a variable and open the variable" % self._keep)
            return self._objects[ref]
