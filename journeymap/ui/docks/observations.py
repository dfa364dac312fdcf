"""The Observations dock: a filterable, editable table and a quick-capture form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journeymap.model.analysis import describe_filter, select
from journeymap.model.collection import ADD, REMOVE, Change
from journeymap.model.entities import Observation
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import ModelError
from journeymap.textsafety import plain_tooltip
from journeymap.ui import photos, shortcuts
from journeymap.ui.docks.quickcapture import QuickCapture, parse_score
from journeymap.ui.docks.rowmodel import RowTableModel
from journeymap.ui.viewstate import FILTER, ViewState

#: How long the status bar shows that an observation was saved.
SAVED_MESSAGE_MS = 8000

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


class ObservationsDock(QWidget):
    """Table of observations (selected touch point or all) and quick capture."""

    #: A message for the window's status bar, and for how many milliseconds.
    status = Signal(str, int)

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
        # Photos: the current row's thumbnails; attach by button or by dropping
        # image files on a row (or on a card: the scene says which).
        self.photo_strip = photos.PhotoStrip()
        self.attach_button = QPushButton("Attach photos\u2026")
        self.attach_button.clicked.connect(lambda: self.attach_photos())
        self.capture.attach_button.clicked.connect(self._capture_photos)
        self.table.setAcceptDrops(True)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._show_photos)
        self.model.modelReset.connect(self._show_photos)
        self.model.dataChanged.connect(self._show_photos)
        editor.scene.photos_dropped.connect(self._dropped_on_card)

        left = QVBoxLayout()
        left.addLayout(filters)
        left.addWidget(self.table, 1)
        left.addWidget(self.photo_strip)
        buttons = QHBoxLayout()
        buttons.addWidget(self.attach_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(left, 3)
        layout.addWidget(self.capture, 2)
        self.selected_touchpoint: str | None = None
        self.journey: JourneyMap | None = None
        #: The observation quick capture saved last, while the window says so.
        self._saved: Observation | None = None
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
            self.capture.touchpoint_changed(change)
        elif change.kind == "observation" and change.record is self._saved:
            # The status bar offered to take it back: say what undo and redo did.
            journey, tp_id = self.editor.journey, change.record.touchpoint
            name = journey.touchpoint(tp_id).name if journey.has_touchpoint(tp_id) else tp_id
            done = {REMOVE: "Took back", ADD: "Put back"}.get(change.op)
            if done is not None:
                self.status.emit(
                    f"{done} the observation at {name}: {len(journey.observations)} in the map.",
                    SAVED_MESSAGE_MS,
                )

    def show_touchpoint(self, tp_id: str | None) -> None:
        self.selected_touchpoint = tp_id
        if tp_id is not None and self.editor.journey.has_touchpoint(tp_id):
            self.capture.set_touchpoint(self.editor.journey.touchpoint(tp_id).name)
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
        files = fields.pop("photo_files", [])
        try:
            if files:  # staged with the observation: one undo step
                fields["photos"] = self.editor.stage_photos(files)
            self._saved = self.editor.add_observation(tp_id, method, **fields)
        except ModelError as exc:
            self.capture.rejected(str(exc))
            return
        self.capture.accepted()
        journey = self.editor.journey
        here, total = len(journey.observations_for(tp_id)), len(journey.observations)
        undo = shortcuts.sequences(shortcuts.UNDO)[0].toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.status.emit(
            f"Saved an observation at {journey.touchpoint(tp_id).name}: {here} there, "
            f"{total} in the map. {undo} takes it back.",
            SAVED_MESSAGE_MS,
        )

    def delete_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.observation_at(r).id for r in rows]
        self.editor.remove_observations(ids)

    # ------------------------------------------------------------ photos

    def current_observation(self) -> Observation | None:
        index = self.table.currentIndex()
        return self.model.observation_at(index.row()) if index.isValid() else None

    def _show_photos(self, *args: object) -> None:
        obs = self.current_observation()
        self.attach_button.setEnabled(obs is not None)
        paths = [] if obs is None else obs.photos
        self.photo_strip.set_photos([(p, self.editor.photo_file(p)) for p in paths])

    def attach_photos(self, files: list | None = None, obs_id: str | None = None) -> list[str]:
        """Attach photos (asked for when not given) to the current row's observation."""
        if obs_id is None:
            obs = self.current_observation()
            if obs is None:
                return []
            obs_id = obs.id
        added = photos.attach(self, self.editor, obs_id, files)
        if added:
            self._show_photos()
            self.status.emit(f"Attached {len(added)} photo(s); saving copies them "
                             "beside the map.", SAVED_MESSAGE_MS)  # fmt: skip
        return added

    def _capture_photos(self) -> None:
        if photos.ensure_saved(self, self.editor):
            self.capture.set_photo_files(photos.ask_photo_files(self))

    def _dropped_on_card(self, tp_id: str, files: list) -> None:
        """Photos dropped on a card: the current row's observation if it is that
        card's, else the card's last observation."""
        obs = self.current_observation()
        if obs is None or obs.touchpoint != tp_id:
            own = self.editor.journey.observations_for(tp_id)
            obs = own[-1] if own else None
        if obs is None:
            self.status.emit("That card has no observation to attach photos to.",
                             SAVED_MESSAGE_MS)  # fmt: skip
            return
        self.attach_photos(files, obs.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Image files dragged over a row attach to its observation."""
        if watched is not self.table.viewport() or not isinstance(
            event, (QDragEnterEvent, QDragMoveEvent, QDropEvent)
        ):
            return super().eventFilter(watched, event)
        files = photos.image_files(event.mimeData())
        row = self.table.indexAt(event.position().toPoint()).row()
        if not files or (row < 0 and event.type() != QEvent.Type.DragEnter):
            event.ignore()
            return True
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            self.attach_photos(files, self.model.observation_at(row).id)
        return True
