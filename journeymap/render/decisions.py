"""The decisions in a report: the action plan ("stop doing" first), the stoplight
rules, the Service Matrix of ideas and the words that say "no".

Each part is a list of blocks, either a piece of HTML or a table (heading, columns,
rows), so the HTML report and the PDF (laid out by :mod:`journeymap.render.reportpdf`)
show the same thing.  ``journeymap report --kind actions|rules`` writes a report of
one part; the debrief report adds all four at its end, each only when it has
something to show.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from journeymap.model.analysis import ObservationFilter, describe_filter, touchpoint_gaps
from journeymap.model.journey import JourneyMap
from journeymap.render.report import STYLE, TABLE, TOP_GAPS, Cell, _e, _fmt, body_row, header_row

REPORT_KINDS = ("debrief", "actions", "rules")
KIND_TITLES = {"actions": "Action plan", "rules": "Rules for staff"}

STOPLIGHT = {"red": "#b91c1c", "yellow": "#a16207", "green": "#15803d"}
RULE_HEADINGS = {
    "red": "Red rules: nobody overrides them",
    "yellow": "Yellow rules: ask when you are unsure",
    "green": "Green rules: you may bend them for a customer",
}
KIND_WORDS = {"stop": "Stop", "start": "Start", "improve": "Improve", "continue": "Continue"}
LEVEL_WORDS = {"standard": "Standard", "extended": "Extended", "innovative": "Innovative"}
SCOPE_WORDS = {
    "individual": "Individual customer",
    "service": "Library as service provider",
    "community": "Community",
    "leadership": "Leadership in the community",
}

# Per column: title, share of the page width, CSS class (as report.GAP_COLUMNS).
STOP_COLUMNS = (("Touch point", 18, ""), ("Stage", 12, ""), ("What to stop", 34, ""),
                ("Owner", 12, ""), ("Due", 13, ""), ("Status", 11, ""))  # fmt: skip
STAGE_ACTION_COLUMNS = (("Touch point", 17, ""), ("Kind", 11, ""), ("Action", 27, ""),
                        ("Owner", 11, ""), ("Due", 13, ""), ("Status", 12, ""),
                        ("Priority", 9, "num"))  # fmt: skip
PLAN_COLUMNS = (("Touch point", 16, ""), ("Kind", 11, ""), ("Action", 28, ""), ("Owner", 11, ""),
                ("Due", 13, ""), ("Status", 12, ""), ("Priority", 9, "num"))  # fmt: skip
RULE_COLUMNS = (("Rule", 40, ""), ("Its intent", 36, ""), ("Touch point", 24, ""))  # fmt: skip
GAP_RULE_COLUMNS = (("Touch point", 20, ""), ("Gap", 8, "num"), ("Rule", 12, ""),
                    ("Text", 32, ""), ("Its intent", 28, ""))  # fmt: skip
MATRIX_COLUMNS = (("Level", 16, ""), *((SCOPE_WORDS[s], 21, "") for s in SCOPE_WORDS))
TONE_COLUMNS = (("Where", 21, ""), ("Word", 15, ""), ("Kind", 12, ""), ("Say instead", 21, ""),
                ("In the text", 31, "evidence"))  # fmt: skip
#: The searched texts (tone.py's JSON paths) in words: the array, then the field.
TEXT_WORDS = {"touchpoints": "", "rules": "rule ", "observations": "observation "}


@dataclass(frozen=True)
class Table:
    heading: str
    columns: tuple
    rows: list[list[Cell]]


#: A block of a report: HTML (user text already escaped) or a table.
Block = str | Table


def _date(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else _e(value or "")


def _dot(color: str) -> str:
    """The rule's colour as a dot and its name (the word, so it prints in grey too)."""
    return f"<span style='color:{STOPLIGHT[color]}'>\u25cf</span> <b>{_e(color.capitalize())}</b>"


def _place(journey: JourneyMap, touchpoint: str | None) -> str:
    if touchpoint is None:
        return "<i>Whole map</i>"
    tp = journey.touchpoint(touchpoint)
    stage = {s.id: s.name for s in journey.stages}.get(tp.stage, "")
    return f"{_e(tp.name)} <span class='meta'>({_e(stage)})</span>"


def _plan(journey: JourneyMap, flt: ObservationFilter | None) -> list:
    from journeymap.model.actionplan import action_rows

    return list(action_rows(journey, flt))


def _priority(row) -> str:
    return _fmt(row.priority) if row.priority is not None else "-"


# ------------------------------------------------------------------ action plan


def action_blocks(journey: JourneyMap, flt: ObservationFilter | None) -> list[Block]:
    """The action plan report: the "stop doing" list, then each stage's other actions."""
    rows = _plan(journey, flt)
    if not rows:
        return ["<p>No actions yet: add them in the window's Actions dock.</p>"]
    blocks: list[Block] = [
        "<p>Highest priority (reach \u00d7 gap) first within each list. The \u201cstop "
        "doing\u201d list comes first: what the team agrees to stop frees the time for "
        "the rest.</p>"
    ]
    stops = [r for r in rows if r.kind == "stop"]
    stage_names = {s.id: s.name for s in journey.stages}
    if stops:
        blocks.append(Table("Stop doing", STOP_COLUMNS, [
            [("", _e(r.name)), ("", _e(stage_names.get(r.stage, ""))), ("", _e(r.text)),
             ("", _e(r.owner)), ("", _date(r.due)), ("", _e(r.status))]
            for r in stops
        ]))  # fmt: skip
    for stage in journey.stages:
        rest = [r for r in rows if r.kind != "stop" and r.stage == stage.id]
        if rest:
            blocks.append(Table(stage.name, STAGE_ACTION_COLUMNS, [
                [("", _e(r.name)), ("", KIND_WORDS.get(r.kind, _e(r.kind))), ("", _e(r.text)),
                 ("", _e(r.owner)), ("", _date(r.due)), ("", _e(r.status)),
                 ("num", _priority(r))]
                for r in rest
            ]))  # fmt: skip
    return blocks


def plan_table(journey: JourneyMap, flt: ObservationFilter | None) -> Table | None:
    """The debrief's "Action plan": one table, the "stop doing" rows first."""
    rows = _plan(journey, flt)
    if not rows:
        return None
    rows = [r for r in rows if r.kind == "stop"] + [r for r in rows if r.kind != "stop"]
    return Table("Action plan", PLAN_COLUMNS, [
        [("", _e(r.name)), ("", f"<b>{KIND_WORDS[r.kind]}</b>" if r.kind == "stop"
                            else KIND_WORDS.get(r.kind, _e(r.kind))),
         ("", _e(r.text)), ("", _e(r.owner)), ("", _date(r.due)), ("", _e(r.status)),
         ("num", _priority(r))]
        for r in rows
    ])  # fmt: skip


# ------------------------------------------------------------------------ rules


def rule_blocks(journey: JourneyMap) -> list[Block]:
    """The staff sheet: the rules grouped red, yellow, green, each with its intent."""
    rules = list(journey.rules)
    if not rules:
        return ["<p>No rules yet: add them in the window's Actions dock.</p>"]
    blocks: list[Block] = [
        "<p>Red rules nobody can override; yellow rules are the ones staff are unsure "
        "of, so ask; green rules staff may bend for a customer. Know each rule\u2019s "
        "intent: it says when bending serves the customer and when it does not.</p>"
    ]
    for color in STOPLIGHT:
        chosen = [r for r in rules if r.color == color]
        if chosen:
            blocks.append(Table(RULE_HEADINGS[color], RULE_COLUMNS, [
                [("", f"{_dot(color)}&nbsp; {_e(r.text)}"),
                 ("", _e(r.intent) if r.intent else "<span class='meta'>not given</span>"),
                 ("", _place(journey, r.touchpoint))]
                for r in chosen
            ]))  # fmt: skip
    return blocks


def gap_rules_table(journey: JourneyMap, flt: ObservationFilter | None) -> Table | None:
    """The rules at the touch points of the widest gaps, widest first, strictest first."""
    rules = list(journey.rules)
    if not rules:
        return None
    scored = [r for r in touchpoint_gaps(journey, flt) if r.stats.gap is not None]
    order = list(STOPLIGHT)
    rows = []
    for gap in scored[:TOP_GAPS]:
        here = sorted((r for r in rules if r.touchpoint == gap.touchpoint),
                      key=lambda r: order.index(r.color))  # fmt: skip
        for rule in here:
            rows.append([
                ("", _e(gap.name)), ("num", _fmt(gap.stats.gap, True)), ("", _dot(rule.color)),
                ("", _e(rule.text)), ("", _e(rule.intent)),
            ])  # fmt: skip
    return Table("Rules at the widest gaps", GAP_RULE_COLUMNS, rows) if rows else None


# ------------------------------------------------------------------ ideas, tone


def _idea(journey: JourneyMap, idea) -> str:
    where = journey.touchpoint(idea.touchpoint).name if idea.touchpoint else ""
    place = f" <span class='meta'>({_e(where)})</span>" if where else ""
    return f"<div>\u2022 {_e(idea.text)}{place}</div>"


def matrix_table(journey: JourneyMap) -> Table | None:
    """The ideas on the Customer Service Matrix: 3 levels by 4 scopes."""
    ideas = list(journey.ideas)
    if not ideas:
        return None
    rows = []
    for level, word in LEVEL_WORDS.items():
        cells: list[Cell] = [("", f"<b>{word}</b>")]
        for scope in SCOPE_WORDS:
            here = [i for i in ideas if i.level == level and i.scope == scope]
            cells.append(("evidence", "".join(_idea(journey, i) for i in here)))
        rows.append(cells)
    return Table("Ideas on the Service Matrix", MATRIX_COLUMNS, rows)


def _tone_findings(journey: JourneyMap) -> list:
    from journeymap.model import tone

    return list(tone.tone_findings(journey))


def tone_table(journey: JourneyMap) -> Table | None:
    """Jargon and prohibitive wording, each with the wording to use instead."""
    findings = _tone_findings(journey)
    if not findings:
        return None
    # One row per word in a text: a sign saying "NO" three times is one row, "3 times".
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        counts[f.where, f.term.lower()] = counts.get((f.where, f.term.lower()), 0) + 1
    rows = []
    for f in findings:
        n = counts.pop((f.where, f.term.lower()), 0)
        if not n:
            continue
        place = _e(journey.touchpoint(f.touchpoint).name) if f.touchpoint else "<i>Whole map</i>"
        array, _, field = f.where.partition(".")
        field = ("text" if array.startswith("rules") else field) if field else f.where
        what = TEXT_WORDS.get(array.split("[")[0], "") + field
        times = f" <span class='meta'>({n} times)</span>" if n > 1 else ""
        rows.append([
            ("", f"{place}<div class='meta'>{_e(what)}</div>"),
            ("", f"<b>{_e(f.term)}</b>{times}"), ("", _e(f.kind)), ("", _e(f.suggest)),
            ("evidence", _e(f.text)),
        ])  # fmt: skip
    return Table("Words that say \u201cno\u201d", TONE_COLUMNS, rows)


def debrief_blocks(journey: JourneyMap, flt: ObservationFilter | None) -> list[Table]:
    """The debrief's decisions: those of the four parts that have something to show."""
    parts = (plan_table(journey, flt), gap_rules_table(journey, flt), matrix_table(journey),
             tone_table(journey))  # fmt: skip
    return [p for p in parts if p is not None]


# ----------------------------------------------------------------- the reports


def kind_blocks(journey: JourneyMap, flt: ObservationFilter | None, kind: str) -> list[Block]:
    if kind == "actions":
        return action_blocks(journey, flt)
    if kind == "rules":
        return rule_blocks(journey)
    raise ValueError(f"unknown report kind {kind!r}; use one of {', '.join(REPORT_KINDS)}")


def title_html(journey: JourneyMap, flt: ObservationFilter | None, kind: str) -> str:
    scope = f" \u00b7 {_e(describe_filter(flt, journey))}" if kind == "actions" else ""
    return (f"<h1>{_e(journey.title)}</h1><p class='meta'>{KIND_TITLES[kind]}{scope} \u00b7 "
            f"{dt.date.today().isoformat()}</p>")  # fmt: skip


def table_html(table: Table) -> str:
    body = "".join(body_row(table.columns, cells) for cells in table.rows)
    return (f"<h2>{_e(table.heading)}</h2>{TABLE}<thead>{header_row(table.columns)}</thead>"
            f"{body}</table>")  # fmt: skip


def blocks_html(blocks: list[Block]) -> str:
    return "\n".join(table_html(b) if isinstance(b, Table) else b for b in blocks)


def decision_report_html(journey: JourneyMap, flt: ObservationFilter | None, kind: str) -> str:
    """The ``actions`` or ``rules`` report as one HTML page."""
    blocks = kind_blocks(journey, flt, kind)
    return "\n".join([
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(journey.title)}: {KIND_TITLES[kind]}</title><style>{STYLE}</style>"
        "</head><body>", title_html(journey, flt, kind), blocks_html(blocks), "</body></html>",
    ])  # fmt: skip


def draw_blocks(pages, blocks: list[Block]) -> None:
    """Lay ``blocks`` out on the PDF's pages: tables with their header on every page
    and their heading kept with them; text cut only between lines."""
    from journeymap.render.reportpdf import HEADING_SPACE, draw_table, rich

    for block in blocks:
        if isinstance(block, Table):
            draw_table(pages, block.heading, block.columns, block.rows)
        else:
            doc = rich(block, pages.width)
            pages.space(HEADING_SPACE / 2)
            pages.keep(min(doc.size().height(), pages.height))
            pages.draw_split(doc)


def write_decision_pdf(
    journey: JourneyMap, flt: ObservationFilter | None, path: str | os.PathLike[str], kind: str
) -> Path:
    """Write the ``actions`` or ``rules`` report as an A4 PDF with selectable text."""
    from journeymap.render.mapimage import ensure_qt
    from journeymap.render.reportpdf import Pages, rich

    blocks = kind_blocks(journey, flt, kind)
    ensure_qt()
    pages = Pages(path, f"{journey.title}: {KIND_TITLES[kind]}")
    try:
        pages.draw_split(rich(title_html(journey, flt, kind), pages.width))
        draw_blocks(pages, blocks)
    finally:
        pages.finish()
    return Path(path)


def write_decision_report(
    journey: JourneyMap, target: Path, flt: ObservationFilter | None, kind: str
) -> Path:
    """Write the ``actions`` or ``rules`` report to ``target`` (.html or .pdf), atomically."""
    from journeymap.fileio.atomic import atomic_output, write_bytes_atomic

    if kind not in KIND_TITLES:  # fails before anything is written
        raise ValueError(f"unknown report kind {kind!r}; use one of {', '.join(REPORT_KINDS)}")
    if target.suffix.lower() == ".pdf":
        with atomic_output(target) as tmp:
            write_decision_pdf(journey, flt, tmp, kind)
    else:
        html_text = decision_report_html(journey, flt, kind)
        write_bytes_atomic(target, html_text.encode("utf-8"))
    return target
