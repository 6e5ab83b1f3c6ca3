"""The session's recent matplotlib figures, kept after plt.show() closed them, so a plot can be drawn again as SVG."""
import io
import itertools
import random
import threading

from .bounded import BoundedStore

KEEP = 30  # figures; older ones can still be saved as the PNG the panel shows
MAX_BYTES = 256 << 20  # counted by their PNG's size, a stand-in for what a figure holds
FORMATS = ("svg",)


class PlotStore:
    def __init__(self, keep=KEEP, max_bytes=MAX_BYTES):
        self._figures = BoundedStore(max_bytes, keep)
        # Ids start at random: a transcript outlives its agent, and a plot shown by an earlier agent must not name a
        # figure of this one (it is "gone", one chance in 2**48 aside).
        self._ids = itertools.count(random.randrange(1, 1 << 48))
        self._lock = threading.Lock()

    def put(self, figure, png_bytes):
        """Keeps the figure; returns its plot id, which display events carry."""
        with self._lock:
            plot = next(self._ids)
            self._figures.put(plot, figure, size=png_bytes)
            return plot

    def render(self, plot, format):
        """The figure drawn again, as SVG text. Runs on the inspector thread: a closed figure no code draws on."""
        if format not in FORMATS:
            raise ValueError("plots are drawn again as %s, not %r" % (" or ".join(FORMATS), format))
        with self._lock:
            if plot not in self._figures:
                raise KeyError("that plot is gone: pydock keeps the last %d figures of a session; it can still be "
                               "saved as PNG, or run its code again" % self._figures.max_count)
            figure = self._figures.get(plot)
        buffer = io.StringIO()
        figure.savefig(buffer, format=format, bbox_inches="tight")  # as the PNG was cut, so both show the same
        return buffer.getvalue()
