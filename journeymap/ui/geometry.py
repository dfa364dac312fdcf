"""Where the window opens and how wide its docks start.

The sizes come from the screen's available area (the screen less its panels),
in logical pixels: at 1.5x scaling a 1366x768 screen is 911x512 of them.
Everything but :func:`available_area` is a pure function of sizes, so the
tests try any screen without having one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QWidget

#: The window's size where the screen has room for it.
PREFERRED = QSize(1400, 900)
#: A window manager's title bar and borders, until the window is shown and
#: the real frame is known: a restored or new window keeps its whole frame,
#: title bar included, on the screen.
FRAME = QMargins(8, 32, 8, 8)
#: The part of the width the Gaps dock may take when it starts: the map
#: keeps most of the window.
GAPS_SHARE = 0.45
#: The Observations dock (the table and Quick capture) starts at a quarter
#: of the height, or taller if its form asks for more.
OBSERVATIONS_SHARE = 0.25


def available_area(rect: QRect | None = None) -> QRect:
    """The available area of the screen holding ``rect``'s centre, else the
    primary screen's (the screen a saved window was on may be gone)."""
    screen = None
    if rect is not None and rect.isValid():
        screen = QGuiApplication.screenAt(rect.center())
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def clamp_geometry(rect: QRect, available: QRect, frame: QMargins = FRAME) -> QRect:
    """``rect`` (the window without its frame) shrunk to fit and moved so
    that the whole frame lies inside ``available``."""
    inner = available.marginsRemoved(frame)
    size = rect.size().boundedTo(inner.size()).expandedTo(QSize(1, 1))
    x = min(max(rect.x(), inner.left()), inner.left() + inner.width() - size.width())
    y = min(max(rect.y(), inner.top()), inner.top() + inner.height() - size.height())
    return QRect(QPoint(x, y), size)


def default_geometry(
    available: QRect, preferred: QSize = PREFERRED, frame: QMargins = FRAME
) -> QRect:
    """A first window: the preferred size or as much as the screen holds,
    centred on the available area, frame included."""
    inner = available.marginsRemoved(frame)
    size = preferred.boundedTo(inner.size())
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(inner.center())
    return clamp_geometry(rect, available, frame)


@dataclass(frozen=True)
class DockSizes:
    gaps_width: int
    observations_height: int


def dock_sizes(
    window: QSize,
    *,
    gaps_wanted: int,
    gaps_needed: int,
    gaps_minimum: int,
    beside_gaps: int,
    observations_wanted: int,
    observations_minimum: int,
    beside_observations: int,
) -> DockSizes:
    """The docks' first sizes in a window of size ``window``.

    The Gaps dock gets the width that shows all its columns (``gaps_wanted``)
    up to :data:`GAPS_SHARE` of the window, and never less than it needs to
    show the names and the gaps (``gaps_needed``), as long as the rest of
    the window (``beside_gaps``: the least the map or the Observations dock
    can take) still fits.  The Observations dock gets a quarter of the
    height or what its form asks for (``observations_wanted``), as long as
    ``beside_observations`` (toolbars, status bar, the map's least height)
    still fits.
    """
    room = max(gaps_minimum, window.width() - beside_gaps)
    share = int(window.width() * GAPS_SHARE)
    gaps = min(max(min(gaps_wanted, share), gaps_needed, gaps_minimum), room)
    height_room = max(observations_minimum, window.height() - beside_observations)
    quarter = int(window.height() * OBSERVATIONS_SHARE)
    observations = max(quarter, observations_wanted, observations_minimum)
    return DockSizes(gaps, min(observations, height_room))


class SideScroller(QScrollArea):
    """A row of controls that scrolls sideways on a narrow screen instead of
    making the window wider than the screen (a toolbar widget's minimum
    width is the window's)."""

    #: The least width it asks for: the first few controls stay in view.
    MINIMUM_WIDTH = 240

    def __init__(self, row: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(row)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # The toolbar shows through, as it did around the bare row.
        self.viewport().setAutoFillBackground(False)
        row.setAutoFillBackground(False)
        self._scrolls = False

    def _row_width(self) -> int:
        row = self.widget()
        return max(row.minimumSizeHint().width(), row.minimumWidth())

    def _height(self) -> int:
        height = self.widget().sizeHint().height()
        if self._scrolls:
            height += self.horizontalScrollBar().sizeHint().height()
        return height

    def sizeHint(self) -> QSize:
        return QSize(max(self.widget().sizeHint().width(), self._row_width()), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(self.MINIMUM_WIDTH, self._row_width()), self._height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        scrolls = event.size().width() < self._row_width()
        if scrolls != self._scrolls:
            # Room for the scroll bar below the row, or none.
            self._scrolls = scrolls
            self.updateGeometry()
