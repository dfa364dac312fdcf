"""The Gaps dock: the ranked table of `journeymap gaps`, and the dumbbell chart."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journeymap.model.analysis import (
    ObservationFilter,
    TouchPointGap,
    gap_stats,
    rank_key,
    select,
    touchpoint_gaps,
    wide_gap_threshold,
)
from journeymap.model.entities import METHODS
from journeymap.model.journey import JourneyMap
from journeymap.ui.canvas import colors
from journeymap.ui.docks.filtercombo import fill_filter_combo
from journeymap.ui.docks.rowmodel import RowTableModel

COLUMNS = ("#", "Touch point", "Stage", "n", "Expect", "Reality", "Gap", "Spread", "Flags")


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


class GapTableModel(RowTableModel):
    """Ranked rows, kept up to date one touch point at a time."""

    headings = COLUMNS

    def __init__(self, journey: JourneyMap, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journey = journey
        self.filter = ObservationFilter()
        self.rows: list[TouchPointGap] = []
        self.set_journey(journey)

    _WATCHED = ("observation_added", "observation_removed", "observation_changed")
    _RESET = (
        "touchpoint_added", "touchpoint_removed", "touchpoint_moved",
        "stage_changed", "stage_removed", "stage_added", "scale_changed",
    )  # fmt: skip
    #: Touch point fields the table shows; moving a card changes none of them.
    _SHOWN = frozenset({"name", "stage", "critical"})

    def _bind(self, journey: JourneyMap, connect: bool) -> None:
        def link(signal, slot) -> None:
            signal.connect(slot) if connect else signal.disconnect(slot)

        for name in self._WATCHED:
            link(getattr(journey, name), self._on_observation)
        for name in self._RESET:
            link(getattr(journey, name), self.recompute)
        link(journey.touchpoint_changed, self._on_touchpoint_changed)

    def set_journey(self, journey: JourneyMap) -> None:
        self._bind(self.journey, connect=False)
        self.journey = journey
        self._bind(journey, connect=True)
        self.recompute()

    def _on_touchpoint_changed(self, tp, fields: tuple) -> None:
        if self._SHOWN.intersection(fields):
            self.recompute()

    def set_filter(self, flt: ObservationFilter) -> None:
        self.filter = flt
        self.recompute()

    def recompute(self, *args: object) -> None:
        self.beginResetModel()
        self.rows = touchpoint_gaps(self.journey, self.filter)
        self.endResetModel()

    def _on_observation(self, obs, *args: object) -> None:
        if len(args) == 1 and isinstance(args[0], tuple) and "touchpoint" in args[0]:
            self.recompute()
            return
        # Only this touch point's numbers change; then the ranking is re-sorted.
        position = next(
            (i for i, r in enumerate(self.rows) if r.touchpoint == obs.touchpoint), None
        )
        if position is None:
            self.recompute()
            return
        row = self.rows[position]
        observations = select(self.journey.observations_for(row.touchpoint), self.filter)
        stats = gap_stats(observations, wide_gap_threshold(self.journey.scale))
        self.layoutAboutToBeChanged.emit()
        self.rows[position] = row._replace(stats=stats)
        self.rows.sort(key=rank_key)
        self.layoutChanged.emit()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        s = row.stats
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return index.row() + 1
            if column == 1:
                return row.name
            if column == 2:
                try:
                    return self.journey.stage(row.stage).name
                except KeyError:
                    return row.stage
            if column == 3:
                return s.n
            if column == 4:
                return _fmt(s.expectation)
            if column == 5:
                return _fmt(s.reality)
            if column == 6:
                return _fmt(s.gap, signed=True)
            if column == 7:
                return _fmt(s.spread)
            flags = (["WIDE"] if s.wide else []) + (["\u2605"] if row.critical else [])
            return " ".join(flags)
        if role == Qt.ItemDataRole.BackgroundRole and column == 6:
            return colors.gap_color(s.gap, self.journey.scale)
        if role == Qt.ItemDataRole.ForegroundRole and column == 6:
            return colors.text_color(colors.gap_color(s.gap, self.journey.scale))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3, 4, 5, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.touchpoint
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return f"{row.name} ({row.touchpoint}): {s.observations} observations"
        if role == Qt.ItemDataRole.ToolTipRole and column == 8:
            return "WIDE: gap at least a quarter of the scale; \u2605: moment of truth"
        return None

    def touchpoint_at(self, row: int) -> str:
        return self.rows[row].touchpoint


class GapsDock(QWidget):
    """Ranked table with filters; below it the dumbbell chart, redrawn on change."""

    touchpoint_activated = Signal(str)

    def __init__(self, journey: JourneyMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journey = journey
        self.model = GapTableModel(journey, self)
        self.method = QComboBox()
        self.persona = QComboBox()
        for combo in (self.method, self.persona):
            combo.currentIndexChanged.connect(self._filters_changed)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Method"))
        bar.addWidget(self.method)
        bar.addWidget(QLabel("Persona"))
        bar.addWidget(self.persona)
        bar.addStretch(1)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Columns fit their contents when the table is rebuilt, measuring a
        # sample of rows; an edit re-ranks rows without measuring again.
        header.setResizeContentsPrecision(40)
        self.model.modelReset.connect(self._fit_columns)
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
        top_layout.addLayout(bar)
        top_layout.addWidget(self.table)
        splitter.addWidget(top)
        splitter.addWidget(self.canvas)
        splitter.setSizes([300, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._fill_filters()
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
        self._fill_filters(recompute=False)
        self.model.filter = self.current_filter()
        self.model.set_journey(journey)

    def _fill_filters(self, recompute: bool = True) -> None:
        fill_filter_combo(self.method, "all methods", [(m, m) for m in METHODS])
        fill_filter_combo(
            self.persona, "all personas", [(p.name, p.id) for p in self.journey.personas]
        )
        if recompute:
            self._filters_changed()

    def current_filter(self) -> ObservationFilter:
        method, persona = self.method.currentData(), self.persona.currentData()
        return ObservationFilter(
            methods=frozenset([method] if method else []),
            personas=frozenset([persona] if persona else []),
        )

    def _filters_changed(self, *args: object) -> None:
        self.model.set_filter(self.current_filter())

    def _fit_columns(self) -> None:
        for column in (0, 2, 3, 4, 5, 6, 7, 8):
            self.table.resizeColumnToContents(column)

    def _row_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.touchpoint_activated.emit(self.model.touchpoint_at(index.row()))

    def redraw_chart(self) -> None:
        if self.figure is None:
            self._make_chart()
        from journeymap.charts.gapchart import draw_gap_chart

        draw_gap_chart(self.journey, self.figure, self.model.filter)
        self.canvas.draw_idle()
