"""How numbers read for people: pandas' display precision, its switch to scientific notation for tiny and huge
magnitudes, optional thousands separators. A format applies to what is made inside `numbers_as`; outside, numbers
keep their exact text (exports, copies, table.cell)."""
import contextlib
import contextvars
import sys

DEFAULT_PRECISION = 6  # pandas' display.precision
MAX_PRECISION = 17  # digits after the point beyond this only show the binary value's noise
LARGE = 1e6  # above this, pandas writes long numbers in scientific notation (FloatArrayFormatter)

_current = contextvars.ContextVar("pydock_number_format", default=None)


class NumberFormat:
    """Writes one finite number as pandas writes a float column holding it alone, with the mantissa of scientific
    notation trimmed as well (pandas writes 1.000000e-12; this writes 1e-12)."""

    __slots__ = ("precision", "thousands", "_fixed", "_grouped", "_scientific", "_small")

    def __init__(self, precision=DEFAULT_PRECISION, thousands=False):
        self.precision = max(0, min(int(precision), MAX_PRECISION))
        self.thousands = bool(thousands)
        self._fixed = "{:.%df}" % self.precision
        self._grouped = "{:,.%df}" % self.precision
        self._small = 10.0 ** -self.precision  # smaller magnitudes would read as 0 in fixed notation
        self._scientific = "{:.%de}" % self.precision

    def float_text(self, number):
        magnitude = abs(number)
        if 0 < magnitude < self._small:
            return self._scientific_text(number)
        fixed = _trimmed(self._fixed.format(number), ".0")
        # pandas' rule: above LARGE, a text longer than precision + 6 with its sign column goes scientific
        if magnitude > LARGE and len(fixed) + (fixed[0] != "-") > self.precision + 6:
            return self._scientific_text(number)
        return _trimmed(self._grouped.format(number), ".0") if self.thousands else fixed

    def int_text(self, number):
        """Integers change only with thousands separators."""
        return "{:,}".format(number) if self.thousands else None

    def _scientific_text(self, number):
        mantissa, exponent = self._scientific.format(number).split("e")
        return _trimmed(mantissa, "") + "e" + exponent


def _trimmed(text, bare):
    """Trailing zeros after the point go; `bare` is what a number left with no fraction digits ends in."""
    if "." not in text:
        return text
    text = text.rstrip("0")
    return text[:-1] + bare if text.endswith(".") else text


@contextlib.contextmanager
def numbers_as(spec):
    """Numbers read as spec says ({"precision", "thousands"}, as requests carry it) in what is made inside; None
    leaves them exact. Per thread: the inspector and the main thread format apart."""
    token = _current.set(None if spec is None else NumberFormat(spec.get("precision", DEFAULT_PRECISION),
                                                                spec.get("thousands", False)))
    try:
        yield
    finally:
        _current.reset(token)


def formatted(handler):
    """An inspection handler that reads numbers as its request's `numbers` field says (exactly without one)."""
    def handle(request):
        with numbers_as(request.get("numbers")):
            return handler(request)
    return handle


def readable(value):
    """A number's text in the current format; None when no format applies, or the value is no finite plain number."""
    fmt = _current.get()
    if fmt is None:
        return None
    kind = type(value)
    if kind is float:
        return fmt.float_text(value) if value - value == 0 else None  # inf - inf and nan - nan are nan
    if kind is int:
        return fmt.int_text(value)
    if kind is str or kind is bool:
        return None
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return None
    if isinstance(value, numpy.floating):
        number = float(value)
        return fmt.float_text(number) if number - number == 0 else None
    if isinstance(value, numpy.integer):
        return fmt.int_text(int(value))
    return None
