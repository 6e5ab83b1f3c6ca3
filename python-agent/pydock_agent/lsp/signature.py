"""Call signatures of live callables, read with inspect.signature only where that runs no user code."""
import abc
import functools
import inspect
import types

from . import live
from .text import index_to_utf16

_PLAIN_CALLABLES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial) + live.BUILTIN_DESCRIPTORS
_PLAIN_METACLASSES = (type, abc.ABCMeta)  # they look up __call__, __new__ and __init__ without user code


def signature_of(obj):
    """inspect.signature(obj) for functions, methods and classes of plain metaclasses; None for anything else.

    A callable instance is left out: inspect would look up __call__, __signature__ and __wrapped__ on it (getattr)."""
    if type(obj) in _PLAIN_CALLABLES or (live.is_class(obj) and type(obj) in _PLAIN_METACLASSES):
        try:
            return inspect.signature(obj)
        except (TypeError, ValueError):  # builtins without a text signature
            return None
    return None


def signature_help(obj, name, active, keyword, doc):
    """An LSP SignatureHelp for a call of obj written as name(...), with the argument being written marked."""
    signature = signature_of(obj)
    if signature is None:
        return None
    params = list(signature.parameters.values())
    texts = [str(p) for p in params]
    label = "%s(%s)" % (name, ", ".join(texts))
    offsets, at = [], len(name) + 1
    for text in texts:
        offsets.append([index_to_utf16(label, at), index_to_utf16(label, at + len(text))])
        at += len(text) + 2
    if signature.return_annotation is not inspect.Signature.empty:
        label += " -> " + inspect.formatannotation(signature.return_annotation)
    active_parameter = _active(params, active, keyword)
    info = {"label": label, "parameters": [{"label": o} for o in offsets]}
    if doc:
        info["documentation"] = {"kind": "markdown", "value": doc}
    return {"signatures": [info], "activeSignature": 0, "activeParameter": active_parameter}


def _active(params, active, keyword):
    """The parameter the argument being written binds to (a keyword by name, else by position; *args takes the rest)."""
    names = [param.name for param in params]
    if keyword in names:
        return names.index(keyword)
    for index, param in enumerate(params[:active + 1]):
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            return index
    return active
