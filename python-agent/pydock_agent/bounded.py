"""Objects kept by key within a byte budget: over it, the least recently used that nothing else holds are let go."""
import collections
import sys

from .sizes import estimate_bytes

_getrefcount = getattr(sys, "getrefcount", None)  # CPython's; elsewhere every value counts as held only here


def _references(mapping, key):
    return _getrefcount(mapping[key])


_ALONE = _references({0: object()}, 0) if _getrefcount else 0  # the count of a value only a mapping holds


class BoundedStore:
    """Values by key, least recently used first, each with a cheap estimate of its size (sizes.estimate_bytes).

    When there are more than max_count, the oldest go. When they add up to more than max_bytes, the least recently
    used go until the rest fit, but only values nothing else references: letting go of one the session also holds
    (a variable, another object) would free nothing. The newest value always stays. Callers hold their own lock.
    """

    def __init__(self, max_bytes, max_count=None):
        self.max_bytes = max_bytes
        self.max_count = max_count
        self._values = collections.OrderedDict()
        self._sizes = {}
        self.bytes = 0

    def put(self, key, value, size=None):
        """Keeps value under key as the newest; returns the keys evicted to make room."""
        self.discard(key)
        self._values[key] = value
        self._sizes[key] = estimate_bytes(value) if size is None else size
        self.bytes += self._sizes[key]
        return self._trim(key)

    def get(self, key):
        """The value (KeyError when it is not kept), which becomes the most recently used."""
        value = self._values[key]
        self._values.move_to_end(key)
        return value

    def discard(self, key):
        if key in self._values:
            del self._values[key]
            self.bytes -= self._sizes.pop(key)

    def __contains__(self, key):
        return key in self._values

    def __len__(self):
        return len(self._values)

    def _trim(self, newest):
        evicted = []
        while self.max_count is not None and len(self._values) > self.max_count:
            oldest = next(iter(self._values))
            self.discard(oldest)
            evicted.append(oldest)
        if self.bytes > self.max_bytes:
            for key in list(self._values):
                if self.bytes <= self.max_bytes:
                    break
                if key != newest and (_getrefcount is None or _references(self._values, key) <= _ALONE):
                    self.discard(key)
                    evicted.append(key)
        return evicted
