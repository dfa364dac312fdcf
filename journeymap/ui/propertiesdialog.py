"""Map ▸ Properties: the map's title, description, scale and personas.

The dialog edits a copy; OK hands everything to the editor, which makes it
one undo step (or refuses it whole, and the dialog stays open saying why).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymap.model.entities import SCORE_LIMIT, Scale
from journeymap.model.validation import ModelError
from journeymap.ui.document.editor import MapEditor

NAME, GOAL, USED = range(3)
_ID = Qt.ItemDataRole.UserRole
_READ_ONLY = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
REMOVAL_NOTE = (
    "Removing a persona also clears it from the observations that name it "
    "(the Used by column counts them). OK makes all of this one step: Undo brings it back."
)


class PropertiesDialog(QDialog):
    """Title, description, scale and the persona list of the editor's map."""

    def __init__(self, editor: MapEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        journey = editor.journey
        self.setWindowTitle("Map properties")
        self.title = QLineEdit(journey.title)
        self.description = QPlainTextEdit(journey.description)
        self.description.setPlaceholderText("What the map covers: service, place, fieldwork dates")
        self.description.setMaximumHeight(80)
        self.scale_min = self._score_box(journey.scale.min)
        self.scale_max = self._score_box(journey.scale.max)
        self._shown_scale = (self.scale_min.value(), self.scale_max.value())
        scale_row = QHBoxLayout()
        scale_row.addWidget(self.scale_min)
        scale_row.addWidget(QLabel("to"))
        scale_row.addWidget(self.scale_max)
        scale_row.addStretch(1)

        self.personas = QTableWidget(0, 3)
        self.personas.setHorizontalHeaderLabels(["Name", "Goal", "Used by"])
        self.personas.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.personas.verticalHeader().hide()
        header = self.personas.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(GOAL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(USED, QHeaderView.ResizeMode.ResizeToContents)
        self.personas.setColumnWidth(NAME, 200)
        for persona in journey.personas:
            self._add_row(persona.id, persona.name, persona.goal)
        self.add_button = QPushButton("&Add persona")
        self.remove_button = QPushButton("&Remove persona")
        self.add_button.clicked.connect(self.add_persona)
        self.remove_button.clicked.connect(self.remove_persona)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_button)
        buttons_row.addWidget(self.remove_button)
        buttons_row.addStretch(1)
        self.note = QLabel(REMOVAL_NOTE)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # model messages quote user text
        self.error.setStyleSheet("color: #b2182b")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Description", self.description)
        scale_label = QLabel("&Scale")
        scale_label.setBuddy(self.scale_min)
        form.addRow(scale_label, scale_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        personas_label = QLabel("<b>Personas</b> (double-click a name or goal to change it)")
        layout.addWidget(personas_label)
        layout.addWidget(self.personas, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, 520)

    @staticmethod
    def _score_box(value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(-SCORE_LIMIT, SCORE_LIMIT)
        box.setDecimals(2)
        box.setValue(value)
        return box

    # ----------------------------------------------------------- personas

    def _add_row(self, persona_id: str | None, name: str, goal: str) -> int:
        row = self.personas.rowCount()
        self.personas.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(_ID, persona_id)
        self.personas.setItem(row, NAME, name_item)
        self.personas.setItem(row, GOAL, QTableWidgetItem(goal))
        used = 0
        if persona_id is not None:
            used = sum(o.persona == persona_id for o in self.editor.journey.observations)
        used_item = QTableWidgetItem(f"{used} observation{'s' if used != 1 else ''}")
        used_item.setFlags(_READ_ONLY)
        self.personas.setItem(row, USED, used_item)
        return row

    def add_persona(self) -> None:
        """A new row, its name ready to type."""
        row = self._add_row(None, "New persona", "")
        self.personas.setCurrentCell(row, NAME)
        self.personas.editItem(self.personas.item(row, NAME))

    def remove_persona(self) -> None:
        rows = sorted({i.row() for i in self.personas.selectedIndexes()}, reverse=True)
        if not rows and self.personas.currentRow() >= 0:
            rows = [self.personas.currentRow()]
        for row in rows:
            self.personas.removeRow(row)

    def persona_rows(self) -> list[tuple[str | None, str, str]]:
        """(id or None for a new persona, name, goal) of every row, in order."""
        table = self.personas
        return [
            (
                table.item(row, NAME).data(_ID),
                table.item(row, NAME).text().strip(),
                table.item(row, GOAL).text().strip(),
            )
            for row in range(table.rowCount())
        ]

    def scale(self) -> Scale:
        """The scale the boxes show; a bound left alone keeps its exact value
        (the boxes round to two decimals) and the scale its unknown keys."""
        old = self.editor.journey.scale
        low, high = self.scale_min.value(), self.scale_max.value()
        low = old.min if low == self._shown_scale[0] else low
        high = old.max if high == self._shown_scale[1] else high
        return Scale(low, high, dict(old.extra))

    # ----------------------------------------------------------------- OK

    def accept(self) -> None:
        """Apply everything as one undo step; on a refusal stay open and say why."""
        self.personas.setCurrentItem(None)  # ends an edit still open in the table
        rows = self.persona_rows()
        unnamed = [i + 1 for i, (_, name, _) in enumerate(rows) if not name]
        if unnamed:
            self.error.setText(f"Persona {unnamed[0]} needs a name.")
            return
        try:
            self.editor.edit_properties(
                title=self.title.text().strip(),
                description=self.description.toPlainText().strip(),
                scale=self.scale(),
                personas=rows,
            )
        except ModelError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
