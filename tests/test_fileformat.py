"""The .journey.json format: round trips, unknown keys, and every kind of bad file."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from journeymap.fileio import MapLoadError, dumps, fastpath, jsonformat, load_map, loads, save_map
from journeymap.fileio.reader import Reader
from journeymap.fileio.specs import DATE, RECORDS, TEXT, Field, RecordSpec
from journeymap.model import Observation
from tests.conftest import SAMPLES

MINIMAL = {
    "format": "journeymap",
    "version": 1,
    "title": "Tiny",
    "scale": {"min": 1, "max": 5},
    "personas": [{"id": "p-student", "name": "Student", "goal": "Study"}],
    "stages": [{"id": "s-arrive", "name": "Arrive"}, {"id": "s-find", "name": "Find"}],
    "touchpoints": [
        {
            "id": "t-sign",
            "name": "Find the entrance",
            "stage": "s-arrive",
            "channel": "signage",
            "critical": True,
        },
        {"id": "t-desk", "name": "Ask at the desk", "stage": "s-find", "channel": "in-person"},
    ],
    "transitions": [{"source": "t-sign", "target": "t-desk", "label": "", "kind": "main"}],
    "observations": [
        {
            "id": "o1",
            "touchpoint": "t-sign",
            "method": "service-safari",
            "observer": "Ana",
            "date": "2026-10-01",
            "persona": "p-student",
            "expectation": 4,
            "reality": 2,
            "note": "No sign from the street",
            "quote": "Where's the door?",
        },
    ],
}


def write(tmp_path: Path, doc: object, name: str = "map.journey.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(MapLoadError) as info:
        load_map(path)
    assert info.value.source == str(path)
    return str(info.value).splitlines()


def test_example_from_the_docs_loads(tmp_path):
    jm = load_map(write(tmp_path, MINIMAL))
    assert jm.title == "Tiny"
    assert jm.touchpoint("t-sign").critical is True
    assert jm.touchpoint("t-desk").critical is False
    obs = jm.observation("o1")
    assert (obs.expectation, obs.reality, obs.date.isoformat()) == (4, 2, "2026-10-01")


def test_load_save_load_is_equal(tmp_path, small_map):
    path = tmp_path / "small.journey.json"
    small_map.update_touchpoint("t-desk", position=(120.5, -40.0), description="Two desks")
    small_map.update_observation(
        "o1", tags=["jargon", "desk"], photos=["photos/desk.jpg"], emotion=2, quote="Circulation?"
    )
    save_map(small_map, path)
    again = load_map(path)
    assert again == small_map
    save_map(again, path)
    assert load_map(path) == small_map


def test_saving_is_stable_and_readable(tmp_path, small_map):
    first = dumps(small_map)
    assert dumps(load_map(write(tmp_path, first))) == first
    assert first.endswith("\n")
    assert '\n  "touchpoints": [\n' in first  # indented, one key a line


def test_unicode_is_written_as_text(tmp_path, small_map):
    small_map.set_title("Bibliothèque: « accueil »")
    path = tmp_path / "m.journey.json"
    save_map(small_map, path)
    assert "Bibliothèque: « accueil »" in path.read_text(encoding="utf-8")


def test_unknown_keys_survive_a_save(tmp_path):
    doc = json.loads(json.dumps(MINIMAL))
    doc["x-workshop"] = {"room": "B2", "sticky-notes": [1, 2]}
    doc["scale"]["labels"] = ["awful", "great"]
    doc["stages"][0]["colour"] = "#ffcc00"
    doc["touchpoints"][1]["owner"] = "Front of house"
    doc["transitions"][0]["weight"] = 0.7
    doc["observations"][0]["weather"] = "rain"
    doc["personas"][0]["age"] = 19
    path = write(tmp_path, doc)
    save_map(load_map(path), path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["x-workshop"] == {"room": "B2", "sticky-notes": [1, 2]}
    assert saved["scale"]["labels"] == ["awful", "great"]
    assert saved["stages"][0]["colour"] == "#ffcc00"
    assert saved["touchpoints"][1]["owner"] == "Front of house"
    assert saved["transitions"][0]["weight"] == 0.7
    assert saved["observations"][0]["weather"] == "rain"
    assert saved["personas"][0]["age"] == 19


def test_arrays_keep_their_order(tmp_path):
    doc = json.loads(json.dumps(MINIMAL))
    doc["stages"].reverse()
    doc["touchpoints"].reverse()
    doc["observations"] = [
        {"id": f"o{i}", "touchpoint": "t-desk" if i % 2 else "t-sign", "method": "survey"}
        for i in (9, 3, 7, 1)
    ]
    path = write(tmp_path, doc)
    save_map(load_map(path), path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert [s["id"] for s in saved["stages"]] == ["s-find", "s-arrive"]
    assert [t["id"] for t in saved["touchpoints"]] == ["t-desk", "t-sign"]
    assert [o["id"] for o in saved["observations"]] == ["o9", "o3", "o7", "o1"]


def test_absent_scores_and_optional_arrays(tmp_path):
    doc = {"format": "journeymap", "version": 1, "title": "Empty"}
    jm = load_map(write(tmp_path, doc))
    assert jm.summary().touchpoints == 0
    assert jm.scale.min == 1 and jm.scale.max == 5


def test_newer_version_is_refused_with_a_clear_message(tmp_path):
    doc = dict(MINIMAL, version=3)
    (line,) = problems_of(write(tmp_path, doc))
    assert "newer journeymap" in line
    assert "version 3" in line


# --- one test per class of bad input; each also checks the file is untouched ---


def assert_untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "the file is empty"),
        (b"   \n\t", "the file is empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"format": "journeymap",\n "version": 1,,}', "line 2, column 15: invalid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid JSON"),
        (b"[1, 2]", "top level must be an object"),
        (b'{"version": 1}', '"format" must be "journeymap"'),
        (b'{"format": "journeymap"}', "version: must be a whole number, not missing"),
        (b'{"format": "journeymap", "version": "1"}', "version: must be a whole number"),
        (
            b'{"format": "journeymap", "version": 1, "x": ' + b"9" * 5000 + b"}",
            "x: is a number of 5000 digits, too long to read",
        ),
    ],
)
def test_unreadable_files(tmp_path, content, expected):
    path = tmp_path / "bad.journey.json"
    path.write_bytes(content)
    lines = problems_of(path)
    assert any(expected in line for line in lines), lines
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert_untouched(path, content)


def test_missing_file(tmp_path):
    (line,) = problems_of(tmp_path / "nope.journey.json")
    assert "cannot read the file" in line and "nope.journey.json" in line


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.journey.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(MINIMAL).encode())
    assert load_map(path).title == "Tiny"


def mutate(**changes):
    doc = json.loads(json.dumps(MINIMAL))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = doc
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        key = int(last) if last.isdigit() else last
        if value is KeyError:
            del target[key]
        else:
            target[key] = value
    return doc


@pytest.mark.parametrize(
    "doc, expected",
    [
        (mutate(touchpoints__1__stage="s-mars"), "touchpoints[1].stage: unknown stage 's-mars'"),
        (
            mutate(touchpoints__0__channel="carrier pigeon"),
            "touchpoints[0].channel: unknown channel",
        ),
        (mutate(touchpoints__0__critical="yes"), "touchpoints[0].critical: must be true or false"),
        (mutate(touchpoints__0__name=KeyError), "touchpoints[0].name: is missing"),
        (mutate(touchpoints__0__position={"x": 1}), "touchpoints[0].position: must be"),
        (
            mutate(transitions__0__target="t-moon"),
            "transitions[0].target: unknown touch point 't-moon'",
        ),
        (mutate(transitions__0__kind="teleport"), "transitions[0].kind: unknown kind"),
        (
            mutate(observations__0__touchpoint="t-x"),
            "observations[0].touchpoint: unknown touch point",
        ),
        (mutate(observations__0__persona="p-x"), "observations[0].persona: unknown persona 'p-x'"),
        (mutate(observations__0__method="guessing"), "observations[0].method: unknown method"),
        (mutate(observations__0__reality=6), "observations[0].reality: 6 is outside the scale 1-5"),
        (mutate(observations__0__expectation="4"), "observations[0].expectation: must be a number"),
        (
            mutate(observations__0__expectation=True),
            "observations[0].expectation: must be a number",
        ),
        (mutate(observations__0__date="01/10/2026"), "observations[0].date: must be a date"),
        (mutate(observations__0__date="2026-02-30"), "observations[0].date: must be a date"),
        (mutate(observations__0__tags="a;b"), "observations[0].tags: must be a list of strings"),
        (
            mutate(observations__0__photos=["../../etc/passwd"]),
            "photos[0]: '../../etc/passwd' points outside",
        ),
        (mutate(observations__0__photos=["/home/ana/desk.jpg"]), "must be relative"),
        (mutate(scale__max=0), "scale.max: must be greater than min"),
        (mutate(stages="Arrive"), "stages: must be an array"),
        (mutate(personas__0__id=""), "personas[0].id: must not be empty"),
        (mutate(title=7), "title: must be a string"),
    ],
)
def test_invalid_maps_name_the_place(tmp_path, doc, expected):
    path = write(tmp_path, doc)
    before = path.read_bytes()
    lines = problems_of(path)
    assert any(
        line == f"{path}: {expected}" or line.startswith(f"{path}: {expected}") or expected in line
        for line in lines
    ), lines
    assert_untouched(path, before)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    doc = mutate(
        touchpoints__1__stage="s-mars", observations__0__reality=9, transitions__0__kind="teleport"
    )
    doc["stages"].append({"id": "s-arrive", "name": "Duplicate"})
    lines = problems_of(write(tmp_path, doc))
    assert len(lines) == 4
    joined = "\n".join(lines)
    for part in (
        "stages[2]: duplicate stage id 's-arrive'",
        "touchpoints[1].stage",
        "transitions[0].kind",
        "observations[0].reality",
    ):
        assert part in joined


def test_nan_and_infinity_are_refused(tmp_path):
    text = (
        json.dumps(MINIMAL)
        .replace('"reality": 2', '"reality": NaN')
        .replace('"expectation": 4', '"expectation": Infinity')
    )
    lines = problems_of(write(tmp_path, text))
    assert any("observations[0].reality: must be a finite number, not nan" in x for x in lines)
    assert any("observations[0].expectation: must be a finite number" in x for x in lines)


def test_nan_hidden_in_an_unknown_key_is_refused(tmp_path):
    text = json.dumps(MINIMAL)[:-1] + ', "x-extra": {"v": [NaN]}}'
    (line,) = problems_of(write(tmp_path, text))
    assert "x-extra.v[0]: must be a finite number" in line


def test_duplicate_ids_and_transitions(tmp_path):
    doc = json.loads(json.dumps(MINIMAL))
    doc["touchpoints"].append(dict(doc["touchpoints"][0]))
    doc["transitions"].append(dict(doc["transitions"][0]))
    doc["observations"].append(dict(doc["observations"][0]))
    joined = "\n".join(problems_of(write(tmp_path, doc)))
    assert "touchpoints[2]: duplicate touch point id 't-sign'" in joined
    assert "transitions[1]: duplicate transition 't-sign' -> 't-desk'" in joined
    assert "observations[1]: duplicate observation id 'o1'" in joined


def test_wrong_types_for_records(tmp_path):
    doc = mutate(touchpoints__0="t-sign")
    joined = "\n".join(problems_of(write(tmp_path, doc)))
    assert "touchpoints[0]: must be an object, not the string 't-sign'" in joined


def test_loads_accepts_text_and_names_the_source():
    with pytest.raises(MapLoadError) as info:
        loads("{", source="pasted")
    assert str(info.value).startswith("pasted: line 1, column 2: invalid JSON")


def test_observation_with_no_scores_is_fine(tmp_path):
    doc = mutate()
    doc["observations"].append({"id": "o2", "touchpoint": "t-desk", "method": "feedback"})
    jm = load_map(write(tmp_path, doc))
    assert jm.observation("o2") == Observation("o2", "t-desk", "feedback")


def test_lone_surrogate_escapes_are_refused_but_pairs_are_fine(tmp_path):
    text = json.dumps(MINIMAL).replace('"Tiny"', '"Tiny \\ud800"')
    (line,) = problems_of(write(tmp_path, text))
    assert "title: holds \\ud800" in line
    emoji = json.dumps(MINIMAL).replace('"Tiny"', '"Tiny \\ud83d\\ude00"')
    assert load_map(write(tmp_path, emoji, "ok.journey.json")).title == "Tiny \U0001f600"


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.journey.json")), ids=lambda p: p.name)
def test_samples_are_written_back_byte_for_byte(path):
    assert dumps(load_map(path)) == path.read_text(encoding="utf-8")


def test_a_wrong_title_is_reported_at_title(tmp_path):
    path = write(tmp_path, mutate(title=7))
    assert problems_of(path) == [f"{path}: title: must be a string, not the number 7"]


@pytest.mark.parametrize("array", [spec.array for spec in RECORDS])
def test_null_arrays_are_refused(tmp_path, array):
    doc = mutate(**{array: None})
    lines = problems_of(write(tmp_path, doc))
    assert f"{tmp_path / 'map.journey.json'}: {array}: must be an array, not null" in lines


# --- the file spec: one table a kind drives reading and writing ---


@dataclass(slots=True)
class Badge:
    """A made-up kind, to show that a spec alone is enough to read and write one."""

    id: str
    label: str
    colour: str = "grey"
    worn_on: dt.date | None = None
    extra: dict = field(default_factory=dict)


def badge_problems(badge: Badge) -> list[tuple[str, str]]:
    return [] if badge.label.strip() else [("label", "must not be empty")]


BADGE_FIELDS = (
    Field("id", TEXT, required=True, nonblank=True),
    Field("text", TEXT, required=True, nonblank=True, attr="label"),
    Field("colour", TEXT, choices=frozenset({"grey", "red"})),
    Field("worn", DATE, attr="worn_on"),
)
BADGES = RecordSpec("badges", Badge, BADGE_FIELDS, duplicate="badge id {}", check=badge_problems)


def test_a_kind_is_read_and_written_from_its_spec():
    raw = [
        {"id": "b1", "text": "Hi", "worn": "2026-01-02"},
        {"id": "b2", "text": "Yo", "colour": ""},
    ]
    expected = [Badge("b1", "Hi", worn_on=dt.date(2026, 1, 2)), Badge("b2", "Yo")]
    assert fastpath.records(BADGES, raw, {}) == (expected, {"b1", "b2"})
    reader = Reader()
    assert reader.records(raw, BADGES, {}) == (expected, {"b1", "b2"})
    assert not reader.problems
    write = jsonformat._writer(BADGES)
    assert [write(b) for b in expected] == [
        {"id": "b1", "text": "Hi", "colour": "grey", "worn": "2026-01-02"},
        {"id": "b2", "text": "Yo", "colour": "grey"},
    ]


@pytest.mark.parametrize(
    "raw, problems",
    [
        ([{"id": "b1", "text": " "}], [("badges[0].text", "must not be empty")]),
        ([{"id": "b1"}], [("badges[0].text", "is missing")]),
        ([{"id": "b1", "text": "Hi", "label": "x"}], []),  # an unknown key, kept
        ([{"id": "b1", "text": "Hi", "worn": "2026-02-30"}],
         [("badges[0].worn", "must be a date written YYYY-MM-DD, not '2026-02-30'")]),
        ([{"id": "b1", "text": "Hi"}, {"id": "b1", "text": "Ho"}],
         [("badges[1]", "duplicate badge id 'b1'")]),
    ],
)  # fmt: skip
def test_the_fast_path_leaves_what_is_not_sound_to_the_careful_reader(raw, problems):
    assert fastpath.records(BADGES, raw, {}) is None
    reader = Reader()
    reader.records(raw, BADGES, {})
    assert [(p.where, p.message) for p in reader.problems] == problems


def test_a_spec_must_list_every_field_of_its_class():
    with pytest.raises(TypeError, match="worn_on"):
        RecordSpec("badges", Badge, BADGE_FIELDS[:3])
    required = Field("worn", DATE, attr="worn_on", required=True)
    with pytest.raises(TypeError, match="required"):
        RecordSpec("badges", Badge, (*BADGE_FIELDS[:3], required))


# --- numbers the analysis can carry, and messages of bounded size ---


@pytest.mark.parametrize(
    "doc, expected",
    [
        (mutate(scale__max=1e308), "scale.max: must be between -1000000 and 1000000, not 1e+308"),
        (mutate(scale__min=-1e200, scale__max=1e200), "scale.min: must be between"),
        (mutate(scale__max=1 + 1e-7), "scale.max: must be at least 0.000001 above min (1)"),
        (mutate(observations__0__expectation=2e6), "expectation: must be between -1000000 and "
                                                   "1000000, not 2000000"),
        (mutate(observations__0__reality=-(10**400)), "reality: must be between -1000000 and "
                                                       "1000000, not -100000000000"),
        (mutate(touchpoints__0__position={"x": 10**400, "y": 0}), "touchpoints[0].position: must"),
        (mutate(touchpoints__0__position={"x": 0, "y": 1e300}),
         "each between -1000000 and 1000000"),
    ],
)  # fmt: skip
def test_numbers_beyond_the_limit_are_refused_with_their_place(tmp_path, doc, expected):
    lines = problems_of(write(tmp_path, doc))
    assert any(expected in line for line in lines), lines
    assert all(len(line) < 250 for line in lines), lines


def test_an_integer_too_long_to_read_is_refused_with_its_place(tmp_path):
    text = json.dumps(mutate(observations__0__reality=12345)).replace("12345", "7" * 5000)
    (line,) = problems_of(write(tmp_path, text))
    assert line.endswith(
        "observations[0].reality: must be between -1000000 and 1000000, not a number of 5000 digits"
    )
    nested = json.dumps(mutate(**{"x-y": {"z": [12345]}})).replace("12345", "-" + "7" * 9000)
    (line,) = problems_of(write(tmp_path, nested))
    assert line.endswith("x-y.z[0]: is a number of 9000 digits, too long to read")


def test_the_model_refuses_what_the_loader_refuses(small_map):
    from journeymap.model import ModelError, Scale

    with pytest.raises(ModelError, match="between -1000000 and 1000000, not 2000000"):
        small_map.set_scale(Scale(1, 2e6))
    with pytest.raises(ModelError, match="between -1000000 and 1000000"):
        small_map.update_touchpoint("t-desk", position=(2e6, 0))
