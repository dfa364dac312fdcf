"""One export dispatch for the command line and the window: the suffix picks the format.

Mermaid, CSV and GraphML are written without Qt; pictures are drawn by the
canvas on Qt's offscreen platform, imported only when a picture is asked for.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from journeymap.fileio.atomic import write_bytes_atomic
from journeymap.interop import graphml, mermaidwrite, observationtable
from journeymap.model.analysis import ObservationFilter
from journeymap.model.journey import JourneyMap

PICTURE_SUFFIXES = (".png", ".svg", ".pdf")
DATA_SUFFIXES = (".mmd", ".csv", ".graphml")
BUNDLE_SUFFIX = ".zip"
EXPORT_SUFFIXES = (*DATA_SUFFIXES, *PICTURE_SUFFIXES, BUNDLE_SUFFIX)


def require_folder(target: Path) -> None:
    """Refuse at once a target whose folder does not exist: drawing a picture or a
    report first would only end in an error (and Qt's warnings) at the rename."""
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"no folder {folder}", str(target))


def export_file(
    journey: JourneyMap,
    path: str | os.PathLike[str],
    flt: ObservationFilter | None = None,
    *,
    scale: float = 1.0,
    transparent: bool = False,
    paper: str | None = None,
    orientation: str | None = None,
    source: str | os.PathLike[str] | None = None,
    warnings: list[str] | None = None,
) -> Path:
    """Write ``journey`` to ``path`` in the format its suffix names, counting ``flt``'s
    observations only.  Atomic: on failure the target is as it was.

    ``paper`` (``a4``, ``letter``, ``a3``) and ``orientation`` (``portrait``,
    ``landscape``) fit a PDF map onto that paper; by default its page is the map's size.

    ``.zip`` writes a bundle: the map and its photos, found beside ``source``
    (the map file); a photo left out adds a line to ``warnings``.

    Raises ``ValueError`` for an unknown suffix or bad options, ``OSError`` when
    the file cannot be written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ValueError(
            f"unknown export format {suffix or '(no suffix)'}; "
            f"use one of {', '.join(EXPORT_SUFFIXES)}"
        )
    if transparent and suffix != ".png":
        raise ValueError("--transparent is for .png only")
    if (paper is not None or orientation is not None) and suffix != ".pdf":
        raise ValueError("--paper and --orientation are for .pdf only")
    require_folder(target)
    if suffix in PICTURE_SUFFIXES:
        from journeymap.render.mapimage import export_map

        return export_map(
            journey,
            target,
            scale=scale,
            transparent=transparent,
            flt=flt,
            paper=paper,
            orientation=orientation,
        )
    if suffix == BUNDLE_SUFFIX:
        from journeymap.fileio.bundle import write_bundle

        if flt is not None and not flt.is_empty:
            raise ValueError("a bundle holds the whole map: filters are not for .zip")

        left_out = write_bundle(journey, target, source)
        if warnings is not None:
            warnings.extend(left_out)
        return target
    if suffix == ".mmd":
        data = mermaidwrite.map_to_mermaid(journey, flt).encode("utf-8")
    elif suffix == ".csv":
        data = observationtable.observations_to_csv(journey, flt).encode("utf-8")
    else:
        data = graphml.graphml_bytes(journey, flt)
    write_bytes_atomic(target, data)
    return target
