"""Fuzz the Mermaid journey importer and exporter with hostile text (issue 9).

* Import: random text, random bytes, and valid journeys mutated (pieces that
  broke a parser once inserted, lines cut, doubled and swapped) give a map
  or the importer's error (:class:`ImportProblemError`, at most 50 problems
  then a count, each naming the file), nothing else; a map that comes out
  exports as valid statements.
* Export: maps with hostile text in every text field (title, accTitle,
  accDescr, stage, touch point and persona names, and the fields Mermaid
  does not show) export as lines that are each one journey statement (none
  a directive, a comment of ours excepted), and import again as the same
  sections, tasks, scores and actors.

Budget: ``FUZZ_EXAMPLES`` cases per test (a few in ``make test``, 10,000 in
``make fuzz``).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from journeymap.interop.errors import ImportProblemError
from journeymap.interop.mermaid import (
    journey_to_map,
    load_mermaid,
    parse_mermaid,
)
from journeymap.interop.mermaidwrite import map_to_mermaid
from journeymap.model import JourneyMap, Observation, Persona, Scale, Stage, TouchPoint
from tests.fuzzbudget import FUZZ_EXAMPLES
from tests.test_mermaid import DOCS_EXAMPLE, LINE_BREAKS, shape, shape_of_map, statement_problems

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIECES = [
    # Mermaid syntax: directives, comments, statements, separators
    '%%{init: {"theme":"dark"}}%%', "%%{init: {'theme': 'forest'}}%%", "%%", "%", "{", "}",
    "}%%", ":", "::", ";", "#", ",", ": 3: Me", ": 9", ": 1e999", ": nan", ": \u0663",
    "journey", "Journey", "title ", "title x", "section ", "section x", "\u017fection x",
    "section \u200b", "\nsection \u200b\u200b\n", ": 3: \u200b",
    "accTitle: y", "accDescr: z", "accDescr {", "accDescr { a } ", "---", "```mermaid",
    "~~~mermaid", "```", "<br>", "<b>x</b>", "&amp;", '"', "'", "\\",
    # line breaks, controls, invisible and odd characters
    *LINE_BREAKS, "\t", "\x00", "\x01", "\x1b", "\x1f", "\x7f", "\x9f",
    "\u200b", "\u200b\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066",
    "\ufffe", "\uffff", "\ufffd", "\ud800", "\udfff", "\U0001f600", "e\u0301", "\u212a",
    "\u65e5\u672c", "\u0645\u0631\u062d\u0628\u0627", "\u3000", "\xa0", " ", "  ",
]  # fmt: skip

text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=6).map("".join)
#: The model refuses blank names.
name = text.filter(lambda s: s.strip())


def check_import_error(error: ImportProblemError, source: str) -> None:
    """The importer's error names the file, lists at most 50 problems, and stays short."""
    lines = str(error).splitlines()
    assert 1 <= len(lines) <= 51
    assert all(line.startswith(f"{source}:") for line in lines)
    assert all(len(line) < 1200 for line in lines)
    assert error.problems and len(error.problems) <= 50


def import_text(source_text: str, source: str = "fuzz.mmd") -> JourneyMap | None:
    """The map ``source_text`` imports as, or None after checking the importer's error."""
    try:
        jm = journey_to_map(parse_mermaid(source_text, source), source=source)
    except ImportProblemError as error:
        check_import_error(error, source)
        event("refused with the importer's error")
        return None
    event("imported")
    return jm


def check_exported(jm: JourneyMap) -> None:
    exported = map_to_mermaid(jm)
    exported.encode("utf-8")
    assert not any(line.lstrip().startswith("%%{") for line in exported.splitlines())
    assert statement_problems(exported) == []
    again = journey_to_map(parse_mermaid(exported, "exported.mmd"))
    assert shape_of_map(again) == shape_of_map(jm)
    # Once through, stable (but for the notes on touch points with no reality score).
    assert without_notes(map_to_mermaid(again)) == without_notes(exported)


def without_notes(exported: str) -> list[str]:
    return [line for line in exported.split("\n") if not line.startswith("      %% ")]


# ---------------------------------------------------------------------------
# Import


SEEDS = [
    DOCS_EXAMPLE,
    "journey\n  accTitle: A visit\n  accDescr {\n    Two steps,\n    two sections.\n  }\n"
    "  section Arrive\n    Find the door: 2: Me\n  section Leave; Go: 5: Me, Cat\n",
    "---\ntitle: Front\n---\njourney\nsection A\n  T: 3:\n  U: 4 %% note\n# c\n",
    "# Doc\n\n```mermaid\njourney\n  title In Markdown\n  section S\n    Step: 4: Me\n```\n",
]


@st.composite
def mutated_journeys(draw) -> str:
    source = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(source)))
        action = draw(st.sampled_from(["insert", "insert", "cut", "double", "swap"]))
        if action == "insert":
            source = source[:at] + draw(text) + source[at:]
        elif action == "cut":
            source = source[:at] + source[at + draw(st.integers(1, 12)) :]
        else:
            lines = source.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if action == "double":
                lines.insert(i, lines[j])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            source = "\n".join(lines)
    return source


@FUZZ
@given(
    source=st.one_of(
        text,
        st.text(),
        st.lists(text, max_size=8).map(lambda lines: "journey\n" + "\n".join(lines)),
    )
)
def test_random_text_imports_as_a_map_or_the_importers_error(source):
    jm = import_text(source)
    if jm is not None:
        check_exported(jm)


@FUZZ
@given(source=mutated_journeys())
def test_mutated_journeys_import_or_fail_cleanly(source):
    jm = import_text(source)
    if jm is not None:
        check_exported(jm)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz-mermaid")


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=200),
        mutated_journeys().map(lambda s: s.encode("utf-8", "surrogatepass")),
        mutated_journeys().map(lambda s: s.encode("utf-16", "surrogatepass")),
    ),
    suffix=st.sampled_from([".mmd", ".md"]),
)
def test_any_file_loads_as_a_map_or_the_importers_error(folder, data, suffix):
    path = folder / f"journey{suffix}"
    path.write_bytes(data)
    try:
        jm = load_mermaid(path)
    except ImportProblemError as error:
        check_import_error(error, str(path))
        event("refused with the importer's error")
    else:
        event("imported")
        check_exported(jm)


# ---------------------------------------------------------------------------
# Export


@st.composite
def hostile_maps(draw) -> JourneyMap:
    scale = draw(st.sampled_from([Scale(1, 5), Scale(0, 10), Scale(-3, 3), Scale(0, 1)]))
    personas = [Persona(f"p{i}", draw(name), draw(text)) for i in range(draw(st.integers(0, 3)))]
    stages = [Stage(f"s{i}", draw(name), draw(text)) for i in range(draw(st.integers(1, 3)))]
    touchpoints = [
        TouchPoint(f"t{i}", draw(name), draw(st.sampled_from(stages)).id, description=draw(text))
        for i in range(draw(st.integers(0, 5)))
    ]
    score = (
        st.none() | st.integers(int(scale.min), int(scale.max)) | st.floats(scale.min, scale.max)
    )
    observations = [
        Observation(
            f"o{i}",
            draw(st.sampled_from(touchpoints)).id,
            "imported",
            observer=draw(text),
            persona=draw(st.sampled_from([None, *[p.id for p in personas]])),
            reality=draw(score),
            note=draw(text),
            quote=draw(text),
        )
        for i in range(draw(st.integers(0, 8)) if touchpoints else 0)
    ]
    accessible = draw(
        st.fixed_dictionaries({}, optional={"accTitle": text, "accDescr": text, "x": text})
    )
    return JourneyMap.from_records(
        title=draw(text),
        scale=scale,
        personas=personas,
        stages=stages,
        touchpoints=touchpoints,
        observations=observations,
        extra={"mermaid": accessible} if draw(st.booleans()) else {},
    )


@FUZZ
@given(jm=hostile_maps())
def test_hostile_maps_export_as_journey_statements_and_import_the_same(jm):
    check_exported(jm)
    journey = parse_mermaid(map_to_mermaid(jm))
    assert [len(s.tasks) for s in journey.sections] == [
        len([t for t in jm.touchpoints if t.stage == s.id]) for s in jm.stages
    ]
    assert all(score in (1, 2, 3, 4, 5) for _, tasks in shape(journey) for _, score, _ in tasks)
