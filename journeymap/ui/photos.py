"""Photos in the window: choosing them, thumbnails, and a viewer on double-click.

Where photos live: a map keeps its photos in ``<map name>.photos/`` beside its
file, so an untitled map is saved first (the window asks, and saves at once if
the user agrees); a photo attached to a saved map waits in the editor's list of
pending copies until the next save copies it there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QImageReader, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journeymap.fileio.photos import IMAGE_SUFFIXES, is_image
from journeymap.model.validation import ModelError

THUMB_PX = 72
VIEWER_PX = 900
IMAGE_FILTER = "Photos (" + " ".join(f"*{s}" for s in IMAGE_SUFFIXES) + ");;All files (*)"


# ---------------------------------------------------------------- questions
# Tests replace these two to answer for the user.


def ask_photo_files(parent: QWidget | None) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, "Attach photos", "", IMAGE_FILTER)
    return [Path(n) for n in names]


def ask_save_first(parent: QWidget | None) -> bool:
    answer = QMessageBox.question(
        parent,
        "Save the map first",
        "Photos are kept in a folder beside the map file, named after it, so the map "
        "must be saved before photos can be attached.\nSave the map now?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    return answer == QMessageBox.StandardButton.Save


def ensure_saved(parent: QWidget, editor) -> bool:
    """True when the map has a file; an untitled one is saved first if the user agrees."""
    if editor.path is not None:
        return True
    if not ask_save_first(parent):
        return False
    save: Callable[[], bool] | None = getattr(parent.window(), "save", None)
    return bool(save is not None and save() and editor.path is not None)


def image_files(mime: QMimeData) -> list[Path]:
    """The local image files a drag carries."""
    if not mime.hasUrls():
        return []
    files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [f for f in files if is_image(f)]


def attach(parent: QWidget, editor, obs_id: str, files: list[Path] | None = None) -> list[str]:
    """Attach photo files (asked for when not given) to an observation: one undo step."""
    if not ensure_saved(parent, editor):
        return []
    if files is None:
        files = ask_photo_files(parent)
    files = [Path(f) for f in files if Path(f).is_file()]
    if not files:
        return []
    try:
        return editor.attach_photos(obs_id, files)
    except ModelError as exc:
        from journeymap.ui import dialogs

        dialogs.show_error(parent, "Cannot attach photos", "The photos were not attached.",
                           str(exc))  # fmt: skip
        return []


def load_thumbnail(file: Path | None, size: int) -> QPixmap | None:
    """The picture scaled to fit ``size`` pixels, or None when it cannot be read."""
    if file is None or not file.is_file():
        return None
    reader = QImageReader(str(file))
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and max(full.width(), full.height()) > size:
        reader.setScaledSize(full.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else QPixmap.fromImage(image)


# ---------------------------------------------------------------- widgets


class Thumbnail(QLabel):
    """One photo, small; or the word "missing" and its path."""

    opened = Signal(str)

    def __init__(self, photo: str, file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.photo = photo
        self.file = file
        pixmap = load_thumbnail(file, THUMB_PX)
        self.missing = pixmap is None
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFixedSize(THUMB_PX + 6, THUMB_PX + 6)
        if pixmap is None:
            self.setText("missing\n" + Path(photo).name)
            self.setWordWrap(True)
            self.setStyleSheet("border: 1px dashed #b2182b; color: #b2182b; font-size: 9px")
            self.setToolTip(f"Missing photo: {photo}")
        else:
            self.setPixmap(pixmap)
            self.setStyleSheet("border: 1px solid #9ca3af")
            self.setToolTip(f"{photo}\nDouble-click to open")

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.opened.emit(self.photo)
        event.accept()


class PhotoStrip(QScrollArea):
    """A row of thumbnails; a double-click opens the photo in a viewer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFixedHeight(THUMB_PX + 30)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.thumbs: list[Thumbnail] = []
        self.viewer: PhotoViewer | None = None
        self._files: dict[str, Path | None] = {}
        self.set_photos([])

    def set_photos(self, photos: list[tuple[str, Path | None]]) -> None:
        """``photos``: each photo's path in the model and its file on disk (None: none)."""
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setContentsMargins(0, 0, 0, 0)
        self._files = dict(photos)
        self.thumbs = []
        for photo, file in self._files.items():
            thumb = Thumbnail(photo, file)
            thumb.opened.connect(self.open_photo)
            row.addWidget(thumb)
            self.thumbs.append(thumb)
        row.addStretch(1)
        self.setWidget(inner)
        # No photos, no strip: its height goes to the table (and the map above).
        self.setVisible(bool(self.thumbs))

    def open_photo(self, photo: str) -> None:
        self.viewer = PhotoViewer(photo, self._files.get(photo), self)
        self.viewer.show()


class PhotoViewer(QDialog):
    """One photo, as large as fits, with its path."""

    def __init__(self, photo: str, file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Photo: {Path(photo).name}")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setTextFormat(Qt.TextFormat.PlainText)
        pixmap = load_thumbnail(file, VIEWER_PX)
        self.missing = pixmap is None
        if pixmap is None:
            self.picture.setText(f"The photo file is missing:\n{photo}")
        else:
            self.picture.setPixmap(pixmap)
        caption = QLabel(photo)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(caption)
        layout.addWidget(buttons)
