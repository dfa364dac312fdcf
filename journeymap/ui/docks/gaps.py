"""The Gaps dock: the ranked table of `journeymap gaps`, and the dumbbell chart."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journeymap.canvas import colors
from journeymap.model.analysis import TouchPointGap, describe_view, touchpoint_gaps
from journeymap.model.collection import UPDATE, Change
from journeymap.model.evidencetext import evidence_words, interval_cell, interval_words
from journeymap.model.journey import JourneyMap
from journeymap.textsafety import plain_tooltip
from journeymap.ui.docks.rowmodel import RowTableModel
from journeymap.ui.hints import expectation_hint
from journeymap.ui.palette import style_figure
from journeymap.ui.viewstate import FILTER, ViewState

# The name first and the gap next to it: a narrow dock still reads as a ranking.
# The rank is the vertical header.
# How sure each gap is comes after today's numbers (a narrow dock still shows
# those whole); minimum and adequacy (LibQUAL+) show only when the map's
# observations carry a minimum score.
COLUMNS = ("Touch point", "Gap", "n", "Expect", "Reality", "Spread", "95% interval",
           "Evidence", "Minimum", "Adequacy", "Flags", "Stage")  # fmt: skip
(NAME, GAP, N, EXPECT, REALITY, SPREAD, INTERVAL, EVIDENCE, MINIMUM, ADEQUACY, FLAGS,
 STAGE) = range(len(COLUMNS))  # fmt: skip
NUMERIC = (GAP, INTERVAL, N, EXPECT, REALITY, SPREAD, MINIMUM, ADEQUACY)
#: The ranking choice: its words and the ``rank`` of ``touchpoint_gaps``.
RANKINGS = (("widest gap", "gap"), ("most certain", "confident"))
#: The name column grows to the longest name up to this many average characters;
#: longer names are elided in the middle, whole in the tooltip.
NAME_CAP_CHARS = 30


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


class GapTableModel(RowTableModel):
    """The ranking of the map's statistics source under the window's filter."""

    headings = COLUMNS

    def __init__(self, journey: JourneyMap, state: ViewState, parent: QObject | None = None):
        super().__init__(parent)
        self.journey: JourneyMap | None = None
        self.state = state
        self.rows: list[TouchPointGap] = []
        #: ``"gap"`` (widest first) or ``"confident"`` (highest 95% lower bound first).
        self.rank = "gap"
        state.changed.connect(self._state_changed)
        self.set_journey(journey)

    #: Touch point fields the table shows; moving a card changes none of them.
    _SHOWN = frozenset({"name", "stage", "critical"})

    def set_journey(self, journey: JourneyMap) -> None:
        if self.journey is not None:
            self.journey.changed.disconnect(self._on_change)
        self.journey = journey
        journey.changed.connect(self._on_change)
        self.recompute()

    def _state_changed(self, what: str) -> None:
        if what == FILTER:
            self.recompute()

    def _on_change(self, change: Change) -> None:
        kind = change.kind
        if kind == "observation" or (kind == "stage" and change.op == UPDATE):
            self.rerank()
        elif kind == "touchpoint" and change.op == UPDATE:
            if self._SHOWN.intersection(change.fields):
                self.rerank()
        elif kind in ("touchpoint", "stage", "map"):
            self.recompute()

    def recompute(self, *args: object) -> None:
        """Rebuild the table (and fit its columns): on a new map, filter or shape."""
        assert self.journey is not None
        self.beginResetModel()
        self.rows = touchpoint_gaps(self.journey, self.state.filter, rank=self.rank)
        self.endResetModel()

    def rerank(self) -> None:
        """The same rows in a new order: numbers changed, the table keeps its columns."""
        assert self.journey is not None
        self.layoutAboutToBeChanged.emit()
        self.rows = touchpoint_gaps(self.journey, self.state.filter, rank=self.rank)
        self.layoutChanged.emit()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        s = row.stats
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return row.name
            if column == STAGE:
                try:
                    return self.journey.stage(row.stage).name
                except KeyError:
                    return row.stage
            if column == N:
                return s.n
            if column == EXPECT:
                return _fmt(s.expectation)
            if column == REALITY:
                return _fmt(s.reality)
            if column == GAP:
                return _fmt(s.gap, signed=True)
            if column == SPREAD:
                return _fmt(s.spread)
            if column == INTERVAL:
                return interval_cell(s)
            if column == EVIDENCE:
                return s.evidence
            if column == MINIMUM:
                return _fmt(s.minimum)
            if column == ADEQUACY:
                return _fmt(s.adequacy, signed=True)
            flags = (["WIDE"] if s.wide else []) + (["\u2605"] if row.critical else [])
            return " ".join(flags)
        if role == Qt.ItemDataRole.BackgroundRole and column == GAP:
            return colors.gap_color(s.gap, self.journey.scale)
        if role == Qt.ItemDataRole.ForegroundRole and column == GAP:
            return colors.text_color(colors.gap_color(s.gap, self.journey.scale))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.touchpoint
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == FLAGS:
                return "WIDE: gap at least a quarter of the scale; \u2605: moment of truth"
            if column in (INTERVAL, EVIDENCE):
                return plain_tooltip(f"{row.name}: {interval_words(s)}; {evidence_words(s)}")
            if column == ADEQUACY:
                return plain_tooltip(
                    f"{row.name}: reality minus the minimum customers accept;"
                    " negative is below what they accept at all"
                )
            # Every other cell names its row: the name may be elided, and a
            # gap is read together with whose gap it is.
            return plain_tooltip(f"{row.name} ({row.touchpoint}): {s.observations} observations")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1  # the rank: rows are in ranking order
        return super().headerData(section, orientation, role)

    def touchpoint_at(self, row: int) -> str:
        return self.rows[row].touchpoint


class GapsDock(QWidget):
    """Ranked table with filters; below it the dumbbell chart, redrawn on change."""

    touchpoint_activated = Signal(str)

    def __init__(
        self, journey: JourneyMap, state: ViewState, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journey = journey
        self.state = state
        self.model = GapTableModel(journey, state, self)
        # The filter is set in the bar above the map; this line says which.
        self.scope = QLabel()
        self.scope.setTextFormat(Qt.TextFormat.PlainText)
        self.scope.setWordWrap(True)
        self.model.modelReset.connect(self._show_scope)
        self.model.layoutChanged.connect(self._show_scope)
        # Rank by the widest gap, or by the gap we are 95% sure is at least this wide.
        self.ranking = QComboBox()
        for words, rank in RANKINGS:
            self.ranking.addItem(words, rank)
        self.ranking.setToolTip(
            "widest gap: the largest mean gap first\n"
            "most certain: the highest lower end of the 95% interval first,"
            " the gap we are 95% sure is at least this wide"
        )
        self.ranking.currentIndexChanged.connect(self._ranking_chosen)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        ranks = self.table.verticalHeader()
        ranks.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        ranks.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = self.table.horizontalHeader()
        # Numbers never elide: their columns follow their contents, also
        # after an edit re-ranks the rows (a new map's "-" becomes "+2.50").
        # The precision bounds the rows measured on a large map.
        header.setResizeContentsPrecision(40)
        for column in (*NUMERIC, FLAGS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # A name longer than the cap loses its middle, where names differ least.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header.setStretchLastSection(True)
        self.model.modelReset.connect(self._fit_columns)
        self.model.layoutChanged.connect(self._fit_name)
        self.model.modelReset.connect(self._show_minimum_columns)
        self.model.layoutChanged.connect(self._show_minimum_columns)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.clicked.connect(self._row_clicked)

        # The chart arrives just after the window first paints: importing
        # matplotlib takes longer than drawing a thousand cards.
        self.figure = None
        self.canvas: QWidget = QLabel("Drawing the chart\u2026")
        self.canvas.setMinimumHeight(160)
        self._chart_timer = QTimer(self)
        self._chart_timer.setSingleShot(True)
        self._chart_timer.setInterval(250)  # typing stays fast; the chart catches up
        self._chart_timer.timeout.connect(self.redraw_chart)
        self.model.modelReset.connect(self._chart_timer.start)
        self.model.layoutChanged.connect(self._chart_timer.start)

        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.scope, 1)
        rank_label = QLabel("Rank by")
        rank_label.setBuddy(self.ranking)
        bar.addWidget(rank_label)
        bar.addWidget(self.ranking)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.table)
        splitter.addWidget(top)
        splitter.addWidget(self.canvas)
        splitter.setSizes([300, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._show_scope()
        self._show_minimum_columns()
        self._chart_timer.start()

    def _make_chart(self) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(5, 3), layout="constrained")
        canvas = FigureCanvasQTAgg(self.figure)
        canvas.setMinimumHeight(160)
        sizes = self.splitter.sizes()
        self.splitter.replaceWidget(1, canvas)
        self.canvas.deleteLater()
        self.canvas = canvas
        self.splitter.setSizes(sizes)

    def set_journey(self, journey: JourneyMap) -> None:
        self.journey = journey
        self.model.set_journey(journey)

    def _show_scope(self) -> None:
        self.scope.setText("Showing " + describe_view(self.journey, self.state.filter))
        # Reality without expectation (a Mermaid import): say how to get gaps.
        hint = expectation_hint(self.journey, self.state.filter)
        if hint:
            self.scope.setText(f"{self.scope.text()}\n{hint}")

    def _ranking_chosen(self, index: int) -> None:
        self.model.rank = self.ranking.itemData(index)
        self.model.rerank()

    def _show_minimum_columns(self) -> None:
        """Minimum and adequacy only when some observation carries a minimum score."""
        shown = any(o.minimum is not None for o in self.journey.observations)
        for column in (MINIMUM, ADEQUACY):
            self.table.setColumnHidden(column, not shown)

    def _fit_columns(self) -> None:
        self._fit_name()
        self.table.resizeColumnToContents(STAGE)

    def _fit_name(self) -> None:
        """The name column: as wide as the longest name, up to the cap, and
        never narrower than its heading."""
        self.table.setColumnWidth(NAME, self.name_width())

    def name_width(self) -> int:
        metrics = QFontMetrics(self.table.font())
        longest = max((metrics.horizontalAdvance(r.name) for r in self.model.rows), default=0)
        cap = metrics.averageCharWidth() * NAME_CAP_CHARS
        heading = self.table.horizontalHeader().sectionSizeHint(NAME)
        return max(heading, min(longest, cap) + self._cell_padding())

    def _cell_padding(self) -> int:
        """What a cell adds around its text: the delegate's margins and the grid line."""
        style = self.table.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1
        return 2 * margin + (1 if self.table.showGrid() else 0)

    def preferred_width(self, through: int | None = None) -> int:
        """The dock width that shows every column (or those up to ``through``)
        without scrolling sideways."""
        last = len(COLUMNS) - 1 if through is None else through
        header = self.table.horizontalHeader()
        columns = sum(
            max(self.table.columnWidth(c), header.sectionSizeHint(c))
            for c in range(last + 1)
            if not self.table.isColumnHidden(c)
        )
        table = self.table
        chrome = (
            table.verticalHeader().sizeHint().width()
            + table.verticalScrollBar().sizeHint().width()
            + 2 * table.frameWidth()
        )
        margins = self.layout().contentsMargins()
        return columns + chrome + margins.left() + margins.right()

    def needed_width(self) -> int:
        """The least dock width that shows the names (to the cap) and the gaps."""
        return self.preferred_width(through=GAP)

    def _row_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.touchpoint_activated.emit(self.model.touchpoint_at(index.row()))

    def redraw_chart(self) -> None:
        if self.figure is None:
            self._make_chart()
        from journeymap.charts.gapchart import draw_gap_chart

        draw_gap_chart(self.journey, self.figure, self.state.filter)
        style_figure(self.figure)  # dark charts on a dark palette
        self.canvas.draw_idle()
