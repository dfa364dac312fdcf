"""The list of maps a crash left behind: the user picks which to restore.

The dialog only asks; :func:`journeymap.ui.recovery.settle` acts on the answer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymap.ui.recovery import DISCARD, RESTORE, Recoverable

KEY = Qt.ItemDataRole.UserRole


class RecoveryDialog(QDialog):
    """Checkable rows, one per recovered map.

    *Restore selected* restores the ticked rows, *Restore all* every row;
    *Discard selected* (after a confirmation) drops the ticked rows and
    leaves the dialog open for the rest; *Later* (or closing the dialog)
    decides nothing more: undecided maps are offered again at the next start.
    """

    def __init__(self, items: list[Recoverable], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.choice: dict[str, str] = {}
        self._items = {item.key: item for item in items}

        intro = QLabel(
            "journeymap closed without saving these maps. Tick the ones to restore: "
            "each opens in a window of its own.\n"
            "Maps you neither restore nor discard are kept and offered again next time."
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Map", "Title", "Autosaved"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for item in items:
            row = QTreeWidgetItem([item.name, item.title, item.saved_at[:16]])
            row.setData(0, KEY, item.key)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(0, Qt.CheckState.Checked)
            where = str(item.original) if item.original else "never saved"
            tip = f"{item.describe()}\n{where}\nRecovery file: {item.map_path}"
            for column in range(3):
                row.setToolTip(column, tip)
            self.list.addTopLevelItem(row)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(self._toggle)
        self.status = QLabel()

        buttons = QDialogButtonBox()
        self.restore_selected = QPushButton("Restore selected")
        self.restore_all = QPushButton("Restore all")
        self.discard_selected = QPushButton("Discard selected\u2026")
        self.later = QPushButton("Later")
        buttons.addButton(self.restore_selected, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.restore_all, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_selected, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_selected.setDefault(True)
        self.restore_selected.clicked.connect(lambda: self._restore(self.checked_keys()))
        self.restore_all.clicked.connect(lambda: self._restore(self.remaining_keys()))
        self.discard_selected.clicked.connect(self._discard)
        self.later.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(860, 190 + 24 * min(len(items), 12))
        self._update_buttons()

    def rows(self) -> list[QTreeWidgetItem]:
        return [self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount())]

    def remaining_keys(self) -> list[str]:
        return [row.data(0, KEY) for row in self.rows()]

    def checked_keys(self) -> list[str]:
        return [
            row.data(0, KEY) for row in self.rows() if row.checkState(0) == Qt.CheckState.Checked
        ]

    def _toggle(self, row: QTreeWidgetItem, column: int = 0) -> None:
        checked = row.checkState(0) == Qt.CheckState.Checked
        row.setCheckState(0, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _update_buttons(self, *_: object) -> None:
        ticked = len(self.checked_keys())
        self.restore_selected.setEnabled(ticked > 0)
        self.discard_selected.setEnabled(ticked > 0)
        self.restore_all.setEnabled(self.list.topLevelItemCount() > 0)
        dropped = sum(1 for v in self.choice.values() if v == DISCARD)
        self.status.setText(
            f"{dropped} map{'s' if dropped != 1 else ''} will be discarded." if dropped else ""
        )

    def _restore(self, keys: list[str]) -> None:
        self.choice.update(dict.fromkeys(keys, RESTORE))
        self.accept()

    def _discard(self) -> None:
        keys = self.checked_keys()
        names = "\n".join(self._items[k].describe() for k in keys)
        answer = QMessageBox.warning(
            self,
            "Discard unsaved work",
            f"Discard the unsaved work in {len(keys)} map{'s' if len(keys) != 1 else ''}? "
            f"It cannot be recovered afterwards.\n\n{names}",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        self.choice.update(dict.fromkeys(keys, DISCARD))
        for i in reversed(range(self.list.topLevelItemCount())):
            if self.list.topLevelItem(i).data(0, KEY) in keys:
                self.list.takeTopLevelItem(i)
        if self.list.topLevelItemCount() == 0:
            self.accept()
        else:
            self._update_buttons()


def ask_recovery(parent: QWidget | None, items: list[Recoverable]) -> dict[str, str]:
    """Key -> RESTORE or DISCARD for what the user decided; the rest waits."""
    dialog = RecoveryDialog(items, parent)
    dialog.exec()
    return dict(dialog.choice)
