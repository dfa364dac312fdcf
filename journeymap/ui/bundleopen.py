"""File ▸ Open of a bundle (.zip): unpack it into a folder the user confirms.

The checks are the command line's (:mod:`journeymap.fileio.bundle`): an
unsafe zip is refused as a whole, and nothing in the folder is overwritten.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import QWidget

from journeymap.fileio.bundle import load_bundle, unpack_bundle
from journeymap.fileio.errors import JourneyFileError
from journeymap.ui import dialogs


def default_folder(bundle: Path) -> Path:
    """Beside the zip, named after it and not yet taken: ``visit.zip`` -> ``visit/``,
    or ``visit-2/`` when ``visit/`` holds something (an earlier unpacking)."""
    stem = bundle.name[: -len(bundle.suffix)] or "bundle"
    folder, number = bundle.with_name(stem), 1
    while folder.exists() and any(folder.iterdir()):
        number += 1
        folder = bundle.with_name(f"{stem}-{number}")
    return folder


def unpack_for_window(parent: QWidget, bundle: Path) -> Path | None:
    """The map file unpacked from ``bundle``, or None (cancelled, or refused and reported)."""
    try:
        load_bundle(bundle)  # an unsafe or broken zip is refused before anything is asked
    except JourneyFileError as exc:
        _refused(parent, bundle, exc)
        return None
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
        _refused(parent, bundle, exc)
        return None


def _refused(parent: QWidget, bundle: Path, exc: JourneyFileError) -> None:
    count = len(exc.problems)
    dialogs.show_error(
        parent,
        "Cannot open bundle",
        f"{bundle.name} was not unpacked ({count} problem{'s' if count != 1 else ''}).",
        exc.message,
    )


def _remove_empty(folder: Path) -> None:
    for sub in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if sub.is_dir():
            sub.rmdir()
    folder.rmdir()
