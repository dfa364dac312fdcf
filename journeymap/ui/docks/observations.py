"""The Observations dock: a filterable, editable table and a quick-capture form."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journeymap.model.analysis import describe_filter, select
from journeymap.model.collection import ADD, REMOVE, Change
from journeymap.model.entities import METHODS, Observation
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import ModelError
from journeymap.textsafety import plain_tooltip
from journeymap.ui.docks.rowmodel import RowTableModel
from journeymap.ui.viewstate import FILTER, ViewState

COLUMNS = (
    ("touchpoint", "Touch point"),
    ("method", "Method"),
    ("observer", "Observer"),
    ("date", "Date"),
    ("persona", "Persona"),
    ("expectation", "Expect"),
    ("reality", "Reality"),
    ("note", "Note"),
    ("quote", "Quote"),
)
SCORES = ("expectation", "reality")


def parse_score(text: str) -> float | None:
    """A score typed by a person: '' is none, '3,5' is 3.5."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


class ObservationTableModel(RowTableModel):
    """Observations passing the dock's filters, in file order.

    Edits are handed to ``on_edit``, which runs an undo command; the row
    changes when the model's signal comes back.
    """

    headings = tuple(title for _, title in COLUMNS)

    def __init__(
        self,
        journey: JourneyMap,
        state: ViewState,
        on_edit: Callable[[str, dict[str, Any]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.journey: JourneyMap | None = None
        self.state = state
        self.on_edit = on_edit
        self.rows: list[Observation] = []
        #: Only this touch point's observations (the selected card), or all.
        self.touchpoint: str | None = None
        state.changed.connect(self._state_changed)
        self.set_journey(journey)

    def set_journey(self, journey: JourneyMap) -> None:
        if self.journey is not None:
            self.journey.changed.disconnect(self._on_change)
        self.journey = journey
        self.touchpoint = None
        journey.changed.connect(self._on_change)
        self.refresh()

    def _state_changed(self, what: str) -> None:
        if what == FILTER:
            self.refresh()

    def _on_change(self, change: Change) -> None:
        kind, op = change.kind, change.op
        if kind == "observation":
            {ADD: self._added, REMOVE: self._removed}.get(op, self._changed)(change)
        elif kind == "persona" or (
            kind == "touchpoint" and (op == REMOVE or "name" in change.fields)
        ):
            self.refresh()

    # Edits touch one row, not the table: a debrief map has thousands of rows.

    def _row_of(self, obs: Observation) -> int | None:
        for row in range(len(self.rows) - 1, -1, -1):
            if self.rows[row] is obs:
                return row
        return None

    def _added(self, change: Change) -> None:
        obs = change.record
        if not self.accepts(obs):
            return
        assert self.journey is not None
        if change.index != len(self.journey.observations) - 1:
            self.refresh()  # put back in the middle (an undo): find its place
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(obs)
        self.endInsertRows()

    def _removed(self, change: Change) -> None:
        row = self._row_of(change.record)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()

    def _changed(self, change: Change) -> None:
        row = self._row_of(change.record)
        if row is None or not self.accepts(change.record):
            self.refresh()
            return
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def show_touchpoint(self, tp_id: str | None) -> None:
        self.touchpoint = tp_id
        self.refresh()

    def accepts(self, o: Observation) -> bool:
        return (self.touchpoint is None or o.touchpoint == self.touchpoint) and (
            self.state.filter.accepts(o)
        )

    def refresh(self, *args: object) -> None:
        assert self.journey is not None
        self.beginResetModel()
        source = (
            self.journey.observations_for(self.touchpoint)
            if self.touchpoint is not None
            else self.journey.observations
        )
        self.rows = list(select(source, self.state.filter))
        self.endResetModel()

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if COLUMNS[index.column()][0] in ("touchpoint", "persona"):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        obs = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = getattr(obs, key)
            if key == "touchpoint":
                return (
                    self.journey.touchpoint(value).name
                    if self.journey.has_touchpoint(value)
                    else value
                )
            if key == "persona":
                return "" if value is None else self.journey.persona(value).name
            if key == "date":
                return "" if value is None else value.isoformat()
            if value is None:
                return ""
            return value if key not in SCORES else f"{value:g}"
        if role == Qt.ItemDataRole.ToolTipRole and key in ("note", "quote"):
            text = getattr(obs, key)
            return plain_tooltip(text) if text else None
        if role == Qt.ItemDataRole.UserRole:
            return obs.id
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        obs = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        text = str(value).strip()
        try:
            if key in SCORES:
                new: Any = parse_score(text)
            elif key == "date":
                new = dt.date.fromisoformat(text) if text else None
            else:
                new = text
            self.on_edit(obs.id, {key: new})
        except (ValueError, ModelError):
            return False
        return True

    def observation_at(self, row: int) -> Observation:
        return self.rows[row]


class QuickCapture(QGroupBox):
    """Type observations as people call them out, without the mouse.

    Tab moves through touch point (with completion), method, observer,
    expectation, reality, note and quote; Enter saves and clears the form,
    keeping method and observer for the next one.
    """

    #: touch point id, fields; the window runs the undo command.
    submitted = Signal(str, dict)

    def __init__(self, journey: JourneyMap, parent: QWidget | None = None) -> None:
        super().__init__("Quick capture (Enter saves)", parent)
        self.journey = journey
        self.touchpoint = QLineEdit()
        self.touchpoint.setPlaceholderText("touch point name")
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.touchpoint.setCompleter(completer)
        self.method = QComboBox()
        self.method.addItems(list(METHODS))
        self.observer = QLineEdit()
        self.expectation = QLineEdit()
        self.reality = QLineEdit()
        for score in (self.expectation, self.reality):
            score.setValidator(QDoubleValidator(-1e6, 1e6, 2, score))
            score.setMaximumWidth(70)
        self.note = QLineEdit()
        self.quote = QLineEdit()
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # quotes what the user typed
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b2182b")
        form = QFormLayout(self)
        form.addRow("Touch point", self.touchpoint)
        form.addRow("Method", self.method)
        form.addRow("Observer", self.observer)
        scores = QHBoxLayout()
        scores.addWidget(QLabel("Expectation"))
        scores.addWidget(self.expectation)
        scores.addWidget(QLabel("Reality"))
        scores.addWidget(self.reality)
        scores.addStretch(1)
        form.addRow("Scores", scores)
        form.addRow("Note", self.note)
        form.addRow("Quote", self.quote)
        form.addRow(self.message)
        order = [self.touchpoint, self.method, self.observer, self.expectation, self.reality,
                 self.note, self.quote]  # fmt: skip
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        for line in (self.touchpoint, self.observer, self.expectation, self.reality, self.note,
                     self.quote):  # fmt: skip
            line.returnPressed.connect(self.submit)
        self.set_journey(journey)

    def set_journey(self, journey: JourneyMap) -> None:
        self.journey = journey
        self.refresh_names()

    def refresh_names(self, *args: object) -> None:
        self.names.setStringList([tp.name for tp in self.journey.touchpoints])

    def keyPressEvent(self, event) -> None:
        # Enter on the method combo saves too.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)

    def resolve_touchpoint(self, text: str) -> str | None:
        text = text.strip()
        if self.journey.has_touchpoint(text):
            return text
        matches = [tp.id for tp in self.journey.touchpoints if tp.name == text]
        if not matches:
            matches = [tp.id for tp in self.journey.touchpoints if tp.name.lower() == text.lower()]
        return matches[0] if len(matches) == 1 else None

    def submit(self) -> None:
        tp_id = self.resolve_touchpoint(self.touchpoint.text())
        if tp_id is None:
            self.message.setText(f"No touch point called {self.touchpoint.text().strip()!r}.")
            self.touchpoint.setFocus()
            return
        try:
            fields = {
                "observer": self.observer.text().strip(),
                "expectation": parse_score(self.expectation.text()),
                "reality": parse_score(self.reality.text()),
                "note": self.note.text().strip(),
                "quote": self.quote.text().strip(),
                "date": dt.date.today(),
                "method": self.method.currentText(),
            }
        except ValueError:
            self.message.setText("Scores must be numbers.")
            return
        self.message.clear()
        self.submitted.emit(tp_id, fields)

    def accepted(self) -> None:
        """The observation was saved: clear for the next, keep method and observer."""
        for line in (self.touchpoint, self.expectation, self.reality, self.note, self.quote):
            line.clear()
        self.message.clear()
        self.touchpoint.setFocus()

    def rejected(self, reason: str) -> None:
        self.message.setText(reason)


class ObservationsDock(QWidget):
    """Table of observations (selected touch point or all) and quick capture."""

    def __init__(self, editor, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.state = state
        journey = editor.journey
        self.model = ObservationTableModel(journey, state, self._edit, self)
        self.only_selected = QCheckBox("Selected touch point only")
        self.only_selected.setChecked(True)
        # Which observations show is the filter bar's business; this says which.
        self.scope = QLabel()
        self.scope.setTextFormat(Qt.TextFormat.PlainText)
        filters = QHBoxLayout()
        filters.addWidget(self.only_selected)
        filters.addWidget(self.scope, 1)
        self.only_selected.toggled.connect(self._apply_filters)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._show_scope)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)

        self.delete_button = QPushButton("Delete selected")
        self.delete_button.clicked.connect(self.delete_selected)
        self.capture = QuickCapture(journey)
        self.capture.submitted.connect(self._capture)

        left = QVBoxLayout()
        left.addLayout(filters)
        left.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(left, 3)
        layout.addWidget(self.capture, 2)
        self.selected_touchpoint: str | None = None
        self.journey: JourneyMap | None = None
        editor.journey_replaced.connect(self.bind)
        self.bind()

    def bind(self) -> None:
        """Follow the editor's current map, and let go of the one before."""
        if self.journey is not None:
            self.journey.changed.disconnect(self._map_changed)
        journey = self.journey = self.editor.journey
        self.selected_touchpoint = None
        self.model.set_journey(journey)
        self.capture.set_journey(journey)
        journey.changed.connect(self._map_changed)
        self._apply_filters()

    def _map_changed(self, change: Change) -> None:
        if change.kind == "touchpoint":
            self.capture.refresh_names()

    def show_touchpoint(self, tp_id: str | None) -> None:
        self.selected_touchpoint = tp_id
        if tp_id is not None and self.editor.journey.has_touchpoint(tp_id):
            self.capture.touchpoint.setText(self.editor.journey.touchpoint(tp_id).name)
        self._apply_filters()

    def _apply_filters(self, *args: object) -> None:
        only = self.only_selected.isChecked()
        self.model.show_touchpoint(self.selected_touchpoint if only else None)

    def _show_scope(self, *args: object) -> None:
        flt = self.state.filter
        shown = len(self.model.rows)
        self.scope.setText(
            f"{shown} shown" + ("" if flt.is_empty else
                                f" · {describe_filter(flt, self.editor.journey)}")
        )  # fmt: skip

    def _edit(self, obs_id: str, changes: dict[str, Any]) -> None:
        self.editor.update_observation(obs_id, **changes)

    def _capture(self, tp_id: str, fields: dict[str, Any]) -> None:
        method = fields.pop("method")
        try:
            self.editor.add_observation(tp_id, method, **fields)
        except ModelError as exc:
            self.capture.rejected(str(exc))
            return
        self.capture.accepted()

    def delete_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.observation_at(r).id for r in rows]
        self.editor.remove_observations(ids)
