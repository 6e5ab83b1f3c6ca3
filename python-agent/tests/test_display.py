"""Rich output: a value's _repr_png_/_svg_/_html_, and matplotlib figures left open at the end of a run, kept to be
drawn again as SVG."""
import unittest

from pydock_agent import display, plots


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
        self.plots = plots.PlotStore(keep=2)
        display.set_emitter(lambda mime, data, plot: self.shown.append((mime, data, plot)), self.plots)
        self.addCleanup(display.set_emitter, None)

    def test_sends_each_open_figure_as_png_and_closes_them(self):
        import matplotlib.pyplot as plt

        plt.plot([1, 2, 3])
        plt.figure()
        plt.bar([1, 2], [3, 4])
        display.show_open_figures()
        self.assertEqual([mime for mime, _, _ in self.shown], ["image/png", "image/png"])
        self.assertTrue(all(data.startswith(b"\x89PNG") for _, data, _ in self.shown))
        self.assertEqual(plt.get_fignums(), [], "closed once shown, so the next run does not show them again")

    def test_a_shown_figure_is_drawn_again_as_svg_until_newer_ones_push_it_out(self):
        import matplotlib.pyplot as plt

        plt.plot([1, 2, 3], label="rising")
        plt.title("a title")
        display.show_open_figures()
        plot = self.shown[0][2]
        svg = self.plots.render(plot, "svg")
        self.assertTrue(svg.lstrip().startswith("<?xml") and "<svg" in svg, svg[:100])
        self.assertIn("<!-- a title -->", svg, "matplotlib names each text it draws as glyphs in a comment")
        with self.assertRaisesRegex(ValueError, "drawn again as svg, not 'pdf'"):
            self.plots.render(plot, "pdf")
        for _ in range(2):
            plt.plot([3, 2, 1])
            display.show_open_figures()
        with self.assertRaisesRegex(KeyError, "that plot is gone: pydock keeps the last 2 figures"):
            self.plots.render(plot, "svg")
        self.assertNotEqual(plots.PlotStore().put(object(), 1), plots.PlotStore().put(object(), 1),
                            "another agent's plot ids are others: a transcript's plot never names its figures")
        self.assertIn("<svg", self.plots.render(self.shown[-1][2], "svg"))

