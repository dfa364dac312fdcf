"""Presentation mode (F11): the map full screen for a workshop, one gap at a time.

Entering remembers how the window looked (full screen, maximized or normal;
which docks, toolbars and bars were shown; the view's zoom and scroll) and
leaving puts all of it back.  Between the two the map fills the screen and
a strip along its bottom steps through the widest gaps under the window's
filter, selecting and centring each card.  The model is never touched: type
gets larger by scaling the view and the strip's fonts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QByteArray, QEvent, QObject, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QTransform
from PySide6.QtWidgets import QDockWidget, QToolBar

from journeymap.canvas.items import CARD_H, COLUMN_W
from journeymap.model import palette
from journeymap.model.analysis import describe_filter
from journeymap.ui import shortcuts
from journeymap.ui.gapstrip import GapCard, GapStrip, gap_cards
from journeymap.ui.viewstate import FILTER

if TYPE_CHECKING:
    from journeymap.model.collection import Change
    from journeymap.ui.mainwindow import MainWindow

#: The zoom a stepped-to card is shown at, when the screen has room: card text
#: (12 px at 100%) becomes 24 px, readable from the back of a room.
READABLE_ZOOM = 2.0
#: At a step the view keeps at least this many columns and card rows in sight,
#: so the card is seen among its neighbours.
CONTEXT_COLUMNS, CONTEXT_ROWS = 3.0, 4.0
#: The strip's height as a share of the screen, at most.
STRIP_SHARE = 0.34
#: The strip's base type size as a share of the screen's height, within bounds
#: (20 px on a 900-pixel screen, 24 on a projector's 1080).
TYPE_SHARE, TYPE_MIN, TYPE_MAX = 1 / 45, 14.0, 40.0


class Saved(NamedTuple):
    """How the window looked before presenting."""

    state: Qt.WindowState
    geometry: QRect
    layout: QByteArray
    docks: dict[str, bool]
    toolbars: dict[str, bool]
    menu_bar: bool
    status_bar: bool
    transform: QTransform
    scroll: tuple[int, int]
    scroll_bars: tuple[Qt.ScrollBarPolicy, Qt.ScrollBarPolicy]


class Presentation(QObject):
    """The window's presentation mode; ``toggle`` is the F11 action."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view = window.view
        self.strip = GapStrip(self.view)
        self.strip.hide()
        self.cards: list[GapCard] = []
        self.index = 0
        self.saved: Saved | None = None
        #: True while the whole map is shown (on entering), False once a card is.
        self.overview = True
        #: A re-fit waits for the view to take its new size (tests wait for it).
        self._reframe_pending = False
        self._journey = None
        self._keys: list[QShortcut] = []
        for keys, slot in (
            (shortcuts.PRESENT_EXIT, self.leave),
            (shortcuts.PRESENT_NEXT, self.next),
            (shortcuts.PRESENT_PREVIOUS, self.previous),
        ):
            for sequence in shortcuts.sequences(keys):
                self._keys.append(self._shortcut(sequence, slot))

    def _shortcut(self, sequence: QKeySequence, slot) -> QShortcut:
        # Window-wide, and off unless presenting: outside it the arrows belong
        # to the tables and fields, and Esc to dialogs.
        shortcut = QShortcut(sequence, self.window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.setEnabled(False)
        shortcut.activated.connect(slot)
        return shortcut

    @property
    def active(self) -> bool:
        return self.saved is not None

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    # --------------------------------------------------------- enter/leave

    def enter(self) -> None:
        if self.active:
            return
        w, view = self.window, self.view
        docks = {name: not dock.isHidden() for name, dock in self._docks().items()}
        bars = {name: not bar.isHidden() for name, bar in self._toolbars().items()}
        self.saved = Saved(
            w.windowState(), w.geometry(), w.saveState(), docks, bars,
            not w.menuBar().isHidden(), not w.statusBar().isHidden(),
            view.transform(),
            (view.horizontalScrollBar().value(), view.verticalScrollBar().value()),
            (view.horizontalScrollBarPolicy(), view.verticalScrollBarPolicy()),
        )  # fmt: skip
        # No scroll bars on a projector; the arrow keys move the map.
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for dock in self._docks().values():
            dock.hide()
        for bar in self._toolbars().values():
            bar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        for shortcut in self._keys:
            shortcut.setEnabled(True)
        w.view_state.changed.connect(self._view_state_changed)
        w.editor.journey_replaced.connect(self._journey_replaced)
        self._bind(w.editor.journey)
        self.view.installEventFilter(self)
        self.strip.show()
        self.strip.raise_()
        w.showFullScreen()
        self._set_checked(True)
        self.index = 0
        self.overview = True
        self.refresh()
        self._layout_strip()
        self.fit()
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def leave(self) -> None:
        saved = self.saved
        if saved is None:
            return
        w, view = self.window, self.view
        self.saved = None
        for shortcut in self._keys:
            shortcut.setEnabled(False)
        w.view_state.changed.disconnect(self._view_state_changed)
        w.editor.journey_replaced.disconnect(self._journey_replaced)
        self._bind(None)
        self.view.removeEventFilter(self)
        self.strip.hide()
        view.setViewportMargins(0, 0, 0, 0)
        view.setSceneRect(QRectF())  # follow the scene again
        view.setHorizontalScrollBarPolicy(saved.scroll_bars[0])
        view.setVerticalScrollBarPolicy(saved.scroll_bars[1])
        if saved.state & Qt.WindowState.WindowFullScreen:
            w.showFullScreen()
        elif saved.state & Qt.WindowState.WindowMaximized:
            w.showMaximized()
        else:
            w.showNormal()
            # Not restoreGeometry: it would shrink a window larger than the screen.
            w.setGeometry(saved.geometry)
        # The layout first (dock places, tabs, sizes), then each one's visibility.
        w.restoreState(saved.layout)
        for name, dock in self._docks().items():
            dock.setVisible(saved.docks.get(name, not dock.isHidden()))
        for name, bar in self._toolbars().items():
            bar.setVisible(saved.toolbars.get(name, not bar.isHidden()))
        w.menuBar().setVisible(saved.menu_bar)
        w.statusBar().setVisible(saved.status_bar)
        view.setTransform(saved.transform)
        view.horizontalScrollBar().setValue(saved.scroll[0])
        view.verticalScrollBar().setValue(saved.scroll[1])
        view.zoom_changed.emit(view.zoom())
        self._set_checked(False)

    def _docks(self) -> dict[str, QDockWidget]:
        return {d.objectName() or d.windowTitle(): d for d in self.window.findChildren(QDockWidget)}

    def _toolbars(self) -> dict[str, QToolBar]:
        return {b.objectName() or b.windowTitle(): b for b in self.window.findChildren(QToolBar)}

    def _set_checked(self, on: bool) -> None:
        action = getattr(self.window, "present_action", None)
        if action is not None and action.isChecked() != on:
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    # ------------------------------------------------------------ stepping

    def next(self) -> None:
        self.step(1)

    def previous(self) -> None:
        self.step(-1)

    def step(self, delta: int) -> None:
        """Show the next (or previous) widest gap; the ends stop, they do not wrap."""
        if not self.cards:
            return
        if self.overview and delta > 0:
            # The overview names the widest gap; the first step shows that card.
            delta = 0
        self.index = max(0, min(len(self.cards) - 1, self.index + delta))
        self._show_current(centre=True)

    def current(self) -> GapCard | None:
        return self.cards[self.index] if self.cards else None

    def refresh(self) -> None:
        """Re-read the ranking (after a filter or map change), staying on the same card."""
        journey, flt = self.window.editor.journey, self.window.view_state.filter
        was = self.current()
        self.cards = gap_cards(journey, flt)
        self._room_to_centre()
        ids = [c.touchpoint for c in self.cards]
        if was is not None and was.touchpoint in ids:
            self.index = ids.index(was.touchpoint)
        self.index = max(0, min(self.index, len(self.cards) - 1))
        self._show_current(centre=False)

    def _show_current(self, centre: bool) -> None:
        card = self.current()
        journey = self.window.editor.journey
        flt = self.window.view_state.filter
        scope = "" if flt.is_empty else describe_filter(flt, journey)
        colour = palette.gap_colour(card.gap, journey.scale) if card else ""
        self.strip.show_card(card, scope, colour)
        self._layout_strip()
        if card is None:
            return
        scene_card = self.window.editor.scene.select_touchpoint(card.touchpoint)
        if centre and scene_card is not None:
            self.overview = False
            self._zoom_to_read()
            self.view.centerOn(scene_card)

    # ------------------------------------------------------------- the view

    def _room_to_centre(self) -> None:
        """Let the view scroll past the map's edges, so a corner card can be centred
        (the view's own rectangle: the scene and the map are left alone)."""
        bounds = self.view.scene().itemsBoundingRect()
        dx, dy = bounds.width() / 2 + 20, bounds.height() / 2 + 20
        self.view.setSceneRect(bounds.adjusted(-dx, -dy, dx, dy))

    def fit(self) -> None:
        """The whole map in the space above the strip, larger than 100% if it fits."""
        view = self.view
        rect = view.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
        view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if view.zoom() > READABLE_ZOOM:
            view.set_zoom(READABLE_ZOOM)
        view.zoom_changed.emit(view.zoom())

    def _zoom_to_read(self) -> None:
        view = self.view
        area = view.viewport().rect()
        room = min(
            area.width() / (COLUMN_W * CONTEXT_COLUMNS), area.height() / (CARD_H * CONTEXT_ROWS)
        )
        target = max(1.0, min(READABLE_ZOOM, room))  # never smaller than actual size
        if view.zoom() < target:
            view.set_zoom(target)

    def _layout_strip(self) -> None:
        """Keep the strip in a bottom margin of the view, so it hides no card and
        centring a card centres it in the map that can be seen."""
        if not self.active:
            return
        view, strip = self.view, self.strip
        strip.set_type_size(max(TYPE_MIN, min(TYPE_MAX, view.window().height() * TYPE_SHARE)))
        frame = view.frameWidth()
        width = view.width() - 2 * frame
        height = strip.heightForWidth(width) if strip.hasHeightForWidth() else -1
        height = max(height, strip.sizeHint().height())
        height = min(height, int(view.height() * STRIP_SHARE))
        view.setViewportMargins(0, 0, 0, height)
        strip.setGeometry(QRect(frame, view.height() - frame - height, width, height))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._layout_strip()
            # The view sizes its viewport after this filter: look again once it has.
            if not self._reframe_pending:
                self._reframe_pending = True
                QTimer.singleShot(0, self._reframe)
        return False

    def _reframe(self) -> None:
        """After a resize (going full screen): the whole map again, or the same card."""
        self._reframe_pending = False
        if not self.active:
            return
        current = self.current()
        card = self.window.editor.scene.cards.get(current.touchpoint) if current else None
        if self.overview or card is None:
            self.fit()
        else:
            self.view.centerOn(card)

    def card_viewport_offset(self) -> QPointF:
        """How far the current card's centre is from the viewport's centre, in pixels."""
        current = self.current()
        card = self.window.editor.scene.cards.get(current.touchpoint) if current else None
        if card is None:
            return QPointF()
        at = self.view.mapFromScene(card.sceneBoundingRect().center())
        middle = self.view.viewport().rect().center()
        return QPointF(at - middle)

    # ------------------------------------------------------------ following

    def _bind(self, journey) -> None:
        if self._journey is not None:
            self._journey.changed.disconnect(self._map_changed)
        self._journey = journey
        if journey is not None:
            journey.changed.connect(self._map_changed)

    def _map_changed(self, change: Change) -> None:
        self.refresh()

    def _view_state_changed(self, what: str) -> None:
        if what == FILTER:
            self.refresh()

    def _journey_replaced(self) -> None:
        self._bind(self.window.editor.journey)
        self.index = 0
        self.refresh()
