"""File ▸ Open of a bundle (.zip): unpack it into a folder the user confirms.

The checks are the command line's (:mod:`journeymap.fileio.bundle`): an
unsafe zip is refused as a whole, and nothing in the folder is overwritten.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import QWidget

from journeymap.fileio.bundle import unpack_bundle
from journeymap.fileio.errors import JourneyFileError
from journeymap.ui import dialogs


def default_folder(bundle: Path) -> Path:
    """Beside the zip, named after it: ``visit.zip`` -> ``visit/``."""
    return bundle.with_name(bundle.name[: -len(bundle.suffix)] or "bundle")


def unpack_for_window(parent: QWidget, bundle: Path) -> Path | None:
    """The map file unpacked from ``bundle``, or None (cancelled, or refused and reported)."""
    folder = dialogs.bundle_folder(parent, bundle, default_folder(bundle))
    if folder is None:
        return None
    made = not folder.exists()
    try:
        return unpack_bundle(bundle, folder)
    except JourneyFileError as exc:
        if made:  # a folder we made for nothing goes again
            with contextlib.suppress(OSError):
                _remove_empty(folder)
        dialogs.show_error(
            parent,
            "Cannot open bundle",
            f"{bundle.name} was not unpacked ({len(exc.problems)} problem"
            f"{'s' if len(exc.problems) != 1 else ''}).",
            exc.message,
        )
        return None


def _remove_empty(folder: Path) -> None:
    for sub in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if sub.is_dir():
            sub.rmdir()
    folder.rmdir()
