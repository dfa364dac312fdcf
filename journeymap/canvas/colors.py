"""The palette of :mod:`journeymap.model.palette` as Qt colours, for painting."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from journeymap.model import palette
from journeymap.model.entities import Observation, Scale

NO_DATA = palette.NO_DATA
WIDE_OUTLINE = palette.WIDE_OUTLINE
CRITICAL = palette.CRITICAL
saturation_gap = palette.saturation_gap


@lru_cache(maxsize=4096)
def _qcolor(hex_colour: str) -> QColor:
    return QColor(hex_colour)


def gap_color(gap: float | None, scale: Scale) -> QColor:
    """The fill for a card with this gap (None: no paired scores)."""
    return QColor(_qcolor(palette.gap_colour(gap, scale)))


def text_color(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    return QColor(_qcolor(palette.ink_for(background.name())))


# --------------------------------------------------------- reality only
#
# A touch point whose observations carry a reality score but no expectation
# (a Mermaid import: each actor's score is how it felt) has no gap.  Rather
# than the grey of "no scores", its card is coloured by satisfaction: the
# mean reality against the middle of the scale, on the same diverging
# palette (blue above the middle, red below).  The card draws such a fill
# with a dashed outline and says "reality" on its badge, so it is never read
# as a gap.


def reality_only_mean(observations: Iterable[Observation]) -> float | None:
    """Mean reality of the observations that have a reality but no expectation."""
    values = [o.reality for o in observations if o.reality is not None and o.expectation is None]
    return math.fsum(values) / len(values) if values else None


def satisfaction_color(reality: float, scale: Scale) -> QColor:
    """The fill for a card with reality scores only: satisfaction, not a gap."""
    midpoint = (scale.min + scale.max) / 2
    return QColor(_qcolor(palette.gap_colour(midpoint - reality, scale)))


# ---------------------------------------------------------------- themes


@dataclass(frozen=True)
class Theme:
    """The colours around the cards: the window follows a dark system palette.

    Card fills are the gap scale in both themes (their meaning must not
    change); only the background, the stage columns and the legend's ink do.
    Exports always draw :data:`LIGHT`.
    """

    name: str
    background: str
    column: str
    header: str
    header_ink: str
    ink: str
    card_outline: str
    #: The neutral arrows (main, alternative): dark grey would vanish on dark.
    arrow: str


LIGHT = Theme("light", "#ffffff", "#f3f4f6", "#374151", "#ffffff", "#111111", "#9ca3af", "#374151")
DARK = Theme("dark", "#1e1f22", "#2b2d31", "#4b5563", "#f3f4f6", "#e5e7eb", "#6b7280", "#cbd5e1")


def theme_of(item: QGraphicsItem) -> Theme:
    """The theme of the scene ``item`` is in (light when none is set)."""
    return getattr(item.scene(), "theme", LIGHT)
