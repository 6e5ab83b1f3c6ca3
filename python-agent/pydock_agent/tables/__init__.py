"""Table handles for the viewer: the data stays here; the viewer asks for windows, sorts, filters and profiles."""
import collections
import itertools
import threading

from ..sizes import describe_bytes, estimate_bytes
from .code import to_code
from .export import export
from .handle import TableHandle
from .numbertext import formatted
from .sources import open_table

MAX_HANDLES = 64  # a viewer that never said release cannot keep more than this many objects alive
MAX_BYTES = 1 << 30  # estimated: views (sorted and filtered positions) and objects no session variable holds


class Tables:
    """The open handles, by id; the least recently used are released when there are too many or they hold too much."""

    def __init__(self, namespace, results, max_handles=MAX_HANDLES, max_bytes=MAX_BYTES):
        self._namespace = namespace
        self._results = results
        self._handles = collections.OrderedDict()
        self._sources = {}  # handle id -> (expr, object, fingerprint) for handles opened from an expression
        self._evicted = set()  # ids released to stay within the budget, until the viewer releases them too
        self._ids = itertools.count(1)
        self._max = max_handles
        self._max_bytes = max_bytes
        self._lock = threading.Lock()

    def open(self, expr=None, ref=None):
        if (expr is None) == (ref is None):
            raise ValueError("table.open needs an expr or a ref, and not both")
        obj = eval(expr, self._namespace) if expr is not None else self._results.get(ref)
        table = open_table(obj)
        handle = TableHandle(next(self._ids), table, estimate_bytes(obj))
        with self._lock:
            self._handles[handle.id] = handle
            if expr is not None:
                self._sources[handle.id] = (expr, obj, _fingerprint(obj))
            self._trim(handle.id)
        return handle

    def update(self, handle_id, change):
        """change(handle) (a sort, a filter) may hold new views: the others may have to make room."""
        result = change(self.get(handle_id))
        with self._lock:
            self._trim(handle_id)
        return result

    def changed(self, handle_id):
        """Whether the expression a handle was opened from now names another object, or one of another shape."""
        with self._lock:
            source = self._sources.get(handle_id)
        if source is None:
            return False
        expr, obj, fingerprint = source
        try:
            now = eval(expr, self._namespace)
        except Exception:  # the variable is gone, or no longer evaluates
            return True
        return now is not obj or _fingerprint(now) != fingerprint

    def get(self, handle_id):
        with self._lock:
            handle = self._handles.get(handle_id)
            if handle is None and handle_id in self._evicted:
                raise KeyError("table handle %r was closed to keep at most %d tables open, holding %s: the least "
                               "recently used go first; open it again (refresh)"
                               % (handle_id, self._max, describe_bytes(self._max_bytes)))
            if handle is None:
                raise KeyError("table handle %r is not open: it was released, or the session restarted" % (handle_id,))
            self._handles.move_to_end(handle_id)
            return handle

    def release(self, handle_id):
        with self._lock:
            self._drop(handle_id)
            self._evicted.discard(handle_id)

    def _drop(self, handle_id):
        self._handles.pop(handle_id, None)
        self._sources.pop(handle_id, None)

    def _trim(self, newest):
        """Releases the least recently used handles but newest while there are too many, or they hold too much."""
        while len(self._handles) > self._max:
            oldest = next(iter(self._handles))
            self._drop(oldest)
            self._evicted.add(oldest)
        variables = {id(value) for value in list(self._namespace.values())}
        for handle_id in list(self._handles):
            if self._held_bytes(variables) <= self._max_bytes:
                return
            if handle_id != newest:
                self._drop(handle_id)
                self._evicted.add(handle_id)

    def _held_bytes(self, variables):
        """What the handles hold: their views, and each object no variable holds, once."""
        total = 0
        objects = set(variables)
        for handle in self._handles.values():
            total += handle.view_bytes()
            if id(handle.table.obj) not in objects:
                objects.add(id(handle.table.obj))
                total += handle.object_bytes
        return total

    def open_ids(self):
        with self._lock:
            return list(self._handles)


def _fingerprint(obj):
    """What an in-place change of a table most often alters: its shape and its column labels (cheap to compare)."""
    shape = getattr(obj, "shape", None)
    columns = getattr(obj, "columns", None)
    labels = tuple(repr(c) for c in list(columns)[:1000]) if columns is not None else None
    size = len(obj) if shape is None and hasattr(obj, "__len__") else None
    return (type(obj), tuple(shape) if shape is not None else None, labels, size)


def register(inspector, namespace, results):
    """Adds the table.* handlers to the inspector; long ones call inspector.check() so an interrupt cancels them."""
    tables = Tables(namespace, results)
    check = inspector.check
    inspector.handlers.update({
        "table.open": lambda r: tables.open(r.get("expr"), r.get("ref")).schema(),
        "table.rows": formatted(lambda r: tables.get(r["handle"]).rows(r["start"], r["end"], r.get("columns"))),
        "table.cell": lambda r: tables.get(r["handle"]).cell_text(r["row"], r["column"]),
        "table.sort": lambda r: tables.update(r["handle"], lambda h: h.set_sort(r["keys"], check)),
        "table.filter": lambda r: tables.update(r["handle"], lambda h: h.set_filters(r["filters"], r.get("search") or "", check)),
        "table.profile": formatted(lambda r: tables.get(r["handle"]).profile(r["column"], check)),
        "table.export": lambda r: export(tables.get(r["handle"]), r["path"], r["format"], check),
        "table.code": lambda r: to_code(tables.get(r["handle"]), r["name"]),
        "table.release": lambda r: tables.release(r["handle"]),
        "table.changed": lambda r: tables.changed(r["handle"]),
    })
    return tables

