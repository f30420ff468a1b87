"""@module sandbox/kernel/figures.py: matplotlib figures. Every figure a call created or modified
(and a Figure given as the final expression) is rendered to PNG, capped in count, pixels and total
bytes, then closed; figures from earlier calls are remembered weakly so a later change resends them.
"""

import base64
import io
import os
import sys
import warnings
import weakref

from .config import MAX_FIGURE_BYTES, MAX_FIGURE_PIXELS, MAX_FIGURES


def prepare_matplotlib():
    """Select the Agg backend, seed a writable font cache from the image's, mute show() warnings."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    if "MPLCONFIGDIR" not in os.environ:
        target = os.path.join(os.environ.get("TMPDIR", "/tmp"), "matplotlib")
        os.environ["MPLCONFIGDIR"] = target
        seed = os.environ.get("KERNEL_MPL_CACHE", "/opt/sandbox/mplcache")
        try:
            os.makedirs(target, exist_ok=True)
            if os.path.isdir(seed):
                for name in os.listdir(seed):
                    src = os.path.join(seed, name)
                    dst = os.path.join(target, name)
                    if os.path.isfile(src) and not os.path.exists(dst):
                        with open(src, "rb") as fin, open(dst, "wb") as fout:
                            fout.write(fin.read())
        except OSError:
            pass
    warnings.filterwarnings("ignore", message=".*non-interactive.*")
    warnings.filterwarnings("ignore", message=".*Matplotlib is currently using agg.*")


def is_figure(value):
    """Whether `value` is a matplotlib Figure (False while matplotlib is not imported)."""
    mpl_figure = sys.modules.get("matplotlib.figure")
    return mpl_figure is not None and isinstance(value, mpl_figure.Figure)


class FigureCollector:
    """Renders a call's figures; remembers the figures it returned for later calls."""

    def __init__(self):
        self.seen = weakref.WeakSet()

    def collect(self, result_value, notes):
        """Return (base64 PNGs, number dropped) for this call's figures and close them."""
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is None and "matplotlib.figure" not in sys.modules:
            return [], 0
        figures = self._figures(plt, result_value)
        images, dropped = self._render(figures, notes)
        for fig in figures:
            try:
                fig.stale = False
            except Exception:
                pass
            self.seen.add(fig)
        if plt is not None:
            plt.close("all")
        if dropped:
            notes.append(
                "%d figure(s) not returned (limit %d figures, %d PNG bytes)"
                % (dropped, MAX_FIGURES, MAX_FIGURE_BYTES)
            )
        return images, dropped

    def _figures(self, plt, result_value):
        figures = []
        ids = set()

        def add(fig):
            if id(fig) not in ids:
                ids.add(id(fig))
                figures.append(fig)

        if plt is not None:
            for num in plt.get_fignums():
                add(plt.figure(num))
        # Figures from earlier calls (closed, but still referenced) that this call modified.
        for fig in list(self.seen):
            if getattr(fig, "stale", False):
                add(fig)
        if is_figure(result_value):
            add(result_value)
        return figures

    def _render(self, figures, notes):
        images = []
        used = 0
        dropped = 0
        for fig in figures:
            if len(images) >= MAX_FIGURES:
                dropped += 1
                continue
            buf = io.BytesIO()
            try:
                width, height = fig.get_size_inches()
                dpi = 100.0
                if width * height * dpi * dpi > MAX_FIGURE_PIXELS:
                    dpi = max(10.0, (0.9 * MAX_FIGURE_PIXELS / max(width * height, 1e-6)) ** 0.5)
                    notes.append("a large figure was rendered at %d dpi" % dpi)
                fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
            except Exception as exc:
                notes.append("figure could not be rendered: %s: %s" % (type(exc).__name__, exc))
                continue
            png = buf.getvalue()
            if used + len(png) > MAX_FIGURE_BYTES:
                dropped += 1
                continue
            used += len(png)
            images.append(base64.b64encode(png).decode("ascii"))
        return images, dropped
