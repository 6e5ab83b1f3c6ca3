"""Completion items from the live session: names the document does not define, live attributes and keys."""
import re
import types

from . import describe, live, text
from .text import index_to_utf16

MAX_ITEMS = 200
# LSP CompletionItemKind
_MODULE, _CLASS, _FUNCTION, _METHOD, _PROPERTY, _FIELD, _VARIABLE, _VALUE = 9, 7, 3, 2, 10, 5, 6, 12
_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, types.MethodType) + live.BUILTIN_DESCRIPTORS


def complete(namespace, document, line, current, index, static):
    """An LSP CompletionList for the cursor at (line, str index) of a document's text, `current` the text of that line.

    An attribute the session cannot resolve (a module the file imports but the session has not) is left to `static`."""
    context = text.completion_context(current[:index])
    items, incomplete = [], False
    if context is None:
        pass
    elif context[0] == "name":
        items = _items(dict(namespace), context[1], None, False, text.defined_names(document))
    else:
        obj = live.lookup(namespace, context[1])
        if obj is live.Unknown:
            if context[0] == "attr":
                items, incomplete = static.completions(document, line, index)
        elif context[0] == "attr":
            bound = not live.is_class(obj) and type(obj) is not types.ModuleType  # its functions are methods
            items = _items(dict(live.attributes(obj)), context[2], context[1], bound)
        else:
            items = _key_items(obj, context[2], context[3], line, current, index)
    return {"isIncomplete": incomplete or len(items) > MAX_ITEMS, "items": items[:MAX_ITEMS]}


def _items(found, partial, owner, bound, hidden=()):
    """Items for the names of `found` (name -> raw value) that fit what is typed, best first, skipping `hidden`.

    Only the names returned become items: 10,000 live names cost a filter in C and a sort, not 10,000 items."""
    items = []
    for name in _fitting(list(found), partial):
        if name in hidden or name.startswith("__") and not partial.startswith("_"):
            continue
        kind, shown = _kind(found[name], bound)
        items.append({"label": name, "kind": kind, "detail": "live", "labelDetails": {"description": shown},
                      "sortText": "%04d" % len(items), "data": {"expr": "%s.%s" % (owner, name) if owner else name}})
        if len(items) > MAX_ITEMS:
            break
    return items


def _fitting(names, partial):
    """Names that start with what is typed (any case), then the shortest holding its characters in order from the first."""
    if not partial:
        return sorted(n for n in names if not n.startswith("_"))
    starts = re.compile(re.escape(partial), re.I).match
    best = sorted(filter(starts, names))
    if len(best) > MAX_ITEMS:
        return best
    loose = re.compile(".*?".join(map(re.escape, partial)), re.I).match
    return best + sorted((n for n in filter(loose, names) if not starts(n)), key=lambda n: (len(n), n))


def _kind(raw, bound):
    """(CompletionItemKind, what the item shows beside its name) of a raw attribute or namespace value."""
    if live.is_column(raw):
        return _FIELD, "column"
    kind = type(raw)
    if kind is types.ModuleType:
        return _MODULE, "module"
    if live.is_class(raw):
        return _CLASS, "class"
    if kind in (staticmethod, classmethod) or kind in _FUNCTIONS:
        return (_METHOD if kind is types.MethodType or bound else _FUNCTION), "function"
    if kind is property or hasattr(kind, "__get__"):
        return _PROPERTY, "property"
    return _VARIABLE, describe.type_label(raw)


def _key_items(obj, quote, partial, line, current, index):
    """Keys after obj[" (replacing what is typed of the key) or after obj[ (inserting a quoted key)."""
    start = index - len(partial)
    closing = quote and current[index:index + 1] == quote
    edit_range = {"start": {"line": line, "character": index_to_utf16(current, start)},
                  "end": {"line": line, "character": index_to_utf16(current, index)}}
    items = []
    for position, key in enumerate(live.keys(obj)):
        if partial and not key.lower().startswith(partial[:1].lower()):
            continue
        written = _escaped(key, quote) if quote else repr(key)
        if quote and not closing:
            written += quote
        items.append({"label": key, "kind": _VALUE, "detail": "live", "labelDetails": {"description": "key"},
                      "sortText": "%06d" % position, "filterText": key,
                      "textEdit": {"range": edit_range, "newText": written}})
    return items


def _escaped(key, quote):
    return key.replace("\\", "\\\\").replace(quote, "\\" + quote)
