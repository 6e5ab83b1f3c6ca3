"""What a hover says about a live object: type, shape or length, dtypes, a bounded repr and the doc's first paragraph."""
import inspect
import itertools
import time
import types

from . import live

REPR_CHARS = 1500
REPR_ROWS = 5
REPR_BUDGET_S = 0.05
MAX_DTYPES = 12
_SCALARS = (int, float, complex, bool, str, bytes, type(None))
_CONTAINERS = {list: "[]", tuple: "()", set: "{}", frozenset: "{}", dict: "{}"}
_TYPE_MODULE = type.__dict__["__module__"].__get__
_slow_types = set()  # types whose repr once went over the budget: not asked again


def type_label(obj):
    kind = type(obj)
    module = _TYPE_MODULE(kind)
    return kind.__qualname__ if module in ("builtins", "") else "%s.%s" % (module, kind.__qualname__)


def summary(obj):
    """The shape or length line: '1,000,000 rows × 3 columns', 'shape (3, 4) float64', '12 items'; None otherwise."""
    if live.known_type(obj, "pandas", "DataFrame"):
        rows, columns = obj.shape
        return "%s rows × %s columns" % (format(rows, ","), format(columns, ","))
    if live.known_type(obj, "pandas", "Series"):
        return "%s rows, dtype %s" % (format(len(obj), ","), obj.dtype)
    if live.known_type(obj, "numpy", "ndarray"):
        return "shape %s, dtype %s" % (tuple(obj.shape), obj.dtype)
    for container in (dict, list, tuple, set, frozenset, str, bytes):
        if container in live.type_mro(type(obj)):
            return "%s items" % format(container.__len__(obj), ",")
    return None


def dtypes(obj):
    """'a int64, b float64, …' for a DataFrame, None for anything else."""
    if not live.known_type(obj, "pandas", "DataFrame"):
        return None
    pairs = ["%s %s" % (name, dtype) for name, dtype in list(obj.dtypes.items())[:MAX_DTYPES]]
    more = obj.shape[1] - MAX_DTYPES
    return ", ".join(pairs) + (", … %d more" % more if more > 0 else "")


def bounded_repr(obj):
    """A repr that runs no user __repr__ and stays short: builtins walked by hand, numpy/pandas on their first rows.

    A type whose repr once took longer than REPR_BUDGET_S is not asked again; None when there is no safe repr."""
    kind = type(obj)
    if kind in _slow_types:
        return None
    started = time.perf_counter()
    if kind in _SCALARS or kind in _CONTAINERS:
        text = _builtin_repr(obj, 2)
    elif live.known_type(obj, "pandas", "DataFrame") or live.known_type(obj, "pandas", "Series"):
        text = _pandas_repr(obj)
    elif live.known_type(obj, "numpy", "ndarray") and obj.dtype.kind != "O":
        import numpy
        with numpy.printoptions(threshold=50, edgeitems=3):
            text = repr(obj[:REPR_ROWS] if obj.ndim else obj)
    else:
        return None
    if time.perf_counter() - started > REPR_BUDGET_S:
        _slow_types.add(kind)
    return text if text is None or len(text) <= REPR_CHARS else text[:REPR_CHARS] + "…"


def first_paragraph(obj):
    """The first paragraph of the docstring of obj (a function, class or module) or of its type (an instance)."""
    plain = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType) + live.BUILTIN_DESCRIPTORS
    if type(obj) in plain:
        doc = obj.__doc__
    else:
        doc = live.type_dict(obj if live.is_class(obj) else type(obj)).get("__doc__")
    if type(doc) is not str:
        return None
    return inspect.cleandoc(doc).split("\n\n")[0].strip() or None


def _pandas_repr(obj):
    frame = obj if obj.ndim == 2 else obj.to_frame()
    for position, dtype in enumerate(list(frame.dtypes)):
        if dtype == object and _has_foreign_objects(frame.iloc[:REPR_ROWS, position].tolist()):
            return None
    import pandas
    with pandas.option_context("display.max_columns", 10, "display.width", 100):
        return repr(obj.iloc[:REPR_ROWS]) + ("\n…" if len(obj) > REPR_ROWS else "")


def _has_foreign_objects(values):
    """Whether an object column's first rows hold anything but builtins scalars (their repr could be user code)."""
    return any(type(v) not in _SCALARS for v in values)


def _builtin_repr(obj, depth):
    kind = type(obj)
    if kind in (str, bytes):
        return repr(obj[:REPR_CHARS]) + ("…" if len(obj) > REPR_CHARS else "")
    if kind in _SCALARS:
        return repr(obj)
    if kind not in _CONTAINERS:
        return "<%s>" % type_label(obj)
    if depth == 0:
        return "%s…%s" % (_CONTAINERS[kind][0], _CONTAINERS[kind][1])
    items = list(itertools.islice(obj.items() if kind is dict else obj, 20))
    if kind is dict:
        parts = ["%s: %s" % (_builtin_repr(k, depth - 1), _builtin_repr(v, depth - 1)) for k, v in items]
    else:
        parts = [_builtin_repr(item, depth - 1) for item in items]
    if len(obj) > len(items):
        parts.append("…")
    return _CONTAINERS[kind][0] + ", ".join(parts) + _CONTAINERS[kind][1]
