"""Help ▸ Keyboard Shortcuts and Help ▸ Reading the Map.

The shortcut list is made from the window's own actions each time it opens,
so a new shortcut is listed without touching this module.  Reading the Map
draws its examples with the canvas's real items and colours, so it cannot
drift from what the map shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymap.canvas.arrows import EDGE_STYLES, arrow_head
from journeymap.canvas.items import CARD_H, CARD_W, CardItem, font
from journeymap.canvas.legend import LegendItem
from journeymap.model.analysis import GapStats, wide_gap_threshold
from journeymap.model.entities import Scale, TouchPoint
from journeymap.ui import shortcuts
from journeymap.ui.hints import key_text
from journeymap.ui.palette import apply_theme, current_theme

if TYPE_CHECKING:
    from journeymap.ui.mainwindow import MainWindow

#: What the keys of shortcuts.py that no menu command carries do, and where.
#: A constant missing here is still listed, named after itself.
KEY_DESCRIPTIONS = {
    "SELECT_LEFT": ("Select the card to the left", "Map"),
    "SELECT_RIGHT": ("Select the card to the right", "Map"),
    "SELECT_UP": ("Select the card above", "Map"),
    "SELECT_DOWN": ("Select the card below", "Map"),
    "OPEN_IN_INSPECTOR": ("Edit the selected card in the Inspector", "Map"),
    "COMMIT_EDIT": ("Finish renaming a card", "Renaming in place"),
    "CANCEL_EDIT": ("Cancel renaming a card", "Renaming in place"),
    "PRESENT_EXIT": ("Leave presentation mode", "Presentation"),
    "PRESENT_NEXT": ("Show the next widest gap", "Presentation"),
    "PRESENT_PREVIOUS": ("Show the previous widest gap", "Presentation"),
}
#: Keys that are not in shortcuts.py: the view and the capture form handle them.
OTHER_KEYS = (
    ("Space + drag", "Pan the map", "Map view"),
    ("Ctrl + mouse wheel", "Zoom in or out", "Map view"),
    ("Enter", "Save the observation being typed", "Quick capture"),
)
NATIVE = QKeySequence.SequenceFormat.NativeText


def _plain(text: str) -> str:
    """A menu text as read: no mnemonic ampersand, no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("\u2026.")


def _menu_paths(menu: QMenu, path: str, found: dict[QAction, str]) -> None:
    for action in menu.actions():
        sub = action.menu()
        if sub is not None:
            _menu_paths(sub, f"{path} \u25b8 {_plain(action.text())}", found)
        elif not action.isSeparator():
            found.setdefault(action, path)


def constants() -> dict[str, list[QKeySequence]]:
    """Every shortcut constant of :mod:`journeymap.ui.shortcuts` and its key sequences."""
    found = {}
    for name, value in vars(shortcuts).items():
        if name.isupper() and isinstance(value, str | tuple | QKeySequence.StandardKey):
            found[name] = shortcuts.sequences(value)
    return found


#: Keys from here on are the dedicated keys of multimedia keyboards (a "Save"
#: or "Undo" key, and Help): Qt's standard bindings include them; people look
#: for Ctrl+S and F1.
_MEDIA_KEYS = Qt.Key.Key_Back.value


def typed(sequences: list[QKeySequence]) -> list[QKeySequence]:
    """The sequences a person types on an ordinary keyboard."""
    return [
        k for k in sequences
        if not k.isEmpty() and k[0].key().value < _MEDIA_KEYS and k[0].key() != Qt.Key.Key_Help
    ]  # fmt: skip


def _keys(sequences: list[QKeySequence]) -> str:
    return ", ".join(k.toString(NATIVE) for k in typed(sequences))


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str, str]]:
    """(keys, command, menu, description): every action of ``window`` with a
    shortcut, in menu order; then each constant of shortcuts.py no action
    carries; then keys the view and forms handle themselves."""
    where: dict[QAction, str] = {}
    menu_bar = getattr(window, "menuBar", None)
    if menu_bar is not None:
        for top in menu_bar().actions():
            if top.menu() is not None:
                _menu_paths(top.menu(), _plain(top.text()), where)
    actions = list(where) + [a for a in window.findChildren(QAction) if a not in where]
    rows: list[tuple[str, str, str, str]] = []
    seen: list[QAction] = []
    for action in actions:
        keys = _keys(action.shortcuts())
        if not keys or action in seen:
            continue
        seen.append(action)
        command = _plain(action.text())
        rows.append((keys, command, where.get(action, ""), action.statusTip()))
    carried = [{k.toString() for k in action.shortcuts()} for action in seen]
    for name, sequences in constants().items():
        if not sequences or {k.toString() for k in sequences} in carried:
            continue
        fallback = (name.replace("_", " ").capitalize(), "")
        command, where_ = KEY_DESCRIPTIONS.get(name, fallback)
        rows.append((_keys(sequences), command, where_, ""))
    rows.extend((keys, what, where_, "") for keys, what, where_ in OTHER_KEYS)
    return rows


class ShortcutsDialog(QDialog):
    """Every key of the window, as a table; it can stay open beside the map."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Keys", "Command", "Menu", "Description"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.refresh(window)
        fit_to_screen(self, 960, 640)

    def refresh(self, window: QWidget) -> None:
        rows = shortcut_rows(window)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c == 0:
                    bold = item.font()
                    bold.setBold(True)
                    item.setFont(bold)
                self.table.setItem(r, c, item)

    def listed(self) -> list[str]:
        """The key texts listed, one per row (for tests and the curious)."""
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]


# ------------------------------------------------------------- reading


SCALE = Scale(1, 5)


def _stats(n: int, obs: int, e: float | None, r: float | None, wide: bool = False) -> GapStats:
    gap = None if e is None or r is None else e - r
    return GapStats(n, obs, e, r, gap, None, None, None, wide)


def card_examples() -> list[tuple[str, TouchPoint, GapStats, float | None, str]]:
    """(key, touch point, statistics, reality-only mean, explanation) per example card."""
    threshold = wide_gap_threshold(SCALE)
    middle = (SCALE.min + SCALE.max) / 2
    return [
        ("wide", TouchPoint("x-wide", "Ask at the desk", "x", "in-person"),
         _stats(6, 6, 5.0, 2.5, wide=True), None,
         "Red: reality fell short of expectation. The badge is the gap, mean expectation "
         f"minus mean reality. A thick black outline marks a wide gap (at least "
         f"{threshold:.2f} on a {SCALE.min:g}-{SCALE.max:g} scale): look here first."),
        ("delight", TouchPoint("x-delight", "Storytime for under-fives", "x", "in-person"),
         _stats(3, 3, 3.7, 5.0), None,
         "Blue: reality went beyond expectation (delight); the gap is negative. "
         "Near white: about what people expected."),
        ("none", TouchPoint("x-none", "Events noticeboard", "x", "print"),
         _stats(0, 2, None, None), None,
         "Grey, dashed, \u201cnot observed yet\u201d: an assumption; no observation here "
         "has both an expectation and a reality score yet. A small \u201cfew\u201d mark: "
         "only one or two observations, weak evidence."),
        ("reality", TouchPoint("x-reality", "Order at the counter", "x", "in-person"),
         _stats(0, 3, None, None), 4.2,
         "Dashed outline, \u201creality\u201d badge: observations have a reality score but "
         "no expectation (a Mermaid import, say). The fill is satisfaction: blue above the "
         f"middle of the scale ({middle:g}), red below. Add expectations to see the gap."),
        ("critical", TouchPoint("x-star", "Self-checkout machine", "x", "self-service",
                                critical=True),
         _stats(5, 5, 4.0, 2.8, wide=True), None,
         "\u2605 A moment of truth: a touch point that, done badly, spoils the whole visit "
         "(tick it in the Inspector)."),
    ]  # fmt: skip


ARROW_EXAMPLES = (
    ("main", "Main: the usual next step."),
    ("alternative", "Alternative (dashed): another way some people go."),
    ("failure", "Failure (orange, dash-dot): where something goes wrong."),
    ("loop", "Loop (purple, dotted): back to an earlier step, often going round in circles."),
)


class ReadingScene(QGraphicsScene):
    """The legend, example cards and the four arrow kinds, each with its words."""

    TEXT_W = 440.0

    def __init__(self) -> None:
        super().__init__()
        apply_theme(self, current_theme())
        self.cards: dict[str, CardItem] = {}
        self.arrows: dict[str, QGraphicsPathItem] = {}
        legend = LegendItem("Reading the map", SCALE)
        self.addItem(legend)
        y = legend.HEIGHT + 20
        for key, tp, stats, reality, words in card_examples():
            card = CardItem(tp, SCALE)
            card.set_stats(stats, reality)
            card.setPos(0, y)
            self.addItem(card)
            self.cards[key] = card
            self._words(words, CARD_W + 24, y)
            y += CARD_H + 22
        y += 10
        self._words("Arrows are transitions, one style per kind:", 0, y, bold=True)
        y += 34
        for kind, words in ARROW_EXAMPLES:
            # The map's own pen and arrowhead for each kind.
            colour, style, width = EDGE_STYLES[kind]
            pen = QPen(colour, width, style)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            middle = y + 16
            line = QPainterPath(QPointF(8, middle))
            line.lineTo(CARD_W - 8, middle)
            arrow = self.addPath(line, pen)
            head = arrow_head(QPointF(CARD_W - 4, middle), QPointF(CARD_W - 20, middle))
            self.addPolygon(head, QPen(Qt.PenStyle.NoPen), colour)
            self.arrows[kind] = arrow
            self._words(words, CARD_W + 24, y)
            y += 44
        width = max(legend.WIDTH, CARD_W + 24 + self.TEXT_W) + 24
        self.setSceneRect(QRectF(-12, -12, width, y + 12))

    def _words(self, text: str, x: float, y: float, bold: bool = False) -> QGraphicsTextItem:
        item = QGraphicsTextItem()
        item.setPlainText(text)
        item.setFont(font(14, bold))
        item.setDefaultTextColor(QColor(self.theme.ink))
        item.setTextWidth(self.TEXT_W)
        item.setPos(x, y)
        self.addItem(item)
        return item


class ReadingDialog(QDialog):
    """Help ▸ Reading the Map: what colours, outlines, stars and arrows mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reading the Map")
        self.scene = ReadingScene()
        self.view = QGraphicsView(self.scene)
        self.view.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        self.view.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        notes = QLabel(
            "The bar above the map chooses which observations count (method, persona, "
            "observer, dates): every card, table, chart and export then counts those only, "
            "and a yellow banner over the map says so.\n"
            "Drag cards to place them; drop a card in another column to move it to that "
            f"stage. Select two cards and press {key_text(shortcuts.CONNECT)} to connect them; "
            f"{key_text(shortcuts.QUICK_CAPTURE)} types observations from the keyboard. "
            f"All keys: Help \u25b8 Keyboard Shortcuts ({key_text(shortcuts.HELP)})."
        )
        notes.setTextFormat(Qt.TextFormat.PlainText)
        notes.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(notes)
        layout.addWidget(buttons)
        rect: QRectF = self.scene.sceneRect()
        # Room for the vertical scroll bar; never taller or wider than the screen
        # (the view scrolls), so Close stays reachable at 1366x768.
        fit_to_screen(self, int(rect.width() + 80), 800)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.minimum())  # start at the legend, not the middle


def fit_to_screen(dialog: QDialog, width: int, height: int) -> None:
    """Resize ``dialog`` to ``width`` x ``height``, or less where the screen is smaller
    (leaving room for a title bar and the desktop's panels)."""
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or dialog.screen()
    if screen is not None:
        area = screen.availableGeometry()
        width, height = min(width, area.width() - 40), min(height, area.height() - 80)
    dialog.resize(width, height)


# ------------------------------------------------------------ window hooks


def _show(window: MainWindow, attribute: str, make) -> QDialog:
    """One dialog of each kind per window, brought to the front if open."""
    dialog = getattr(window, attribute, None)
    if dialog is None:
        dialog = make()
        setattr(window, attribute, dialog)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def show_shortcuts(window: MainWindow) -> ShortcutsDialog:
    dialog = _show(window, "shortcuts_dialog", lambda: ShortcutsDialog(window))
    dialog.refresh(window)  # actions may have changed since it was made
    return dialog


def show_reading(window: MainWindow) -> ReadingDialog:
    return _show(window, "reading_dialog", lambda: ReadingDialog(window))
