"""Maps written as Mermaid ``journey`` diagrams (:mod:`.mermaid` reads them back).

Sections are stages, tasks are touch points with the mean reality of their
observations rescaled to Mermaid's 1-5, actors are the observations' personas.
"""

from __future__ import annotations

import math
import re

from journeymap.interop.mermaid import EXTRA_KEY, ZERO_WIDTH
from journeymap.model.analysis import ObservationFilter, select
from journeymap.model.entities import Scale, TouchPoint
from journeymap.model.journey import JourneyMap

# Nothing a map holds may start a statement, a comment or a directive in the
# exported text: every line is one of the statements `map_to_mermaid` writes.
# Line and paragraph separators (all that str.splitlines, JavaScript or
# Mermaid break lines at) become spaces; `%` (comments, `%%{init}%%`
# directives), `{` and `}` (directives, the `accDescr { }` block) and, in
# names, `:`, `#`, `;` and `,` become look-alikes; control characters, lone
# surrogates and non-characters become U+FFFD.

_REPLACEMENT = "\ufffd"
# C0 and C1 controls that are not whitespace (whitespace, line breaks included,
# is folded into single spaces), lone surrogates, U+FFFE and U+FFFF.
_UNFIT = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Characters Mermaid reads as syntax, and look-alikes that read as text.
_DIRECTIVE_SAFE = {
    "%": "\uff05",  # FULLWIDTH PERCENT SIGN: '%%' starts comments and directives
    "{": "\uff5b",  # FULLWIDTH LEFT CURLY BRACKET
    "}": "\uff5d",  # FULLWIDTH RIGHT CURLY BRACKET: closes an accDescr block
}
_IN_TITLE = {
    **_DIRECTIVE_SAFE,
    "#": "\uff03",  # FULLWIDTH NUMBER SIGN: '#' starts a comment
    ";": "\uff1b",  # FULLWIDTH SEMICOLON: ';' separates statements
}
_IN_NAME = {**_IN_TITLE, ":": "\u2236"}  # RATIO, looks like a colon
_IN_ACTOR = {**_IN_NAME, ",": "\uff0c"}  # FULLWIDTH COMMA: actors are comma-separated
_ACC_TABLE = str.maketrans(_DIRECTIVE_SAFE)
_TITLE_TABLE = str.maketrans(_IN_TITLE)
_NAME_TABLE = str.maketrans(_IN_NAME)
_ACTOR_TABLE = str.maketrans(_IN_ACTOR)
# Line starts that the importer (or Mermaid) would read as a keyword, or as a
# Markdown fence that makes the importer read the file as Markdown.
_KEYWORD_START = re.compile(
    r"^(journey|title\s|section\s|acctitle|accdescr|`{3}|~{3})", re.IGNORECASE
)


def _one_line(text: str) -> str:
    """``text`` on one line: zero-width markers dropped, unfit characters
    replaced by U+FFFD, each run of whitespace (line breaks too) one space."""
    return " ".join(_UNFIT.sub(_REPLACEMENT, text.replace(ZERO_WIDTH, "")).split())


def _unkeyword(text: str) -> str:
    """An invisible zero-width space after the first letter of text that starts
    like a keyword (``Journey planner``); the importer drops it again."""
    return text[0] + ZERO_WIDTH + text[1:] if _KEYWORD_START.match(text) else text


def safe_text(text: str, *, actor: bool = False, title: bool = False) -> str:
    """Text Mermaid will read back as the same words, in one line.

    A title may keep its colons: Mermaid reads a title to the end of the line.
    Importing gives back ``safe_text(text)`` without its zero-width spaces.
    """
    table = _TITLE_TABLE if title else _ACTOR_TABLE if actor else _NAME_TABLE
    safe = _one_line(text).translate(table)
    return _unkeyword(safe) if safe else "?"


def safe_accessible_text(text: str) -> list[str]:
    """An ``accTitle`` or ``accDescr`` as the lines to write: each on one line,
    with no ``%``, ``{`` or ``}``; blank lines at either end dropped."""
    lines = [_one_line(line).translate(_ACC_TABLE) for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    return lines[start:]


def to_mermaid_score(value: float, scale: Scale) -> int:
    """A score on the map's scale, rescaled to Mermaid's 1-5 and rounded half up."""
    if math.isfinite(scale.span):
        share = (value - scale.min) / scale.span
    else:  # a span beyond the largest float: halve everything first
        share = (value / 2 - scale.min / 2) / (scale.max / 2 - scale.min / 2)
    if math.isnan(share):
        return 3
    return max(1, min(5, math.floor(1 + 4 * max(0.0, min(1.0, share)) + 0.5)))


def _mean(values: list[float]) -> float:
    try:
        return math.fsum(values) / len(values)
    except OverflowError:  # values near the largest float
        return math.fsum(v / len(values) for v in values)


def map_to_mermaid(journey: JourneyMap, flt: ObservationFilter | None = None) -> str:
    """The map as a Mermaid journey: stages as sections, touch points as tasks.

    A task's score is the mean reality of its observations, rescaled to 1-5;
    its actors are the personas of those observations, in order of first
    appearance.  A touch point with no reality score gets the middle score
    3, with a comment saying so.  Every line written is one of these
    statements, whatever the map's text holds (see :func:`safe_text`).
    """
    lines = ["journey", f"    title {safe_text(journey.title or 'Untitled journey', title=True)}"]
    accessible = journey.extra.get(EXTRA_KEY)
    if isinstance(accessible, dict):
        acc_title = accessible.get("accTitle")
        if isinstance(acc_title, str) and (title_text := _one_line(acc_title)):
            lines.append(f"    accTitle: {title_text.translate(_ACC_TABLE)}")
        descr = accessible.get("accDescr")
        body = safe_accessible_text(descr) if isinstance(descr, str) else []
        if len(body) == 1:
            lines.append(f"    accDescr: {body[0]}")
        elif body:
            lines.append("    accDescr {")
            lines += [f"        {_unkeyword(line)}" if line else "" for line in body]
            lines.append("    }")
    # Actors by the name they are written as: two personas whose names differ
    # only in characters Mermaid cannot hold are one actor.
    actor_names = {p.id: safe_text(p.name, actor=True) for p in journey.personas}
    by_stage: dict[str, list[TouchPoint]] = {s.id: [] for s in journey.stages}
    for tp in journey.touchpoints:
        by_stage[tp.stage].append(tp)
    for stage in journey.stages:
        lines.append(f"    section {safe_text(stage.name)}")
        for tp in by_stage[stage.id]:
            observations = select(journey.observations_for(tp.id), flt)
            realities = [o.reality for o in observations if o.reality is not None]
            actors = list(
                dict.fromkeys(actor_names[o.persona] for o in observations if o.persona is not None)
            )
            if realities:
                score = to_mermaid_score(_mean(realities), journey.scale)
            else:
                score = 3
                lines.append(f"      %% no reality score observed for {safe_text(tp.name)}")
            task = f"      {safe_text(tp.name)}: {score}"
            if actors:
                task += ": " + ", ".join(actors)
            lines.append(task)
    return "\n".join(lines) + "\n"
