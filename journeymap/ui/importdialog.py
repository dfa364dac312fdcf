"""File ▸ Import Observations: preview, column mapping and problems before anything changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymap.interop.errors import ImportProblemError
from journeymap.interop.observationtable import observations_from_table
from journeymap.interop.tables import OBSERVATION_COLUMNS, Table
from journeymap.model.entities import Observation
from journeymap.model.journey import JourneyMap

PREVIEW_ROWS = 50
IGNORE = "(ignore)"


class ImportObservationsDialog(QDialog):
    """Shows the table as read, lets each column be mapped, lists every problem.

    Import is enabled only when every row is sound; :attr:`observations`
    then holds the records, which the window adds as one undo step.
    """

    def __init__(self, table: Table, journey: JourneyMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import observations from {table.source}")
        self.resize(980, 640)
        self.table = table
        self.journey = journey
        self.observations: list[Observation] = []

        mapping_box = QGroupBox("Columns")
        grid = QGridLayout(mapping_box)
        self.mapping: list[QComboBox] = []
        for i, header in enumerate(table.header):
            combo = QComboBox()
            combo.addItem(IGNORE)
            combo.addItems(list(OBSERVATION_COLUMNS))
            combo.setCurrentText(table.positions.get(i, IGNORE))
            combo.currentIndexChanged.connect(self.check)
            label = QLabel(header or f"(column {i + 1})")
            label.setTextFormat(Qt.TextFormat.PlainText)  # a header is the file's text
            grid.addWidget(label, i // 4, (i % 4) * 2)
            grid.addWidget(combo, i // 4, (i % 4) * 2 + 1)
            self.mapping.append(combo)

        self.preview = QTableWidget(min(PREVIEW_ROWS, len(table.rows)), len(table.header))
        self.preview.setHorizontalHeaderLabels(table.header)
        self.preview.setVerticalHeaderLabels([str(r.line) for r in table.rows[:PREVIEW_ROWS]])
        for r, row in enumerate(table.rows[:PREVIEW_ROWS]):
            for c, value in enumerate(row.raw[: len(table.header)]):
                self.preview.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))

        self.summary = QLabel()
        self.problems = QListWidget()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(mapping_box)
        layout.addWidget(QLabel(f"Preview (first {PREVIEW_ROWS} rows; line numbers of the file)"))
        layout.addWidget(self.preview, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)
        self.check()

    def current_mapping(self) -> dict[int, str]:
        return {i: c.currentText() for i, c in enumerate(self.mapping) if c.currentText() != IGNORE}

    def check(self, *args: object) -> None:
        """Re-read every row with the current mapping; nothing changes in the map."""
        self.problems.clear()
        self.observations = []
        try:
            table = self.table.remapped(self.current_mapping())
            self.observations = observations_from_table(table, self.journey)
        except ImportProblemError as exc:
            self.problems.addItems(str(exc).splitlines())
            self.summary.setText(
                f"{exc.total:,} problem(s): fix the file or the column mapping. "
                "Nothing is imported while any row is wrong."
            )
        else:
            ignored = len(table.unknown)
            self.summary.setText(
                f"{len(self.observations)} observations ready to import"
                + (f"; {ignored} column(s) ignored" if ignored else "")
            )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.observations))
