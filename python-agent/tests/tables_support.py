"""Shared helpers of the table tests: opening a handle on a value, and checking a cell against the value itself."""
import ast
import math
import unittest

from pydock_agent.protocol import SPECIAL
from pydock_agent.results import ResultStore
from pydock_agent.tables import Tables

from optional import numpy, pandas


def never_cancelled():
    """The check() of a request nobody interrupts."""


def open_handle(value, **more):
    """A handle on value, opened by expression as table.open does."""
    return Tables(dict(more, value=value), ResultStore()).open("value")


def all_cells(handle):
    return handle.rows(0, handle.row_count)


def expected_special(value):
    """The special code the viewer must show for value, or None when value is not special."""
    if value is None:
        return SPECIAL["none"]
    if pandas is not None and value is pandas.NA:
        return SPECIAL["na"]
    if pandas is not None and value is pandas.NaT:
        return SPECIAL["nat"]
    if numpy is not None and isinstance(value, (numpy.datetime64, numpy.timedelta64)) and numpy.isnat(value):
        return SPECIAL["nat"]
    if isinstance(value, float) or (numpy is not None and isinstance(value, numpy.floating)):
        if math.isnan(value):
            return SPECIAL["nan"]
        if math.isinf(value):
            return SPECIAL["posinf"] if value > 0 else SPECIAL["neginf"]
    return None


class CellAssertions(unittest.TestCase):
    def assert_cell_shows(self, cell, value, where=""):
        """The cell shows value truly: read back it is the same value (floats to the bit), or its own str()."""
        special = expected_special(value)
        if special is not None:
            self.assertEqual(cell, special, "%s: %r should show as special code %d" % (where, value, special))
            return
        self.assertNotIsInstance(cell, int, "%s: %r is not a special value, but showed as code %r" % (where, value, cell))
        text = cell
        if isinstance(cell, list):
            text, length = cell
            self.assertEqual(len(text), 200, "%s: a cut cell carries 200 characters" % where)
            self.assertGreater(length, 200, "%s: only long text is cut" % where)
        if isinstance(value, bool) or (numpy is not None and isinstance(value, numpy.bool_)):
            self.assertEqual(text, str(bool(value)), where)
        elif isinstance(value, float) or (numpy is not None and isinstance(value, numpy.floating)):
            self.assertEqual(type(value)(text), value, "%s: %r read back is not %r" % (where, text, value))
            self.assertEqual(math.copysign(1, float(type(value)(text))), math.copysign(1, float(value)), where)
        elif isinstance(value, complex) or (numpy is not None and isinstance(value, numpy.complexfloating)):
            self.assertEqual(repr(complex(text)), repr(complex(value)), where)  # repr: nan parts compare equal
        elif isinstance(value, int) or (numpy is not None and isinstance(value, numpy.integer)):
            self.assertEqual(int(text), int(value), "%s: %r is not the integer %r" % (where, text, value))
        elif isinstance(value, (bytes, list, dict, tuple)):
            self.assertEqual(ast.literal_eval(text), value, where)
        elif isinstance(value, str) and isinstance(cell, list):
            self.assertEqual(cell, [value[:200], len(value)], where)
        else:
            self.assertEqual(text, str(value), "%s: %r should show as its own str()" % (where, value))
