"""Property tests: valid maps round-trip, and no corruption escapes the loader's error."""

from __future__ import annotations

import contextlib
import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.fileio import MapLoadError, dumps, loads
from journeymap.fileio.reader import LongInteger
from journeymap.fileio.specs import RECORDS
from journeymap.model import (
    ACTION_KINDS,
    ACTION_STATUSES,
    CHANNELS,
    IDEA_LEVELS,
    IDEA_SCOPES,
    METHODS,
    RULE_COLORS,
    TONE_KINDS,
    TRANSITION_KINDS,
    Action,
    Idea,
    JourneyMap,
    Observation,
    Persona,
    Rule,
    Scale,
    Stage,
    ToneTerm,
    TouchPoint,
    Transition,
)
from tests.conftest import SAMPLES

names = st.text(min_size=1, max_size=15).filter(lambda s: s.strip())
free_text = st.text(max_size=30)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | free_text
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(free_text, inner, max_size=3),
    max_leaves=6,
)
# Tags the model accepts (model.validation.tag_problem): no ';', no spaces around.
tags = names.map(lambda s: s.replace(";", ",").strip() or "t")
extras = st.dictionaries(st.text(max_size=8).map(lambda s: "x-" + s), json_values, max_size=2)


@st.composite
def journey_maps(draw) -> JourneyMap:
    lo = draw(st.integers(-5, 5))
    scale = Scale(lo, lo + draw(st.integers(1, 10)), draw(extras))
    score = st.none() | st.integers(scale.min, scale.max) | st.floats(scale.min, scale.max)
    ids = iter(draw(st.lists(names, min_size=80, max_size=80, unique=True)))

    personas = [
        Persona(next(ids), draw(names), draw(free_text), draw(extras))
        for _ in range(draw(st.integers(0, 3)))
    ]
    stages = [
        Stage(next(ids), draw(names), draw(free_text), draw(extras))
        for _ in range(draw(st.integers(1, 4)))
    ]
    touchpoints = []
    for _ in range(draw(st.integers(0, 8))):
        position = draw(st.none() | st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)))
        touchpoints.append(
            TouchPoint(
                next(ids),
                draw(names),
                draw(st.sampled_from(stages)).id,
                draw(st.sampled_from(CHANNELS)),
                draw(free_text),
                draw(st.booleans()),
                position,
                draw(extras),
            )
        )
    tp_ids = [t.id for t in touchpoints]
    transitions = []
    if tp_ids:
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(tp_ids), st.sampled_from(tp_ids)),
                max_size=10,
                unique=True,
            )
        )
        transitions = [
            Transition(
                s,
                t,
                draw(free_text),
                draw(st.sampled_from(TRANSITION_KINDS)),
                draw(extras),
                # At most 10 transitions leave a touch point: the sum stays within 1.
                share=draw(st.none() | st.floats(0, 0.1)),
            )
            for s, t in pairs
        ]
    observations = []
    for _ in range(draw(st.integers(0, 10)) if tp_ids else 0):
        observations.append(
            Observation(
                id=next(ids),
                touchpoint=draw(st.sampled_from(tp_ids)),
                method=draw(st.sampled_from(METHODS)),
                observer=draw(free_text),
                date=draw(st.none() | st.dates()),
                persona=draw(st.none() | st.sampled_from([p.id for p in personas] or [None])),
                expectation=draw(score),
                reality=draw(score),
                minimum=draw(score),
                emotion=draw(score),
                note=draw(free_text),
                quote=draw(free_text),
                tags=draw(st.lists(tags, max_size=3)),
                photos=draw(
                    st.lists(
                        st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8})?\.jpg", fullmatch=True), max_size=2
                    )
                ),
                extra=draw(extras),
            )
        )
    decisions = decision_records(draw, ids, tp_ids) if tp_ids else {}
    return JourneyMap.from_records(
        title=draw(free_text),
        scale=scale,
        personas=personas,
        stages=stages,
        touchpoints=touchpoints,
        transitions=transitions,
        observations=observations,
        extra=draw(extras),
        **decisions,
    )


def decision_records(draw, ids, tp_ids: list[str]) -> dict[str, list]:
    """Actions, rules, ideas and tone terms (format version 2) at ``tp_ids``."""
    tp = st.sampled_from(tp_ids)
    actions = [
        Action(next(ids), draw(tp), draw(st.sampled_from(ACTION_KINDS)), draw(names),
               draw(free_text), draw(st.none() | st.dates()),
               draw(st.sampled_from(ACTION_STATUSES)), draw(extras))
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    rules = [
        Rule(next(ids), draw(st.none() | tp), draw(st.sampled_from(RULE_COLORS)), draw(names),
             draw(free_text), draw(extras))
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    ideas = [
        Idea(next(ids), draw(st.none() | tp), draw(names), draw(st.sampled_from(IDEA_LEVELS)),
             draw(st.sampled_from(IDEA_SCOPES)), draw(extras))
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    tone = [
        ToneTerm(next(ids), draw(st.sampled_from(TONE_KINDS)), draw(free_text), draw(extras))
        for _ in range(draw(st.integers(0, 2)))
    ]
    return {"actions": actions, "rules": rules, "ideas": ideas, "tone": tone}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journey_maps())
def test_random_valid_maps_round_trip(jm):
    text = dumps(jm)
    again = loads(text.encode("utf-8"))
    assert again == jm
    assert dumps(again) == text


SEED_BYTES = (SAMPLES / "cafe_order.journey.json").read_bytes()


@st.composite
def corruptions(draw) -> bytes:
    data = bytearray(SEED_BYTES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "swap-value"]))
        at = draw(st.integers(0, len(data) - 1)) if data else 0
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 50))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "truncate":
            del data[at:]
        else:
            token = draw(
                st.sampled_from(
                    [
                        b"null",
                        b"true",
                        b"[]",
                        b"{}",
                        b"NaN",
                        b"-Infinity",
                        b'"\\ud800"',
                        b"1e999",
                        b'"x"',
                        b"-7",
                        b"[[[[]]]]",
                    ]
                )
            )
            start = data.find(b": ", at)
            end = data.find(b",", start)
            if start != -1 and end != -1:
                data[start + 2 : end] = token
    return bytes(data)


@settings(max_examples=400, deadline=None)
@given(corruptions())
def test_corrupted_files_raise_only_the_loaders_error(data):
    try:
        jm = loads(data, source="corrupt.journey.json")
    except MapLoadError as exc:
        assert exc.problems
        assert all(line.startswith("corrupt.journey.json") for line in str(exc).splitlines())
    else:
        # Whatever loads must also save and load again.
        assert loads(dumps(jm).encode("utf-8")) == jm


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_value_is_loaded_or_refused(value):
    with contextlib.suppress(MapLoadError):
        loads(json.dumps(value).encode("utf-8"))


SEED_DOC = json.loads((SAMPLES / "library_visit.journey.json").read_text(encoding="utf-8"))
# Every key of every kind, from the file spec, and keys it does not know:
# "x-y", and "extra", the records' attribute for those.
FIELDS = {spec.array: [*spec.keys, "x-y", "extra"] for spec in RECORDS}
# Values right for one field and wrong for another: every choice of every field.
CHOICES = sorted(set().union(*(f.choices for s in RECORDS for f in s.fields if f.choices)))
ODD = ["", " ", "t-desk", "t-entrance", "s-find", "p-student", "2026-02-30", "2026-10-01",
       "../x.jpg", "/x.jpg", "a.jpg", 0, 1, 5, 6, 2.5, -1.0, float("nan"), float("inf"), True,
       False, None, [], ["a", 1], ["a.jpg"], ["../x.jpg"], {}, {"x": 1, "y": 2},
       {"x": "1", "y": 2}, {"x": 1, "y": float("nan")},
       # At and beyond the limits (scores and positions within +-1e6), and an
       # integer too long to read (as the parser gives it).
       1e6, -1e6, 1_000_001, -2e6, 1e308, 5e-324, 10**400, LongInteger("9" * 5000),
       {"x": 1e6, "y": -1e6}, {"x": 1e6 + 1, "y": 0}, {"x": 10**400, "y": 0}]  # fmt: skip
odd_values = json_values | st.sampled_from(ODD + CHOICES)


def load_carefully(doc):
    """The loader with its bulk fast path switched off."""
    from unittest import mock

    from journeymap.fileio import fastpath, jsonformat

    with mock.patch.object(fastpath, "records", lambda *a: None):
        return jsonformat.map_from_document(doc)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(FIELDS)), st.integers(0, 10_000), st.data()),
        min_size=1,
        max_size=3,
    )
)
def test_fast_path_agrees_with_the_careful_reader(edits):
    from journeymap.fileio import jsonformat

    doc = json.loads(json.dumps(SEED_DOC))
    for array, index, data in edits:
        record = doc[array][index % len(doc[array])]
        field = data.draw(st.sampled_from(FIELDS[array]))
        if data.draw(st.booleans()):
            record[field] = data.draw(odd_values)
        else:
            record.pop(field, None)
    fast_map, fast_problems = jsonformat.map_from_document(doc)
    careful_map, careful_problems = load_carefully(doc)
    assert fast_problems == careful_problems
    assert fast_map == careful_map


def test_the_fast_path_reads_every_sample_map():
    """Sound maps never need the careful reader (which is many times slower)."""
    from unittest import mock

    from journeymap.fileio import jsonformat
    from journeymap.fileio.reader import Reader

    for path in sorted(SAMPLES.glob("*.journey.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        with mock.patch.object(Reader, "records", side_effect=AssertionError(path.name)):
            journey, problems = jsonformat.map_from_document(doc)
        assert journey is not None and not problems


# A small map whose first records hold every key, for the exhaustive test below.
SMALL_DOC = {
    "format": "journeymap", "version": 2, "title": "Small", "scale": {"min": 1, "max": 5},
    "personas": [{"id": "p-a", "name": "A", "goal": "g"}, {"id": "p-b", "name": "B"}],
    "stages": [{"id": "s-a", "name": "A", "description": "d"}, {"id": "s-b", "name": "B"}],
    "touchpoints": [
        {"id": "t-a", "name": "A", "stage": "s-a", "channel": "web", "description": "d",
         "critical": True, "position": {"x": 1, "y": 2.5}},
        {"id": "t-b", "name": "B", "stage": "s-b"},
    ],
    "transitions": [
        {"source": "t-a", "target": "t-b", "label": "l", "kind": "failure", "share": 0.6},
        {"source": "t-b", "target": "t-a"},
        # With the share above, the shares leaving t-a sum to 1: any more is refused.
        {"source": "t-a", "target": "t-a", "kind": "loop", "share": 0.4},
    ],
    "observations": [
        {"id": "o-a", "touchpoint": "t-a", "method": "survey", "observer": "Ana",
         "date": "2026-10-01", "persona": "p-a", "expectation": 4, "reality": 2.5, "minimum": 1,
         "emotion": 5, "note": "n", "quote": "q", "tags": ["x"], "photos": ["a.jpg"]},
        {"id": "o-b", "touchpoint": "t-b", "method": "shadowing"},
    ],
    "actions": [
        {"id": "a-a", "touchpoint": "t-a", "kind": "stop", "text": "x", "owner": "Ana",
         "due": "2026-11-01", "status": "doing"},
        {"id": "a-b", "touchpoint": "t-b", "kind": "start", "text": "y"},
    ],
    "rules": [
        {"id": "r-a", "touchpoint": "t-a", "color": "red", "text": "x", "intent": "i"},
        {"id": "r-b", "touchpoint": None, "color": "green", "text": "y"},
    ],
    "ideas": [
        {"id": "i-a", "touchpoint": "t-b", "text": "x", "level": "innovative",
         "scope": "community"},
        {"id": "i-b", "touchpoint": None, "text": "y", "level": "standard",
         "scope": "individual"},
    ],
    "tone": [
        {"term": "OPAC", "kind": "jargon", "suggest": "catalogue"},
        {"term": "no food", "kind": "prohibitive", "suggest": "snacks in the lobby"},
    ],
}  # fmt: skip
SMALL_IDS = ["p-a", "p-b", "s-a", "s-b", "t-a", "t-b", "o-a", "o-b", "a-a", "a-b", "r-a", "r-b",
             "i-a", "i-b", "OPAC", "no food"]  # fmt: skip
DELETE = object()


@pytest.mark.parametrize("spec", RECORDS, ids=lambda spec: spec.array)
def test_fast_path_agrees_on_every_single_odd_field(spec):
    """Each key of the spec (and unknown ones) set to each odd value, or
    deleted: the fast path gives what the careful reader gives."""
    from journeymap.fileio import jsonformat

    tried = 0
    for key in FIELDS[spec.array]:
        for value in [DELETE, *ODD, *CHOICES, *SMALL_IDS]:
            doc = copy.deepcopy(SMALL_DOC)
            if value is DELETE:
                doc[spec.array][0].pop(key, None)
            else:
                doc[spec.array][0][key] = value
            fast = jsonformat.map_from_document(copy.deepcopy(doc))
            assert fast == load_carefully(doc), (spec.array, key, value)
            tried += 1
    assert tried > 100


@pytest.mark.parametrize("key", ["title", "scale", *(spec.array for spec in RECORDS)])
@pytest.mark.parametrize("value", [None, LongInteger("1" * 5000), 10**400, {"min": None}])
def test_fast_path_agrees_on_odd_top_level_values(key, value):
    from journeymap.fileio import jsonformat

    doc = copy.deepcopy(SMALL_DOC)
    doc[key] = value
    assert jsonformat.map_from_document(copy.deepcopy(doc)) == load_carefully(doc), key
