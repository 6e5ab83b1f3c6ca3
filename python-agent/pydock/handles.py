"""Objects a session keeps for TypeScript handles, reachable from Python code by their number."""

_store = None


def install(store):
    """Called once by the agent: `store.get(ref)` answers `kept(ref)` and object handles sent as arguments."""
    global _store
    _store = store


def kept(ref):
    """The object behind the TypeScript handle numbered ref, e.g. for a table viewer: `pydock.kept(7)`."""
    if _store is None:
        raise LookupError("object handles exist only inside a pydock session")
    return _store.get(ref)
