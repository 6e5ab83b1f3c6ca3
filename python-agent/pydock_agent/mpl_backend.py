"""A matplotlib backend: Agg rendering, and plt.show() sends the figures to the pydock panel as PNG."""
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

from . import display

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def show(*args, **kwargs):
    display.show_open_figures()
