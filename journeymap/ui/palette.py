"""Following a dark system palette: the canvas theme and dark charts.

The window asks :func:`is_dark` whenever the application's palette changes
(widgets hear of it as a ``PaletteChange`` event); exports never do, so a
picture or report is the same whatever the desktop looks like.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QGraphicsScene

from journeymap.canvas import colors
from journeymap.canvas.colors import Theme

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Charts on a dark palette: figure, axes, ink, grid.
CHART_BACKGROUND = "#1e1f22"
CHART_AXES = "#26282c"
CHART_INK = "#e5e7eb"
CHART_GRID = "#4b5563"


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette's window colour is dark (the desktop's dark mode)."""
    if palette is None:
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def current_theme() -> Theme:
    return colors.DARK if is_dark() else colors.LIGHT


def apply_theme(scene: QGraphicsScene, theme: Theme) -> bool:
    """Paint ``scene`` in ``theme``; True when that changed anything.

    Items read the theme from their scene when they paint; cards cache their
    pixmaps, so every item is told to draw again.
    """
    same = getattr(scene, "theme", None) == theme
    if same and scene.backgroundBrush().color() == QColor(theme.background):
        return False
    scene.theme = theme  # type: ignore[attr-defined]  # read by colors.theme_of
    scene.setBackgroundBrush(QColor(theme.background))
    for item in scene.items():
        item.update()
    return True


def _luminance(colour) -> float:
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _lighten(colour, dim_light: bool = True):
    """Dark ink (text, lines, dots) becomes light; colours of meaning stay; light
    greys (grids, hollow dots' fill) dim down unless ``dim_light`` is False (text)."""
    from matplotlib.colors import to_rgba

    try:
        rgba = to_rgba(colour)
    except (TypeError, ValueError):
        return colour
    if rgba[3] == 0:
        return colour
    r, g, b, a = rgba
    spread = max(r, g, b) - min(r, g, b)
    if spread > 0.12:
        if not dim_light and _luminance(colour) < 0.3:
            # Words in a deep hue ("blind spot") keep it, brighter, to stay legible.
            return (r + (1 - r) * 0.45, g + (1 - g) * 0.45, b + (1 - b) * 0.45, a)
        return colour  # a hue: the gap colours mean something, keep them
    if _luminance(colour) < 0.45:
        return (1 - r * 0.5 - 0.1, 1 - g * 0.5 - 0.1, 1 - b * 0.5 - 0.1, a)
    if dim_light and _luminance(colour) > 0.8:
        return (0.35, 0.36, 0.4, a)
    return colour


def darken_figure(figure: Figure) -> None:
    """Recolour a drawn chart for a dark window: backgrounds dark, ink light.

    Works on any of the chart kinds after drawing, so the chart modules stay
    the one definition of what a chart shows (and exports stay light).
    """
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

    figure.set_facecolor(CHART_BACKGROUND)
    for axes in figure.axes:
        axes.set_facecolor(CHART_AXES)
        axes.tick_params(colors=CHART_INK, which="both")
        for spine in axes.spines.values():
            spine.set_edgecolor(CHART_GRID)
        for line in axes.get_xgridlines() + axes.get_ygridlines():
            line.set_color(CHART_GRID)
        for artist in axes.findobj():
            if isinstance(artist, Text):
                artist.set_color(_lighten(artist.get_color(), dim_light=False))
            elif isinstance(artist, Line2D):
                artist.set_color(_lighten(artist.get_color()))
                artist.set_markerfacecolor(_lighten(artist.get_markerfacecolor()))
                artist.set_markeredgecolor(_lighten(artist.get_markeredgecolor()))
            elif isinstance(artist, Collection):
                faces = artist.get_facecolor()
                edges = artist.get_edgecolor()
                if len(faces):
                    artist.set_facecolor([_lighten(tuple(c)) for c in faces])
                if len(edges):
                    artist.set_edgecolor([_lighten(tuple(c)) for c in edges])
        legend = axes.get_legend()
        if legend is not None:
            legend.get_frame().set_facecolor(CHART_AXES)
            for text in legend.get_texts():
                text.set_color(CHART_INK)
    for text in figure.texts:
        text.set_color(_lighten(text.get_color(), dim_light=False))


def style_figure(figure: Figure) -> None:
    """Make a freshly drawn chart suit the window's palette (light charts as drawn)."""
    if is_dark():
        darken_figure(figure)
    else:
        figure.set_facecolor("white")  # a figure keeps its face across clear()
