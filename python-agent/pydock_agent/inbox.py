"""Requests read from the protocol fd: frames as they complete, checked against the protocol tables before use."""
import os

from . import calls, protocol
from .wire import HEADER, starts_as_message, unpackb

_READ_SIZE = 1 << 20
_FILL_THRESHOLD = 1 << 20  # frames this large are read into their own buffer as they arrive


class ProtocolError(Exception):
    pass


def frames(fd, out_of_step):
    """Request frames as they complete, until the input ends.

    Where a header cannot start a request (the stream is out of step), bytes are skipped one at a time up to one
    that can, and out_of_step(skipped) is told how many were lost, so whoever waits on a lost request hears of it.
    """
    buffer = bytearray()
    reads = bytearray(_READ_SIZE)  # reused: a fresh 1 MiB per read, shrunk to the bytes read, fragmented the heap
    skipped = 0
    while True:
        if len(buffer) >= HEADER.size:
            size = HEADER.unpack_from(buffer)[0]
            plausible = starts_as_message(buffer, HEADER.size, size)
            if plausible is False:
                del buffer[:1]
                skipped += 1
                continue
            if plausible and skipped:
                out_of_step(skipped)
                skipped = 0
            end = HEADER.size + size
            if plausible and len(buffer) >= end:
                with memoryview(buffer) as view:
                    frame = bytes(view[HEADER.size:end])
                del buffer[:end]
                yield frame
                continue
            if plausible and size >= _FILL_THRESHOLD:
                frame = _read_into(fd, buffer[HEADER.size:], size)
                if frame is None:
                    return
                buffer = bytearray()
                yield frame
                continue
        read = os.readv(fd, [reads])
        if not read:
            return
        buffer += memoryview(reads)[:read]


def _read_into(fd, start, size):
    """A large frame read straight into its own buffer: the kernel's copy is the only one. None at end of input."""
    frame = bytearray(size)
    with memoryview(frame) as view:
        view[:len(start)] = start
        filled = len(start)
        while filled < size:
            read = os.readv(fd, [view[filled:]])
            if not read:
                return None
            filled += read
    return frame


def validate(request):
    if not isinstance(request, dict):
        raise ProtocolError("a request must be a map, not %s" % type(request).__name__)
    kind = request.get("type")
    fields = protocol.REQUESTS.get(kind)
    if fields is None:
        raise ProtocolError("unknown request type %r" % (kind,))
    _require(request, fields, kind)
    if kind == "batch":
        for step in request["steps"]:
            step_fields = protocol.STEPS.get(step.get("type")) if isinstance(step, dict) else None
            if step_fields is None:
                raise ProtocolError("unknown batch step %r" % (step,))
            _require(step, step_fields, "batch step " + step["type"])


def _require(message, fields, kind):
    missing = [f for f in fields if not f.endswith("?") and f not in message]
    if missing:
        raise ProtocolError("%s request is missing %s" % (kind, ", ".join(missing)))


def protocol_error(exc):
    kind = type(exc).__name__ if isinstance(exc, calls.HandleError) else "ProtocolError"
    return {"type": kind, "message": str(exc), "frames": [], "text": "%s: %s\n" % (kind, exc)}


def peek_id(frame):
    """The id of a request whose values could not be decoded, read with its extension values left out."""
    try:
        request = unpackb(frame, lambda code, data: None)
    except Exception:  # not MessagePack at all: no one to answer
        return None
    return request.get("id") if isinstance(request, dict) else None
