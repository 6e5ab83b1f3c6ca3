"""Checks events against the protocol tables: fields, the payloads nested in them, and enumerated values.

The agent runs it on every event it sends when PYDOCK_CHECK_EVENTS is set (its tests and pydock's integration tests
set it), so what server.py actually sends is held to the table. extension/engine/wire/conformance.ts is the other side.
"""
from . import protocol

_JSON_TYPES = {"string": str, "boolean": bool}


def event_problem(event, inspection=None):
    """What is wrong with an event (the reply to an inspection of kind `inspection`, if it is one); None when nothing."""
    fields = protocol.EVENTS.get(event.get("type"))
    if fields is None:
        return "its type %r is not in the protocol's EVENTS" % (event.get("type"),)
    problem = _shape_problem("the %s event" % event["type"], event, ("type",) + fields, event["type"])
    if problem or inspection is None or event["type"] != "result":
        return problem
    return reply_problem(inspection, event["value"])


def reply_problem(kind, value):
    expected = protocol.INSPECT_REPLIES[kind]
    if expected == "null":
        return None if value is None else "the reply to %s is not None" % kind
    if expected in _JSON_TYPES:
        return None if isinstance(value, _JSON_TYPES[expected]) else "the reply to %s is not a %s" % (kind, expected)
    return _payload_problem("the reply to %s" % kind, value, expected)


def _shape_problem(where, value, fields, owner):
    missing = [f for f in fields if not f.endswith("?") and f not in value]
    if missing:
        return "%s lacks %s" % (where, ", ".join(missing))
    known = {f.rstrip("?") for f in fields}
    extra = [k for k in value if k not in known]
    if extra:
        return "%s has fields the protocol does not name: %s" % (where, ", ".join(map(str, extra)))
    for name in known & set(value):
        allowed = protocol.ENUMS.get(owner + "." + name)
        if allowed is not None and value[name] not in allowed:
            return "%s.%s is %r, not one of %s" % (where, name, value[name], ", ".join(allowed))
        inner = protocol.NESTED.get(owner + "." + name)
        problem = inner and _nested_problem(where + "." + name, value[name], inner)
        if problem:
            return problem
    return None


def _nested_problem(where, value, spec):
    if not spec.endswith("[]"):
        return _payload_problem(where, value, spec)
    if not isinstance(value, (list, tuple)):
        return "%s is not a list" % where
    for i, item in enumerate(value):
        problem = _payload_problem("%s[%d]" % (where, i), item, spec[:-2])
        if problem:
            return problem
    return None


def _payload_problem(where, value, name):
    if not isinstance(value, dict):
        return "%s is not a map" % where
    if name == "ColumnFilter":
        fields = protocol.FILTERS.get(value.get("op"))
        if fields is None:
            return "%s.op %r is not a filter the protocol names" % (where, value.get("op"))
        return _shape_problem(where, value, fields, name)
    return _shape_problem(where, value, protocol.PAYLOADS[name], name)
