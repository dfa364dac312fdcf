"""Autosave to a recovery folder, and recovery after a crash.

Each window's :class:`Autosaver` writes ``<key>.journey.json`` and
``<key>.meta.json`` under a key of its own (process id and a random part,
so no two windows ever share one), and holds ``<key>.lock``, a
:class:`QLockFile`, while the files exist.  Qt writes the process id, the
program name and the host into the lock; a lock whose process is gone (or
whose process id now belongs to another program) is stale.

:func:`find_recoverable` offers only files whose lock it can take: those
of a live window are left alone.  Holding the lock while the user decides
also keeps a second program starting at the same moment from offering the
same work.  :func:`settle` then deletes exactly what was restored (once
its content is safe in a window) or discarded, and keeps the rest.

Nothing here draws a widget; the dialog in :mod:`journeymap.ui.recoverydialog`
only asks.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths

from journeymap.fileio.atomic import write_bytes_atomic
from journeymap.fileio.errors import JourneyFileError
from journeymap.fileio.jsonformat import dumps, load_map
from journeymap.model.journey import JourneyMap

MAP_SUFFIX = ".journey.json"
META_SUFFIX = ".meta.json"
LOCK_SUFFIX = ".lock"

#: What the user may decide for one recovered map; anything else means "later".
RESTORE = "restore"
DISCARD = "discard"


def recovery_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    folder = Path(base) / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _lock_file(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    # Never stale by age: a window keeps its lock for hours.  Only a dead
    # owner (Qt checks the pid and the program name behind it) makes it stale.
    lock.setStaleLockTime(0)
    return lock


def _key_of(path: Path, suffix: str) -> str:
    return path.name[: -len(suffix)]


def same_as_file(journey: JourneyMap, original: Path | None) -> bool:
    """True when ``journey`` is what ``original`` holds: saving would change nothing."""
    if original is None:
        return False
    try:
        text = original.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return False
    saved = dumps(journey)
    if text == saved:
        return True
    try:  # the same map, written by hand or by another program's layout
        return dumps(load_map(original)) == saved
    except JourneyFileError:
        return False


@dataclass(eq=False)
class Recoverable:
    """One recovered map, claimed (its lock held) until deleted or released."""

    key: str
    folder: Path
    original: Path | None
    saved_at: str
    title: str
    _lock: QLockFile | None = field(default=None, repr=False)

    @property
    def map_path(self) -> Path:
        return self.folder / f"{self.key}{MAP_SUFFIX}"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.key}{META_SUFFIX}"

    @property
    def lock_path(self) -> Path:
        return self.folder / f"{self.key}{LOCK_SUFFIX}"

    @property
    def name(self) -> str:
        return self.original.name if self.original else "Untitled map"

    def describe(self) -> str:
        """``library_visit.journey.json — 'Public library visit' — autosaved 2026-11-23 14:02``"""
        parts = [self.name]
        if self.title:
            parts.append(f"'{self.title}'")
        if self.saved_at:
            parts.append(f"autosaved {self.saved_at[:16]}")
        return " \u2014 ".join(parts)

    def delete(self) -> None:
        """Remove the recovery files for good (restored elsewhere, or discarded)."""
        for path in (self.map_path, self.meta_path):
            path.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        """Let go of the claim; the files stay to be offered another time."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


class Autosaver:
    """Writes one window's document to its own recovery file; removes it when safe."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self.key = f"{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.original: Path | None = None
        self._lock: QLockFile | None = None

    @property
    def folder(self) -> Path:
        return self._folder if self._folder is not None else recovery_folder()

    def bind(self, original: Path | None) -> None:
        """The document now belongs to ``original`` (or is untitled)."""
        self.discard()
        self.original = original

    @property
    def map_path(self) -> Path:
        return self.folder / f"{self.key}{MAP_SUFFIX}"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.key}{META_SUFFIX}"

    @property
    def lock_path(self) -> Path:
        return self.folder / f"{self.key}{LOCK_SUFFIX}"

    @property
    def locked(self) -> bool:
        return self._lock is not None

    def save(self, journey: JourneyMap) -> Path:
        # The lock comes first: a recovery file nobody holds is a dead window's.
        if self._lock is None:
            lock = _lock_file(self.lock_path)
            if lock.tryLock(0):
                self._lock = lock
        write_bytes_atomic(self.map_path, dumps(journey).encode("utf-8"))
        meta = {
            "original": str(self.original) if self.original else None,
            "title": journey.title,
            "saved_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "pid": os.getpid(),
        }
        write_bytes_atomic(self.meta_path, json.dumps(meta).encode("utf-8"))
        return self.map_path

    def discard(self) -> None:
        for path in (self.map_path, self.meta_path):
            path.unlink(missing_ok=True)
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def _read_meta(meta_path: Path, map_path: Path) -> tuple[Path | None, str, str]:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        original = Path(meta["original"]) if meta.get("original") else None
        return original, str(meta.get("saved_at") or ""), str(meta.get("title") or "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # No meta (a crash between the two writes) or a damaged one: the map still counts.
        try:
            stamp = dt.datetime.fromtimestamp(map_path.stat().st_mtime)
        except OSError:
            return None, "", ""
        return None, stamp.strftime("%Y-%m-%d %H:%M:%S"), ""


def find_recoverable(folder: Path | None = None) -> list[Recoverable]:
    """Every map left by a window that is no longer running, newest first.

    Each one is claimed (its lock held) until :meth:`Recoverable.delete` or
    :meth:`Recoverable.release`, or until it is garbage-collected.  Files of
    a running window, in this process or another, are neither returned nor
    touched.
    """
    folder = folder if folder is not None else recovery_folder()
    keys = {_key_of(p, MAP_SUFFIX) for p in folder.glob(f"*{MAP_SUFFIX}")}
    keys |= {_key_of(p, META_SUFFIX) for p in folder.glob(f"*{META_SUFFIX}")}
    keys |= {_key_of(p, LOCK_SUFFIX) for p in folder.glob(f"*{LOCK_SUFFIX}")}
    found = []
    for key in sorted(keys):
        lock = _lock_file(folder / f"{key}{LOCK_SUFFIX}")
        if not lock.tryLock(0):
            continue  # a live window's, or being offered by another start
        map_path = folder / f"{key}{MAP_SUFFIX}"
        meta_path = folder / f"{key}{META_SUFFIX}"
        if not map_path.exists():
            meta_path.unlink(missing_ok=True)  # its map is gone: nothing to offer
            lock.unlock()
            continue
        original, saved_at, title = _read_meta(meta_path, map_path)
        found.append(Recoverable(key, folder, original, saved_at, title, lock))
    found.sort(key=lambda r: r.saved_at, reverse=True)
    return found


@dataclass
class Outcome:
    """What :func:`settle` did with each recovered map."""

    restored: list[Recoverable] = field(default_factory=list)
    discarded: list[Recoverable] = field(default_factory=list)
    kept: list[Recoverable] = field(default_factory=list)


def settle(
    found: list[Recoverable],
    choice: Mapping[str, str],
    restore: Callable[[Recoverable], bool],
) -> Outcome:
    """Carry out the user's ``choice`` (key -> RESTORE or DISCARD; others: later).

    ``restore(item)`` puts the item's map in a window and answers whether its
    content is safe there (shown unmodified, or autosaved under the window's
    own key); only then is the recovery file deleted.  Discarded items are
    deleted; everything else stays on disk for the next start.
    """
    outcome = Outcome()
    for item in found:
        decision = choice.get(item.key)
        if decision == RESTORE and restore(item):
            item.delete()
            outcome.restored.append(item)
        elif decision == DISCARD:
            item.delete()
            outcome.discarded.append(item)
        else:
            item.release()
            outcome.kept.append(item)
    return outcome
