"""The presentation strip: one gap at a time, in type a room can read.

The numbers are the map's statistics source under the window's filter
(:func:`journeymap.model.analysis.touchpoint_gaps`), the same the Gaps dock
ranks; this module only picks the quote and lays the text out.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from journeymap.model import palette
from journeymap.model.analysis import ObservationFilter, select, touchpoint_gaps
from journeymap.model.entities import Observation
from journeymap.model.journey import JourneyMap

#: What the strip says when there is nothing to step through.
NO_GAPS = "No touch point has a gap: no observation{scope} has both an expectation and a reality."

#: The strip's type, as multiples of its base size (set from the screen's
#: height by :meth:`GapStrip.set_type_size`): big enough for the back of a
#: workshop room, small enough that a long name still fits a line.
TITLE_SCALE, VALUE_SCALE, QUOTE_SCALE, CAPTION_SCALE = 1.6, 1.5, 1.2, 0.9
QUOTE_LINES = 2


class GapCard(NamedTuple):
    """One step of the strip: a ranked touch point, its numbers and its quote."""

    rank: int
    total: int
    touchpoint: str
    name: str
    stage: str
    expectation: float | None
    reality: float | None
    gap: float | None
    n: int
    quote: str


def strongest_quote(
    journey: JourneyMap, tp_id: str, flt: ObservationFilter | None = None
) -> Observation | None:
    """The quoted observation at ``tp_id`` with the largest |expectation - reality|.

    Only observations the filter keeps, with a quote and both scores, count.
    Ties go to the most recent date (undated counts as oldest), then to the
    first in file order, so the same map always shows the same quote.
    """
    best: tuple | None = None
    chosen: Observation | None = None
    for order, obs in enumerate(select(journey.observations_for(tp_id), flt)):
        gap = obs.gap
        if gap is None or not obs.quote.strip():
            continue
        key = (round(abs(gap), 9), obs.date or dt.date.min, -order)
        if best is None or key > best:
            best, chosen = key, obs
    return chosen


def gap_cards(journey: JourneyMap, flt: ObservationFilter | None = None) -> list[GapCard]:
    """The touch points that have a gap, widest first (the Gaps dock's ranks)."""
    rows = [row for row in touchpoint_gaps(journey, flt) if row.stats.gap is not None]
    stage_names = {s.id: s.name for s in journey.stages}
    cards = []
    for rank, row in enumerate(rows, 1):
        s = row.stats
        quoted = strongest_quote(journey, row.touchpoint, flt)
        cards.append(
            GapCard(rank, len(rows), row.touchpoint, row.name,
                    stage_names.get(row.stage, row.stage), s.expectation, s.reality,
                    s.gap, s.n, quoted.quote if quoted is not None else "")
        )  # fmt: skip
    return cards


def fmt(value: float | None, signed: bool = False) -> str:
    """Two decimals, as the Gaps dock writes them; "-" for no value."""
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def elide_lines(text: str, font: QFont, width: float, lines: int) -> str:
    """``text`` on one line, cut with an ellipsis so it wraps to at most ``lines``."""
    text = " ".join(text.split())  # a quote's line breaks would waste the strip's lines
    if width <= 0 or not text:
        return text
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    starts = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    if len(starts) <= lines:
        return text
    head, last = text[: starts[lines - 1]], text[starts[lines - 1] :]
    metrics = QFontMetricsF(font)
    return head + metrics.elidedText(last, Qt.TextElideMode.ElideRight, width)


def _label(scale: float, bold: bool = False, italic: bool = False) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setProperty("type_scale", scale)
    font = QFont(label.font())
    font.setBold(bold)
    font.setItalic(italic)
    label.setFont(font)
    return label


class GapStrip(QFrame):
    """A dark band along the bottom of the map: rank, touch point, numbers, quote."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gap-strip")
        self.setAutoFillBackground(True)
        # Light on dark reads well on a projector and sets the strip apart from the map.
        self.setStyleSheet(
            "#gap-strip { background: #1f2933; border-top: 3px solid #c9a227; }"
            " QLabel { color: #f5f7fa; background: transparent; }"
            " QLabel[caption='true'] { color: #b8c4d0; }"
        )
        self.card: GapCard | None = None
        self._type_size = 0.0
        self._quote = ""
        self.rank = _label(TITLE_SCALE, bold=True)
        self.name = _label(TITLE_SCALE, bold=True)
        self.stage = _label(QUOTE_SCALE)
        # A long name or stage wraps rather than pushing the numbers off screen.
        self.name.setWordWrap(True)
        self.stage.setWordWrap(True)
        self.message = _label(QUOTE_SCALE)
        self.message.setWordWrap(True)
        self.quote = _label(QUOTE_SCALE, italic=True)
        self.quote.setWordWrap(True)
        self.values: dict[str, QLabel] = {}
        self._captions: list[QLabel] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(24, 12, 24, 14)
        grid.setHorizontalSpacing(36)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.rank, 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 4)
        grid.addWidget(self.stage, 0, 5, Qt.AlignmentFlag.AlignRight)
        for column, (key, caption) in enumerate(
            (("expectation", "expectation"), ("reality", "reality"), ("gap", "gap"),
             ("n", "n scored")), 1,
        ):  # fmt: skip
            title = _label(CAPTION_SCALE)
            title.setProperty("caption", "true")
            title.setText(caption)
            value = _label(VALUE_SCALE, bold=True)
            self._captions.append(title)
            self.values[key] = value
            grid.addWidget(title, 1, column)
            grid.addWidget(value, 2, column)
        self.values["gap"].setContentsMargins(8, 0, 8, 0)
        grid.addWidget(self.quote, 3, 0, 1, 6)
        grid.addWidget(self.message, 4, 0, 1, 6)
        grid.setColumnStretch(5, 1)
        self.set_type_size(QFontMetricsF(self.font()).height() * 1.4)
        self.show_card(None)

    def set_type_size(self, pixels: float) -> None:
        """Scale every line of the strip from one base size, in pixels."""
        if pixels == self._type_size:
            return
        self._type_size = pixels
        for label in self.findChildren(QLabel):
            font = QFont(label.font())
            font.setPixelSize(max(8, round(pixels * float(label.property("type_scale")))))
            label.setFont(font)
        if self.card is not None:
            self._show_quote()

    def show_card(self, card: GapCard | None, scope: str = "", colour: str = "") -> None:
        """Show one ranked gap, or (None) that there is none under ``scope``."""
        self.card = card
        numbers = [self.rank, self.name, self.stage, self.quote, *self._captions]
        numbers += self.values.values()
        for widget in numbers:
            widget.setVisible(card is not None)
        self.message.setVisible(card is None)
        if card is None:
            self.message.setText(NO_GAPS.format(scope=f" ({scope})" if scope else ""))
            self._quote = ""
            return
        self.rank.setText(f"{card.rank} of {card.total}")
        self.name.setText(card.name)
        self.stage.setText(card.stage)
        self.values["expectation"].setText(fmt(card.expectation))
        self.values["reality"].setText(fmt(card.reality))
        self.values["gap"].setText(fmt(card.gap, signed=True))
        self.values["n"].setText(str(card.n))
        if colour:
            # The badge's colour, as on the card and in the Gaps dock.
            ink = palette.ink_for(colour)
            self.values["gap"].setStyleSheet(f"background: {colour}; color: {ink};")
        self._quote = card.quote
        self._show_quote()

    def quote_text(self) -> str:
        """The whole quote shown (before eliding); empty when there is none."""
        return self._quote

    def _show_quote(self) -> None:
        if not self._quote:
            self.quote.setText("(no quote recorded)")
            return
        width = self.width() - 48
        shown = elide_lines(self._quote, self.quote.font(), width - 40, QUOTE_LINES)
        self.quote.setText(f"\u201c{shown}\u201d")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.card is not None:
            self._show_quote()
