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
    statistics,
    touchpoint_gaps,
)
from journeymap.model.comparisons import blind_spot_margin, blind_spot_rows
from journeymap.model.evidencetext import (
    evidence_words,
    gap_sentence,
    interval_words,
    weak_warning,
)
from journeymap.model.journey import JourneyMap
from journeymap.render.exporting import require_folder
from journeymap.textsafety import html_safe

TOP_GAPS = 10
NOTES_PER_GAP = 4
REPORT_SUFFIXES = (".html", ".htm", ".pdf")
# Attributes as well as CSS: Qt's rich text, which draws the PDF, reads only these.
TABLE = "<table width='100%' cellspacing='0' cellpadding='4'>"
#: Charts are drawn this many inches wide, within the text width of an A4 page with
#: 15 mm margins (7.09 in), so the PDF prints them at their own size: 8 pt stays 8 pt.
CHART_WIDTH_IN = 7.0
#: Pixels per inch of a CSS pixel and of Qt's rich-text layout.
CSS_DPI = 96
CHARTS = (
    ("gaps", "Expectation against reality, in journey order"),
    ("emotion", "Emotion curve"),
    ("methods", "Service safari against shadowing: blind spots"),
)
#: The report's two tables: heading, and per column its title, share of the page
#: width (the PDF lays each row out on its own, so the columns must agree) and CSS class.
GAP_COLUMNS = (("#", 4, "num"), ("Touch point", 15, ""), ("Stage", 9, ""), ("n", 4, "num"),
               ("Expectation", 14, "num"), ("Reality", 10, "num"), ("Gap", 9, "num"),
               ("Behind it", 35, "evidence"))  # fmt: skip
STAGE_COLUMNS = (("Stage", 30, ""), ("Touch points", 16, "num"), ("n", 8, "num"),
                 ("Expectation", 16, "num"), ("Reality", 15, "num"),
                 ("Gap", 15, "num"))  # fmt: skip

# Rich text for Qt (the PDF): the fonts and colours of STYLE without the page layout.
PRINT_STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9pt; color: #111; }
h1 { font-size: 20pt; margin-bottom: 4px; } h2 { font-size: 14pt; margin-top: 6px; }
.meta { color: #555; }
th, td { border: 1px solid #ccc; padding: 4px; text-align: left; vertical-align: top; }
th { background-color: #374151; color: #ffffff; font-size: 8.5pt; }
.gap { font-weight: bold; color: SHORTFALL; } .delight { font-weight: bold; color: DELIGHT; }
.evidence { font-size: 8.5pt; color: #333; }
blockquote { margin-left: 12px; font-style: italic; }
""".replace("SHORTFALL", palette.SHORTFALL).replace("DELIGHT", palette.DELIGHT)

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
img { max-width: 100%; height: auto; }
/* Printed from a browser: headers on every page, headings kept with what follows. */
thead { display: table-header-group; } tr, img { page-break-inside: avoid; }
h2 { page-break-after: avoid; break-after: avoid; }
""".replace("SHORTFALL", palette.SHORTFALL).replace("DELIGHT", palette.DELIGHT)

#: A cell: its CSS class and its inner HTML (user text already escaped).
Cell = tuple[str, str]


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _e(text: object) -> str:
    """User text as HTML that shows it literally: escaped, and every character HTML
    or XML forbid (controls, non-characters) replaced by U+FFFD."""
    return html.escape(html_safe(str(text)), quote=True)


def _png(figure, dpi: int) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def chart_figures(journey: JourneyMap, flt: ObservationFilter | None) -> dict[str, object]:
    """The report's charts as matplotlib Figures, :data:`CHART_WIDTH_IN` wide."""
    from journeymap.charts.journeycharts import chart_size, draw_chart

    return {
        kind: draw_chart(kind, journey, flt, chart_size(kind, journey, flt, CHART_WIDTH_IN))
        for kind, _ in CHARTS
    }


def report_images(
    journey: JourneyMap, flt: ObservationFilter | None, *, with_map: bool = True, dpi: int = 150
) -> dict[str, bytes]:
    """PNG images of the report: the map (unless ``with_map`` is false) and the charts."""
    from journeymap.render.mapimage import PictureTooLarge, export_map

    images = {}
    if with_map:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "map.png"
            try:
                export_map(journey, path, flt=flt)
                images["map.png"] = path.read_bytes()
            except PictureTooLarge:  # cards placed very far apart: the report says so instead
                pass
    for kind, figure in chart_figures(journey, flt).items():
        images[f"chart-{kind}.png"] = _png(figure, dpi)
    return images


def intro_html(journey: JourneyMap, flt: ObservationFilter | None) -> str:
    """Title, scope and the summary with the three widest gaps in a sentence each."""
    scored = [r for r in touchpoint_gaps(journey, flt) if r.stats.gap is not None]
    stage_names = {s.id: s.name for s in journey.stages}
    s = journey.summary()
    methods = sorted({o.method for o in journey.observations})
    parts = [
        f"<h1>{_e(journey.title)}</h1>",
        f"<p class='meta'>Debrief report \u00b7 {_e(describe_filter(flt, journey))} \u00b7 "
        f"{dt.date.today().isoformat()}</p>",
        "<h2>Summary</h2>",
        f"<p>{s.stages} stages, {s.touchpoints} touch points, {s.transitions} transitions, "
        f"{s.observations} observations ({_e(', '.join(methods) or 'none')}), "
        f"{s.personas} personas.</p><ul>",
    ]
    for row in scored[:3]:
        st = row.stats
        # The gap with how sure it is; weak evidence is said, never left implied.
        caution = weak_warning(st)
        parts.append(
            f"<li><b>{_e(row.name)}</b> ({_e(stage_names[row.stage])}): customers expected "
            f"{_fmt(st.expectation)} and met {_fmt(st.reality)}, a gap of "
            f"{_e(gap_sentence(st))}"
            f"{' (a moment of truth)' if row.critical else ''}"
            f"{f'; {_e(caution)}' if caution else ''}.</li>"
        )
    if not scored:
        parts.append("<li>No touch point has both expectation and reality scores yet.</li>")
    parts.append("</ul>")
    parts.append(blind_spot_html(journey, flt))
    return "\n".join(parts)


#: How many blind spots the summary names; the methods chart shows them all.
BLIND_SPOTS_NAMED = 5


def blind_spot_html(journey: JourneyMap, flt: ObservationFilter | None) -> str:
    """The blind spots of :func:`blind_spot_rows` in a sentence; empty without safari
    and shadowing at a same touch point."""
    rows = [r for r in blind_spot_rows(journey, flt) if r.difference is not None]
    if not rows:
        return ""
    rule = (f"staff on service safari saw a gap at least {_fmt(blind_spot_margin(journey))} "
            "smaller than the customers they shadowed")  # fmt: skip
    blind = [r for r in rows if r.blind_spot]
    if not blind:
        return f"<p>No blind spot: at no touch point {rule}.</p>"
    named = [
        f"<b>{_e(r.name)}</b> (safari {_fmt(r.safari_gap, True)}, shadowing "
        f"{_fmt(r.shadowing_gap, True)})"
        for r in blind[:BLIND_SPOTS_NAMED]
    ]
    listed = ", ".join(named)
    if len(blind) > len(named):
        listed += f" and {len(blind) - len(named)} more (see the methods chart)"
    where = f"{len(blind)} touch point{'s' if len(blind) != 1 else ''}"
    return f"<p>Blind spots: at {where} {rule}: {listed}.</p>"


#: How many touch points "Where to act" names, highest priority first.
WHERE_TO_ACT = 5


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def where_to_act_html(journey: JourneyMap, flt: ObservationFilter | None) -> str:
    """The "Where to act" section (docs/insights.md): the five highest priorities (reach x gap) with
    how sure each gap is, the worst path, the expected gap and, where transitions carry
    shares, the customers lost."""
    from journeymap.model.insights import insights

    ins = insights(journey, flt)
    stats = statistics(journey)
    stage_names = {s.id: s.name for s in journey.stages}
    parts = [
        "<h2>Where to act</h2>",
        "<p>Priority = reach \u00d7 gap: the part of the customers who pass a touch point "
        "times the gap they meet there.</p>",
    ]
    top = [r for r in ins.rows if r.priority is not None and r.priority > 0][:WHERE_TO_ACT]
    if top:
        parts.append("<ol>")
        for row in top:
            st = stats.touchpoint(row.touchpoint, flt)
            flags = " (unavoidable)" if row.unavoidable else ""
            parts.append(
                f"<li><b>{_e(row.name)}</b> ({_e(stage_names[row.stage])}): priority "
                f"{_fmt(row.priority)}; {_pct(row.reach)} of customers pass it{flags}, a gap "
                f"of {_fmt(row.gap, True)} ({_e(interval_words(st))}).</li>"
            )
        parts.append("</ol>")
    else:
        parts.append("<p>No touch point that customers reach falls short yet.</p>")
    if ins.worst_path:
        names = " \u2192 ".join(_e(journey.touchpoint(tp).name) for tp in ins.worst_path)
        parts.append(
            f"<p>The path that hurts most runs {names}: a total gap of "
            f"{_fmt(ins.worst_total, True)}.</p>"
        )
    parts.append(
        f"<p>Expected gap: {_fmt(ins.expected_gap, True)}, the gap a customer meets along "
        "the way, on average.</p>"
    )
    if any(getattr(tr, "share", None) is not None for tr in journey.transitions):
        where = sorted((r for r in ins.rows if r.leaves > 0), key=lambda r: -r.leaves)
        at = ", ".join(f"{_pct(r.leaves)} at {_e(r.name)}" for r in where[:WHERE_TO_ACT])
        parts.append(
            f"<p>Customers lost: {_pct(ins.lost)} leave the journey before its end"
            f"{f' ({at})' if at else ''}.</p>"
        )
    return "\n".join(parts)


def gap_rows(
    journey: JourneyMap,
    flt: ObservationFilter | None,
    map_path: str | os.PathLike[str] | None = None,
) -> list[list[Cell]]:
    """The ten widest gaps, each with the notes, quotes and up to three photos
    (found beside ``map_path``) behind it."""
    from journeymap.render.reportphotos import photos_html

    scored = [r for r in touchpoint_gaps(journey, flt) if r.stats.gap is not None]
    stage_names = {s.id: s.name for s in journey.stages}
    rows = []
    for rank, row in enumerate(scored[:TOP_GAPS], start=1):
        st = row.stats
        observations = [
            o for o in select(journey.observations_for(row.touchpoint), flt) if o.note or o.quote
        ]
        observations.sort(key=lambda o: -(o.gap if o.gap is not None else -99))
        # First how sure the gap is: its interval and evidence, weak evidence said aloud.
        sure = f"{interval_words(st)}; {evidence_words(st)}"
        caution = weak_warning(st)
        evidence = [f"<div><b>{_e(sure)}</b>{f' ({_e(caution)})' if caution else ''}</div>"]
        for o in observations[:NOTES_PER_GAP]:
            who = " \u00b7 ".join(_e(x) for x in (o.method, o.observer) if x)
            line = f"<div>{_e(o.note)} <span class='meta'>({who})</span></div>" if o.note else ""
            if o.quote:
                line += f"<blockquote>\u201c{_e(o.quote)}\u201d</blockquote>"
            evidence.append(line)
        evidence.append(photos_html(journey, row.touchpoint, flt, map_path))
        star = " \u2605" if row.critical else ""
        rows.append([
            ("num", str(rank)), ("", _e(row.name) + star), ("", _e(stage_names[row.stage])),
            ("num", str(st.n)), ("num", _fmt(st.expectation)), ("num", _fmt(st.reality)),
            ("num " + ("gap" if st.gap > 0 else "delight"), _fmt(st.gap, True)),
            ("evidence", "".join(evidence)),
        ])  # fmt: skip
    return rows


def stage_rows(journey: JourneyMap, flt: ObservationFilter | None) -> list[list[Cell]]:
    """One row per stage: its touch points, observations and mean scores."""
    return [
        [("", _e(stage.name)), ("num", str(stage.touchpoints)), ("num", str(stage.stats.n)),
         ("num", _fmt(stage.stats.expectation)), ("num", _fmt(stage.stats.reality)),
         ("num", _fmt(stage.stats.gap, True))]
        for stage in stage_gaps(journey, flt)
    ]  # fmt: skip


def header_row(columns, widths: bool = False) -> str:
    """The table's header row; with ``widths`` each cell carries its share of the width."""
    return "<tr>" + "".join(
        f"<th width='{share}%'>{title}</th>" if widths else f"<th>{title}</th>"
        for title, share, _ in columns
    ) + "</tr>"  # fmt: skip


def body_row(columns, cells: list[Cell], widths: bool = False) -> str:
    """One table row; numbers are aligned right by attribute too, for Qt's rich text."""
    out = []
    for (_, share, _), (css, inner) in zip(columns, cells, strict=True):
        align = " align='right'" if css.startswith("num") else ""
        width = f" width='{share}%'" if widths else ""
        out.append(f"<td class='{css}'{align}{width}>{inner}</td>")
    return "<tr>" + "".join(out) + "</tr>"


def _table(columns, rows: list[list[Cell]]) -> str:
    body = "".join(body_row(columns, cells) for cells in rows)
    return f"{TABLE}<thead>{header_row(columns)}</thead>{body}</table>"


def report_html(
    journey: JourneyMap,
    flt: ObservationFilter | None,
    image_src: dict[str, str],
    map_path: str | os.PathLike[str] | None = None,
) -> str:
    """The report as HTML; ``image_src`` maps image names to their src attributes."""
    chart_px = round(CHART_WIDTH_IN * CSS_DPI)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(journey.title)}</title><style>{STYLE}</style></head><body>",
        intro_html(journey, flt),
        where_to_act_html(journey, flt),
        "<h2>The map</h2>",
        f"<p><img src='{image_src['map.png']}' width='1000' alt='Journey map'></p>"
        if "map.png" in image_src
        else "<p class='meta'>The map is too large for a picture here; export it as SVG "
        "or PDF (journeymap export MAP -o map.svg).</p>",
        f"<h2>Widest gaps</h2>{_table(GAP_COLUMNS, gap_rows(journey, flt, map_path))}",
        f"<h2>Stages</h2>{_table(STAGE_COLUMNS, stage_rows(journey, flt))}",
        "<h2>Charts</h2>",
    ]
    for kind, caption in CHARTS:
        # Shown at the size it was drawn (CSS pixels), so its text is the size it was set.
        parts.append(
            f"<p><img src='{image_src[f'chart-{kind}.png']}' width='{chart_px}' "
            f"alt='{_e(caption)}'><br><span class='meta'>{_e(caption)}</span></p>"
        )
    from journeymap.render.decisions import blocks_html, debrief_blocks

    parts.append(blocks_html(debrief_blocks(journey, flt)))  # the decisions, when there are any
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(
    journey: JourneyMap,
    path: str | os.PathLike[str],
    flt: ObservationFilter | None = None,
    *,
    map_path: str | os.PathLike[str] | None = None,
    kind: str = "debrief",
) -> Path:
    """Write ``report.html`` (one file, images embedded) or ``report.pdf`` (selectable text).

    ``kind`` is ``debrief``, or ``actions`` (the action plan) or ``rules`` (the staff
    sheet), see :mod:`journeymap.render.decisions`.
    Photos are looked for beside ``map_path``; one not found is named, never fatal."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise ValueError(f"unknown report format {suffix or '(no suffix)'}; use .html or .pdf")
    require_folder(target)
    if kind != "debrief":
        from journeymap.render.decisions import write_decision_report

        return write_decision_report(journey, target, flt, kind)
    if suffix == ".pdf":
        from journeymap.render.reportpdf import write_pdf_report

        with atomic_output(target) as tmp:
            write_pdf_report(journey, flt, tmp, map_path=map_path)
        return target
    images = report_images(journey, flt)
    sources = {
        name: "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        for name, data in images.items()
    }
    write_bytes_atomic(target, report_html(journey, flt, sources, map_path).encode("utf-8"))
    return target
