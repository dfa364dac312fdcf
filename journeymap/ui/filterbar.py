"""The filter bar above the map: which observations every view counts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from journeymap.model.analysis import ObservationFilter, describe_view
from journeymap.model.collection import Change
from journeymap.model.entities import METHODS
from journeymap.model.journey import JourneyMap
from journeymap.ui.docks.filtercombo import fill_filter_combo
from journeymap.ui.viewstate import FILTER, ViewState

#: A date edit showing this means "no limit".
_NO_DATE = QDate(2000, 1, 1)


def _date_edit(placeholder: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(_NO_DATE)
    edit.setSpecialValueText(placeholder)
    edit.setDate(_NO_DATE)
    return edit


class FilterBar(QWidget):
    """Method, persona, observer and dates; Clear shows every observation again.

    The bar writes the window's :class:`ViewState` and follows it, so a filter
    set elsewhere (a test, a future "show only" command) shows here too.
    """

    def __init__(self, journey: JourneyMap, state: ViewState, parent: QWidget | None = None):
        super().__init__(parent)
        self.journey: JourneyMap | None = None
        self.state = state
        self.method = QComboBox()
        self.persona = QComboBox()
        self.observer = QComboBox()
        self.date_from = _date_edit("any date")
        self.date_to = _date_edit("any date")
        self.clear = QPushButton("Show all")
        self.clear.setToolTip("Count every observation again")
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("<b>Showing</b>"))
        for label, widget in (("method", self.method), ("persona", self.persona),
                              ("observer", self.observer), ("from", self.date_from),
                              ("to", self.date_to)):  # fmt: skip
            layout.addWidget(QLabel(label))
            layout.addWidget(widget)
        layout.addWidget(self.clear)
        layout.addWidget(self.count, 1)
        for combo in (self.method, self.persona, self.observer):
            combo.currentIndexChanged.connect(self._edited)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._edited)
        self.clear.clicked.connect(state.clear_filter)
        state.changed.connect(self._state_changed)
        self.set_journey(journey)

    def set_journey(self, journey: JourneyMap) -> None:
        if self.journey is not None:
            self.journey.changed.disconnect(self._map_changed)
        self.journey = journey
        journey.changed.connect(self._map_changed)
        self._fill()

    def _fill(self) -> None:
        journey = self.journey
        assert journey is not None
        fill_filter_combo(self.method, "all methods", [(m, m) for m in METHODS])
        fill_filter_combo(self.persona, "all personas", [(p.name, p.id) for p in journey.personas])
        observers = sorted({o.observer for o in journey.observations if o.observer})
        fill_filter_combo(self.observer, "all observers", [(o, o) for o in observers])
        self._show(self.state.filter)

    def _map_changed(self, change: Change) -> None:
        if change.kind == "persona" or (
            change.kind == "observation" and change.record.observer
            and self.observer.findData(change.record.observer) < 0
        ):  # fmt: skip
            self._fill()
        else:
            self._show_count()

    def _state_changed(self, what: str) -> None:
        if what == FILTER:
            self._show(self.state.filter)

    def _show(self, flt: ObservationFilter) -> None:
        """Set the controls to ``flt`` without writing it back."""
        widgets = (self.method, self.persona, self.observer, self.date_from, self.date_to)
        for widget in widgets:
            widget.blockSignals(True)
        for combo, values in ((self.method, flt.methods), (self.persona, flt.personas),
                              (self.observer, flt.observers)):  # fmt: skip
            value = next(iter(values)) if len(values) == 1 else None
            index = combo.findData(value) if value is not None else 0
            combo.setCurrentIndex(max(index, 0))
        for edit, day in ((self.date_from, flt.date_from), (self.date_to, flt.date_to)):
            edit.setDate(QDate(day.year, day.month, day.day) if day else _NO_DATE)
        for widget in widgets:
            widget.blockSignals(False)
        self.clear.setEnabled(not flt.is_empty)
        self._show_count()

    def _show_count(self) -> None:
        assert self.journey is not None
        self.count.setText(describe_view(self.journey, self.state.filter))

    def current_filter(self) -> ObservationFilter:
        def chosen(combo: QComboBox) -> frozenset[str]:
            data = combo.currentData()
            return frozenset([data] if data else [])

        def day(edit: QDateEdit) -> dt.date | None:
            date = edit.date()
            return None if date == _NO_DATE else dt.date(date.year(), date.month(), date.day())

        return ObservationFilter(
            methods=chosen(self.method),
            personas=chosen(self.persona),
            observers=chosen(self.observer),
            date_from=day(self.date_from),
            date_to=day(self.date_to),
        )

    def _edited(self, *args: object) -> None:
        self.state.set_filter(self.current_filter())
