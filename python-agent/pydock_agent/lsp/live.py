"""Reading live objects without running their code: static attributes, literal subscripts, and keys of known types.

Nothing here calls a property, __getattr__, __getattribute__, __dir__, __repr__ or __getitem__ a user class defines.
Code of numpy, pandas and the standard library runs only on their own exact types (a subclass may override anything).
"""
import inspect
import os
import sys
import types

from . import text

MAX_KEYS = 1000

# A class's mro and own namespace, read through type's own descriptors (a metaclass cannot intercept them).
type_mro = type.__dict__["__mro__"].__get__
type_dict = type.__dict__["__dict__"].__get__
BUILTIN_DESCRIPTORS = (types.MethodDescriptorType, types.WrapperDescriptorType, types.ClassMethodDescriptorType)


class Unknown(Exception):
    """The value cannot be read without running code (or does not exist)."""


def known_type(obj, module, name):
    """Whether obj is exactly module.name (e.g. pandas.DataFrame), looked up only when that module is already loaded."""
    loaded = sys.modules.get(module)
    return loaded is not None and type(obj) is _module_dict(loaded).get(name)


def is_class(obj):
    return type in type_mro(type(obj))


def resolve(namespace, steps):
    """The object an expression chain names, read statically; raises Unknown where that would run code."""
    if not steps:
        raise Unknown("nothing to resolve")
    name = steps[0][1]
    if name not in namespace:  # builtins are left to static servers: they need no live session
        raise Unknown("%s is not defined in the session" % name)
    value = namespace[name]
    for kind, part in steps[1:]:
        value = static_attribute(value, part) if kind == "attr" else literal_item(value, part)
    return value


def lookup(namespace, expr):
    """The object an expression's text names (see resolve), or the class Unknown when it cannot be read."""
    chain = text.steps(expr) if expr else None
    try:
        return resolve(namespace, chain) if chain else Unknown
    except Unknown:
        return Unknown


def static_attribute(obj, name):
    """obj.name as Python would give it, where that needs no user code: data from dicts, methods bound by hand."""
    if isinstance(obj, types.ModuleType):
        attrs = _module_dict(obj)
        if name in attrs:
            return attrs[name]
        raise Unknown("module has no attribute %s" % name)
    try:
        raw = inspect.getattr_static(obj, name)
    except AttributeError:
        raise Unknown("no attribute %s" % name) from None
    instance = _instance_dict(obj)
    if instance is not None and name in instance and instance[name] is raw:
        return raw
    owner = obj if is_class(obj) else type(obj)
    kind = type(raw)
    if kind is staticmethod:
        return raw.__func__
    if kind is classmethod:
        return types.MethodType(raw.__func__, owner)
    if is_class(obj):
        return raw  # a function or a descriptor object, as the class holds it
    if kind is types.FunctionType:
        return types.MethodType(raw, obj)
    if kind in BUILTIN_DESCRIPTORS and known_safe(obj):
        return raw.__get__(obj, owner)
    if hasattr(kind, "__get__"):
        raise Unknown("%s is computed by a %s" % (name, kind.__name__))
    return raw


def literal_item(obj, key):
    """obj[key] for dicts, lists, tuples, os.environ and DataFrame columns; other containers could run code."""
    if dict in type_mro(type(obj)):
        if key in dict.keys(obj):
            return dict.__getitem__(obj, key)
        raise Unknown("no key %r" % (key,))
    if type(obj) in (list, tuple) and type(key) is int and -len(obj) <= key < len(obj):
        return obj[key]
    if obj is os.environ and key in os.environ:
        return os.environ[key]
    if known_type(obj, "pandas", "DataFrame") and key in obj.columns:
        return obj[key]
    raise Unknown("%s[%r] is not read without running code" % (type(obj).__name__, key))


def keys(obj):
    """The keys offered after obj[" : only from types whose key listing runs no user code."""
    if dict in type_mro(type(obj)):
        found = dict.keys(obj)
    elif obj is os.environ:
        found = os.environ.keys()
    elif known_type(obj, "pandas", "DataFrame"):
        found = obj._ipython_key_completions_() if hasattr(type(obj), "_ipython_key_completions_") else obj.columns
    elif known_type(obj, "pandas", "Series") and obj.index.dtype == object:
        found = obj.index[:MAX_KEYS]
    else:
        return []
    result = []
    for key in found:
        if type(key) is str:
            result.append(key)
            if len(result) >= MAX_KEYS:
                break
    return result


def attributes(obj):
    """(name, raw value) of what dir(obj) would list, read from the dicts behind it in lookup order."""
    if isinstance(obj, types.ModuleType):
        return list(_module_dict(obj).items())
    found = {}
    instance = _instance_dict(obj)
    if instance is not None:
        for name, value in list(instance.items()):
            if type(name) is str:
                found.setdefault(name, value)
    for cls in type_mro(obj if is_class(obj) else type(obj)):
        for name, value in list(type_dict(cls).items()):
            found.setdefault(name, value)
    if known_type(obj, "pandas", "DataFrame"):
        for column in keys(obj):
            if column.isidentifier():
                found.setdefault(column, _COLUMN)
    return list(found.items())


_COLUMN = object()


def is_column(raw):
    return raw is _COLUMN


def known_safe(obj):
    """Whether obj's type is one of Python's own, numpy's or pandas' exact types, whose code is not user code."""
    module = getattr(type(obj), "__module__", "") or ""
    return module == "builtins" or module.split(".")[0] in ("numpy", "pandas")


def _module_dict(module):
    return object.__getattribute__(module, "__dict__")


def _instance_dict(obj):
    try:
        attrs = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        return None
    return attrs if type(attrs) is dict else None
