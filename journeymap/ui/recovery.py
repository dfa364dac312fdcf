"""Autosave to a recovery folder, and recovery after a crash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from journeymap.fileio.atomic import write_bytes_atomic
from journeymap.fileio.jsonformat import dumps
from journeymap.model.journey import JourneyMap


def recovery_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    folder = Path(base) / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Recoverable:
    map_path: Path
    meta_path: Path
    original: Path | None
    saved_at: str

    def describe(self) -> str:
        name = self.original.name if self.original else "an untitled map"
        return f"{name} (autosaved {self.saved_at})"


class Autosaver:
    """Writes the open document to one recovery file; removes it when safe."""

    def __init__(self) -> None:
        self.key = f"untitled-{os.getpid()}"

    def bind(self, original: Path | None) -> None:
        """The document now belongs to ``original`` (or is untitled)."""
        self.discard()
        if original is None:
            self.key = f"untitled-{os.getpid()}"
        else:
            digest = hashlib.sha1(str(original.resolve()).encode("utf-8")).hexdigest()[:12]
            self.key = f"{original.name.split('.')[0]}-{digest}"
        self.original = original

    original: Path | None = None

    @property
    def map_path(self) -> Path:
        return recovery_folder() / f"{self.key}.journey.json"

    @property
    def meta_path(self) -> Path:
        return recovery_folder() / f"{self.key}.meta.json"

    def save(self, journey: JourneyMap) -> Path:
        write_bytes_atomic(self.map_path, dumps(journey).encode("utf-8"))
        meta = {
            "original": str(self.original) if self.original else None,
            "saved_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        }
        write_bytes_atomic(self.meta_path, json.dumps(meta).encode("utf-8"))
        return self.map_path

    def discard(self) -> None:
        for path in (self.map_path, self.meta_path):
            path.unlink(missing_ok=True)


def find_recoverable() -> list[Recoverable]:
    found = []
    for meta_path in sorted(recovery_folder().glob("*.meta.json")):
        map_path = meta_path.with_name(meta_path.name.replace(".meta.json", ".journey.json"))
        if not map_path.exists():
            meta_path.unlink(missing_ok=True)
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            original = Path(meta["original"]) if meta.get("original") else None
            saved_at = str(meta.get("saved_at", ""))
        except (OSError, ValueError, KeyError, TypeError):
            original, saved_at = None, ""
        found.append(Recoverable(map_path, meta_path, original, saved_at))
    return found
