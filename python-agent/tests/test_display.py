"""Rich output: a value's _repr_png_/_svg_/_html_, and matplotlib figures left open at the end of a run."""
import unittest

from pydock_agent import display


class Reprs:
    def _repr_png_(self):
        return b"\x89PNG fake"

    def _repr_svg_(self):
        return ("<svg/>", {"isolated": True})  # (data, metadata), as IPython allows

    def _repr_html_(self):
        return "<b>hi</b>"


class Broken:
    def _repr_png_(self):
        raise RuntimeError("cannot draw")

    def _repr_html_(self):
        return "x" * (display.HTML_LIMIT + 1)


class RichReprsTest(unittest.TestCase):
    def test_each_repr_best_first(self):
        self.assertEqual(display.rich_reprs(Reprs()), [
            {"mime": "image/png", "data": b"\x89PNG fake"},
            {"mime": "image/svg+xml", "data": "<svg/>"},
            {"mime": "text/html", "data": "<b>hi</b>"},
        ])

    def test_skips_broken_and_oversized_reprs_and_classes(self):
        self.assertEqual(display.rich_reprs(Broken()), [])
        self.assertEqual(display.rich_reprs(Reprs), [], "a class's methods are not its reprs")
        self.assertEqual(display.rich_reprs(42), [])


class OpenFiguresTest(unittest.TestCase):
    def setUp(self):
        try:
            import matplotlib
        except ImportError:
            self.skipTest("matplotlib is not installed")
        matplotlib.use("Agg")
        self.shown = []
        display.set_emitter(lambda mime, data: self.shown.append((mime, data)))
        self.addCleanup(display.set_emitter, None)

    def test_sends_each_open_figure_as_png_and_closes_them(self):
        import matplotlib.pyplot as plt

        plt.plot([1, 2, 3])
        plt.figure()
        plt.bar([1, 2], [3, 4])
        display.show_open_figures()
        self.assertEqual([mime for mime, _ in self.shown], ["image/png", "image/png"])
        self.assertTrue(all(data.startswith(b"\x89PNG") for _, data in self.shown))
        self.assertEqual(plt.get_fignums(), [], "closed once shown, so the next run does not show them again")
