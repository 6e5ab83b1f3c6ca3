"""Table handles for the viewer: the data stays here; the viewer asks for windows, sorts, filters and profiles."""


def register(inspector, namespace, results):
    """Adds the table.* handlers to the inspector."""
