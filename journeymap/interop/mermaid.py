"""Mermaid ``journey`` diagrams read as maps (:mod:`.mermaidwrite` writes them).

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
from dataclasses import dataclass, field
from pathlib import Path

from journeymap.interop.errors import MAX_BYTES, ProblemList, quoted, read_utf8
from journeymap.model.entities import Observation, Persona, Scale, Stage, TouchPoint, Transition
from journeymap.model.journey import JourneyMap
from journeymap.model.kinds import KINDS
from journeymap.model.validation import number_text

#: Mermaid draws scores 1 to 5 as faces.
MERMAID_SCALE = Scale(1, 5)
#: Where the map keeps Mermaid's accessibility title and description.
EXTRA_KEY = "mermaid"
#: Characters of a name kept in the id made from it.
MAX_SLUG = 40

_TITLE = re.compile(r"^title\s+(.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^section\s+(.*)$", re.IGNORECASE)
_ACC_TITLE = re.compile(r"^acctitle\s*:\s*(.*)$", re.IGNORECASE)
_ACC_DESCR = re.compile(r"^accdescr\s*:\s*(.*)$", re.IGNORECASE)
_ACC_DESCR_BLOCK = re.compile(r"^accdescr\s*\{(.*)$", re.IGNORECASE)
_MARKDOWN_FENCE = re.compile(r"^\s*(```+|~~~+)\s*mermaid\b", re.IGNORECASE)
ZERO_WIDTH = "\u200b"


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
    return name.replace(ZERO_WIDTH, "").strip()


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
    ImportProblemError
        (an :class:`ImportProblemError`) listing the first :data:`MAX_LISTED`
        problems, each with its line, and counting the rest.
    """
    journey = MermaidJourney()
    problems = ProblemList()
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
            problems.raise_if_any(source)
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
            problems.add(number, f"a Mermaid journey starts with 'journey', not {quoted(stripped)}")
        break
    if not seen_header:
        if not problems:
            why = "the file is empty" if not text.strip() else "no 'journey' statement"
            problems.add("", f"no Mermaid journey found: {why}")
        problems.raise_if_any(source)

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
                    problems.add(number, f"a section name cannot hold ':' ({quoted(name)})")
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
    problems.raise_if_any(source)
    return journey


def _parse_task(statement: str, number: int, problems: ProblemList) -> MermaidTask | None:
    name, colon, data = statement.partition(":")
    name = _unmask(name)
    if not colon:
        problems.add(number, f"task {quoted(name)} has no score (write 'Task: score: actors')")
        return None
    if not name:
        problems.add(number, "a task needs a name before ':'")
        return None
    score_text, _, actors_text = data.partition(":")
    score_text = score_text.strip()
    if not score_text:
        problems.add(number, f"task {quoted(name)} has no score")
        return None
    score = _number(score_text)
    if score is None:
        problems.add(number, f"score {quoted(score_text)} of task {quoted(name)} is not a number")
        return None
    if not MERMAID_SCALE.contains(score):
        problems.add(number, f"score {number_text(score)} of task {quoted(name)} is outside 1-5")
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
    ImportProblemError
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
    problems = ProblemList()
    for spec in KINDS.values():
        for record in jm.collection(spec.name):
            for name, message in spec.check(jm, record):
                problems.add(lines.get(id(record), ""), f"{spec.label} {name}: {message}")
    problems.raise_if_any(source)
    return jm


def load_mermaid(path: str | Path, max_bytes: int = MAX_BYTES) -> JourneyMap:
    """Read a ``.mmd`` file (or a Markdown file holding a journey) of at most
    ``max_bytes`` as a map."""
    source = str(path)
    text = read_utf8(path, max_bytes=max_bytes)
    return journey_to_map(parse_mermaid(text, source), Path(path).stem, source)
