"""Bundles: a map and its photos in one zip; every unsafe zip refused as a whole."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from journeymap.fileio import bundle
from journeymap.fileio.atomic import OutputCheckError, verify_output
from journeymap.fileio.bundle import BundleError, load_bundle, unpack_bundle, write_bundle
from journeymap.fileio.jsonformat import dumps, load_map, save_map

MAP = "visit.journey.json"


def run(*args: str, tmpdir: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    return subprocess.run(
        [sys.executable, "-m", "journeymap", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def assert_clean_failure(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr


def png_bytes(size=(120, 80), colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def map_path(tmp_path, small_map) -> Path:
    """The small map with one photo on disk (o1, at the widest gap) and one missing (o3)."""
    folder = tmp_path / "work"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "sign.png").write_bytes(png_bytes())
    small_map.observations[0].photos = ["photos/sign.png"]
    small_map.observations[2].photos = ["photos/gone.jpg", "photos/sign.png"]
    path = folder / MAP
    save_map(small_map, path)
    return path


@pytest.fixture
def bundle_path(map_path, tmp_path) -> Path:
    out = tmp_path / "shared.zip"
    warnings = write_bundle(load_map(map_path), out, map_path)
    assert len(warnings) == 1
    return out


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]], method=None) -> Path:
    with zipfile.ZipFile(path, "w", method or zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def map_bytes(small_map) -> bytes:
    return dumps(small_map).encode("utf-8")


# ---------------------------------------------------------------- writing


def test_export_writes_the_map_and_its_photos_and_warns_of_a_missing_one(map_path, tmp_path):
    out = tmp_path / "shared.zip"
    result = run("export", str(map_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # The missing photo is named with its observation; the export still succeeds.
    assert "warning: o3: photo 'photos/gone.jpg' left out: not found" in result.stderr
    with zipfile.ZipFile(out) as archive:
        # The map at the top level, each photo once under its own relative path.
        assert archive.namelist() == [MAP, "photos/sign.png"]
        assert archive.read("photos/sign.png") == (map_path.parent / "photos/sign.png").read_bytes()
        assert archive.read(MAP) == map_path.read_bytes()


def test_a_missing_photo_is_skipped_with_a_warning(map_path, tmp_path):
    (map_path.parent / "photos" / "sign.png").unlink()
    out = tmp_path / "b.zip"
    warnings = write_bundle(load_map(map_path), out, map_path)
    assert warnings == [
        "o1: photo 'photos/sign.png' left out: not found",
        "o3: photo 'photos/gone.jpg' left out: not found",
    ]
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [MAP]


def test_the_map_name_is_the_map_files_stem():
    assert bundle.map_file_name("a/visit.journey.json") == "visit.journey.json"
    assert bundle.map_file_name("visit.json") == "visit.journey.json"
    assert bundle.map_file_name("my.visit.JOURNEY.JSON") == "my.visit.journey.json"
    assert bundle.map_file_name(None) == "journey.journey.json"


def test_a_bundle_takes_no_filter(map_path, tmp_path):
    out = tmp_path / "b.zip"
    result = run("export", str(map_path), "-o", str(out), "--method", "shadowing")
    assert_clean_failure(result, f"{out}: a bundle holds the whole map")
    assert not out.exists()


def test_the_written_zip_is_checked_before_it_replaces_the_target(tmp_path):
    broken = tmp_path / "broken.tmp"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(OutputCheckError, match=r"does not read back as \.zip"):
        verify_output(broken, tmp_path / "out.zip")


# ---------------------------------------------------------------- reading


def test_commands_read_a_bundle_as_they_read_the_map(map_path, bundle_path):
    for command in (["gaps", "--format", "json"], ["blindspots", "--format", "json"]):
        from_map = run(command[0], str(map_path), *command[1:])
        from_zip = run(command[0], str(bundle_path), *command[1:])
        assert from_zip.returncode == 0, from_zip.stderr
        assert json.loads(from_zip.stdout) == json.loads(from_map.stdout)
    result = run("validate", str(bundle_path))
    assert result.stdout == (
        f"{bundle_path}: valid: 3 stages, 5 touch points, 4 transitions, 9 observations, "
        "2 personas\n"
    )


def test_a_report_from_a_bundle_finds_its_photos(map_path, bundle_path, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    out = tmp_path / "report.html"
    result = run("report", str(bundle_path), "-o", str(out), tmpdir=scratch)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    # The photo came out of the zip; only the one the zip does not hold is missing.
    assert "alt='photos/sign.png'" in html
    assert "Missing photo: photos/sign.png" not in html
    # The temporary folder it was unpacked into is gone.
    assert list(scratch.iterdir()) == []


def test_export_from_a_bundle_to_a_bundle_keeps_the_photos(bundle_path, tmp_path):
    out = tmp_path / "again.zip"
    result = run("export", str(bundle_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive, zipfile.ZipFile(bundle_path) as before:
        assert archive.namelist() == [MAP, "photos/sign.png"]
        assert archive.read("photos/sign.png") == before.read("photos/sign.png")


def test_a_damaged_map_inside_is_named_with_the_zip_and_the_entry(tmp_path):
    path = make_zip(tmp_path / "b.zip", [(MAP, b'{"format": "journeymap", "version": 1,')])
    result = run("validate", str(path))
    assert_clean_failure(result, f"{path}:{MAP}: line 1")


# ---------------------------------------------------------------- refusals


def _symlink() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("photos/link.jpg")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _fifo() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("photos/pipe")
    info.create_system = 3
    info.external_attr = (stat.S_IFIFO | 0o644) << 16
    return info


def _folder_with_data() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("photos/")
    info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
    return info


def _file_marked_folder() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("photos/a.jpg")
    info.external_attr = (stat.S_IFDIR | 0o755) << 16
    return info


UNSAFE = [
    ("/etc/evil.txt", b"x", "entry '/etc/evil.txt': is an absolute path"),
    ("../evil.txt", b"x", "entry '../evil.txt': leaves the bundle's folder"),
    ("photos/../../evil.txt", b"x", "leaves the bundle's folder"),
    ("C:/evil.txt", b"x", "entry 'C:/evil.txt': starts with a drive letter"),
    ("photos\\..\\..\\evil.txt", b"x", "has a backslash in its name"),
    ("photos/a.jpg:stream", b"x", "has a colon in its name"),
    ("photos//a.jpg", b"x", "is not a plain path"),
    (_symlink(), b"/etc/passwd", "entry 'photos/link.jpg': is a link"),
    (_fifo(), b"", "entry 'photos/pipe': is not a file or a folder"),
    (_folder_with_data(), b"data", "entry 'photos/': is named as a folder but holds data"),
    (_file_marked_folder(), b"", "is marked as a folder but named as a file"),
]


@pytest.mark.parametrize(("entry", "data", "message"), UNSAFE)
def test_an_unsafe_entry_refuses_the_whole_zip(tmp_path, small_map, entry, data, message):
    path = make_zip(tmp_path / "evil.zip", [(MAP, map_bytes(small_map)), (entry, data)])
    with pytest.raises(BundleError) as caught:
        load_bundle(path)
    assert message in caught.value.message
    assert caught.value.message.startswith(f"{path}: entry ")
    assert "the whole zip is refused" in caught.value.message
    # Unpacking writes nothing at all, not even the map.
    with pytest.raises(BundleError):
        unpack_bundle(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_every_command_refuses_an_unsafe_zip_cleanly(tmp_path, small_map):
    path = make_zip(tmp_path / "evil.zip", [(MAP, map_bytes(small_map)), ("../x", b"x")])
    for args in (
        ["validate", str(path)],
        ["gaps", str(path)],
        ["blindspots", str(path)],
        ["chart", str(path), "-o", str(tmp_path / "c.png")],
        ["export", str(path), "-o", str(tmp_path / "e.zip")],
        ["report", str(path), "-o", str(tmp_path / "r.html")],
    ):
        assert_clean_failure(run(*args), f"{path}: entry '../x': leaves the bundle's folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.zip"]


def test_names_one_disk_sees_as_the_same_file_are_refused(tmp_path, small_map):
    path = make_zip(
        tmp_path / "b.zip", [(MAP, map_bytes(small_map)), ("a.jpg", b"1"), ("A.JPG", b"2")]
    )
    with pytest.raises(BundleError, match=r"entry 'A\.JPG': has the same name as 'a\.jpg'"):
        load_bundle(path)
    path = make_zip(
        tmp_path / "c.zip", [(MAP, map_bytes(small_map)), ("a", b"1"), ("a/b.jpg", b"2")]
    )
    with pytest.raises(BundleError, match=r"entry 'a/b\.jpg': is inside 'a', which is a file"):
        load_bundle(path)


def test_more_than_ten_thousand_entries_are_refused(tmp_path, small_map):
    entries = [(MAP, map_bytes(small_map))] + [(f"p/{i}", b"") for i in range(9_999)]
    make_zip(tmp_path / "ok.zip", entries, zipfile.ZIP_STORED)
    assert load_bundle(tmp_path / "ok.zip").title == "Small library"  # 10,000: still fine
    entries.append(("p/one-more", b""))
    path = make_zip(tmp_path / "many.zip", entries, zipfile.ZIP_STORED)
    with pytest.raises(BundleError, match="holds 10,001 entries, more than 10,000"):
        load_bundle(path)


def _state_size(path: Path, name: str, size: int) -> None:
    """Rewrite the size the central directory states for ``name`` (no data written)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = int.from_bytes(data[at + 28 : at + 30], "little")
        if bytes(data[at + 46 : at + 46 + name_len]) == encoded:
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not found")


def test_more_than_one_gigabyte_stated_is_refused(tmp_path, small_map):
    data = map_bytes(small_map)
    path = make_zip(tmp_path / "big.zip", [(MAP, data), ("big.bin", b"x" * 100)])
    _state_size(path, "big.bin", 1_000_000_000 - len(data) + 1)  # one byte over 1 GB in all
    with pytest.raises(BundleError, match=r"unpacks to 1,000,000,001 bytes, more than 1 GB"):
        load_bundle(path)
    _state_size(path, "big.bin", 1_000_000_000 - len(data))  # exactly 1 GB: not this refusal
    with pytest.raises(BundleError) as caught:
        load_bundle(path)
    assert "more than 1 GB" not in caught.value.message


def test_an_entry_holding_more_than_it_states_is_refused_while_reading(tmp_path, small_map):
    data = map_bytes(small_map)
    path = make_zip(tmp_path / "lies.zip", [(MAP, data)], zipfile.ZIP_STORED)
    _state_size(path, MAP, len(data) - 10)
    with pytest.raises(BundleError, match=f"entry '{MAP}': is damaged"):
        load_bundle(path)


def test_a_compression_ratio_over_100_is_refused(tmp_path, small_map):
    zeros = b"\0" * 2_000_000  # deflates about 1000:1
    path = make_zip(tmp_path / "bomb.zip", [(MAP, map_bytes(small_map)), ("z.bin", zeros)])
    with pytest.raises(BundleError) as caught:
        load_bundle(path)
    message = caught.value.message
    assert f"{path}: entry 'z.bin': unpacks to more than 100 times its packed size" in message
    assert f"{path}: unpacks to more than 100 times its packed size" in message  # overall


def test_two_maps_or_none_at_the_top_level_are_refused(tmp_path, small_map):
    data = map_bytes(small_map)
    two = make_zip(tmp_path / "two.zip", [(MAP, data), ("other.journey.json", data)])
    with pytest.raises(BundleError, match=r"holds 2 map files at its top level \('visit"):
        load_bundle(two)
    none = make_zip(tmp_path / "none.zip", [("sub/visit.journey.json", data), ("a.png", b"x")])
    with pytest.raises(BundleError, match="holds no map file"):
        load_bundle(none)
    result = run("gaps", str(none))
    assert_clean_failure(result, f"{none}: holds no map file (NAME.journey.json) at its top level")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "fake.zip"
    path.write_bytes(b"not a zip at all")
    assert_clean_failure(run("validate", str(path)), f"{path}: not a zip file")
    assert_clean_failure(run("validate", str(tmp_path / "absent.zip")), "absent.zip: no such file")


# ---------------------------------------------------------------- window


def test_the_window_opens_a_bundle_into_the_folder_answered(window, answers, bundle_path):
    assert window.open_path(bundle_path)
    folder = bundle_path.with_name("shared")
    assert ("bundle_folder", folder) in answers.asked
    assert window.editor.path == folder / MAP
    assert (folder / "photos" / "sign.png").read_bytes()[:4] == b"\x89PNG"
    assert window.editor.journey.title == "Small library"
    assert answers.errors == []


def test_the_window_unpacks_into_a_folder_the_user_chose(window, answers, bundle_path, tmp_path):
    answers.bundle_folder = tmp_path / "chosen"
    assert window.open_path(bundle_path)
    assert window.editor.path == tmp_path / "chosen" / MAP


def test_the_window_refuses_an_unsafe_bundle_and_keeps_its_map(
    window, answers, tmp_path, small_map
):
    path = make_zip(tmp_path / "evil.zip", [(MAP, map_bytes(small_map)), ("../x", b"x")])
    before = window.editor.path
    assert not window.open_path(path)
    assert window.editor.path == before
    title, _text, details = answers.errors[-1]
    assert title == "Cannot open bundle"
    assert "entry '../x': leaves the bundle's folder" in details
    # Refused before the user is asked where to unpack it.
    assert not [a for a in answers.asked if a[0] == "bundle_folder"]
    assert not (tmp_path / "evil").exists()
    assert not (tmp_path.parent / "x").exists()


def test_the_window_never_overwrites_a_file_when_unpacking(window, answers, bundle_path):
    folder = bundle_path.with_name("shared")
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "sign.png").write_bytes(b"mine")
    answers.bundle_folder = folder  # chosen on purpose: the default would be shared-2
    before = window.editor.path
    assert not window.open_path(bundle_path)
    assert window.editor.path == before
    assert "is already in" in answers.errors[-1][2]
    assert (folder / "photos" / "sign.png").read_bytes() == b"mine"
    assert not (folder / MAP).exists()


def test_cancelling_the_folder_opens_nothing(window, answers, bundle_path):
    answers.bundle_folder = None
    before = window.editor.path
    assert not window.open_path(bundle_path)
    assert window.editor.path == before
    assert not bundle_path.with_name("shared").exists()


def test_opening_a_bundle_again_offers_a_fresh_folder(window, answers, bundle_path):
    assert window.open_path(bundle_path)
    assert window.open_path(bundle_path)  # the first copy stays as it is
    again = bundle_path.with_name("shared-2")
    assert ("bundle_folder", again) in answers.asked
    assert window.editor.path == again / MAP
