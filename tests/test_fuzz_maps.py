"""The map loader against hostile files (issue 9).

* Limits: a message lists at most 50 problems then counts the rest, a value
  or key quoted in it is cut to 80 characters, and a map at the score limit
  analyses to finite numbers, through the command line as a user runs it.
* Fuzz (marked ``fuzz``): valid maps with the value at any JSON path (or a
  key) replaced by a hostile one (numbers huge, tiny, beyond the limit, too
  long to read, NaN and Infinity as numbers and as text; nulls; deep nesting;
  long strings; control characters; lone surrogates; values of the wrong
  type, or right for another field) give a map or :class:`MapLoadError`,
  nothing else.  A map that loads analyses to finite numbers (gaps, gap
  records, stages, gap colours), saves, and loads again equal.  The bulk
  fast path and the careful reader give the same map or the same problems.

Budget: ``FUZZ_EXAMPLES`` cases per fuzz test (a few in ``make test``,
10,000 in ``make fuzz``).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from journeymap.cli import main
from journeymap.fileio import MapLoadError, dumps, jsonformat, load_map, loads
from journeymap.model import CHANNELS, METHODS, TRANSITION_KINDS, JourneyMap
from journeymap.model.analysis import gap_record, stage_gaps, touchpoint_gaps
from journeymap.model.palette import gap_colour
from tests.conftest import SAMPLES
from tests.fuzzbudget import FUZZ_EXAMPLES
from tests.test_fileformat import mutate, problems_of, write
from tests.test_loader_properties import SMALL_DOC, json_values, load_carefully

# --- limits, through the command line ---


def test_at_most_50_problems_are_listed(tmp_path, capsys):
    doc = mutate()
    doc["observations"] = [
        {"id": f"o{i}", "touchpoint": "t-nowhere", "method": "survey"} for i in range(10_000)
    ]
    path = write(tmp_path, doc)
    lines = problems_of(path)
    assert len(lines) == 51
    assert lines[0] == f"{path}: observations[0].touchpoint: unknown touch point 't-nowhere'"
    assert lines[-1] == f"{path}: … and 9,950 more problems"
    with pytest.raises(MapLoadError) as info:
        load_map(path)
    assert len(info.value.problems) == 10_000  # all kept, 50 shown
    for command in ("validate", "gaps"):
        assert main([command, str(path)]) == 1
        out, err = capsys.readouterr()
        assert out == "" and err.splitlines() == lines


def test_values_in_messages_are_cut_to_80_characters(tmp_path, capsys):
    bogus = "s" * 100_000
    doc = mutate(touchpoints__1__stage=bogus, observations__0__date="\x1b[31m" * 20_000)
    doc["touchpoints"].append(dict(doc["touchpoints"][0], id=bogus))
    doc["touchpoints"].append(dict(doc["touchpoints"][0], id=bogus))
    doc["observations"][0][bogus] = float("nan")  # a long key, in the place
    path = write(tmp_path, json.dumps(doc))
    lines = problems_of(path)
    assert len(lines) == 4  # the stage, the duplicate id, the date, the NaN
    assert all(len(line) - len(str(path)) < 200 for line in lines), lines
    assert "\x1b" not in "".join(lines)
    assert f"unknown stage '{'s' * 77}…'" in lines[0]
    assert f"observations[0]['{'s' * 77}…']: must be a finite number, not nan" in lines[3]
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == lines


def test_gaps_at_the_limit_are_finite(tmp_path, capsys):
    """Scores at both ends of the widest scale: the gaps, spreads and their output are finite."""
    lo, hi = -1_000_000, 1_000_000
    doc = mutate(scale={"min": lo, "max": hi})
    # t-sign: the widest gap, six times; t-desk: the widest, both ways, three times each.
    scores = [("t-sign", hi, lo, lo, hi)] * 6 + [
        ("t-desk", hi, lo, hi, lo),
        ("t-desk", lo, hi, lo, hi),
    ] * 3
    doc["observations"] = [
        {"id": f"o{i}", "touchpoint": tp, "method": "survey", "expectation": e, "reality": r,
         "minimum": m, "emotion": em}
        for i, (tp, e, r, m, em) in enumerate(scores)
    ]  # fmt: skip
    path = write(tmp_path, doc)
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["gaps", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    numbers = [v for row in rows for v in row.values() if type(v) is float]
    # Eight per row: expectation ... adequacy, ci_low and ci_high.
    assert len(numbers) == 16 and all(math.isfinite(v) for v in numbers)
    assert (rows[0]["gap"], rows[0]["spread"], rows[0]["adequacy"]) == (2e6, 0, 0)
    # Gaps of 2e6 and -2e6, three each: the spread is 2e6 * sqrt(6 / 5).
    assert (rows[1]["gap"], rows[1]["spread"]) == (0, pytest.approx(2e6 * (6 / 5) ** 0.5))
    for fmt in ("csv", "table"):
        assert main(["gaps", str(path), "--format", fmt]) == 0
    assert "2000000" in capsys.readouterr().out
    # Beyond the limit, `validate` and `gaps` refuse the map, naming the place.
    doc["scale"] = {"min": -1e308, "max": 1e308}
    doc["observations"][0].update(expectation=1e308, reality=-1e308)
    for command in ("validate", "gaps"):
        assert main([command, str(write(tmp_path, doc))]) == 1
        out, err = capsys.readouterr()
        assert out == "" and "scale.min: must be between -1000000 and 1000000, not -1e+308" in err


# --- fuzz ---

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOURCE = "fuzz.journey.json"


class Raw:
    """JSON text put into the file as it is: what Python cannot make with json.dumps."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:30]!r}, {len(self.text)} characters)"


def nested(depth: int) -> Raw:
    return Raw("[" * depth + "]" * depth)


NUMBERS = [
    0, -0.0, 1, 5, 6, 2.5, -1, 999_999.5, 1e6, -1e6, 1_000_001, 1e6 + 1e-9, 2e6, -2e6, 1e15,
    1e200, -1e200, 1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e-300, 1e-7,
    10**30, 10**400, -(10**400), float("nan"), float("inf"), float("-inf"), True, False,
]  # fmt: skip
RAW = [
    Raw("9" * 5000), Raw("-" + "1" * 4301), Raw("1" + "0" * 400), Raw("1" + "0" * 400 + ".5"),
    Raw("0." + "0" * 400 + "1"), Raw("1e999"), Raw("-1e999"), Raw("1e-400"), Raw("NaN"),
    Raw("Infinity"), Raw("-Infinity"), Raw("-0"), Raw("1E+6"), Raw('"\\ud800"'),
    Raw('"x\\udfff"'), Raw('{"\\udc00": 1}'), Raw('{"a": ' * 70 + "1" + "}" * 70),
    *(nested(depth) for depth in (10, 62, 63, 64, 65, 66, 200, 5000)),
]  # fmt: skip
TEXTS = [
    "", " ", "NaN", "Infinity", "-inf", "1e999", "null", "true", "0", "1e6", "2026-10-01",
    "2026-02-30", "../x.jpg", "/etc/passwd", "C:\\x.jpg", "a.jpg", "x" * 100_000,
    "\x00", "\x1b[31m", "\r\n", "\u2028", "\ufeff", "\u202e", "é" * 81, "extra", "x-y",
    *sorted(set(CHANNELS) | set(METHODS) | set(TRANSITION_KINDS)),
]  # fmt: skip
CONTAINERS = [
    [], {}, ["a"], ["a", 1], [None], ["../x.jpg"], {"x": 1, "y": 2}, {"x": 1e6, "y": -1e6},
    {"x": 1e7, "y": 0}, {"x": 10**400, "y": 0}, {"x": float("nan"), "y": 1}, {"x": None},
    {"min": 1, "max": 5}, {"min": -1e6, "max": 1e6}, {"min": 1, "max": 1e308},
    {"min": 0, "max": 5e-324}, {"min": 5, "max": 1},
]  # fmt: skip

hostile = st.one_of(
    st.sampled_from([None, *NUMBERS, *RAW, *TEXTS, *CONTAINERS]),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    json_values,
)
hostile_keys = st.sampled_from(TEXTS) | st.text(max_size=10)

SEEDS = [SMALL_DOC] + [
    json.loads(path.read_text(encoding="utf-8")) for path in sorted(SAMPLES.glob("*.journey.json"))
]
NUMERIC = {"min", "max", "x", "y", "expectation", "reality", "minimum", "emotion", "version"}


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path in a document, from its top-level keys down to its leaves."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, (*prefix, i))
    return found


PATHS = [paths(seed) for seed in SEEDS]
# Paths to numbers, drawn as often as all the others: that is where the limits are.
NUMBER_PATHS = [[p for p in found if p[-1] in NUMERIC] for found in PATHS]


@st.composite
def hostile_files(draw) -> bytes:
    """A seed map, one to three values (or keys) replaced, as the bytes of a file."""
    seed = draw(st.integers(0, len(SEEDS) - 1))
    doc = json.loads(json.dumps(SEEDS[seed]))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(PATHS[seed]) | st.sampled_from(NUMBER_PATHS[seed]))
        parent = doc
        try:
            for step in where[:-1]:
                parent = parent[step]
            last = where[-1]
            action = draw(st.sampled_from(["replace", "replace", "delete", "add", "rename"]))
            if action == "replace" or not isinstance(parent, dict):
                parent[last] = draw(hostile)
            elif action == "delete":
                del parent[last]
            elif action == "add":
                parent[draw(hostile_keys)] = draw(hostile)
            else:
                parent[draw(hostile_keys)] = parent.pop(last)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed or replaced the path
    return encode(doc)


def encode(doc: Any) -> bytes:
    """The document as JSON, each :class:`Raw` written as its text."""
    raws: list[str] = []

    def placeholder(value: Raw) -> str:
        raws.append(value.text)
        return f"\ue000raw{len(raws) - 1}\ue000"

    text = json.dumps(doc, ensure_ascii=False, default=placeholder)
    for i, raw in enumerate(raws):
        text = text.replace(f'"\\ue000raw{i}\\ue000"', raw).replace(f'"\ue000raw{i}\ue000"', raw)
    return text.encode("utf-8", "surrogatepass")


def assert_finite(*values: object) -> None:
    for value in values:
        if type(value) is float:
            assert math.isfinite(value), values


def check_loaded(journey: JourneyMap) -> None:
    """What `validate` passing promises: the analysis and a save work, with finite numbers."""
    rows = touchpoint_gaps(journey)
    for rank, row in enumerate(rows, start=1):
        assert_finite(*gap_record(row, rank).values())
        assert gap_colour(row.stats.gap, journey.scale).startswith("#")
    for stage in stage_gaps(journey):
        assert_finite(*stage.stats)
    text = dumps(journey)
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} written"))
    assert loads(text) == journey


@pytest.mark.fuzz
@FUZZ
@given(hostile_files())
def test_hostile_maps_load_or_raise_only_the_loaders_error(data):
    try:
        journey = loads(data, source=SOURCE)
    except MapLoadError as exc:
        lines = str(exc).splitlines()
        assert exc.problems and 1 <= len(lines) <= 51
        assert all(line.startswith(f"{SOURCE}: ") for line in lines)
        assert all(len(line) < 400 for line in lines), max(lines, key=len)
        assert "a bug in journeymap" not in lines[0], lines[0]
        event("refused with MapLoadError" + (", over 50 problems" if len(lines) == 51 else ""))
        return
    event("loaded")
    check_loaded(journey)


@pytest.mark.fuzz
@FUZZ
@given(hostile_files())
def test_hostile_maps_the_fast_path_agrees_with_the_careful_reader(data):
    doc, _ = jsonformat._parse_json(data)
    if doc is None:
        event("not JSON (or a lone surrogate): neither reader runs")
        return
    fast = jsonformat.map_from_document(doc)
    careful = load_carefully(jsonformat._parse_json(data)[0])
    assert fast[1] == careful[1]
    assert fast[0] == careful[0]
    event("both loaded" if fast[0] is not None else "both refused")
