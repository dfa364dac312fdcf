"""Mermaid ``journey`` diagrams: read them as maps, write maps as them.

The syntax (https://mermaid.js.org/syntax/userJourney.html)::

    journey
        title My working day
        accTitle: Working day
        accDescr { A day,
                   in two sections }
        section Go to work
          Make tea: 5: Me
          Go upstairs: 3: Me, Cat
          Do work: 1
        section Go home
          Sit down: 5:

Mapping: sections become stages, tasks become touch points chained by main
transitions, each distinct actor becomes a persona, and a task's score
becomes one observation per actor (method ``imported``, reality = score).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from journeymap.fileio.errors import Problem
from journeymap.interop.errors import ImportProblemError, read_utf8
from journeymap.model.analysis import ObservationFilter, select
from journeymap.model.entities import Observation, Persona, Scale, Stage, TouchPoint, Transition
from journeymap.model.journey import JourneyMap
from journeymap.model.kinds import KINDS

#: Mermaid draws scores 1 to 5 as faces.
MERMAID_SCALE = Scale(1, 5)
#: Where the map keeps Mermaid's accessibility title and description.
EXTRA_KEY = "mermaid"
#: Problems listed in one error message; the rest are only counted.
MAX_LISTED = 50
#: Characters of a value quoted in an error message.
MAX_QUOTED = 80
#: Characters of a name kept in the id made from it.
MAX_SLUG = 40

_TITLE = re.compile(r"^title\s+(.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^section\s+(.*)$", re.IGNORECASE)
_ACC_TITLE = re.compile(r"^acctitle\s*:\s*(.*)$", re.IGNORECASE)
_ACC_DESCR = re.compile(r"^accdescr\s*:\s*(.*)$", re.IGNORECASE)
_ACC_DESCR_BLOCK = re.compile(r"^accdescr\s*\{(.*)$", re.IGNORECASE)
_MARKDOWN_FENCE = re.compile(r"^\s*(```+|~~~+)\s*mermaid\b", re.IGNORECASE)
_ZERO_WIDTH = "\u200b"


@dataclass
class MermaidTask:
    name: str
    score: float
    actors: list[str]
    line: int


@dataclass
class MermaidSection:
    name: str
    line: int
    tasks: list[MermaidTask] = field(default_factory=list)


@dataclass
class MermaidJourney:
    title: str = ""
    acc_title: str = ""
    acc_descr: str = ""
    sections: list[MermaidSection] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Errors


def _cut(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` cut to ``limit`` characters, the last one ``…`` when it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _quote(text: str) -> str:
    """A value for a message: quoted, escaped, and cut to :data:`MAX_QUOTED` characters."""
    return repr(_cut(text))


class MermaidImportError(ImportProblemError):
    """The importer's error: at most :data:`MAX_LISTED` problems, ``more`` counts the rest.

    ``str()`` lists each problem as ``FILE:LINE: problem``, then
    ``FILE: … and N more problems`` when some were left out.  (Kept here so
    that the bound holds whichever :class:`ImportProblemError` is installed.)
    """

    def __init__(self, source: str, problems: Iterable[Problem], more: int = 0) -> None:
        self._unlisted = more
        super().__init__(source, problems)
        self.more = more

    @property
    def total(self) -> int:
        return len(self.problems) + self._unlisted

    @property
    def message(self) -> str:
        lines = [
            f"{self.source}:{p.where}: {p.message}" if p.where.isdigit() else p.format(self.source)
            for p in self.problems
        ]
        if self._unlisted:
            s = "" if self._unlisted == 1 else "s"
            lines.append(f"{self.source}: \u2026 and {self._unlisted:,} more problem{s}")
        return "\n".join(lines)


class _Problems:
    """Problems as they are found: the first :data:`MAX_LISTED` kept, the rest counted."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, line: int | str, message: str) -> None:
        if len(self.kept) < MAX_LISTED:
            self.kept.append(Problem(str(line), message))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.kept)

    def error(self, source: str) -> MermaidImportError:
        return MermaidImportError(source, self.kept, self.more)


# ---------------------------------------------------------------------------
# Reading


def _strip_comment(text: str) -> str:
    """Drop a ``%%`` or ``#`` comment; both run to the end of the line."""
    cut = len(text)
    for marker in ("%%", "#"):
        at = text.find(marker)
        if at != -1:
            cut = min(cut, at)
    return text[:cut]


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else value


def _unmask(name: str) -> str:
    return name.replace(_ZERO_WIDTH, "").strip()


def _mermaid_lines(text: str) -> list[tuple[int, str]]:
    """The diagram's lines with their line numbers in the file.

    A Markdown file contributes its first ```` ```mermaid ```` block that holds a
    journey, so a README can be imported as it is.
    """
    lines = text.splitlines()
    numbered = list(enumerate(lines, start=1))
    if not any(_MARKDOWN_FENCE.match(line) for line in lines):
        return numbered
    i = 0
    while i < len(lines):
        fence = _MARKDOWN_FENCE.match(lines[i])
        if fence:
            closing = fence.group(1)[0] * 3
            body = []
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(closing):
                body.append((j + 1, lines[j]))
                j += 1
            meaningful = (t for _, t in body if t.strip() and not t.strip().startswith("%%"))
            first = next(meaningful, "")
            if first.strip().lower().startswith("journey"):
                return body
            i = j
        i += 1
    return numbered


def parse_mermaid(text: str, source: str = "<mermaid>") -> MermaidJourney:
    """Parse a Mermaid journey, reporting every problem with its line.

    Raises
    ------
    MermaidImportError
        (an :class:`ImportProblemError`) listing the first :data:`MAX_LISTED`
        problems, each with its line, and counting the rest.
    """
    journey = MermaidJourney()
    problems = _Problems()
    lines = _mermaid_lines(text)
    index = 0

    # Front matter (--- ... ---) may give the title.
    while index < len(lines) and not lines[index][1].strip():
        index += 1
    if index < len(lines) and lines[index][1].strip() == "---":
        opened = lines[index][0]
        index += 1
        while index < len(lines) and lines[index][1].strip() != "---":
            key, _, value = lines[index][1].partition(":")
            if key.strip().lower() == "title":
                journey.title = _unmask(value.strip().strip("\"'"))
            index += 1
        if index >= len(lines):
            problems.add(opened, "the front matter opened by '---' is never closed")
            raise problems.error(source)
        index += 1

    # The first statement must be `journey`.
    seen_header = False
    while index < len(lines):
        number, raw = lines[index]
        index += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("%%") or stripped.startswith("#"):
            continue
        if _strip_comment(stripped).strip().lower() == "journey":
            seen_header = True
        else:
            problems.add(number, f"a Mermaid journey starts with 'journey', not {_quote(stripped)}")
        break
    if not seen_header:
        if not problems:
            why = "the file is empty" if not text.strip() else "no 'journey' statement"
            problems.add("", f"no Mermaid journey found: {why}")
        raise problems.error(source)

    section: MermaidSection | None = None
    while index < len(lines):
        number, raw = lines[index]
        index += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("%%"):
            continue
        # Accessibility values run to the end of the line, comments and all.
        if match := _ACC_TITLE.match(stripped):
            journey.acc_title = _unmask(match.group(1))
            continue
        if match := _ACC_DESCR.match(stripped):
            journey.acc_descr = _unmask(match.group(1))
            continue
        if match := _ACC_DESCR_BLOCK.match(stripped):
            parts, rest, start = [], match.group(1), number
            while "}" not in rest:
                parts.append(rest)
                if index >= len(lines):
                    problems.add(start, "'accDescr {' is never closed with '}'")
                    break
                rest = lines[index][1]
                index += 1
            else:
                parts.append(rest[: rest.index("}")])
            journey.acc_descr = "\n".join(_unmask(p) for p in parts).strip()
            continue
        for statement in _strip_comment(stripped).split(";"):
            statement = statement.strip()
            if not statement:
                continue
            if match := _TITLE.match(statement):
                journey.title = _unmask(match.group(1))
            elif match := _SECTION.match(statement):
                name = _unmask(match.group(1))
                if not name:
                    problems.add(number, "a section needs a name (write 'section NAME')")
                    name = "?"
                elif ":" in name:
                    problems.add(number, f"a section name cannot hold ':' ({_quote(name)})")
                section = MermaidSection(name, number)
                journey.sections.append(section)
            elif statement.lower() == "journey":
                problems.add(number, "'journey' may appear only once, at the top")
            else:
                task = _parse_task(statement, number, problems)
                if task is not None:
                    if section is None:
                        section = MermaidSection("Journey", number)
                        journey.sections.append(section)
                    section.tasks.append(task)
    if problems:
        raise problems.error(source)
    return journey


def _parse_task(statement: str, number: int, problems: _Problems) -> MermaidTask | None:
    name, colon, data = statement.partition(":")
    name = _unmask(name)
    if not colon:
        problems.add(number, f"task {_quote(name)} has no score (write 'Task: score: actors')")
        return None
    if not name:
        problems.add(number, "a task needs a name before ':'")
        return None
    score_text, _, actors_text = data.partition(":")
    score_text = score_text.strip()
    if not score_text:
        problems.add(number, f"task {_quote(name)} has no score")
        return None
    score = _number(score_text)
    if score is None:
        problems.add(number, f"score {_quote(score_text)} of task {_quote(name)} is not a number")
        return None
    if not MERMAID_SCALE.contains(score):
        problems.add(number, f"score {_cut(score_text)} of task {_quote(name)} is outside 1-5")
        return None
    actors = [_unmask(a) for a in actors_text.split(",")]
    return MermaidTask(name, score, [a for a in actors if a], number)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:MAX_SLUG].rstrip("-")


class _Ids:
    """Readable ids made from names, unique across a map, in linear time.

    Each base (``t-make-tea``) remembers the next number to try, so 20,000
    tasks of the same name (or of names with no Latin letter, which all give
    ``t-item``) do not each count up from 2.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}

    def make(self, prefix: str, name: str) -> str:
        base = f"{prefix}{_slug(name) or 'item'}"
        n = self.next.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.next[base] = n + 1
        self.taken.add(candidate)
        return candidate


def journey_to_map(
    journey: MermaidJourney,
    default_title: str = "Imported journey",
    source: str = "<mermaid>",
) -> JourneyMap:
    """Build a map from a parsed journey (see the module docstring for the mapping).

    Every record is checked as the model checks it, once, in linear time.

    Raises
    ------
    MermaidImportError
        Should the model refuse a record the parser let through, naming
        ``source`` and the record's line.
    """
    ids = _Ids()
    stages: list[Stage] = []
    touchpoints: list[TouchPoint] = []
    personas: dict[str, Persona] = {}
    observations: list[Observation] = []
    lines: dict[int, int] = {}  # id() of each record: its line, for messages
    for section in journey.sections:
        stage = Stage(ids.make("s-", section.name), section.name)
        stages.append(stage)
        lines[id(stage)] = section.line
        for task in section.tasks:
            tp = TouchPoint(ids.make("t-", task.name), task.name, stage.id)
            touchpoints.append(tp)
            lines[id(tp)] = task.line
            for actor in task.actors or [None]:
                persona_id = None
                if actor is not None:
                    if actor not in personas:
                        personas[actor] = Persona(ids.make("p-", actor), actor)
                        lines[id(personas[actor])] = task.line
                    persona_id = personas[actor].id
                observation = Observation(
                    f"o{len(observations) + 1}",
                    tp.id,
                    "imported",
                    persona=persona_id,
                    reality=task.score,
                )
                observations.append(observation)
                lines[id(observation)] = task.line
    transitions = [Transition(a.id, b.id) for a, b in itertools.pairwise(touchpoints)]
    for transition, target in zip(transitions, touchpoints[1:], strict=True):
        lines[id(transition)] = lines[id(target)]
    extra = {}
    accessible = {"accTitle": journey.acc_title, "accDescr": journey.acc_descr}
    if any(accessible.values()):
        extra[EXTRA_KEY] = {k: v for k, v in accessible.items() if v}
    # Built unchecked, then checked here: adding records one by one (with a
    # change event each) takes most of the time of a large import.
    jm = JourneyMap.from_records(
        title=journey.title or default_title,
        scale=Scale(MERMAID_SCALE.min, MERMAID_SCALE.max),
        personas=personas.values(),
        stages=stages,
        touchpoints=touchpoints,
        transitions=transitions,
        observations=observations,
        extra=extra,
        validate=False,
    )
    problems = _Problems()
    for spec in KINDS.values():
        for record in jm.collection(spec.name):
            for name, message in spec.check(jm, record):
                problems.add(lines.get(id(record), ""), f"{spec.label} {name}: {_cut(message)}")
    if problems:
        raise problems.error(source)
    return jm


def load_mermaid(path: str | Path) -> JourneyMap:
    """Read a ``.mmd`` file (or a Markdown file holding a journey) as a map."""
    source = str(path)
    text = read_utf8(path)
    return journey_to_map(parse_mermaid(text, source), Path(path).stem, source)


# ---------------------------------------------------------------------------
# Writing
#
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
    return " ".join(_UNFIT.sub(_REPLACEMENT, text.replace(_ZERO_WIDTH, "")).split())


def _unkeyword(text: str) -> str:
    """An invisible zero-width space after the first letter of text that starts
    like a keyword (``Journey planner``); the importer drops it again."""
    return text[0] + _ZERO_WIDTH + text[1:] if _KEYWORD_START.match(text) else text


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
