"""Colours of the gap scale and of the charts and report: defined here once.

The gap scale is diverging and colour-blind safe (ColorBrewer RdBu): red
shows how far reality fell short of expectation, blue how far it went
beyond (delight); near zero is almost white.  It saturates at half the score
scale's span, two points on a 1-5 scale.  The canvas, the Gaps table, the
charts and the report's CSS all take their colours from here, as hex text,
so this module needs neither Qt nor matplotlib.
"""

from __future__ import annotations

from journeymap.model.entities import Scale

# RdBu, 11 classes, from neutral out to delight (blue) and to shortfall (red).
DELIGHT_STOPS = ("#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac")
SHORTFALL_STOPS = ("#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b")
#: A card or row with no observation carrying both scores.
NO_DATA = "#e6e6e6"
#: The thick outline of a wide gap, and the star of a moment of truth.
WIDE_OUTLINE = "#1a1a1a"
CRITICAL = "#7a4f00"
#: The ends of the scale, for chart bars and the report's gap figures.
SHORTFALL = SHORTFALL_STOPS[-1]
DELIGHT = DELIGHT_STOPS[-1]
#: Expectation dots and mean lines in charts.
EXPECTATION = "#404040"
#: Service-safari bars (staff) beside shadowing bars (customers, SHORTFALL).
SAFARI = SHORTFALL_STOPS[2]
#: The band of one standard deviation around the emotion curve.
BAND = DELIGHT_STOPS[2]


def saturation_gap(scale: Scale) -> float:
    """The gap at which the colour is strongest."""
    return scale.span / 2


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _mix(a: str, b: str, t: float) -> str:
    ra, rb = _rgb(a), _rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ra, rb, strict=True))


def gap_colour(gap: float | None, scale: Scale) -> str:
    """The fill for a card or cell with this gap (None: no paired scores), as #rrggbb."""
    if gap is None:
        return NO_DATA
    share = max(-1.0, min(1.0, gap / saturation_gap(scale)))
    stops = SHORTFALL_STOPS if share >= 0 else DELIGHT_STOPS
    position = abs(share) * (len(stops) - 1)
    low = int(position)
    if low >= len(stops) - 1:
        return stops[-1]
    return _mix(stops[low], stops[low + 1], position - low)


def ink_for(background: str) -> str:
    """Black or white text, whichever reads better on ``background``."""
    r, g, b = (c / 255 for c in _rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#111111" if luminance > 0.5 else "#ffffff"
