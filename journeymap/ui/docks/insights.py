"""The Insights dock: where to act first, from the journey's shape and its gaps.

The priority table of ``journeymap insights`` (priority = reach x gap) under
the window's filter, with a line above it: the worst path and its total gap,
the expected gap, the customers lost and the warnings about the map's shape.
A click on a row selects and centres the card, as in the Gaps dock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journeymap.canvas import colors
from journeymap.canvas.overlays import percent
from journeymap.model.collection import UPDATE, Change
from journeymap.model.insights import InsightRow, Insights, insights
from journeymap.model.journey import JourneyMap
from journeymap.textsafety import plain_tooltip
from journeymap.ui.docks.rowmodel import RowTableModel
from journeymap.ui.viewstate import FILTER, ViewState

if TYPE_CHECKING:
    from journeymap.ui.mainwindow import MainWindow

COLUMNS = ("Touch point", "Priority", "Reach", "Gap", "Unavoidable", "Leaves", "Stage")
NAME, PRIORITY, REACH, GAP, UNAVOIDABLE, LEAVES, STAGE = range(len(COLUMNS))
NUMERIC = (PRIORITY, REACH, GAP, LEAVES)
#: Touch point fields that change nothing here (a card dragged on the canvas).
_LAYOUT_ONLY = frozenset({"position"})


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


class InsightsTableModel(RowTableModel):
    """The rows of :func:`journeymap.model.insights.insights`, in their order."""

    headings = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journey: JourneyMap | None = None
        self.rows: list[InsightRow] = []
        self.insights: Insights | None = None

    def show(self, journey: JourneyMap, ins: Insights) -> None:
        self.beginResetModel()
        self.journey, self.insights, self.rows = journey, ins, list(ins.rows)
        self.endResetModel()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return row.name
            if column == STAGE:
                try:
                    return self.journey.stage(row.stage).name  # type: ignore[union-attr]
                except KeyError:
                    return row.stage
            if column == PRIORITY:
                return _number(row.priority)
            if column == REACH:
                return percent(row.reach)
            if column == GAP:
                return _number(row.gap)
            if column == UNAVOIDABLE:
                return "\u25c6 every path" if row.unavoidable else ""
            return percent(row.leaves) if row.leaves > 1e-12 else ""
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if column == GAP and self.journey is not None:
                fill = colors.gap_color(row.gap, self.journey.scale)
                return fill if role == Qt.ItemDataRole.BackgroundRole else colors.text_color(fill)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.touchpoint
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(_row_words(row))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return self.rows[section].rank
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADING_TIPS[section]
        return super().headerData(section, orientation, role)

    def touchpoint_at(self, row: int) -> str:
        return self.rows[row].touchpoint


HEADING_TIPS = (
    "The touch point",
    "Reach x gap: the gap the average customer meets here (none without a gap)",
    "The share of customers who pass here, from the entries along the transitions' shares",
    "Expectation minus reality under the filter",
    "On every path from an entry to an exit",
    "The share of all customers who leave the journey here",
    "The stage",
)


def _row_words(row: InsightRow) -> str:
    words = f"{row.name} ({row.touchpoint}): reach {row.reach:.1%}"
    if row.gap is not None and row.priority is not None:
        words += f", gap {row.gap:+.2f}, priority {row.priority:+.2f}"
    else:
        words += ", no gap yet"
    if row.unavoidable:
        words += "; on every path"
    if row.leaves > 1e-12:
        words += f"; {row.leaves:.1%} of all customers leave here"
    return words


def summary_lines(journey: JourneyMap, ins: Insights) -> tuple[str, str]:
    """The line above the table, and the warnings (one a line, empty when none)."""
    names = {tp.id: tp.name for tp in journey.touchpoints}
    if ins.worst_path:
        path = " \u2192 ".join(names.get(t, t) for t in ins.worst_path)
        head = f"Worst path (total gap {ins.worst_total:+.2f}): {path}"
    else:
        head = "No path yet: connect the cards with transitions"
    count = len(ins.warnings)
    head += (
        f"\nExpected gap {ins.expected_gap:+.2f} \u00b7 Lost {percent(ins.lost)}"
        f" \u00b7 {count} warning{'' if count == 1 else 's'}"
    )
    return head, "\n".join(f"\u26a0 {w.message}" for w in ins.warnings)


class InsightsDock(QWidget):
    """The priority table under the window's filter; follows the map as it changes."""

    touchpoint_activated = Signal(str)

    def __init__(self, editor, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.state = state
        self.journey: JourneyMap | None = None
        #: The numbers are out of date; worked out again once the dock is shown.
        self.stale = True
        #: False while the dock is a tab behind another (its widget still counts
        #: as visible then): the numbers wait until its tab is chosen.
        self.seen = True
        self.model = InsightsTableModel(self)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        # One warning a line, a few lines high: the table keeps the room.
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.setMaximumHeight(84)
        self.warnings.setStyleSheet("QListWidget { color: #92400e; }")
        self.warnings.hide()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(40)
        for column in (*NUMERIC, UNAVOIDABLE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.table.clicked.connect(self._row_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.warnings)
        layout.addWidget(self.table, 1)
        state.changed.connect(self._state_changed)
        self.follow_editor()

    # ------------------------------------------------------------ following

    def follow_editor(self) -> None:
        """Bind to the editor's map (again, after New or Open)."""
        if self.journey is not None:
            self.journey.changed.disconnect(self._map_changed)
        self.journey = self.editor.journey
        self.journey.changed.connect(self._map_changed)
        self.refresh()

    def _state_changed(self, what: str) -> None:
        if what == FILTER:
            self.refresh()

    def _map_changed(self, change: Change) -> None:
        if change.op == UPDATE and change.fields and _LAYOUT_ONLY.issuperset(change.fields):
            return
        self.refresh()

    def refresh(self) -> None:
        """Work the insights out again, now if the dock is seen, else when it is shown."""
        self.stale = True
        if self.seen and self.isVisible():
            self._recompute()

    def set_seen(self, seen: bool) -> None:
        """The dock's tab was chosen (or another one was)."""
        self.seen = seen
        if seen and self.stale and self.isVisible():
            self._recompute()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self._recompute()

    def _recompute(self) -> None:
        assert self.journey is not None
        self.stale = False
        ins = insights(self.journey, self.state.filter)
        self.model.show(self.journey, ins)
        head, warnings = summary_lines(self.journey, ins)
        self.summary.setText(head)
        self.summary.setToolTip(plain_tooltip(warnings) if warnings else "")
        self.warnings.clear()
        for warning in ins.warnings:
            item = QListWidgetItem(f"\u26a0 {warning.message}")
            item.setToolTip(plain_tooltip(warning.message))
            self.warnings.addItem(item)
        self.warnings.setVisible(bool(ins.warnings))
        self.table.resizeColumnToContents(NAME)
        self.table.setColumnWidth(NAME, min(self.table.columnWidth(NAME), 240))

    def _row_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.touchpoint_activated.emit(self.model.touchpoint_at(index.row()))


def install_insights_dock(w: MainWindow) -> InsightsDock:
    """The Insights dock in ``w``, tabbed with the Gaps dock (Gaps stays in front)."""
    widget = InsightsDock(w.editor, w.view_state)
    dock = QDockWidget("Insights", w)
    dock.setObjectName("dock-insights")
    dock.setWidget(widget)
    w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    w.docks["insights"] = dock
    w.tabifyDockWidget(w.docks["gaps"], dock)
    w.docks["gaps"].raise_()
    dock.visibilityChanged.connect(widget.set_seen)
    widget.touchpoint_activated.connect(w.view.center_on_touchpoint)
    w.editor.journey_replaced.connect(widget.follow_editor)
    return widget
