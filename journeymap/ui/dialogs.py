"""Every question the window asks the user.  Logic calls these, never QMessageBox.

Tests replace these functions to answer for the user.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

MAP_FILTER = "Journey maps (*.journey.json *.json);;All files (*)"


def ask_save_changes(parent: QWidget, name: str) -> str:
    """'save', 'discard' or 'cancel'."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the name is the user's
    box.setText(f"Save the changes to {name}?")
    box.setInformativeText("Your changes will be lost if you don't save them.")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def ask_restore(parent: QWidget | None, description: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Recover unsaved work",
        f"journeymap closed without saving {description}.\nRestore the unsaved work?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_recovery(parent: QWidget | None, items: list) -> dict[str, str]:
    """The maps a crash left behind, as a list: key -> 'restore' or 'discard'.

    Keys not in the answer were left for later (kept on disk, offered again).
    """
    from journeymap.ui.recoverydialog import ask_recovery as ask

    return ask(parent, items)


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote names and values as typed
    box.setText(text)
    if details:
        box.setDetailedText(details)
        box.setInformativeText(details if len(details) < 600 else details[:600] + "…")
    box.exec()


OPEN_FILTER = (
    "Journey maps and bundles (*.journey.json *.json *.zip);;"
    "Journey maps (*.journey.json *.json);;Bundles: map and photos (*.zip);;All files (*)"
)


def open_path(parent: QWidget, folder: str = "") -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Open journey map", folder, OPEN_FILTER)
    return Path(name) if name else None


def bundle_folder(parent: QWidget, bundle: Path, default: Path) -> Path | None:
    """The folder to unpack a bundle (.zip) into: ``default`` (beside the zip),
    one the user picks, or None to cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Open bundle")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the names are the user's
    box.setText(f"{bundle.name} holds a map and its photos.\nUnpack it into {default}?")
    box.setInformativeText("The map opens from there; the zip is left as it is.")
    here = box.addButton("Unpack", QMessageBox.ButtonRole.AcceptRole)
    other = box.addButton("Choose Folder…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(here)
    box.exec()
    if box.clickedButton() is here:
        return default
    if box.clickedButton() is other:
        name = QFileDialog.getExistingDirectory(
            parent, "Unpack the bundle into", str(bundle.parent)
        )
        return Path(name) if name else None
    return None


def save_path(parent: QWidget, suggestion: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Save journey map", suggestion, MAP_FILTER)
    if not name:
        return None
    path = Path(name)
    if not path.name.endswith(".json"):
        path = path.with_name(path.name + ".journey.json")
    return path


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value.strip() if ok and value.strip() else None


def ask_choice(
    parent: QWidget, title: str, label: str, items: list[str], editable: bool = False
) -> str | None:
    value, ok = QInputDialog.getItem(parent, title, label, items, 0, editable)
    return value if ok and value else None


def about(parent: QWidget, text: str) -> None:
    QMessageBox.about(parent, "About journeymap", text)


TABLE_FILTER = "Observation tables (*.csv *.tsv *.txt *.xlsx);;All files (*)"
MERMAID_FILTER = "Mermaid journeys (*.mmd *.mermaid *.md *.markdown);;All files (*)"
EXPORT_FILTERS = {
    ".png": "PNG picture of the map (*.png)",
    ".svg": "SVG drawing of the map (*.svg)",
    ".pdf": "PDF of the map (*.pdf)",
    ".html": "Debrief report, one web page (*.html)",
    ".mmd": "Mermaid journey (*.mmd)",
    ".csv": "Observations as CSV (*.csv)",
    ".graphml": "Graph for Gephi or yEd (*.graphml)",
}


def import_path(parent: QWidget, title: str, name_filter: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", name_filter)
    return Path(name) if name else None


def export_path(parent: QWidget, suggestion: str, suffix: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, "Export", suggestion, f"{EXPORT_FILTERS[suffix]};;All files (*)"
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def review_import(parent: QWidget, table, journey) -> list | None:
    """Show the import dialog; the observations to add, or None if cancelled."""
    from journeymap.ui.importdialog import ImportObservationsDialog

    dialog = ImportObservationsDialog(table, journey, parent)
    if dialog.exec() == ImportObservationsDialog.DialogCode.Accepted and dialog.observations:
        return dialog.observations
    return None


def ask_export_scope(parent: QWidget, what: str, shown: str) -> str | None:
    """Export what the window shows ('shown') or every observation ('all'); None: cancel.

    ``shown`` describes the filter in force, e.g. "shadowing: 17 of 51 observations".
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Export")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"The map is showing {shown}.\nExport {what} with this filter?")
    box.setInformativeText("Or export with all observations instead.")
    filtered = box.addButton("Export what is shown", QMessageBox.ButtonRole.AcceptRole)
    everything = box.addButton("All observations", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(filtered)
    box.exec()
    clicked = box.clickedButton()
    if clicked is filtered:
        return "shown"
    if clicked is everything:
        return "all"
    return None
