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
#: Paper for ``export --paper``, portrait width x height in points (ISO and US sizes).
PAPER_SIZES = {"a4": (595.0, 842.0), "letter": (612.0, 792.0), "a3": (842.0, 1191.0)}
ORIENTATIONS = ("portrait", "landscape")
#: White space around a map fitted to paper: 12 mm, inside most printers' unprintable edge.
PAPER_MARGIN = 12 * 72 / 25.4
#: The probe that finds what the scene really paints is drawn at most this many pixels.
PROBE_PIXELS = 4_000_000
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


def painted_rect(scene):
    """The part of ``scene`` that is really painted, in scene coordinates.

    Items may claim more than they draw (the legend reserves a fixed width for
    its longest possible caption), so a margin taken from ``itemsBoundingRect``
    alone is wider on the right of a small map.  The scene is drawn once into a
    transparent probe image (downscaled for a huge map) and its non-blank
    pixels bound the picture.
    """
    import numpy as np
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter

    bounds = scene.itemsBoundingRect()
    if bounds.isEmpty():
        return bounds
    zoom = min(1.0, (PROBE_PIXELS / (bounds.width() * bounds.height())) ** 0.5)
    width, height = max(1, round(bounds.width() * zoom)), max(1, round(bounds.height() * zoom))
    probe = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    probe.fill(Qt.GlobalColor.transparent)
    painter = QPainter(probe)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, width, height), bounds)
    painter.end()
    alpha = probe.convertToFormat(QImage.Format.Format_Alpha8)
    pixels = np.frombuffer(alpha.constBits(), np.uint8).reshape(height, alpha.bytesPerLine())
    # Faint anti-aliasing fringes (alpha <= 8) are invisible on any background.
    inked = pixels[:, :width] > 8
    rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    if not len(rows):
        return bounds
    pixel = 1 / zoom
    return QRectF(
        bounds.left() + cols[0] * pixel,
        bounds.top() + rows[0] * pixel,
        (cols[-1] + 1 - cols[0]) * pixel,
        (rows[-1] + 1 - rows[0]) * pixel,
    ).intersected(bounds)


def paper_layout(
    width: float, height: float, paper: str | None, orientation: str | None
) -> tuple[tuple[float, float], tuple[float, float, float, float]]:
    """The page (points) and the rectangle on it the map is drawn into, for a map of
    ``width`` x ``height`` points.

    Without ``paper`` the page is the map's own size.  With one, the map keeps its
    aspect and is centred within :data:`PAPER_MARGIN`; the orientation defaults
    to landscape for a map wider than tall.
    """
    if paper is None:
        if orientation is not None:
            raise ValueError("--orientation needs --paper (a4, letter or a3)")
        return (width, height), (0.0, 0.0, width, height)
    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper {paper!r}; use one of {', '.join(PAPER_SIZES)}")
    if orientation is None:
        orientation = "landscape" if width > height else "portrait"
    if orientation not in ORIENTATIONS:
        raise ValueError(f"unknown orientation {orientation!r}; use portrait or landscape")
    short, long = PAPER_SIZES[paper]
    page_w, page_h = (long, short) if orientation == "landscape" else (short, long)
    room_w, room_h = page_w - 2 * PAPER_MARGIN, page_h - 2 * PAPER_MARGIN
    fit = min(room_w / width, room_h / height)
    drawn_w, drawn_h = width * fit, height * fit
    return (page_w, page_h), ((page_w - drawn_w) / 2, (page_h - drawn_h) / 2, drawn_w, drawn_h)


def export_map(
    journey: JourneyMap,
    path: str | os.PathLike[str],
    *,
    scale: float = 1.0,
    transparent: bool = False,
    flt: ObservationFilter | None = None,
    paper: str | None = None,
    orientation: str | None = None,
) -> Path:
    """Write the map to ``path`` (.png, .svg or .pdf), atomically.

    ``paper`` (``a4``, ``letter``, ``a3``) and ``orientation`` (``portrait``,
    ``landscape``) put a PDF on paper of that size, the map fitted and centred;
    without them the page is the map's own size.

    Raises ``ValueError`` for an unknown suffix, scale or paper, ``OSError`` when the
    file cannot be written (the target is then untouched).
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in PICTURE_SUFFIXES:
        raise ValueError(f"unknown picture format {suffix or '(no suffix)'}")
    if not 0.1 <= scale <= 8:
        raise ValueError(f"scale must be between 0.1 and 8, not {scale:g}")
    if (paper is not None or orientation is not None) and suffix != ".pdf":
        raise ValueError("--paper and --orientation are for .pdf only")
    scene = export_scene(journey, flt)
    from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
    from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
    from PySide6.QtSvg import QSvgGenerator

    # The same margin on every side of what is painted.
    source = painted_rect(scene).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    width, height = source.width(), source.height()
    (page_w, page_h), drawn = paper_layout(width, height, paper, orientation)
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
            # Device units as large as a scene unit on paper, so the map is drawn
            # unscaled: cards leave out their text when drawn smaller than 35 %
            # (unreadable on screen), but a PDF can be zoomed into.
            resolution = max(1, round(72 * width / drawn[2]))
            writer.setResolution(resolution)
            name = paper.upper() if paper else "map"
            writer.setPageSize(QPageSize(QSizeF(page_w, page_h), QPageSize.Unit.Point, name))
            writer.setPageMargins(QMarginsF(0, 0, 0, 0))
            painter.begin(writer)
            units = resolution / 72
            scene.render(painter, QRectF(*(v * units for v in drawn)), source)
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
