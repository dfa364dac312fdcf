"""The palette of :mod:`journeymap.model.palette` as Qt colours, for painting."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor

from journeymap.model import palette
from journeymap.model.entities import Scale

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
