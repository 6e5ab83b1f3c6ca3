"""Table handles for the viewer: the data stays here; the viewer asks for windows, sorts, filters and profiles."""
import collections
import itertools
import threading

from ..sizes import describe_bytes, estimate_bytes
from .code import to_code
from .export import export
from .handle import TableHandle
from .live import followable, signature
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
        self._sources = {}  # handle id -> Source, for handles opened from an expression or bound to one
        self._evicted = set()  # ids released to stay within the budget, until the viewer releases them too
        self._ids = itertools.count(1)
        self._max = max_handles
        self._max_bytes = max_bytes
        self._lock = threading.Lock()

    def open(self, expr=None, ref=None, bind=None):
        """A handle on expr's value, or on a kept result; bind names where the result came from (the name its cell
        ended in): the handle follows that name while it still names the result, and is a snapshot otherwise."""
        if (expr is None) == (ref is None):
            raise ValueError("table.open needs an expr or a ref, and not both")
        obj = eval(expr, self._namespace) if expr is not None else self._results.get(ref)
        table = open_table(obj)
        handle = TableHandle(next(self._ids), table, estimate_bytes(obj))
        source = None
        if expr is not None:
            source = Source(expr, followable(expr), obj, table)
        elif bind is not None and followable(bind) and self._names(bind, obj):
            source = Source(bind, True, obj, table)
        if source is not None and source.live:
            handle.source = source.expr.strip()
        with self._lock:
            self._handles[handle.id] = handle
            if source is not None:
                self._sources[handle.id] = source
            self._trim(handle.id)
        return handle

    def _names(self, expr, obj):
        try:
            return eval(expr, self._namespace) is obj
        except Exception:  # the name is gone, or no longer evaluates
            return False

    def update(self, handle_id, change):
        """change(handle) (a sort, a filter) may hold new views: the others may have to make room."""
        result = change(self.get(handle_id))
        with self._lock:
            self._trim(handle_id)
        return result

    def changed(self, handle_id):
        """Whether the expression a live handle follows now names another object, or the same one changed."""
        with self._lock:
            source = self._sources.get(handle_id)
        if source is None or not source.live:
            return False
        try:
            now = eval(source.expr, self._namespace)
            return now is not source.obj or signature(open_table(now)) != source.signature
        except Exception:  # the variable is gone, or no longer evaluates, or no longer opens as a table
            return True

    def refresh(self, handle_id, check):
        """Reads the handle's expression again and shows its value in the same view (sort, filters and search)."""
        with self._lock:
            source = self._sources.get(handle_id)
        if source is None:
            raise ValueError("table handle %r came from a result, not from a variable: run the code again to see new "
                             "data" % (handle_id,))
        obj = eval(source.expr, self._namespace)
        table = open_table(obj)
        schema = self.update(handle_id, lambda handle: handle.replace(table, estimate_bytes(obj), check))
        with self._lock:
            self._sources[handle_id] = Source(source.expr, source.live, obj, table)
        return schema

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


class Source:
    """Where a handle's object came from: the expression, whether the handle follows it (live), the object it gave
    and its signature then (computed only for live sources, which are compared after each run)."""

    def __init__(self, expr, live, obj, table):
        self.expr = expr
        self.live = live
        self.obj = obj
        self.signature = signature(table) if live else None


def register(inspector, namespace, results):
    """Adds the table.* handlers to the inspector; long ones call inspector.check() so an interrupt cancels them."""
    tables = Tables(namespace, results)
    check = inspector.check
    inspector.handlers.update({
        "table.open": lambda r: tables.open(r.get("expr"), r.get("ref"), r.get("bind")).schema(),
        "table.rows": formatted(lambda r: tables.get(r["handle"]).rows(r["start"], r["end"], r.get("columns"))),
        "table.cell": lambda r: tables.get(r["handle"]).cell_text(r["row"], r["column"]),
        "table.sort": lambda r: tables.update(r["handle"], lambda h: h.set_sort(r["keys"], check)),
        "table.filter": lambda r: tables.update(r["handle"], lambda h: h.set_filters(
            r["filters"], r.get("search") or "", check, r.get("limit"))),
        "table.profile": formatted(lambda r: tables.get(r["handle"]).profile(r["column"], check)),
        "table.summary": formatted(lambda r: tables.get(r["handle"]).summary(r["column"], check)),
        "table.export": lambda r: export(tables.get(r["handle"]), r["path"], r["format"], check),
        "table.code": lambda r: to_code(tables.get(r["handle"]), r["name"]),
        "table.release": lambda r: tables.release(r["handle"]),
        "table.changed": lambda r: tables.changed(r["handle"]),
        "table.refresh": lambda r: tables.refresh(r["handle"], check),
    })
    return tables
