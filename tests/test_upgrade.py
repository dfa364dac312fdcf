"""Format versions: old files go through the upgrade chain, step by step, before reading.

These tests pretend the format is version 3 and register upgrade steps of
their own (in place of the real step from 1 to 2, tested in
tests/test_decisions_model.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.fileio import MapLoadError, dumps, load_map, save_map, versions

V1 = {
    "format": "journeymap",
    "version": 1,
    "title": "Old map",
    "stages": [{"id": "s-a", "name": "Arrive"}],
    # In this pretend version 1, touch points were called "moments".
    "moments": [{"id": "t-a", "name": "Door", "stage": "s-a"}],
}


def write(tmp_path: Path, doc: dict, name: str = "old.journey.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def steps(monkeypatch) -> list[tuple[str, int]]:
    """Pretend the format is version 3, with steps that log what they saw."""
    seen: list[tuple[str, int]] = []

    def upgrade_v1_to_v2(doc: dict) -> dict:
        seen.append(("v1->v2", doc["version"]))
        doc["touchpoints"] = doc.pop("moments")
        return doc

    def upgrade_v2_to_v3(doc: dict) -> dict:
        seen.append(("v2->v3", doc["version"]))
        # Relies on the step before: the touch points have their new name.
        return {**doc, "title": f"{doc['title']} ({len(doc['touchpoints'])} touch point)"}

    monkeypatch.setattr(versions, "FORMAT_VERSION", 3)
    monkeypatch.setitem(versions.UPGRADES, 1, upgrade_v1_to_v2)
    monkeypatch.setitem(versions.UPGRADES, 2, upgrade_v2_to_v3)
    return seen


def test_production_chain_has_a_step_for_every_older_version():
    assert versions.FORMAT_VERSION == 2
    assert set(versions.UPGRADES) == set(range(versions.FIRST_VERSION, versions.FORMAT_VERSION))


def test_an_old_file_is_upgraded_step_by_step_in_order_before_reading(tmp_path, steps):
    jm = load_map(write(tmp_path, V1))
    assert steps == [("v1->v2", 1), ("v2->v3", 2)]
    # Read after the upgrade: the renamed array holds the touch points.
    assert [t.id for t in jm.touchpoints] == ["t-a"]
    assert jm.title == "Old map (1 touch point)"
    assert "moments" not in jm.extra


def test_only_the_steps_from_the_files_version_run(tmp_path, steps):
    v2 = {k: v for k, v in V1.items() if k != "moments"}
    v2.update(version=2, touchpoints=V1["moments"])
    jm = load_map(write(tmp_path, v2))
    assert steps == [("v2->v3", 2)]
    assert jm.title == "Old map (1 touch point)"


def test_a_file_of_the_newest_version_is_not_upgraded(tmp_path, steps):
    doc = {k: v for k, v in V1.items() if k != "moments"}
    doc.update(version=3, touchpoints=V1["moments"])
    assert load_map(write(tmp_path, doc)).title == "Old map"
    assert steps == []


def test_files_are_written_in_the_newest_version(tmp_path, steps):
    path = write(tmp_path, V1)
    jm = load_map(path)
    save_map(jm, path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["version"] == 3
    assert json.loads(dumps(jm))["version"] == 3
    steps.clear()
    assert load_map(path) == jm
    assert steps == []  # nothing left to upgrade


def test_a_failing_step_names_the_file_and_the_step(tmp_path, steps):
    doc = {k: v for k, v in V1.items() if k != "moments"}  # the step needs "moments"
    path = write(tmp_path, doc)
    with pytest.raises(MapLoadError) as info:
        load_map(path)
    assert str(info.value) == (
        f"{path}: version: cannot upgrade the file from format version 1 to 2 "
        "(upgrade_v1_to_v2): KeyError('moments')"
    )
    assert steps == [("v1->v2", 1)]  # and the chain stopped there


def test_a_failing_step_is_a_message_on_the_command_line_not_a_traceback(tmp_path, steps, capsys):
    path = write(tmp_path, {k: v for k, v in V1.items() if k != "moments"})
    assert main(["gaps", str(path)]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{path}: version: cannot upgrade the file from format version 1 to 2" in err
    assert "upgrade_v1_to_v2" in err


def test_a_step_that_gives_no_object_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(versions, "FORMAT_VERSION", 2)
    monkeypatch.setitem(versions.UPGRADES, 1, lambda doc: None)
    with pytest.raises(MapLoadError) as info:
        load_map(write(tmp_path, V1))
    assert "cannot upgrade the file from format version 1 to 2" in str(info.value)
    assert "it gave null" in str(info.value)


def test_a_missing_step_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(versions, "FORMAT_VERSION", 3)
    with pytest.raises(MapLoadError) as info:
        load_map(write(tmp_path, dict(V1, version=2)))
    assert str(info.value).endswith(
        "version: cannot upgrade the file from format version 2 to 3: "
        "this journeymap has no upgrade for it"
    )


def test_a_file_newer_than_the_reader_is_refused(tmp_path, steps):
    path = write(tmp_path, dict(V1, version=4))
    with pytest.raises(MapLoadError) as info:
        load_map(path)
    assert str(info.value) == (
        f"{path}: version: the file is format version 4, written by a newer journeymap; "
        "this version reads up to version 3. Please upgrade journeymap."
    )
    assert steps == []


@pytest.mark.parametrize(
    "version, message",
    [
        (0, "version: unknown format version 0"),
        (-3, "version: unknown format version -3"),
        (3, "version: the file is format version 3, written by a newer journeymap; "
            "this version reads up to version 2. Please upgrade journeymap."),
        ("1", "version: must be a whole number, not the string '1'"),
        (True, "version: must be a whole number, not a boolean"),
        (None, "version: must be a whole number, not null"),
    ],
)  # fmt: skip
def test_versions_that_cannot_be_read(tmp_path, version, message):
    path = write(tmp_path, dict(V1, version=version))
    with pytest.raises(MapLoadError) as info:
        load_map(path)
    assert str(info.value) == f"{path}: {message}"


def test_a_missing_version(tmp_path):
    doc = {k: v for k, v in V1.items() if k != "version"}
    with pytest.raises(MapLoadError) as info:
        load_map(write(tmp_path, doc))
    assert str(info.value).endswith("version: must be a whole number, not missing")


def test_registering_a_step_twice_is_refused(monkeypatch):
    monkeypatch.setattr(versions, "UPGRADES", {})

    @versions.upgrade(1)
    def upgrade_v1_to_v2(doc: dict) -> dict:
        return doc

    assert list(versions.UPGRADES.items()) == [(1, upgrade_v1_to_v2)]
    with pytest.raises(ValueError, match="already registered"):
        versions.upgrade(1)(upgrade_v1_to_v2)
