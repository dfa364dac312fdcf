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

from journeymap.model.entities import METHODS, Observation
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import ModelError
from journeymap.ui.docks.filtercombo import fill_filter_combo
from journeymap.ui.docks.rowmodel import RowTableModel

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
        on_edit: Callable[[str, dict[str, Any]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.journey = journey
        self.on_edit = on_edit
        self.rows: list[Observation] = []
        self.touchpoint: str | None = None
        self.method: str | None = None
        self.persona: str | None = None
        self.observer: str | None = None
        self._connect(journey)
        self.refresh()

    def _connect(self, journey: JourneyMap, connect: bool = True) -> None:
        for signal, slot in (
            (journey.observation_added, self._added),
            (journey.observation_removed, self._removed),
            (journey.observation_changed, self._changed),
            (journey.touchpoint_removed, self.refresh),
            (journey.persona_changed, self.refresh),
            (journey.touchpoint_changed, self._renamed),
        ):
            signal.connect(slot) if connect else signal.disconnect(slot)

    # Edits touch one row, not the table: a debrief map has thousands of rows.

    def _row_of(self, obs: Observation) -> int | None:
        for row in range(len(self.rows) - 1, -1, -1):
            if self.rows[row] is obs:
                return row
        return None

    def _added(self, obs: Observation, index: int) -> None:
        if not self.accepts(obs):
            return
        if index != len(self.journey.observations) - 1:
            self.refresh()  # put back in the middle (an undo): find its place
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(obs)
        self.endInsertRows()

    def _removed(self, obs: Observation, index: int) -> None:
        row = self._row_of(obs)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()

    def _changed(self, obs: Observation, fields: tuple) -> None:
        row = self._row_of(obs)
        if row is None or not self.accepts(obs):
            self.refresh()
            return
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _renamed(self, tp, fields: tuple) -> None:
        # Only the name shows here; a card being dragged changes nothing.
        if "name" in fields and self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def set_journey(self, journey: JourneyMap) -> None:
        self._connect(self.journey, connect=False)
        self.journey = journey
        self.touchpoint = None
        self._connect(journey)
        self.refresh()

    def set_filters(self, **filters: str | None) -> None:
        for key, value in filters.items():
            setattr(self, key, value)
        self.refresh()

    def accepts(self, o: Observation) -> bool:
        return (
            (self.touchpoint is None or o.touchpoint == self.touchpoint)
            and (self.method is None or o.method == self.method)
            and (self.persona is None or o.persona == self.persona)
            and (self.observer is None or o.observer == self.observer)
        )

    def refresh(self, *args: object) -> None:
        self.beginResetModel()
        source = (
            self.journey.observations_for(self.touchpoint)
            if self.touchpoint is not None
            else self.journey.observations
        )
        self.rows = [o for o in source if self.accepts(o)]
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
            return getattr(obs, key) or None
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

    def __init__(self, editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        journey = editor.journey
        self.model = ObservationTableModel(journey, self._edit, self)
        self.only_selected = QCheckBox("Selected touch point only")
        self.only_selected.setChecked(True)
        self.method = QComboBox()
        self.persona = QComboBox()
        self.observer = QComboBox()
        filters = QHBoxLayout()
        filters.addWidget(self.only_selected)
        for label, combo in (("Method", self.method), ("Persona", self.persona),
                             ("Observer", self.observer)):  # fmt: skip
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self._apply_filters)
        filters.addStretch(1)
        self.only_selected.toggled.connect(self._apply_filters)

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
        self._bind(journey)

    def _bind(self, journey: JourneyMap) -> None:
        for signal in (journey.touchpoint_added, journey.touchpoint_removed,
                       journey.touchpoint_changed):  # fmt: skip
            signal.connect(self.capture.refresh_names)
        journey.observation_added.connect(self._refresh_observers)
        self._fill_filters()

    def set_journey(self, journey: JourneyMap) -> None:
        self.model.set_journey(journey)
        self.capture.set_journey(journey)
        self.selected_touchpoint = None
        self._bind(journey)

    def _fill_filters(self) -> None:
        journey = self.editor.journey
        fill_filter_combo(self.method, "all methods", [(m, m) for m in METHODS])
        fill_filter_combo(self.persona, "all personas", [(p.name, p.id) for p in journey.personas])
        fill_filter_combo(self.observer, "all observers", [(o, o) for o in self._observers()])
        self._apply_filters()

    def _observers(self) -> list[str]:
        return sorted({o.observer for o in self.editor.journey.observations if o.observer})

    def _refresh_observers(self, *args: object) -> None:
        known = {self.observer.itemData(i) for i in range(1, self.observer.count())}
        for name in self._observers():
            if name not in known:
                self.observer.addItem(name, name)

    def show_touchpoint(self, tp_id: str | None) -> None:
        self.selected_touchpoint = tp_id
        if tp_id is not None and self.editor.journey.has_touchpoint(tp_id):
            self.capture.touchpoint.setText(self.editor.journey.touchpoint(tp_id).name)
        self._apply_filters()

    def _apply_filters(self, *args: object) -> None:
        self.model.set_filters(
            touchpoint=self.selected_touchpoint if self.only_selected.isChecked() else None,
            method=self.method.currentData(),
            persona=self.persona.currentData(),
            observer=self.observer.currentData(),
        )

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
