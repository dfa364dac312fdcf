"""The gap colour scale: diverging, colour-blind safe (ColorBrewer RdBu).

Red shows how far reality fell short of expectation, blue how far it went
beyond (delight); near zero is almost white.  The scale saturates at half
the score scale's span, two points on a 1-5 scale.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from journeymap.model.entities import Scale

# RdBu, 11 classes, from delight (blue) through neutral to shortfall (red).
DELIGHT_STOPS = ("#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac")
SHORTFALL_STOPS = ("#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b")
NO_DATA = "#e6e6e6"
WIDE_OUTLINE = "#1a1a1a"
CRITICAL = "#7a4f00"


def saturation_gap(scale: Scale) -> float:
    """The gap at which the colour is strongest."""
    return scale.span / 2


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def gap_color(gap: float | None, scale: Scale) -> QColor:
    """The fill for a card with this gap (None: no paired scores)."""
    if gap is None:
        return QColor(NO_DATA)
    share = max(-1.0, min(1.0, gap / saturation_gap(scale)))
    stops = SHORTFALL_STOPS if share >= 0 else DELIGHT_STOPS
    position = abs(share) * (len(stops) - 1)
    low = int(position)
    if low >= len(stops) - 1:
        return QColor(stops[-1])
    return _mix(QColor(stops[low]), QColor(stops[low + 1]), position - low)


def text_color(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    luminance = (
        0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF()
    )
    return QColor("#111111") if luminance > 0.5 else QColor("#ffffff")
