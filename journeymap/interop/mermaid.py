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
from dataclasses import dataclass, field
from pathlib import Path

from journeymap.fileio.errors import Problem
from journeymap.interop.errors import ImportProblemError, read_utf8
from journeymap.model.analysis import ObservationFilter, select
from journeymap.model.entities import Observation, Persona, Scale, Stage, TouchPoint, Transition
from journeymap.model.journey import JourneyMap

#: Mermaid draws scores 1 to 5 as faces.
MERMAID_SCALE = Scale(1, 5)
#: Where the map keeps Mermaid's accessibility title and description.
EXTRA_KEY = "mermaid"

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
            meaningful = [t for _, t in body if t.strip() and not t.strip().startswith("%%")]
            if meaningful and meaningful[0].strip().lower().startswith("journey"):
                return body
            i = j
        i += 1
    return numbered


def parse_mermaid(text: str, source: str = "<mermaid>") -> MermaidJourney:
    """Parse a Mermaid journey, reporting every problem with its line."""
    journey = MermaidJourney()
    problems: list[Problem] = []
    lines = _mermaid_lines(text)
    index = 0

    # Front matter (--- ... ---) may give the title.
    while index < len(lines) and not lines[index][1].strip():
        index += 1
    if index < len(lines) and lines[index][1].strip() == "---":
        index += 1
        while index < len(lines) and lines[index][1].strip() != "---":
            key, _, value = lines[index][1].partition(":")
            if key.strip().lower() == "title":
                journey.title = value.strip().strip("\"'")
            index += 1
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
            problems.append(
                Problem(str(number), f"a Mermaid journey starts with 'journey', not {stripped!r}")
            )
        break
    if not seen_header:
        if not problems:
            problems.append(Problem("", "no Mermaid journey found: the file is empty"))
        raise ImportProblemError(source, problems)

    section: MermaidSection | None = None
    while index < len(lines):
        number, raw = lines[index]
        index += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("%%"):
            continue
        # Accessibility values run to the end of the line, comments and all.
        if match := _ACC_TITLE.match(stripped):
            journey.acc_title = match.group(1).strip()
            continue
        if match := _ACC_DESCR.match(stripped):
            journey.acc_descr = match.group(1).strip()
            continue
        if match := _ACC_DESCR_BLOCK.match(stripped):
            parts, rest, start = [], match.group(1), number
            while "}" not in rest:
                parts.append(rest)
                if index >= len(lines):
                    problems.append(Problem(str(start), "'accDescr {' is never closed with '}'"))
                    break
                rest = lines[index][1]
                index += 1
            else:
                parts.append(rest[: rest.index("}")])
            journey.acc_descr = "\n".join(p.strip() for p in parts).strip()
            continue
        for statement in _strip_comment(stripped).split(";"):
            statement = statement.strip()
            if not statement:
                continue
            if match := _TITLE.match(statement):
                journey.title = _unmask(match.group(1))
            elif match := _SECTION.match(statement):
                name = _unmask(match.group(1))
                if ":" in name:
                    problems.append(
                        Problem(str(number), f"a section name cannot hold ':' ({name!r})")
                    )
                section = MermaidSection(name, number)
                journey.sections.append(section)
            elif statement.lower() == "journey":
                problems.append(Problem(str(number), "'journey' may appear only once, at the top"))
            else:
                task = _parse_task(statement, number, problems)
                if task is not None:
                    if section is None:
                        section = MermaidSection("Journey", number)
                        journey.sections.append(section)
                    section.tasks.append(task)
    if problems:
        raise ImportProblemError(source, problems)
    return journey


def _parse_task(statement: str, number: int, problems: list[Problem]) -> MermaidTask | None:
    name, colon, data = statement.partition(":")
    name = _unmask(name)
    if not colon:
        problems.append(
            Problem(str(number), f"task {name!r} has no score (write 'Task: score: actors')")
        )
        return None
    if not name:
        problems.append(Problem(str(number), "a task needs a name before ':'"))
        return None
    score_text, _, actors_text = data.partition(":")
    score_text = score_text.strip()
    if not score_text:
        problems.append(Problem(str(number), f"task {name!r} has no score"))
        return None
    score = _number(score_text)
    if score is None:
        problems.append(
            Problem(str(number), f"score {score_text!r} of task {name!r} is not a number")
        )
        return None
    if not MERMAID_SCALE.contains(score):
        problems.append(Problem(str(number), f"score {score_text} of task {name!r} is outside 1-5"))
        return None
    actors = [_unmask(a) for a in actors_text.split(",")]
    return MermaidTask(name, score, [a for a in actors if a], number)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Ids:
    """Readable ids made from names, unique across a map."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def make(self, prefix: str, name: str) -> str:
        base = f"{prefix}{_slug(name) or 'item'}"
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate


def journey_to_map(journey: MermaidJourney, default_title: str = "Imported journey") -> JourneyMap:
    """Build a map from a parsed journey (see the module docstring for the mapping)."""
    ids = _Ids()
    stages: list[Stage] = []
    touchpoints: list[TouchPoint] = []
    personas: dict[str, Persona] = {}
    observations: list[Observation] = []
    for section in journey.sections:
        stage = Stage(ids.make("s-", section.name), section.name)
        stages.append(stage)
        for task in section.tasks:
            tp = TouchPoint(ids.make("t-", task.name), task.name, stage.id)
            touchpoints.append(tp)
            for actor in task.actors or [None]:
                persona_id = None
                if actor is not None:
                    if actor not in personas:
                        personas[actor] = Persona(ids.make("p-", actor), actor)
                    persona_id = personas[actor].id
                observations.append(
                    Observation(
                        f"o{len(observations) + 1}",
                        tp.id,
                        "imported",
                        persona=persona_id,
                        reality=task.score,
                    )
                )
    transitions = [Transition(a.id, b.id) for a, b in itertools.pairwise(touchpoints)]
    extra = {}
    accessible = {"accTitle": journey.acc_title, "accDescr": journey.acc_descr}
    if any(accessible.values()):
        extra[EXTRA_KEY] = {k: v for k, v in accessible.items() if v}
    return JourneyMap.from_records(
        title=journey.title or default_title,
        scale=Scale(MERMAID_SCALE.min, MERMAID_SCALE.max),
        personas=personas.values(),
        stages=stages,
        touchpoints=touchpoints,
        transitions=transitions,
        observations=observations,
        extra=extra,
    )


def load_mermaid(path: str | Path) -> JourneyMap:
    """Read a ``.mmd`` file (or a Markdown file holding a journey) as a map."""
    source = str(path)
    text = read_utf8(path)
    return journey_to_map(parse_mermaid(text, source), default_title=Path(path).stem)


# ---------------------------------------------------------------------------
# Writing

# Characters Mermaid reads as syntax, and look-alikes that read as text.
_UNSAFE = str.maketrans(
    {
        ":": "\u2236",  # RATIO, looks like a colon
        "#": "\uff03",  # FULLWIDTH NUMBER SIGN
        ";": "\uff1b",  # FULLWIDTH SEMICOLON
        "%": "\uff05",  # FULLWIDTH PERCENT SIGN: Mermaid starts comments at '%'
        "\r": " ",
        "\n": " ",
        "\t": " ",
    }
)
_UNSAFE_IN_TITLE = {k: v for k, v in _UNSAFE.items() if k != ord(":")}
_KEYWORD_START = re.compile(r"^(journey|title\s|section\s|acctitle|accdescr)", re.IGNORECASE)


def safe_text(text: str, *, actor: bool = False, title: bool = False) -> str:
    """Text Mermaid will read back as the same words, in one line.

    A title may keep its colons: Mermaid reads a title to the end of the line.
    """
    table = _UNSAFE_IN_TITLE if title else _UNSAFE
    safe = " ".join(text.translate(table).split())
    if actor:
        safe = safe.replace(",", "\uff0c")  # FULLWIDTH COMMA: actors are comma-separated
    if _KEYWORD_START.match(safe):
        # A name such as "Journey planner" would be read as a keyword; an
        # invisible zero-width space after its first letter prevents that.
        safe = safe[0] + _ZERO_WIDTH + safe[1:]
    return safe or "?"


def to_mermaid_score(value: float, scale: Scale) -> int:
    """A score on the map's scale, rescaled to Mermaid's 1-5 and rounded half up."""
    share = (value - scale.min) / scale.span
    return max(1, min(5, math.floor(1 + 4 * share + 0.5)))


def map_to_mermaid(journey: JourneyMap, flt: ObservationFilter | None = None) -> str:
    """The map as a Mermaid journey: stages as sections, touch points as tasks.

    A task's score is the mean reality of its observations, rescaled to 1-5;
    its actors are the personas of those observations, in order of first
    appearance.  A touch point with no reality score gets the middle score
    3, with a comment saying so.
    """
    lines = ["journey", f"    title {safe_text(journey.title or 'Untitled journey', title=True)}"]
    accessible = journey.extra.get(EXTRA_KEY)
    if isinstance(accessible, dict):
        if isinstance(accessible.get("accTitle"), str) and accessible["accTitle"].strip():
            lines.append(f"    accTitle: {' '.join(accessible['accTitle'].split())}")
        descr = accessible.get("accDescr")
        if isinstance(descr, str) and descr.strip():
            if "\n" in descr.strip():
                body = descr.strip().replace("}", ")").splitlines()
                lines.append("    accDescr {")
                lines += [f"        {line.strip()}" for line in body]
                lines.append("    }")
            else:
                lines.append(f"    accDescr: {descr.strip()}")
    persona_names = {p.id: p.name for p in journey.personas}
    by_stage: dict[str, list[TouchPoint]] = {s.id: [] for s in journey.stages}
    for tp in journey.touchpoints:
        by_stage[tp.stage].append(tp)
    for stage in journey.stages:
        lines.append(f"    section {safe_text(stage.name)}")
        for tp in by_stage[stage.id]:
            observations = select(journey.observations_for(tp.id), flt)
            realities = [o.reality for o in observations if o.reality is not None]
            actors: list[str] = []
            for o in observations:
                if o.persona is not None and persona_names[o.persona] not in actors:
                    actors.append(persona_names[o.persona])
            if realities:
                score = to_mermaid_score(math.fsum(realities) / len(realities), journey.scale)
            else:
                score = 3
                lines.append(f"      %% no reality score observed for {safe_text(tp.name)}")
            task = f"      {safe_text(tp.name)}: {score}"
            if actors:
                task += ": " + ", ".join(safe_text(a, actor=True) for a in actors)
            lines.append(task)
    return "\n".join(lines) + "\n"
