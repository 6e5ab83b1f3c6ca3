"""Rich output: matplotlib figures as PNG (on plt.show() and at the end of a run), kept to be drawn again as SVG, and
_repr_*_ of results."""
import io
import sys

HTML_LIMIT = 1 << 20
# The agent points MPLBACKEND here, so plt.show() hands figures to pydock instead of opening a window.
BACKEND = "module://pydock_agent.mpl_backend"

_emit = None  # emit(mime, data, plot): set by the agent, sends a display event for the running request
_plots = None  # the PlotStore figures are kept in


def set_emitter(emit, plots=None):
    global _emit, _plots
    _emit, _plots = emit, plots


def show_open_figures():
    """Sends every open figure as PNG (with the id it is kept under) and closes it, as Jupyter's inline backend does."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None or _emit is None:
        return
    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight", dpi=100)
        png = buffer.getvalue()
        _emit("image/png", png, _plots.put(figure, len(png)) if _plots is not None else None)
    pyplot.close("all")


def rich_reprs(value):
    """The value's own PNG, SVG and HTML reprs, best first; a broken repr is skipped."""
    out = []
    for method, mime in (("_repr_png_", "image/png"), ("_repr_svg_", "image/svg+xml"), ("_repr_html_", "text/html")):
        render = getattr(value, method, None)
        if render is None or isinstance(value, type):
            continue
        try:
            data = render()
        except Exception:
            continue
        if isinstance(data, tuple):  # (data, metadata)
            data = data[0]
        if mime == "image/png" and isinstance(data, (bytes, bytearray)):
            out.append({"mime": mime, "data": bytes(data)})
        elif isinstance(data, str) and (mime != "text/html" or len(data) <= HTML_LIMIT):
            out.append({"mime": mime, "data": data})
    return out
