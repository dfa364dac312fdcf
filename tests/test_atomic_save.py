"""Saving never damages what the user had."""

from __future__ import annotations

import builtins
import os
import stat

import pytest

from journeymap.fileio import MapSaveError, dumps, load_map, save_map
from journeymap.fileio import atomic as atomic_module


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_save_keeps_the_previous_version_as_bak(tmp_path, small_map):
    path = tmp_path / "m.journey.json"
    save_map(small_map, path)
    first = path.read_bytes()
    assert not (tmp_path / "m.journey.json.bak").exists()
    small_map.set_title("Renamed")
    save_map(small_map, path)
    assert (tmp_path / "m.journey.json.bak").read_bytes() == first
    assert load_map(path).title == "Renamed"
    assert leftovers(tmp_path) == []


def test_save_keeps_file_permissions(tmp_path, small_map):
    path = tmp_path / "m.journey.json"
    save_map(small_map, path)
    os.chmod(path, 0o640)
    save_map(small_map, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


class HalfWriter:
    """A file object that writes part of the data, then hits a full disk."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


def test_a_save_that_fails_halfway_leaves_the_original_byte_for_byte(
    tmp_path, small_map, monkeypatch
):
    path = tmp_path / "m.journey.json"
    save_map(small_map, path)
    original = path.read_bytes()
    small_map.set_title("Changed but never saved")

    real_open = builtins.open

    def failing_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        return HalfWriter(handle) if "w" in mode else handle

    monkeypatch.setattr(atomic_module, "open", failing_open, raising=False)
    with pytest.raises(MapSaveError) as info:
        save_map(small_map, path)
    assert "No space left on device" in str(info.value)
    assert str(info.value).startswith(str(path))
    assert path.read_bytes() == original
    assert leftovers(tmp_path) == []


def test_a_failed_rename_leaves_the_original(tmp_path, small_map, monkeypatch):
    path = tmp_path / "m.journey.json"
    save_map(small_map, path)
    original = path.read_bytes()
    small_map.set_title("Changed")

    real_replace = os.replace

    def failing_replace(src, dst):
        if os.fspath(dst) == os.fspath(path):
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic_module.os, "replace", failing_replace)
    with pytest.raises(MapSaveError, match="Permission denied"):
        save_map(small_map, path)
    assert path.read_bytes() == original
    assert leftovers(tmp_path) == []


def test_save_into_a_missing_folder_is_a_save_error(tmp_path, small_map):
    with pytest.raises(MapSaveError, match="cannot save"):
        save_map(small_map, tmp_path / "no" / "such" / "m.journey.json")


def test_saved_bytes_are_exactly_the_serialisation(tmp_path, small_map):
    path = tmp_path / "m.journey.json"
    save_map(small_map, path)
    assert path.read_bytes() == dumps(small_map).encode("utf-8")
