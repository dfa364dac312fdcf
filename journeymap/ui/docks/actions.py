"""The Actions dock: what to do about a gap, at the selected card or everywhere.

Three tabs, one per kind of decision: actions (start, stop, continue,
improve, with owner, due date and status), stoplight rules (with their
intent) and Service Matrix ideas.  With one card selected they list that
touch point's records, else all of them.  Cells edit in place (choices from
a list); Add, Delete and the status buttons each run one undo step through
the editor's generic ``add``/``update``/``remove``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from journeymap.model.collection import UPDATE, Change
from journeymap.model.entities import (
    ACTION_KINDS,
    ACTION_STATUSES,
    IDEA_LEVELS,
    IDEA_SCOPES,
    RULE_COLORS,
    Action,
    Idea,
    Rule,
)
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import ModelError
from journeymap.textsafety import plain_tooltip
from journeymap.ui.docks.rowmodel import RowTableModel

if TYPE_CHECKING:
    from journeymap.ui.mainwindow import MainWindow

#: Per kind: its tab title, and its columns as (field, heading, choices or None).
KIND_COLUMNS: dict[str, tuple[str, tuple[tuple[str, str, tuple[str, ...] | None], ...]]] = {
    "action": ("Actions", (
        ("touchpoint", "Touch point", None),
        ("kind", "Kind", ACTION_KINDS),
        ("text", "Action", None),
        ("owner", "Owner", None),
        ("due", "Due", None),
        ("status", "Status", ACTION_STATUSES),
    )),
    "rule": ("Rules", (
        ("touchpoint", "Touch point", None),
        ("color", "Colour", RULE_COLORS),
        ("text", "Rule", None),
        ("intent", "Intent", None),
    )),
    "idea": ("Ideas", (
        ("touchpoint", "Touch point", None),
        ("level", "Level", IDEA_LEVELS),
        ("scope", "Scope", IDEA_SCOPES),
        ("text", "Idea", None),
    )),
}  # fmt: skip
LABELS = {"action": "action", "rule": "rule", "idea": "idea"}
#: The whole map, for rules and ideas without a touch point.
WHOLE_MAP = "(whole map)"
RULE_FILLS = {"red": "#fecaca", "yellow": "#fef08a", "green": "#bbf7d0"}


def new_record(journey: JourneyMap, kind: str, tp_id: str | None) -> Action | Rule | Idea:
    """A new record of ``kind`` at ``tp_id`` (None: the whole map), for the user to fill in."""
    if kind == "action":
        if tp_id is None:
            raise ModelError("select one card: an action belongs to a touch point")
        return Action(journey.new_id("a-"), tp_id, "improve", "New action")
    if kind == "rule":
        return Rule(journey.new_id("r-"), tp_id, "yellow", "New rule")
    return Idea(journey.new_id("i-"), tp_id, "New idea", "standard", "individual")


class DecisionTableModel(RowTableModel):
    """The records of one kind (of one touch point, or all), in file order."""

    def __init__(
        self,
        kind: str,
        on_edit: Callable[[str, str, dict[str, Any]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.columns = KIND_COLUMNS[kind][1]
        self.headings = tuple(title for _, title, _ in self.columns)
        self.on_edit = on_edit
        self.journey: JourneyMap | None = None
        self.touchpoint: str | None = None
        self.rows: list[Any] = []

    def show(self, journey: JourneyMap, tp_id: str | None) -> None:
        self.beginResetModel()
        self.journey, self.touchpoint = journey, tp_id
        records = journey.collection(self.kind).items()
        self.rows = [r for r in records if tp_id is None or r.touchpoint == tp_id]
        self.endResetModel()

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.columns[index.column()][0] == "touchpoint":
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def choices(self, column: int) -> tuple[str, ...] | None:
        return self.columns[column][2]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        key = self.columns[index.column()][0]
        value = getattr(record, key)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key == "touchpoint":
                if value is None:
                    return WHOLE_MAP
                assert self.journey is not None
                return (
                    self.journey.touchpoint(value).name
                    if self.journey.has_touchpoint(value)
                    else value
                )
            if key == "due":
                return "" if value is None else value.isoformat()
            return value
        if role == Qt.ItemDataRole.BackgroundRole and key == "color":
            return RULE_FILLS.get(value)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("text", "intent") and value:
            return plain_tooltip(value)
        if role == Qt.ItemDataRole.UserRole:
            return record.id
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        record = self.rows[index.row()]
        key = self.columns[index.column()][0]
        text = str(value).strip()
        try:
            new: Any = text
            if key == "due":
                new = dt.date.fromisoformat(text) if text else None
            self.on_edit(record.id, f"Edit {LABELS[self.kind]}", {key: new})
        except (ValueError, ModelError):
            return False
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A list to choose from in the columns that have choices."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        choices = index.model().choices(index.column())
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(list(choices))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class ActionsDock(QWidget):
    """Actions, rules and ideas of the selected card (or all); every edit undoable."""

    def __init__(self, editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.journey: JourneyMap | None = None
        #: The single selected card, or None: every record shows.
        self.touchpoint: str | None = None
        self.scope = QLabel()
        self.scope.setTextFormat(Qt.TextFormat.PlainText)
        self.tabs = QTabWidget()
        self.models: dict[str, DecisionTableModel] = {}
        self.tables: dict[str, QTableView] = {}
        self.delegate = ChoiceDelegate(self)
        for kind, (title, columns) in KIND_COLUMNS.items():
            model = DecisionTableModel(kind, self._edit_for(kind), self)
            table = QTableView()
            table.setModel(model)
            table.setItemDelegate(self.delegate)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().hide()
            table.setWordWrap(False)
            table.setAlternatingRowColors(True)
            text_column = [f for f, _, _ in columns].index("text")
            table.horizontalHeader().setSectionResizeMode(
                text_column, QHeaderView.ResizeMode.Stretch
            )
            self.models[kind], self.tables[kind] = model, table
            self.tabs.addTab(table, title)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(lambda: self.add_record())
        self.delete_button = QPushButton("Delete selected")
        self.delete_button.clicked.connect(self.delete_selected)
        self.status_combo = QComboBox()
        self.status_combo.addItems(list(ACTION_STATUSES))
        self.status_button = QPushButton("Set status")
        self.status_button.clicked.connect(lambda: self.set_status(self.status_combo.currentText()))
        self.tabs.currentChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.status_combo)
        buttons.addWidget(self.status_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.scope)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.follow_editor()

    # ------------------------------------------------------------ following

    def follow_editor(self) -> None:
        """Bind to the editor's map (again, after New or Open)."""
        if self.journey is not None:
            self.journey.changed.disconnect(self._map_changed)
        self.journey = self.editor.journey
        self.journey.changed.connect(self._map_changed)
        self.touchpoint = None
        self.refresh()

    def show_touchpoint(self, tp_id: str | None) -> None:
        """One selected card's records (the window says which), or None: all."""
        self.touchpoint = tp_id
        self.refresh()

    def _map_changed(self, change: Change) -> None:
        if change.kind in self.models or (
            change.kind == "touchpoint" and (change.op != UPDATE or "name" in change.fields)
        ):
            self.refresh()

    def refresh(self) -> None:
        journey = self.journey
        assert journey is not None
        if self.touchpoint is not None and not journey.has_touchpoint(self.touchpoint):
            self.touchpoint = None
        for model in self.models.values():
            model.show(journey, self.touchpoint)
        where = (
            f"At {journey.touchpoint(self.touchpoint).name}"
            if self.touchpoint is not None
            else "The whole map (select one card for its own)"
        )
        counts = ", ".join(f"{len(m.rows)} {m.kind}s" for m in self.models.values())
        self.scope.setText(f"{where}: {counts}")
        self._update_buttons()

    def current_kind(self) -> str:
        return list(self.models)[self.tabs.currentIndex()]

    def _update_buttons(self, *args: object) -> None:
        kind = self.current_kind()
        self.add_button.setText(f"Add {LABELS[kind]}")
        self.add_button.setEnabled(kind != "action" or self.touchpoint is not None)
        self.add_button.setToolTip(
            "Select one card to add an action to it"
            if kind == "action" and self.touchpoint is None
            else ""
        )
        for widget in (self.status_combo, self.status_button):
            widget.setVisible(kind == "action")

    # -------------------------------------------------------------- editing

    def _edit_for(self, kind: str) -> Callable[[str, str, dict[str, Any]], None]:
        def edit(key: str, text: str, changes: dict[str, Any]) -> None:
            self.editor.update(kind, key, changes, text)

        return edit

    def add_record(self, kind: str | None = None) -> Any:
        """A new record of ``kind`` (the current tab's) at the selected card, one undo step."""
        kind = kind or self.current_kind()
        journey = self.editor.journey
        record = new_record(journey, kind, self.touchpoint)
        where = "the map" if self.touchpoint is None else journey.touchpoint(self.touchpoint).name
        self.editor.add(kind, record, None, f"Add {LABELS[kind]} at {where}")
        self.tabs.setCurrentIndex(list(self.models).index(kind))
        model, table = self.models[kind], self.tables[kind]
        if record in model.rows:
            row = model.rows.index(record)
            text_column = [f for f, _, _ in model.columns].index("text")
            table.setCurrentIndex(model.index(row, text_column))
        return record

    def selected_ids(self, kind: str | None = None) -> list[str]:
        kind = kind or self.current_kind()
        rows = sorted({i.row() for i in self.tables[kind].selectionModel().selectedRows()})
        return [self.models[kind].rows[r].id for r in rows]

    def set_status(self, status: str) -> None:
        """The selected actions' status, as one undo step."""
        ids = [i for i in self.selected_ids("action")
               if self.editor.journey.collection("action").get(i).status != status]  # fmt: skip
        if not ids:
            return
        self.editor.undo_stack.beginMacro(f"Mark {len(ids)} action(s) {status}")
        try:
            for action_id in ids:
                self.editor.update("action", action_id, {"status": status})
        finally:
            self.editor.undo_stack.endMacro()

    def delete_selected(self) -> None:
        kind = self.current_kind()
        ids = self.selected_ids(kind)
        if not ids:
            return
        self.editor.undo_stack.beginMacro(
            f"Delete {LABELS[kind]}" if len(ids) == 1 else f"Delete {len(ids)} {kind}s"
        )
        try:
            for key in ids:
                self.editor.remove(kind, key)
        finally:
            self.editor.undo_stack.endMacro()


def install_actions_dock(w: MainWindow) -> ActionsDock:
    """The Actions dock in ``w``, tabbed behind the Observations dock."""
    widget = ActionsDock(w.editor)
    dock = QDockWidget("Actions", w)
    dock.setObjectName("dock-actions")
    dock.setWidget(widget)
    w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    w.docks["actions"] = dock
    w.tabifyDockWidget(w.docks["observations"], dock)
    w.docks["observations"].raise_()
    w.editor.journey_replaced.connect(widget.follow_editor)
    return widget
