"""Property tests: valid maps round-trip, and no corruption escapes the loader's error."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.fileio import MapLoadError, dumps, loads
from journeymap.model import (
    CHANNELS,
    METHODS,
    TRANSITION_KINDS,
    JourneyMap,
    Observation,
    Persona,
    Scale,
    Stage,
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
extras = st.dictionaries(st.text(max_size=8).map(lambda s: "x-" + s), json_values, max_size=2)


@st.composite
def journey_maps(draw) -> JourneyMap:
    lo = draw(st.integers(-5, 5))
    scale = Scale(lo, lo + draw(st.integers(1, 10)), draw(extras))
    score = st.none() | st.integers(scale.min, scale.max) | st.floats(scale.min, scale.max)
    ids = iter(draw(st.lists(names, min_size=60, max_size=60, unique=True)))

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
            Transition(s, t, draw(free_text), draw(st.sampled_from(TRANSITION_KINDS)), draw(extras))
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
                tags=draw(st.lists(names, max_size=3)),
                photos=draw(
                    st.lists(
                        st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8})?\.jpg", fullmatch=True), max_size=2
                    )
                ),
                extra=draw(extras),
            )
        )
    return JourneyMap.from_records(
        title=draw(free_text),
        scale=scale,
        personas=personas,
        stages=stages,
        touchpoints=touchpoints,
        transitions=transitions,
        observations=observations,
        extra=draw(extras),
    )


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
FIELDS = {
    "touchpoints": ["id", "name", "stage", "channel", "description", "critical", "position", "x-y"],
    "transitions": ["source", "target", "label", "kind", "x-y"],
    "observations": ["id", "touchpoint", "method", "observer", "date", "persona", "expectation",
                     "reality", "minimum", "emotion", "note", "quote", "tags", "photos", "x-y"],
}  # fmt: skip
odd_values = json_values | st.sampled_from(
    ["", " ", "t-desk", "t-entrance", "s-find", "in-person", "main", "loop", "shadowing",
     "p-student", "2026-02-30", "2026-10-01", "../x.jpg", "a.jpg", 0, 5, 6, 2.5, -1.0,
     float("nan"), float("inf"), [], ["a", 1], {"x": 1, "y": 2}, {"x": "1", "y": 2}, False, None]
)  # fmt: skip


def load_carefully(doc):
    """The loader with its bulk fast path switched off."""
    from unittest import mock

    from journeymap.fileio import fastpath, jsonformat

    with (
        mock.patch.object(fastpath, "touchpoints", lambda *a: None),
        mock.patch.object(fastpath, "transitions", lambda *a: None),
        mock.patch.object(fastpath, "observations", lambda *a: None),
    ):
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
