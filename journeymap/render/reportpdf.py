"""The debrief report as a PDF, laid out page by page.

Printing the report's HTML with Qt's rich text alone cut the map at the right
edge, left headings alone at the foot of a page and printed a table's header
once.  Here each piece (the summary, a heading, one table row, a chart) is laid
out on its own and placed by hand: the map gets a page of its own, fitted and
drawn as vectors (its names stay text); a heading moves to the next page unless
what follows it fits too; a table row is never split unless it is taller than a
page, and every page a table continues on starts with its header.  Charts are
drawn at the width they print at, so their text is printed at the size it was set.
"""

from __future__ import annotations

import os
from pathlib import Path

from journeymap.model.analysis import ObservationFilter
from journeymap.model.journey import JourneyMap
from journeymap.render.report import (
    CHARTS,
    CSS_DPI,
    GAP_COLUMNS,
    PRINT_STYLE,
    STAGE_COLUMNS,
    TABLE,
    _e,
    _png,
    body_row,
    chart_figures,
    gap_rows,
    header_row,
    intro_html,
    stage_rows,
    where_to_act_html,
)
from journeymap.textsafety import xml_safe

PAGE_MARGIN_MM = 15.0
#: Charts are rasterised at this resolution: sharp on paper, a few hundred kB each.
CHART_DPI = 200
#: A heading keeps at least this much of what follows it on its page (CSS pixels).
KEEP_WITH_HEADING = 72.0
#: A split row leaves at least this much room at the foot of a page, or starts a new one.
LEAST_SLICE = 48.0
#: White space above a heading that follows a table or chart.
HEADING_SPACE = 14.0


class Pages:
    """A PDF filled from the top of each page down, in CSS pixels (96 an inch)."""

    def __init__(self, path: str | os.PathLike[str], title: str) -> None:
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

        self.writer = QPdfWriter(str(path))
        self.writer.setTitle(xml_safe(title))
        self.writer.setCreator("journeymap")
        # Qt's rich text lays out at 96 dpi: one CSS pixel is one device unit.
        self.writer.setResolution(CSS_DPI)
        self.writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        self.writer.setPageMargins(QMarginsF(*[PAGE_MARGIN_MM] * 4), QPageLayout.Unit.Millimeter)
        self.painter = QPainter(self.writer)
        self.y = 0.0
        self.blank = True

    @property
    def width(self) -> float:
        return float(self.writer.width())

    @property
    def height(self) -> float:
        return float(self.writer.height())

    def room(self) -> float:
        return self.height - self.y

    def new_page(self, landscape: bool = False) -> None:
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QPageLayout

        orientation = QPageLayout.Orientation
        self.writer.setPageOrientation(orientation.Landscape if landscape else orientation.Portrait)
        self.writer.newPage()
        # The painter keeps the first page's viewport; a turned page needs its own.
        page = QRect(0, 0, self.writer.width(), self.writer.height())
        self.painter.setViewport(page)
        self.painter.setWindow(page)
        self.y, self.blank = 0.0, True

    def space(self, height: float) -> None:
        """White space, unless at the top of a page (or too near its foot to matter)."""
        if not self.blank:
            self.y = min(self.height, self.y + height)

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` fits below what is already on this one."""
        if height > self.room() and not self.blank:
            self.new_page()

    def draw(self, doc, top: float = 0.0, height: float | None = None) -> None:
        """Draw ``doc`` (from its ``top`` down ``height`` pixels) here, and move down."""
        from PySide6.QtCore import QRectF

        height = doc.size().height() - top if height is None else height
        self.painter.save()
        self.painter.translate(0, self.y - top)
        doc.drawContents(self.painter, QRectF(0, top, doc.textWidth(), height))
        self.painter.restore()
        self.y += height
        self.blank = False

    def draw_split(self, doc, header=None) -> None:
        """Draw ``doc`` here, across as many pages as it takes, cut between lines of
        text; each page it continues on starts with ``header`` if one is given."""
        top, total = 0.0, doc.size().height()
        header_h = header.size().height() if header is not None else 0.0
        while True:
            if total - top <= self.room():
                self.draw(doc, top, total - top)
                return
            if self.room() >= LEAST_SLICE + header_h or self.blank:
                cut = cut_between_lines(doc, top, top + self.room())
                self.draw(doc, top, cut - top)
                top = cut
            self.new_page()
            if header is not None:
                self.draw(header)

    def finish(self) -> None:
        self.painter.end()


def rich(markup: str, width: float):
    """A QTextDocument of ``markup`` in the report's print style, ``width`` pixels wide."""
    from PySide6.QtGui import QFont, QTextDocument

    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    doc.setDefaultStyleSheet(PRINT_STYLE)
    doc.setHtml(f"<html><body>{markup}</body></html>")
    doc.setTextWidth(width)
    return doc


def cut_between_lines(doc, start: float, limit: float) -> float:
    """The lowest y in (``start``, ``limit``] that cuts no line of text in two
    (``limit`` itself if every such y would)."""
    layout = doc.documentLayout()
    spans = []
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        lines = block.layout()
        for i in range(lines.lineCount()):
            line = lines.lineAt(i)
            top = rect.top() + line.y()
            spans.append((top, top + line.height()))
        block = block.next()
    cuts = [
        bottom
        for _, bottom in spans
        if start < bottom <= limit and not any(t < bottom < b for t, b in spans)
    ]
    return max(cuts, default=limit)


def draw_map(pages: Pages, journey: JourneyMap, flt: ObservationFilter | None) -> None:
    """The map on a page of its own (landscape for a wide map), fitted and centred."""
    from PySide6.QtCore import QRectF

    from journeymap.render.mapimage import MARGIN, export_scene, painted_rect

    scene = export_scene(journey, flt)
    source = painted_rect(scene).adjusted(-MARGIN / 2, -MARGIN / 2, MARGIN / 2, MARGIN / 2)
    pages.new_page(landscape=source.width() > source.height())
    pages.draw(rich("<h2>The map</h2>", pages.width))
    fit = min(pages.width / source.width(), pages.room() / source.height())
    width, height = source.width() * fit, source.height() * fit
    target = QRectF((pages.width - width) / 2, pages.y, width, height)
    pages.painter.save()
    pages.painter.setClipRect(target)
    scene.render(pages.painter, target, source)
    pages.painter.restore()
    scene.unbind()
    pages.y += height
    pages.new_page()


def draw_table(pages: Pages, heading: str, columns, rows) -> None:
    """A heading and a table whose header starts every page it is on."""
    width = pages.width
    title = rich(f"<h2>{_e(heading)}</h2>", width)
    header = rich(f"{TABLE}{header_row(columns, widths=True)}</table>", width)
    docs = [rich(f"{TABLE}{body_row(columns, cells, widths=True)}</table>", width)
            for cells in rows]  # fmt: skip
    first = docs[0].size().height() if docs else 0.0
    pages.space(HEADING_SPACE)
    whole = title.size().height() + header.size().height() + sum(d.size().height() for d in docs)
    # A table that fits on one page is kept whole; a longer one keeps at least
    # its heading, header and the start of its first row together.
    head = title.size().height() + header.size().height() + min(first, KEEP_WITH_HEADING)
    pages.keep(whole if whole <= pages.height else head)
    pages.draw(title)
    pages.draw(header)
    header_h = header.size().height()
    for doc in docs:
        height = doc.size().height()
        # Rows share their borders: each starts on the line below the one before.
        pages.y -= 1
        if height > pages.room():
            if height > pages.height - header_h:
                pages.y += 1
                pages.draw_split(doc, header)
                continue
            pages.new_page()
            pages.draw(header)
            pages.y -= 1
        pages.draw(doc)


def draw_charts(pages: Pages, journey: JourneyMap, flt: ObservationFilter | None) -> None:
    """The charts at their own size (1 inch drawn is 1 inch printed), each with its caption."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage

    figures = chart_figures(journey, flt)
    title = rich("<h2>Charts</h2>", pages.width)
    for index, (kind, caption) in enumerate(CHARTS):
        figure = figures[kind]
        inches_w, inches_h = figure.get_size_inches()
        width, height = inches_w * CSS_DPI, inches_h * CSS_DPI
        if width > pages.width or height > pages.height - 40:  # never for the report's sizes
            shrink = min(pages.width / width, (pages.height - 40) / height)
            width, height = width * shrink, height * shrink
        label = rich(f"<p class='meta'>{_e(caption)}</p>", pages.width)
        needed = height + label.size().height() + 8
        if index == 0:
            pages.space(HEADING_SPACE)
            pages.keep(title.size().height() + needed)
            pages.draw(title)
        pages.keep(needed)
        image = QImage.fromData(_png(figure, CHART_DPI))
        pages.painter.drawImage(QRectF((pages.width - width) / 2, pages.y, width, height), image)
        pages.y += height
        pages.draw(label)
        pages.y += 8


def write_pdf_report(
    journey: JourneyMap,
    flt: ObservationFilter | None,
    path: str | os.PathLike[str],
    *,
    map_path: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the debrief report to ``path`` as an A4 PDF with selectable text."""
    from journeymap.render.mapimage import ensure_qt

    ensure_qt()
    pages = Pages(path, journey.title)
    try:
        intro = rich(intro_html(journey, flt), pages.width)
        pages.draw_split(intro)
        act = rich(where_to_act_html(journey, flt), pages.width)
        pages.space(HEADING_SPACE)
        pages.keep(min(act.size().height(), pages.height))
        pages.draw_split(act)
        draw_map(pages, journey, flt)
        draw_table(pages, "Widest gaps", GAP_COLUMNS, gap_rows(journey, flt, map_path))
        draw_table(pages, "Stages", STAGE_COLUMNS, stage_rows(journey, flt))
        draw_charts(pages, journey, flt)
        from journeymap.render.decisions import debrief_blocks, draw_blocks

        draw_blocks(pages, debrief_blocks(journey, flt))  # the decisions, when there are any
    finally:
        pages.finish()
    return Path(path)
