"""Export the map canvas as PNG, SVG or PDF: the picture is the one the window draws."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from journeymap.fileio.atomic import atomic_output
from journeymap.model.analysis import ObservationFilter, describe_view
from journeymap.model.journey import JourneyMap
from journeymap.render.exporting import PICTURE_SUFFIXES
from journeymap.textsafety import xml_safe

MARGIN = 24.0
#: The largest PNG drawn, a side and in all: QImage refuses sides over 32,767
#: pixels, and 250 million pixels already take a gigabyte of memory to draw.
MAX_PNG_SIDE = 32_767
MAX_PNG_PIXELS = 250_000_000


def ensure_qt() -> None:
    """A QApplication to draw with; offscreen unless one already exists."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QApplication([])


def caption(journey: JourneyMap, flt: ObservationFilter | None) -> str:
    """The line under the legend: the filter, how much it keeps, the date."""
    return xml_safe(
        f"Showing {describe_view(journey, flt)} \u00b7 exported {dt.date.today().isoformat()}"
    )


def export_scene(journey: JourneyMap, flt: ObservationFilter | None = None):
    """A scene of the map for export: every card drawn fresh (no cached pixmaps)."""
    ensure_qt()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QGraphicsItem

    from journeymap.canvas.scene import MapScene

    scene = MapScene(journey)
    scene.set_filter(flt, caption(journey, flt))
    # The PNG chooses its own background (white or transparent).
    scene.setBackgroundBrush(Qt.BrushStyle.NoBrush)
    # Cached cards would be pasted into SVG and PDF as pictures, not text.
    for card in scene.cards.values():
        card.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    return scene


def export_map(
    journey: JourneyMap,
    path: str | os.PathLike[str],
    *,
    scale: float = 1.0,
    transparent: bool = False,
    flt: ObservationFilter | None = None,
) -> Path:
    """Write the map to ``path`` (.png, .svg or .pdf), atomically.

    Raises ``ValueError`` for an unknown suffix or scale, ``OSError`` when the
    file cannot be written (the target is then untouched).
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in PICTURE_SUFFIXES:
        raise ValueError(f"unknown picture format {suffix or '(no suffix)'}")
    if not 0.1 <= scale <= 8:
        raise ValueError(f"scale must be between 0.1 and 8, not {scale:g}")
    scene = export_scene(journey, flt)
    from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
    from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
    from PySide6.QtSvg import QSvgGenerator

    source = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    width, height = source.width(), source.height()
    # The title is metadata in every format (SVG <title>, PDF /Title, PNG text).
    title = xml_safe(journey.title)
    if suffix == ".png":
        check_png_size(width * scale, height * scale)
    with atomic_output(target) as tmp:
        painter = QPainter()
        if suffix == ".png":
            # Premultiplied alpha (or none) is QPainter's fast path; plain ARGB32
            # takes several times longer to draw into.
            image_format = (
                QImage.Format.Format_ARGB32_Premultiplied
                if transparent
                else QImage.Format.Format_RGB32
            )
            image = QImage(round(width * scale), round(height * scale), image_format)
            image.fill(Qt.GlobalColor.transparent if transparent else QColor("#ffffff"))
            image.setDotsPerMeterX(round(3780 * scale))
            image.setDotsPerMeterY(round(3780 * scale))
            painter.begin(image)
            painter.setRenderHints(
                QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
            )
            scene.render(painter, QRectF(0, 0, image.width(), image.height()), source)
            painter.end()
            # The caption travels in the file too (a PNG text chunk), for tools and tests.
            image.setText("Title", title)
            image.setText("Description", caption(journey, flt))
            # Light compression: a wall-sized map encodes several times faster, files
            # stay small because cards are flat colour.
            if not image.save(str(tmp), "PNG", 80):
                raise OSError(f"cannot write {target}")
        elif suffix == ".svg":
            generator = QSvgGenerator()
            generator.setFileName(str(tmp))
            generator.setSize(QSize(round(width), round(height)))
            generator.setViewBox(QRectF(0, 0, width, height))
            generator.setTitle(title)
            generator.setDescription(caption(journey, flt))
            painter.begin(generator)
            scene.render(painter, QRectF(0, 0, width, height), source)
            painter.end()
            _make_svg_xml_safe(tmp)
        else:
            writer = QPdfWriter(str(tmp))
            writer.setTitle(title)
            writer.setCreator("journeymap")
            writer.setResolution(72)
            writer.setPageSize(QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "map"))
            writer.setPageMargins(QMarginsF(0, 0, 0, 0))
            painter.begin(writer)
            scene.render(painter, QRectF(0, 0, width, height), source)
            painter.end()
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise OSError(f"cannot write {target}")
    scene.unbind()  # the map keeps no connection to a scene that is gone
    return target


class PictureTooLarge(ValueError):
    """A PNG too large to draw; vector formats have no such limit."""


def check_png_size(width: float, height: float) -> None:
    """Refuse a PNG of ``width`` x ``height`` pixels that cannot be drawn.

    Raises :class:`PictureTooLarge` (a ``ValueError``) naming the size and
    what to do instead.
    """
    w, h = round(width), round(height)
    if max(w, h) > MAX_PNG_SIDE or w * h > MAX_PNG_PIXELS:
        raise PictureTooLarge(
            f"the picture would be {w:,} x {h:,} pixels, over the limit of {MAX_PNG_SIDE:,} "
            f"a side and {MAX_PNG_PIXELS // 1_000_000:,} million pixels for a PNG; "
            "export SVG or PDF, use a smaller scale, or move far-away cards closer"
        )


def _make_svg_xml_safe(path: Path) -> None:
    """Replace any character XML forbids that reached the SVG (the canvas draws
    user text XML-safe already; this is the last line of defence, so the file
    always parses)."""
    data = path.read_bytes()
    safe = xml_safe(data.decode("utf-8", errors="replace")).encode("utf-8")
    if safe != data:
        path.write_bytes(safe)
