"""The photos behind a gap, for the report: small embedded images, or the path
of a photo whose file is missing (which never fails the report)."""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path

from journeymap.fileio.photos import resolve_photo
from journeymap.model.analysis import ObservationFilter, select
from journeymap.model.journey import JourneyMap
from journeymap.textsafety import html_safe

#: Photos shown under each gap in the report.
PHOTOS_PER_GAP = 3
#: Embedded photos are at most this many pixels on their long side.
PHOTO_PX = 480
#: ... and shown this many CSS pixels on their long side.
PHOTO_SHOWN_PX = 100


def _e(text: str) -> str:
    return html.escape(html_safe(text), quote=True)


def photo_jpeg(file: Path, long_side: int = PHOTO_PX) -> tuple[bytes, int, int] | None:
    """The picture as JPEG bytes no larger than ``long_side``, and its size; None
    when the file cannot be read as a picture."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
    from PySide6.QtGui import QImageReader

    from journeymap.render.mapimage import ensure_qt

    ensure_qt()
    reader = QImageReader(str(file))
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and max(full.width(), full.height()) > long_side:
        reader.setScaledSize(
            full.scaled(QSize(long_side, long_side), Qt.AspectRatioMode.KeepAspectRatio)
        )
    image = reader.read()
    if image.isNull():
        return None
    if max(image.width(), image.height()) > long_side:  # a reader that cannot scale
        image = image.scaled(long_side, long_side, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)  # fmt: skip
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(image.Format.Format_RGB32).save(buffer, "JPEG", 85)
    buffer.close()
    return bytes(data.data()), image.width(), image.height()


def gap_photos(journey: JourneyMap, tp_id: str, flt: ObservationFilter | None) -> list[str]:
    """Every photo path of a touch point's observations (those the filter keeps),
    widest gap first, each once."""
    observations = list(select(journey.observations_for(tp_id), flt))
    observations.sort(key=lambda o: -(o.gap if o.gap is not None else -99))
    return list(dict.fromkeys(p for o in observations for p in o.photos))


def photos_html(
    journey: JourneyMap,
    tp_id: str,
    flt: ObservationFilter | None,
    map_path: str | os.PathLike[str] | None,
) -> str:
    """The photos behind one gap as HTML (``data:`` images), or ''; a missing
    photo is named by its path."""
    parts, missing, shown = [], [], 0
    # Up to PHOTOS_PER_GAP pictures that can be shown; every missing one is named
    # (a missing photo never takes a picture's place).
    for photo in gap_photos(journey, tp_id, flt):
        file = resolve_photo(photo, map_path)
        if file is None or not file.is_file():
            missing.append(photo)
            continue
        if shown == PHOTOS_PER_GAP:
            continue
        found = photo_jpeg(file)
        if found is None:
            missing.append(photo)
            continue
        shown += 1
        data, width, height = found
        shrink = PHOTO_SHOWN_PX / max(width, height)
        src = "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
        parts.append(
            f"<img src='{src}' width='{round(width * shrink)}' "
            f"height='{round(height * shrink)}' alt='{_e(photo)}' title='{_e(photo)}'> "
        )
    parts += [f"<div class='meta'>Missing photo: {_e(photo)}</div>" for photo in missing]
    return f"<div class='photos'>{''.join(parts)}</div>" if parts else ""
