"""Cheap estimates of the memory an object holds: never a scan of its values, so a 10-million-row frame costs microseconds."""
import sys

_CONTAINERS = (list, tuple, set, frozenset, dict)


def estimate_bytes(obj):
    """numpy's nbytes, pandas' memory_usage(deep=False), a container by its first item, else sys.getsizeof."""
    try:
        module = type(obj).__module__ or ""
        if module.startswith("pandas"):
            usage = getattr(obj, "memory_usage", None)
            if usage is not None:
                total = usage(deep=False)
                return int(total.sum()) if hasattr(total, "sum") else int(total)
        elif module.startswith("numpy"):
            nbytes = getattr(obj, "nbytes", None)
            if isinstance(nbytes, int):
                return nbytes
        elif isinstance(obj, _CONTAINERS) and obj:
            return sys.getsizeof(obj) + len(obj) * _first_item_bytes(obj)
        return sys.getsizeof(obj)
    except Exception:  # an object whose size cannot be asked: count it as small
        return 0


def _first_item_bytes(container):
    if isinstance(container, dict):
        key = next(iter(container))
        return sys.getsizeof(key) + sys.getsizeof(container[key])
    return sys.getsizeof(next(iter(container)))


def describe_bytes(size):
    """A size as people read it: 1 GiB, 256 MiB, 9.8 KiB, 512 bytes."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            return ("%.1f %s" % (size / (1 << shift), unit)).replace(".0 ", " ")
    return "%d bytes" % size
