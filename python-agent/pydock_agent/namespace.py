"""Lists the session namespace for the variables view, and expands containers and objects one level at a time."""
import inspect
import sys
import types

from .tables.numbertext import formatted, readable
from .values import bounded_repr, type_name

MAX_ITEMS = 500
REPR_CHARS = 200


def register(inspector, namespace):
    """The Variables view's requests."""
    inspector.handlers["vars"] = formatted(lambda r: list_variables(namespace))
    inspector.handlers["vars.expand"] = formatted(lambda r: expand(namespace, r["path"], r["expr"]))


def list_variables(namespace):
    names = sorted(k for k in list(namespace) if not k.startswith("__") and k not in ("_", "In", "Out"))
    variables = [describe([name], namespace[name], name, name) for name in names[:MAX_ITEMS]]
    return {"variables": variables, "truncated": len(names) > MAX_ITEMS}


def expand(namespace, path, expr):
    """The children of the value at path; expr is its Python expression, extended for each child."""
    value = resolve(namespace, path)
    children = []
    if _is_frame(value):
        return _columns(value, path, expr)
    if isinstance(value, dict):
        for key in list(value)[:MAX_ITEMS]:
            children.append(describe(path + [key], value[key], repr(key), "%s[%r]" % (expr, key)))
        size = len(value)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value[:MAX_ITEMS]):
            children.append(describe(path + [index], item, "[%d]" % index, "%s[%d]" % (expr, index)))
        size = len(value)
    else:
        attrs = _public_attributes(value)
        for name in attrs[:MAX_ITEMS]:
            try:
                children.append(describe(path + [name], getattr(value, name), name, "%s.%s" % (expr, name)))
            except Exception:  # a property that raises: show nothing for it
                continue
        size = len(attrs)
    return {"variables": children, "truncated": size > MAX_ITEMS}


def resolve(namespace, path):
    value = namespace[path[0]]
    for step in path[1:]:
        if _is_frame(value):  # a column, by position (labels need not be strings or numbers)
            value = value.iloc[:, step]
        elif isinstance(value, (dict, list, tuple)):
            value = value[step]
        else:
            value = getattr(value, step)
    return value


def describe(path, value, name, expr):
    info = {
        "name": name, "path": path, "expr": expr, "type": type_name(value), "repr": bounded_repr(value, REPR_CHARS),
        "kind": _kind(path, value), "expandable": _expandable(value), "tabular": is_tabular(value),
    }
    shape = _shape(value)
    if shape is not None:
        info["shape"] = shape
    shown = readable(value)
    if shown is not None and shown != info["repr"]:
        info["shown"] = shown
    return info


def is_tabular(value):
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, (pandas.DataFrame, pandas.Series)):
        return True
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.ndarray) and value.ndim in (1, 2):
        return True
    from pydock import Grid

    if isinstance(value, Grid):
        return True
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value[:100]):
        return True
    return isinstance(value, dict) and bool(value) and all(isinstance(v, (list, tuple)) for v in list(value.values())[:100])


def _kind(path, value):
    if isinstance(value, types.ModuleType):
        return "module"
    if inspect.isroutine(value):
        return "function"
    if inspect.isclass(value):
        return "class"
    if isinstance(path[-1], str) and path[-1].startswith("_"):
        return "private"
    return "data"


def _expandable(value):
    if isinstance(value, (dict, list, tuple)):
        return len(value) > 0
    if _is_frame(value):
        return len(value.columns) > 0
    if isinstance(value, (str, bytes, int, float, complex, bool, type(None), types.ModuleType, type)) or is_tabular(value):
        return False
    # Cheap on purpose: listing dir() of every variable on every refresh would cost more than the view is worth.
    return not inspect.isroutine(value) and bool(getattr(value, "__dict__", None) or getattr(type(value), "__slots__", None))


def _is_frame(value):
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, pandas.DataFrame)


def _columns(frame, path, expr):
    """A DataFrame's columns as children: each with its dtype and how many of its values are missing."""
    shown = frame.iloc[:, :MAX_ITEMS]
    nulls = shown.isna().sum().tolist()
    rows = len(frame)
    children = []
    for position, (label, dtype) in enumerate(zip(shown.columns, shown.dtypes)):
        key = "[%r]" % (label,) if isinstance(label, (str, int)) and frame.columns.is_unique else ".iloc[:, %d]" % position
        missing = "no nulls" if not nulls[position] else "%s null%s (%.1f%%)" % (
            "{:,}".format(nulls[position]), "" if nulls[position] == 1 else "s", 100.0 * nulls[position] / rows)
        children.append({"name": str(label), "path": path + [position], "expr": expr + key, "type": str(dtype),
                         "repr": missing, "kind": "data", "expandable": False, "tabular": True})
    return {"variables": children, "truncated": len(frame.columns) > MAX_ITEMS}


def _public_attributes(value):
    try:
        names = dir(value)
    except Exception:
        return []
    return [n for n in names if not n.startswith("_") and not inspect.isroutine(getattr(value, n, None))]


def _shape(value):
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and all(isinstance(n, int) for n in shape):
        return list(shape)
    if isinstance(value, (list, tuple, dict, set, str, bytes)):
        return [len(value)]
    return None
