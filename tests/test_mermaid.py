"""Mermaid journeys in and out."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings

from journeymap.interop import mermaid
from journeymap.interop.errors import ImportProblemError
from journeymap.interop.mermaid import (
    journey_to_map,
    load_mermaid,
    parse_mermaid,
)
from journeymap.interop.mermaidwrite import map_to_mermaid, safe_text, to_mermaid_score
from journeymap.model import JourneyMap, Observation, Persona, Scale, Stage, TouchPoint
from tests.test_loader_properties import journey_maps

# The example from Mermaid's documentation.
DOCS_EXAMPLE = """journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
"""


def shape(journey):
    """Sections, tasks, scores and actors: what a round trip must keep."""
    return [(s.name, [(t.name, t.score, t.actors) for t in s.tasks]) for s in journey.sections]


def test_documented_example():
    journey = parse_mermaid(DOCS_EXAMPLE)
    assert journey.title == "My working day"
    assert shape(journey) == [
        ("Go to work", [("Make tea", 5, ["Me"]), ("Go upstairs", 3, ["Me"]),
                        ("Do work", 1, ["Me", "Cat"])]),
        ("Go home", [("Go downstairs", 5, ["Me"]), ("Sit down", 5, ["Me"])]),
    ]  # fmt: skip


def test_documented_example_as_a_map():
    jm = journey_to_map(parse_mermaid(DOCS_EXAMPLE))
    assert jm.title == "My working day"
    assert [s.name for s in jm.stages] == ["Go to work", "Go home"]
    assert [t.name for t in jm.touchpoints] == [
        "Make tea", "Go upstairs", "Do work", "Go downstairs", "Sit down",
    ]  # fmt: skip
    assert [t.stage for t in jm.touchpoints][:3] == [jm.stages[0].id] * 3
    # Chained in order by main transitions, across sections too.
    ids = [t.id for t in jm.touchpoints]
    assert [(t.source, t.target, t.kind) for t in jm.transitions] == [
        (a, b, "main") for a, b in itertools.pairwise(ids)
    ]
    assert [p.name for p in jm.personas] == ["Me", "Cat"]
    work = jm.observations_for(ids[2])
    assert [(o.method, jm.persona(o.persona).name, o.reality, o.expectation) for o in work] == [
        ("imported", "Me", 1, None),
        ("imported", "Cat", 1, None),
    ]
    assert len(jm.observations) == 6


def test_mixed_actor_forms():
    journey = parse_mermaid(
        "journey\nsection S\n  No actors: 4\n  Empty list: 3:\n  Spaced:  2 :  Me ,, Cat ,\n"
    )
    assert shape(journey) == [
        ("S", [("No actors", 4, []), ("Empty list", 3, []), ("Spaced", 2, ["Me", "Cat"])])
    ]
    jm = journey_to_map(journey)
    no_actor = jm.observations_for(jm.touchpoints[0].id)
    assert len(no_actor) == 1 and no_actor[0].persona is None and no_actor[0].reality == 4


def test_comments_case_blank_lines_and_indentation():
    text = """%% a comment before the diagram
# and another

JOURNEY
        TITLE Borrowing a book   %% trailing comment
  %% a comment line
SECTION Find
Search the catalogue: 2: Student   # why so slow?

      section Borrow
    Self-checkout: 1: Student, Parent %% refused the card
"""
    journey = parse_mermaid(text)
    assert journey.title == "Borrowing a book"
    assert shape(journey) == [
        ("Find", [("Search the catalogue", 2, ["Student"])]),
        ("Borrow", [("Self-checkout", 1, ["Student", "Parent"])]),
    ]


def test_accessibility_title_and_multiline_description():
    text = """journey
  accTitle: A library visit: the short version
  accDescr {
     Two steps of a visit,
     told in two sections.
  }
  section Arrive
    Find the door: 2: Me
  accDescr: replaced? no - the block came first
"""
    journey = parse_mermaid(text)
    assert journey.acc_title == "A library visit: the short version"
    assert journey.acc_descr == "replaced? no - the block came first"
    block = parse_mermaid(text.rsplit("  accDescr:", 1)[0])
    assert block.acc_descr == "Two steps of a visit,\ntold in two sections."
    jm = journey_to_map(block)
    exported = map_to_mermaid(jm)
    assert "accTitle: A library visit: the short version" in exported
    assert "accDescr {" in exported and "told in two sections." in exported
    assert parse_mermaid(exported).acc_descr == block.acc_descr


def test_one_line_accdescr_block():
    journey = parse_mermaid("journey\naccDescr { short }\nsection A\n  T: 3\n")
    assert journey.acc_descr == "short"


def test_tasks_before_any_section_get_a_stage():
    jm = journey_to_map(parse_mermaid("journey\n  Wake up: 3: Me\nsection Later\n  Eat: 4\n"))
    assert [s.name for s in jm.stages] == ["Journey", "Later"]


def errors_of(text: str, source: str = "trip.mmd") -> list[str]:
    with pytest.raises(ImportProblemError) as info:
        parse_mermaid(text, source)
    return str(info.value).splitlines()


def test_first_line_must_be_journey():
    assert errors_of("\n\nflowchart LR\n  A --> B\n") == [
        "trip.mmd:3: a Mermaid journey starts with 'journey', not 'flowchart LR'"
    ]
    assert errors_of("") == ["trip.mmd: no Mermaid journey found: the file is empty"]


def test_every_bad_task_is_reported_with_its_line():
    lines = errors_of(
        "journey\nsection A\n  Make tea\n  Boil water:\n  Pour: five: Me\n  Drink: 9\n  Ok: 3\n"
    )
    assert lines == [
        "trip.mmd:3: task 'Make tea' has no score (write 'Task: score: actors')",
        "trip.mmd:4: task 'Boil water' has no score",
        "trip.mmd:5: score 'five' of task 'Pour' is not a number",
        "trip.mmd:6: score 9 of task 'Drink' is outside 1-5",
    ]


def test_unclosed_accdescr_block():
    assert errors_of("journey\naccDescr {\n  never closed\n") == [
        "trip.mmd:2: 'accDescr {' is never closed with '}'"
    ]


def test_round_trip_keeps_sections_tasks_scores_and_actors():
    first = parse_mermaid(DOCS_EXAMPLE)
    exported = map_to_mermaid(journey_to_map(first))
    again = parse_mermaid(exported)
    assert shape(again) == shape(first)
    assert again.title == first.title


def test_export_of_a_sample_rescales_and_lists_actors(library_path):
    from journeymap.fileio import load_map

    jm = load_map(library_path)
    text = map_to_mermaid(jm)
    journey = parse_mermaid(text)
    assert [s.name for s in journey.sections] == [s.name for s in jm.stages]
    storytime = next(t for s in journey.sections for t in s.tasks if t.name.startswith("Story"))
    assert storytime.score == 5
    assert storytime.actors == ["Parent with young children"]


def test_names_mermaid_cannot_hold_are_made_safe():
    for raw in ["Desk: ask here", "Room #3", "Hours; weekends", "Two\nlines", "50% off", "{x}"]:
        safe = safe_text(raw)
        assert not any(c in safe for c in ":#;%{}\n")
    assert "," not in safe_text("Cat, the", actor=True)
    assert safe_text("Plan: a visit", title=True) == "Plan: a visit"  # titles may hold ':'


def test_keyword_like_names_survive_a_round_trip(small_map):
    small_map.update_touchpoint("t-desk", name="Section desk: ask here")
    small_map.update_stage("s-find", name="Journey planner")
    journey = parse_mermaid(map_to_mermaid(small_map))
    assert [s.name for s in journey.sections] == ["Arrive", "Journey planner", "Leave"]
    assert journey.sections[1].tasks[0].name == "Section desk\u2236 ask here"


def test_scores_are_rescaled_to_one_to_five():
    assert to_mermaid_score(0, Scale(0, 10)) == 1
    assert to_mermaid_score(10, Scale(0, 10)) == 5
    assert to_mermaid_score(5, Scale(0, 10)) == 3
    assert to_mermaid_score(3.5, Scale(1, 5)) == 4  # halves round up


def test_touchpoint_without_reality_gets_a_neutral_score_and_a_note(small_map):
    text = map_to_mermaid(small_map)
    assert "%% no reality score observed for" not in text
    small_map.remove_observation("o8")
    text = map_to_mermaid(small_map)
    assert "%% no reality score observed for Leave" in text
    assert "      Leave: 3" in text


def test_markdown_with_a_mermaid_block(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(
        "# Our service\n\n```mermaid\nflowchart LR\n  A-->B\n```\n\nThe journey:\n\n"
        "```mermaid\njourney\n  title From the README\n  section S\n    Step: 4: Me\n```\n",
        encoding="utf-8",
    )
    jm = load_mermaid(path)
    assert jm.title == "From the README"
    broken = tmp_path / "broken.md"
    broken.write_text("text\n\n```mermaid\njourney\n  section S\n    Step\n```\n", encoding="utf-8")
    with pytest.raises(ImportProblemError, match=r"broken.md:6: task 'Step' has no score"):
        load_mermaid(broken)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journey_maps())
def test_any_maps_export_imports_again(jm):
    journey = parse_mermaid(map_to_mermaid(jm))
    assert [s.name for s in journey.sections] == [safe_text(s.name).replace("\u200b", "")
                                                  for s in jm.stages]  # fmt: skip
    assert sum(len(s.tasks) for s in journey.sections) == len(jm.touchpoints)
    for section in journey.sections:
        for task in section.tasks:
            assert 1 <= task.score <= 5
    # And once through, it is stable: export, import, export gives the same text.
    once = map_to_mermaid(journey_to_map(journey))
    assert map_to_mermaid(journey_to_map(parse_mermaid(once))) == once


# ---------------------------------------------------------------------------
# Exports that cannot carry code (issue 9)

ZW = "\u200b"
DIRECTIVE = '%%{init: {"theme":"dark"}}%%'
#: Every line break str.splitlines knows, and so every one the importer splits at.
LINE_BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]

_WORDS = r"[^\s{forbid}]+(?: [^\s{forbid}]+)*"
_TITLE_TEXT = _WORDS.format(forbid="#;%{}")
_NAME = _WORDS.format(forbid=":#;%{}")
_ACTOR = _WORDS.format(forbid=":#;%{},")
_ACC_TEXT = _WORDS.format(forbid="%{}")
_STATEMENTS = [
    re.compile(p)
    for p in (
        rf"    title (?P<title>{_TITLE_TEXT})",
        rf"    accTitle: {_ACC_TEXT}",
        rf"    accDescr: {_ACC_TEXT}",
        rf"    section (?P<name>{_NAME})",
        rf"      %% no reality score observed for (?P<name>{_NAME})",
        rf"      (?P<name>{_NAME}): [1-5](: {_ACTOR}(, {_ACTOR})*)?",
    )
]
_BLOCK_LINE = re.compile(rf"(        (?P<name>{_ACC_TEXT}))?")
_KEYWORD_START = re.compile(r"(journey|title\s|section\s|acctitle|accdescr|`{3}|~{3})", re.I)


def statement_problems(text: str) -> list[str]:
    """Why ``text`` is not made only of the statements the exporter writes (empty: it is).

    Each line must be one statement with text that cannot start another
    statement, a comment or a directive: no line break other than ``\n``, no
    ``%``, ``{``, ``}`` in any text, no ``:``, ``#``, ``;`` in names, no
    control character, and no name that starts like a keyword.
    """
    problems = []
    if not text.endswith("\n") or text.splitlines() != text.split("\n")[:-1]:
        problems.append("a line break other than \\n, or no \\n at the end")
    for c in set(text):
        if c != "\n" and (unicodedata.category(c) in ("Cc", "Cs") or c in "\ufffe\uffff"):
            problems.append(f"character {c!r}")
    lines = text.split("\n")[:-1]
    if not lines or lines[0] != "journey":
        problems.append("the first line is not 'journey'")
    in_block = False
    for number, line in enumerate(lines[1:], start=2):
        if line.lstrip().startswith("%%{"):
            problems.append(f"line {number} is a directive: {line!r}")
        if in_block:
            if line == "    }":
                in_block = False
                continue
            match = _BLOCK_LINE.fullmatch(line)
        elif line == "    accDescr {":
            in_block = True
            continue
        else:
            match = next((m for p in _STATEMENTS if (m := p.fullmatch(line))), None)
        if match is None:
            problems.append(f"line {number} is no statement: {line!r}")
        elif match.groupdict().get("name") and _KEYWORD_START.match(match["name"]):
            problems.append(f"line {number} starts like a keyword: {line!r}")
    if in_block:
        problems.append("accDescr { is never closed")
    return problems


def shape_of_map(jm):
    """What an exported map imports as, by the export's rules (see map_to_mermaid)."""
    names = {p.id: safe_text(p.name, actor=True).replace(ZW, "") for p in jm.personas}
    sections = []
    for stage in jm.stages:
        tasks = []
        for tp in (t for t in jm.touchpoints if t.stage == stage.id):
            obs = jm.observations_for(tp.id)
            realities = [o.reality for o in obs if o.reality is not None]
            mean = math.fsum(realities) / len(realities) if realities else None
            score = 3 if mean is None else to_mermaid_score(mean, jm.scale)
            actors = list(dict.fromkeys(names[o.persona] for o in obs if o.persona))
            tasks.append((safe_text(tp.name).replace(ZW, ""), score, actors))
        sections.append((safe_text(stage.name).replace(ZW, ""), tasks))
    return sections


def hostile_map(text: str, *, field: str | None = None) -> JourneyMap:
    """A small map with ``text`` in one field (``field``), or in every field."""

    def put(name: str, default: str) -> str:
        return text if field in (None, name) else default

    return JourneyMap.from_records(
        title=put("title", "Day"),
        scale=Scale(1, 5),
        personas=[Persona("p1", put("actor", "Me")), Persona("p2", put("actor", "Cat") + "2")],
        stages=[Stage("s1", put("section", "Go")), Stage("s2", "Back")],
        touchpoints=[TouchPoint("t1", put("task", "Tea"), "s1"), TouchPoint("t2", "Sit", "s2")],
        observations=[
            Observation("o1", "t1", "imported", persona="p1", reality=5),
            Observation("o2", "t1", "imported", persona="p2", reality=4),
            Observation("o3", "t2", "imported", reality=1),
        ],
        extra={"mermaid": {"accTitle": put("accTitle", "A"), "accDescr": put("accDescr", "B")}},
    )


INJECTIONS = [
    DIRECTIVE,
    "x\r" + DIRECTIVE,
    "x\rsection Evil",
    "x\u2028" + DIRECTIVE,
    "x\u2029section Evil\u2028Evil: 1: Mallory",
    "x\x85y\vz\fw",
    "x\n}\n" + DIRECTIVE + "\n}",
    "x } " + DIRECTIVE,
    "```mermaid\njourney\n```",
]


@pytest.mark.parametrize("field", ["title", "accTitle", "accDescr", "section", "task", "actor"])
@pytest.mark.parametrize("payload", INJECTIONS, ids=range(len(INJECTIONS)))
def test_no_text_can_start_a_directive_or_a_statement(field, payload):
    jm = hostile_map(payload, field=field)
    text = map_to_mermaid(jm)
    assert "%%{" not in text  # Mermaid applies a directive wherever it is
    assert statement_problems(text) == []
    # And it reads back as the same journey.
    again = journey_to_map(parse_mermaid(text))
    assert shape_of_map(again) == shape_of_map(jm)
    assert [len(s.tasks) for s in parse_mermaid(text).sections] == [1, 1]
    assert map_to_mermaid(again) == text


@pytest.mark.parametrize("brk", LINE_BREAKS)
@pytest.mark.parametrize("field", ["title", "accTitle", "accDescr", "section", "task", "actor"])
def test_every_line_break_becomes_a_space(field, brk):
    text = map_to_mermaid(hostile_map(f"one{brk}section two: 1", field=field))
    assert statement_problems(text) == []
    journey = parse_mermaid(text)
    if field == "accDescr":  # a multi-line description: each line break one line of its block
        assert journey.acc_descr == "one\nsection two: 1"
        # (a line that starts like a keyword gets an invisible space, dropped on import)
        assert f"    accDescr {{\n        one\n        s{ZW}ection two: 1\n    }}\n" in text
        return
    plain = map_to_mermaid(hostile_map("x", field=field))
    assert len(text.splitlines()) == len(plain.splitlines())
    found = {
        "title": journey.title,
        "accTitle": journey.acc_title,
        "section": journey.sections[0].name,
        "task": journey.sections[0].tasks[0].name,
        "actor": journey.sections[0].tasks[0].actors[0],
    }[field]
    assert found.startswith("one ") and "two" in found


def test_accdescr_block_cannot_be_closed_or_carry_a_directive():
    descr = "First line\n}\n" + DIRECTIVE + "\n  } section Evil\n```mermaid"
    jm = hostile_map(descr, field="accDescr")
    text = map_to_mermaid(jm)
    assert statement_problems(text) == []
    assert text.count("}") == 1  # the block's own end
    journey = parse_mermaid(text)
    assert journey.acc_descr == (
        'First line\n\uff5d\n\uff05\uff05\uff5binit: \uff5b"theme":"dark"\uff5d\uff5d\uff05\uff05'
        "\n\uff5d section Evil\n```mermaid"
    )
    assert [s.name for s in journey.sections] == ["Go", "Back"]


def test_hostile_names_round_trip_with_their_replacements():
    names = {
        "title": ("Plan: a day\r" + DIRECTIVE, 'Plan: a day \uff05\uff05\uff5binit: '
                  '\uff5b"theme":"dark"\uff5d\uff5d\uff05\uff05'),
        "section": ("Go\u2028section Evil", "Go section Evil"),
        "task": ("Tea {x}; 50% #1: now\x00",
                 "Tea \uff5bx\uff5d\uff1b 50\uff05 \uff031\u2236 now\ufffd"),
        "actor": ("Me, you\u2029", "Me\uff0c you"),
    }  # fmt: skip
    jm = JourneyMap.from_records(
        title=names["title"][0],
        scale=Scale(0, 10),
        personas=[Persona("p1", names["actor"][0]), Persona("p2", "```mermaid")],
        stages=[Stage("s1", names["section"][0]), Stage("s2", "Journey\u200b")],
        touchpoints=[
            TouchPoint("t1", names["task"][0], "s1"),
            TouchPoint("t2", "\ud800 lone", "s2"),
            TouchPoint("t3", "accDescr { x", "s2"),
        ],
        observations=[
            Observation("o1", "t1", "survey", persona="p1", reality=10),
            Observation("o2", "t1", "survey", persona="p2", reality=0),
            Observation("o3", "t2", "survey", persona="p1", reality=7.5),
        ],
    )
    text = map_to_mermaid(jm)
    text.encode("utf-8")  # a lone surrogate would make the file unwritable
    assert statement_problems(text) == []
    journey = parse_mermaid(text)
    assert journey.title == names["title"][1]
    assert shape(journey) == [
        (names["section"][1], [(names["task"][1], 3, [names["actor"][1], "```mermaid"])]),
        ("Journey", [("\ufffd lone", 4, [names["actor"][1]]), ("accDescr \uff5b x", 3, [])]),
    ]
    again = journey_to_map(journey)
    assert [p.name for p in again.personas] == [names["actor"][1], "```mermaid"]
    assert map_to_mermaid(again).replace("      %% no reality score observed for accDescr "
                                         f"{ZW}\uff5b x\n", "") == text.replace(
        f"      %% no reality score observed for a{ZW}ccDescr \uff5b x\n", "")  # fmt: skip


def test_personas_whose_names_read_the_same_are_one_actor():
    jm = JourneyMap.from_records(
        title="T",
        scale=Scale(1, 5),
        personas=[Persona("p1", "A:b"), Persona("p2", "A\u2236b"), Persona("p3", "A:b\n")],
        stages=[Stage("s1", "S")],
        touchpoints=[TouchPoint("t1", "T", "s1")],
        observations=[
            Observation(f"o{i}", "t1", "imported", persona=f"p{i}", reality=2) for i in (1, 2, 3)
        ],
    )
    text = map_to_mermaid(jm)
    assert "      T: 2: A\u2236b\n" in text
    again = journey_to_map(parse_mermaid(text))
    assert map_to_mermaid(again) == text


def test_scores_of_a_huge_scale_still_rescale():
    assert to_mermaid_score(1e308, Scale(-1e308, 1e308)) == 5
    assert to_mermaid_score(-1e308, Scale(-1e308, 1e308)) == 1
    assert to_mermaid_score(0, Scale(-1e308, 1e308)) == 3
    jm = hostile_map("x", field="title")
    jm.set_scale(Scale(1, 1e6))  # the largest scale a map may have
    for oid in ("o1", "o2"):
        jm.update_observation(oid, reality=1e6)
    assert "      Tea: 5: Me, Cat2\n" in map_to_mermaid(jm)


# ---------------------------------------------------------------------------
# Import: only the importer's error, bounded, in linear time (issue 9)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("journey\nsection \u200b\n  T: 3\n", 2, "a section needs a name"),
        ("journey\nsection \u200b\u200b \u200b\n  T: 3\n", 2, "a section needs a name"),
        ("journey\n\n  \u200b: 3: Me\n", 3, "a task needs a name"),
        (
            "---\ntitle: x\njourney\nsection A\n",
            1,
            "the front matter opened by '---' is never closed",
        ),
    ],
)
def test_empty_names_are_errors_with_their_line(text, line, message):
    with pytest.raises(ImportProblemError) as info:
        journey_to_map(parse_mermaid(text, "z.mmd"), source="z.mmd")
    assert str(info.value).startswith(f"z.mmd:{line}: {message}")


def test_zero_width_actors_are_no_actors():
    journey = parse_mermaid("journey\nsection S\n  T: 3: \u200b, Me, \u200b\u200b \u200b\n")
    jm = journey_to_map(journey)
    assert [p.name for p in jm.personas] == ["Me"]
    assert [o.persona for o in jm.observations] == [jm.personas[0].id]


def test_a_file_with_no_journey_says_so():
    assert errors_of("%% only a comment\n") == [
        "trip.mmd: no Mermaid journey found: no 'journey' statement"
    ]


def test_at_most_fifty_problems_are_listed_then_counted():
    text = "journey\nsection A\n" + "  Bad\n" * 230
    with pytest.raises(ImportProblemError) as info:
        parse_mermaid(text, "trip.mmd")
    lines = str(info.value).splitlines()
    assert len(lines) == 51
    assert lines[0] == "trip.mmd:3: task 'Bad' has no score (write 'Task: score: actors')"
    assert lines[49].startswith("trip.mmd:52: ")
    assert lines[50] == "trip.mmd: \u2026 and 180 more problems"
    assert len(info.value.problems) == 50


def test_quoted_values_are_cut_to_eighty_characters():
    long = "x" * 100_000
    lines = errors_of(f"journey\nsection {long}:\n  {long}\n  T: {long}\n  U: 9{long}\n")
    assert len(lines) == 4
    cut = "'" + "x" * 77 + "\u2026'"  # 80 characters, closing quote kept
    assert len(cut) == 80
    assert lines[0] == f"trip.mmd:2: a section name cannot hold ':' ({cut})"
    assert lines[1] == f"trip.mmd:3: task {cut} has no score (write 'Task: score: actors')"
    assert lines[2] == f"trip.mmd:4: score {cut} of task 'T' is not a number"
    assert lines[3] == f"trip.mmd:5: score '9{'x' * 76}\u2026' of task 'U' is not a number"
    assert all(len(line) < 200 for line in lines)
    assert errors_of(f"{long}\n") == [
        f"trip.mmd:1: a Mermaid journey starts with 'journey', not {cut}"
    ]


class _ProbeBudget(set):
    """A set that fails once it has been asked more than ``budget`` times whether it holds a key."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self.left = budget

    def __contains__(self, key: object) -> bool:
        self.left -= 1
        assert self.left >= 0, "ids are not made in linear time"
        return super().__contains__(key)


@pytest.mark.parametrize(
    ("count", "name"),
    [(20_000, lambda i: "Same"), (3_000, lambda i: "\u65e5\u672c" + chr(0x4E00 + i))],
    ids=["same-named", "non-latin"],
)
def test_ids_of_many_same_named_tasks_are_made_in_linear_time(monkeypatch, count, name):
    made = []
    real_init = mermaid._Ids.__init__

    def counted_init(self):
        real_init(self)
        self.taken = _ProbeBudget(4 * (count + 10))
        made.append(self)

    monkeypatch.setattr(mermaid._Ids, "__init__", counted_init)
    text = "journey\nsection S\n" + "".join(f"  {name(i)}: 3: Me\n" for i in range(count))
    jm = journey_to_map(parse_mermaid(text))
    ids = [t.id for t in jm.touchpoints]
    assert len(ids) == count and len(set(ids)) == count
    assert len(set(ids) | {s.id for s in jm.stages} | {p.id for p in jm.personas}) == count + 2
    assert made and made[0].taken.left >= 0
