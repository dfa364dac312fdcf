"""The debrief report: summary, map, widest gaps with the notes and quotes behind
them, stages and charts, as one self-contained HTML file or a PDF."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import tempfile
from pathlib import Path

from journeymap.fileio.atomic import atomic_output, write_bytes_atomic
from journeymap.model import palette
from journeymap.model.analysis import (
    ObservationFilter,
    describe_filter,
    select,
    stage_gaps,
    touchpoint_gaps,
)
from journeymap.model.journey import JourneyMap
from journeymap.textsafety import html_safe, xml_safe

TOP_GAPS = 10
NOTES_PER_GAP = 4
REPORT_SUFFIXES = (".html", ".htm", ".pdf")
# Attributes as well as CSS: Qt's rich text, which draws the PDF, reads only these.
TABLE = "<table width='100%' cellspacing='0' cellpadding='4'>"

STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; color: #111; max-width: 1100px;
       margin: 24px auto; line-height: 1.4; }
h1 { font-size: 22pt; margin-bottom: 4px; } h2 { font-size: 15pt; margin-top: 28px; }
.meta { color: #555; } table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #374151; color: #fff; } td.num { text-align: right; }
.gap { font-weight: bold; color: SHORTFALL; } .delight { font-weight: bold; color: DELIGHT; }
.evidence { font-size: 9pt; color: #333; }
blockquote { margin: 2px 0 2px 12px; font-style: italic; }
img { max-width: 100%; }
""".replace("SHORTFALL", palette.SHORTFALL).replace("DELIGHT", palette.DELIGHT)


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _e(text: object) -> str:
    """User text as HTML that shows it literally: escaped, and every character HTML
    or XML forbid (controls, non-characters) replaced by U+FFFD."""
    return html.escape(html_safe(str(text)), quote=True)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def report_images(journey: JourneyMap, flt: ObservationFilter | None) -> dict[str, bytes]:
    """PNG images of the report: the map and the three charts."""
    from journeymap.charts.journeycharts import CHART_KINDS, draw_chart
    from journeymap.render.mapimage import PictureTooLarge, export_map

    images = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.png"
        try:
            export_map(journey, path, flt=flt)
            images["map.png"] = path.read_bytes()
        except PictureTooLarge:  # cards placed very far apart: the report says so instead
            pass
    for kind in CHART_KINDS:
        images[f"chart-{kind}.png"] = _png(draw_chart(kind, journey, flt))
    return images


def report_html(
    journey: JourneyMap, flt: ObservationFilter | None, image_src: dict[str, str]
) -> str:
    """The report as HTML; ``image_src`` maps image names to their src attributes."""
    rows = touchpoint_gaps(journey, flt)
    scored = [r for r in rows if r.stats.gap is not None]
    stage_names = {s.id: s.name for s in journey.stages}
    s = journey.summary()
    scope = describe_filter(flt, journey)
    methods = sorted({o.method for o in journey.observations})
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(journey.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(journey.title)}</h1>",
        f"<p class='meta'>Debrief report \u00b7 {_e(scope)} \u00b7 "
        f"{dt.date.today().isoformat()}</p>",
        "<h2>Summary</h2>",
        f"<p>{s.stages} stages, {s.touchpoints} touch points, {s.transitions} transitions, "
        f"{s.observations} observations ({_e(', '.join(methods) or 'none')}), "
        f"{s.personas} personas.</p><ul>",
    ]
    for row in scored[:3]:
        st = row.stats
        parts.append(
            f"<li><b>{_e(row.name)}</b> ({_e(stage_names[row.stage])}): customers expected "
            f"{_fmt(st.expectation)} and met {_fmt(st.reality)}, a gap of "
            f"{_fmt(st.gap, True)} from {st.n} observation{'s' if st.n != 1 else ''}"
            f"{' (a moment of truth)' if row.critical else ''}.</li>"
        )
    if not scored:
        parts.append("<li>No touch point has both expectation and reality scores yet.</li>")
    parts += [
        "</ul>",
        "<h2>The map</h2>",
        f"<p><img src='{image_src['map.png']}' width='1000' alt='Journey map'></p>"
        if "map.png" in image_src
        else "<p class='meta'>The map is too large for a picture here; export it as SVG "
        "or PDF (journeymap export MAP -o map.svg).</p>",
        f"<h2>Widest gaps</h2>{TABLE}<tr><th>#</th><th>Touch point</th><th>Stage</th>"
        "<th>n</th><th>Expectation</th><th>Reality</th><th>Gap</th><th>Behind it</th></tr>",
    ]
    for rank, row in enumerate(scored[:TOP_GAPS], start=1):
        st = row.stats
        observations = [
            o for o in select(journey.observations_for(row.touchpoint), flt) if o.note or o.quote
        ]
        observations.sort(key=lambda o: -(o.gap if o.gap is not None else -99))
        evidence = []
        for o in observations[:NOTES_PER_GAP]:
            who = " \u00b7 ".join(_e(x) for x in (o.method, o.observer) if x)
            line = f"<div>{_e(o.note)} <span class='meta'>({who})</span></div>" if o.note else ""
            if o.quote:
                line += f"<blockquote>\u201c{_e(o.quote)}\u201d</blockquote>"
            evidence.append(line)
        css = "gap" if st.gap > 0 else "delight"
        star = " \u2605" if row.critical else ""
        parts.append(
            f"<tr><td class='num'>{rank}</td><td>{_e(row.name)}"
            f"{star}</td><td>{_e(stage_names[row.stage])}</td>"
            f"<td class='num'>{st.n}</td><td class='num'>{_fmt(st.expectation)}</td>"
            f"<td class='num'>{_fmt(st.reality)}</td><td class='num {css}'>"
            f"{_fmt(st.gap, True)}</td><td class='evidence'>{''.join(evidence)}</td></tr>"
        )
    parts.append(f"</table><h2>Stages</h2>{TABLE}<tr><th>Stage</th><th>Touch points</th>"
                 "<th>n</th><th>Expectation</th><th>Reality</th><th>Gap</th></tr>")  # fmt: skip
    for stage in stage_gaps(journey, flt):
        st = stage.stats
        parts.append(
            f"<tr><td>{_e(stage.name)}</td><td class='num'>{stage.touchpoints}</td>"
            f"<td class='num'>{st.n}</td><td class='num'>{_fmt(st.expectation)}</td>"
            f"<td class='num'>{_fmt(st.reality)}</td><td class='num'>{_fmt(st.gap, True)}</td></tr>"
        )
    parts.append("</table><h2>Charts</h2>")
    for kind, caption in (
        ("gaps", "Expectation against reality, in journey order"),
        ("emotion", "Emotion curve"),
        ("methods", "Service safari against shadowing: blind spots"),
    ):
        parts.append(
            f"<p><img src='{image_src[f'chart-{kind}.png']}' width='800' alt='{_e(caption)}'>"
            f"<br><span class='meta'>{_e(caption)}</span></p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(
    journey: JourneyMap, path: str | os.PathLike[str], flt: ObservationFilter | None = None
) -> Path:
    """Write ``report.html`` (one file, images embedded) or ``report.pdf`` (selectable text)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise ValueError(f"unknown report format {suffix or '(no suffix)'}; use .html or .pdf")
    images = report_images(journey, flt)
    if suffix in (".html", ".htm"):
        sources = {
            name: "data:image/png;base64," + base64.b64encode(data).decode("ascii")
            for name, data in images.items()
        }
        write_bytes_atomic(target, report_html(journey, flt, sources).encode("utf-8"))
        return target
    from PySide6.QtCore import QMarginsF, QSizeF, QUrl
    from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    document = QTextDocument()
    for name, data in images.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                             QImage.fromData(data))  # fmt: skip
    markup = report_html(journey, flt, {name: name for name in images})
    # QTextDocument lays out pixels at 96 dpi; narrower images fit an A4 page.
    markup = markup.replace("width='1000'", "width='680'").replace("width='800'", "width='600'")
    document.setHtml(markup)
    with atomic_output(target) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setTitle(xml_safe(journey.title))
        writer.setCreator("journeymap")
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
        # Lay the text out at screen resolution across the printable width.
        writer.setResolution(96)
        document.setPageSize(QSizeF(writer.width(), writer.height()))
        document.print_(writer)
    return target
