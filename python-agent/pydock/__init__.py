"""The pydock module that user code imports inside a session: the value types that cross to TypeScript."""
from .grid import Grid, GridBuilder
from .handles import kept
from .jobs import progress
from .types import Marker, NA, Remove, Ref, Uri, Matrix

__all__ = ["Marker", "NA", "Remove", "Ref", "Uri", "Matrix", "Grid", "GridBuilder", "kept", "progress"]
