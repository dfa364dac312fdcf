"""Mermaid journeys in and out."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings

from journeymap.interop.errors import ImportProblemError
from journeymap.interop.mermaid import (
    journey_to_map,
    load_mermaid,
    map_to_mermaid,
    parse_mermaid,
    safe_text,
    to_mermaid_score,
)
from journeymap.model import Scale
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
    for raw in ["Desk: ask here", "Room #3", "Hours; weekends", "Two\nlines", "50% off"]:
        safe = safe_text(raw)
        assert not any(c in safe for c in ":#;%\n")
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
