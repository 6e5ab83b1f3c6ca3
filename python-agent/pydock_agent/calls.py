"""Calls and remote object handles: objects kept by number, and call targets found by dotted name or expression."""
import builtins
import collections
import importlib
import linecache
import os
import random
import re
import threading

from . import values
from .bounded import BoundedStore
from .sizes import describe_bytes, estimate_bytes

_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\Z")
_AGENT_FILES = tuple(os.path.join(os.path.dirname(os.path.abspath(__file__)), f) for f in ("server.py", "calls.py"))
MAX_CACHED_TARGETS = 512
MAX_CACHED_SOURCE = 4 << 20  # characters of call target text compiled and kept for tracebacks
MAX_KEPT_BYTES = 1 << 30  # objects only handles keep alive: past this, the least recently used go
HANDLE_REPR_CHARS = 200


class HandleError(LookupError):
    """A request named an object handle that this session does not hold."""


class ObjectStore:
    """Objects kept for TypeScript handles, by number, until released, within a byte budget.

    Numbers start at a random point, so a handle from an earlier agent (before a restart) is told apart from a
    released one instead of silently naming some other object. Over MAX_KEPT_BYTES (estimated), the least recently
    used objects that nothing else in Python holds are evicted, and a later use of their handles says so. The reader
    thread resolves handles sent as arguments while the main thread keeps and releases: hence the lock.
    """

    def __init__(self, max_bytes=MAX_KEPT_BYTES):
        self._lock = threading.Lock()
        self._objects = BoundedStore(max_bytes)
        self._evicted = set()  # until the host releases them too
        self._first = random.randrange(1, 1 << 30)
        self._next = self._first

    def keep(self, obj):
        size = estimate_bytes(obj)
        with self._lock:
            ref = self._next
            self._next += 1
            self._evicted.update(self._objects.put(ref, obj, size))
        return values.ObjectRef(ref, values.type_name(obj), values.bounded_repr(obj, HANDLE_REPR_CHARS))

    def get(self, ref):
        with self._lock:
            if ref in self._objects:
                return self._objects.get(ref)
            evicted = ref in self._evicted
            known = self._first <= ref < self._next
        if evicted:
            raise HandleError(
                "object handle %d was released: the objects kept for handles came to over %s, so the least "
                "recently used that nothing else in Python held were let go. Release handles you no longer need, or "
                "keep the object in a Python variable as well, which keeps it from being let go"
                % (ref, describe_bytes(self._objects.max_bytes)))
        if known:
            raise HandleError("object handle %d was released" % ref)
        raise HandleError("object handle %d does not belong to this session (is it from before a restart?)" % ref)

    def release(self, refs):
        with self._lock:
            for ref in refs:
                self._objects.discard(ref)
                self._evicted.discard(ref)

    def __len__(self):
        return len(self._objects)


class Calls:
    """Answers call and ref.* requests on the main thread, against the session namespace."""

    def __init__(self, namespace, objects):
        self._namespace = namespace
        self.objects = objects
        # source text -> (code, file, linecache entry), least recently used first: a pool's 'lambda x: x * x'
        # compiles once per worker
        self._compiled = collections.OrderedDict()
        self._source_chars = 0
        self._modules = {}  # dotted name -> how many leading parts name the module to import
        self._handlers = {
            "call": self._call,
            "ref.new": lambda r: self.objects.keep(self.evaluate(r["expr"])),
            "ref.get": lambda r: self._answer(r, getattr(self.objects.get(r["ref"]), r["attr"])),
            "ref.call": lambda r: self._answer(r, getattr(self.objects.get(r["ref"]), r["method"])(*r["args"], **r["kwargs"])),
            "ref.value": lambda r: self.objects.get(r["ref"]),
            "ref.release": self._release,
        }

    def run(self, request):
        return self._handlers[request["type"]](request)

    def resolve(self, target):
        """The object a call target names: a dotted name (imported when the session has not) or an expression."""
        head = target.split(".", 1)[0]
        if _DOTTED_NAME.match(target) and head not in self._namespace and not hasattr(builtins, head):
            return self._import(target)
        return self.evaluate(target)

    def evaluate(self, source):
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compile(source)
        else:
            self._compiled.move_to_end(source)
        return eval(compiled[0], self._namespace)

    def _compile(self, source):
        """Compiles a target and gives tracebacks its text; the least recently used go past MAX_CACHED_TARGETS or
        MAX_CACHED_SOURCE characters, their text in linecache with them."""
        file = "<%s>" % source if len(source) <= 80 and "\n" not in source else "<call target>"
        lines = (len(source), None, source.splitlines(True), file)
        compiled = self._compiled[source] = (compile(source, file, "eval"), file, lines)
        linecache.cache[file] = lines
        self._source_chars += len(source)
        while len(self._compiled) > MAX_CACHED_TARGETS or self._source_chars > MAX_CACHED_SOURCE:
            old, (_, old_file, old_lines) = self._compiled.popitem(last=False)
            self._source_chars -= len(old)
            if linecache.cache.get(old_file) is old_lines:  # not since replaced by another target's text
                del linecache.cache[old_file]
        return compiled

    def _call(self, request):
        return self._answer(request, self.resolve(request["target"])(*request["args"], **request["kwargs"]))

    def _answer(self, request, value):
        return self.objects.keep(value) if request.get("asRef") else value

    def _release(self, request):
        self.objects.release(request["refs"])
        return None

    def _import(self, target):
        parts = target.split(".")
        split = self._modules.get(target)
        if split is None:
            split = self._modules[target] = _module_prefix(parts)
        obj = importlib.import_module(".".join(parts[:split]))
        for name in parts[split:]:
            obj = getattr(obj, name)
        return obj


def _module_prefix(parts):
    """How many leading parts of a dotted name name an importable module; NameError when none do."""
    for split in range(len(parts), 0, -1):
        name = ".".join(parts[:split])
        try:
            importlib.import_module(name)
            return split
        except ModuleNotFoundError as exc:
            if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
                raise  # the module exists but an import inside it failed: that is the user's error to see
    raise NameError("name %r is not defined in the session, and no module of that name can be imported" % parts[0])


def without_agent_frames(exc):
    """Drops the agent's own frames (server, calls) from the front of a traceback, so a call's error shows user frames."""
    tb = exc.__traceback__
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) in _AGENT_FILES:
        tb = tb.tb_next
    return exc.with_traceback(tb)
