"""Photos beside a map: where they live, finding them, copying them on save.

An observation's photos are paths relative to the map file's folder
(``model.validation.photo_path_problem`` keeps them there).  Photos attached
in the window from elsewhere on disk are stored as ``<map name>.photos/<file>``
and wait, as *pending* copies (relative path -> absolute source), until the map
is saved; :func:`copy_photos` then copies them, each file atomically.  Save As
into another folder copies every photo the map refers to along, under the same
relative path.  A photo whose file is missing is skipped here and shown as
missing by the window and the report; it never fails a save or a command.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from journeymap.fileio.atomic import _copy_atomically
from journeymap.fileio.errors import MapSaveError, Problem
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import photo_path_problem

#: File suffixes taken as photos (dropped files, the file dialog's filter).
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff")
MAP_SUFFIXES = (".journey.json", ".json")


def is_image(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def photos_folder_name(map_path: str | os.PathLike[str]) -> str:
    """The photo folder of a map: ``library.journey.json`` -> ``library.photos``."""
    name = Path(map_path).name
    for suffix in MAP_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return f"{name}.photos"


def resolve_photo(
    photo: str,
    map_path: str | os.PathLike[str] | None,
    pending: Mapping[str, Path] | None = None,
) -> Path | None:
    """Where ``photo`` (a path in the model) is on disk now: a pending source,
    or relative to the map's folder; None when it cannot be anywhere (an unsafe
    path, or an untitled map)."""
    if pending and photo in pending:
        return Path(pending[photo])
    if map_path is None or photo_path_problem(photo) is not None:
        return None
    return Path(map_path).parent / PurePosixPath(photo.replace("\\", "/"))


def photo_exists(photo: str, map_path, pending: Mapping[str, Path] | None = None) -> bool:
    found = resolve_photo(photo, map_path, pending)
    return found is not None and found.is_file()


def missing_photos(
    journey: JourneyMap, map_path, pending: Mapping[str, Path] | None = None
) -> list[str]:
    """Every photo path of the map whose file is not there, once each, in file order."""
    seen: dict[str, None] = {}
    for obs in journey.observations:
        for photo in obs.photos:
            if photo not in seen and not photo_exists(photo, map_path, pending):
                seen[photo] = None
    return list(seen)


def relative_photo_path(
    source: str | os.PathLike[str],
    map_path: str | os.PathLike[str],
    taken: Iterable[str] = (),
) -> str:
    """The model's path for ``source`` attached to the map at ``map_path``.

    A file already inside the map's folder keeps its place; any other goes
    into the map's photo folder under its own name (``desk-2.jpg`` when that
    name is taken by another file or another attached photo)."""
    source = Path(source).resolve()
    folder = Path(map_path).resolve().parent
    try:
        inside = source.relative_to(folder).as_posix()
    except ValueError:
        inside = None
    if inside is not None and photo_path_problem(inside) is None:
        return inside
    used = set(taken)
    base = photos_folder_name(map_path)
    stem, suffix = source.stem, source.suffix
    candidate, number = f"{base}/{source.name}", 1
    while candidate in used or (folder / candidate).exists():
        number += 1
        candidate = f"{base}/{stem}-{number}{suffix}"
    return candidate


def copy_photos(
    journey: JourneyMap,
    old_map: str | os.PathLike[str] | None,
    new_map: str | os.PathLike[str],
    pending: Mapping[str, Path] | None = None,
) -> list[str]:
    """Copy the map's photos to where ``new_map`` expects them; returns those copied.

    Each photo comes from its pending source, or from beside ``old_map``; one
    that is already in place, or whose file is missing, is left alone.

    Raises
    ------
    MapSaveError
        When a photo cannot be written (the map itself is not saved then).
    """
    copied: list[str] = []
    target_folder = Path(new_map).resolve().parent
    for photo in dict.fromkeys(p for obs in journey.observations for p in obs.photos):
        source = resolve_photo(photo, old_map, pending)
        target = resolve_photo(photo, new_map)
        if source is None or target is None or not source.is_file():
            continue
        source = source.resolve()
        if source == target.resolve() or not target.resolve().is_relative_to(target_folder):
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy_atomically(source, target)
        except OSError as exc:
            raise MapSaveError(
                new_map, [Problem(f"photo {photo!r}", f"cannot copy: {exc.strerror or exc}")]
            ) from exc
        copied.append(photo)
    return copied
