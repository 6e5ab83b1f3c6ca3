"""numpy and pandas when this Python has them (None otherwise), and the decorators that skip tests needing them."""
import unittest

try:
    import numpy
except ImportError:
    numpy = None
try:
    import pandas
except ImportError:
    pandas = None

needs_numpy = unittest.skipIf(numpy is None, "numpy is not installed here")
needs_pandas = unittest.skipIf(pandas is None, "pandas is not installed here")
