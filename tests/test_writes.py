"""Every write is checked and atomic: a full disk, a killed process or a broken
output leaves the old file as it was, and no temporary file behind for long."""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeymap.fileio.atomic import (
    OutputCheckError,
    atomic_output,
    clean_stale_temporaries,
    verify_output,
    write_bytes_atomic,
)
from tests.conftest import SAMPLES

LIBRARY = SAMPLES / "library_visit.journey.json"


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def test_an_empty_output_is_refused_and_the_old_file_kept(tmp_path):
    target = tmp_path / "map.svg"
    target.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    with pytest.raises(OutputCheckError, match="empty"), atomic_output(target) as tmp:
        tmp.write_bytes(b"")
    assert target.read_text(encoding="utf-8").startswith("<svg")
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize(
    "name, data",
    [
        ("map.svg", b"<svg><g></svg>"),
        ("graph.graphml", b"<graphml>"),
        ("map.json", b'{"format": "journeymap", '),
        ("map.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40),
        ("report.pdf", b"%PDF-1.4\n1 0 obj"),
        ("report.html", b"<!DOCTYPE html><html><body><p>cut"),
        ("obs.csv", b"\xff\xfe not utf-8"),
        ("obs.xlsx", b"PK\x03\x04 broken"),
    ],
)
def test_an_output_that_does_not_parse_is_refused(tmp_path, name, data):
    target = tmp_path / name
    target.write_bytes(b"old")
    with pytest.raises(OutputCheckError, match="does not read back"):
        write_bytes_atomic(target, data)
    assert target.read_bytes() == b"old"
    assert temporaries(tmp_path) == []


def test_sound_outputs_pass_their_check(tmp_path):
    for name, data in (("a.svg", b"<svg/>"), ("a.json", b"{}"), ("a.csv", b'"a","b"\r\n'),
                       ("a.html", b"<html></html>"), ("a.mmd", b"journey\n")):  # fmt: skip
        write_bytes_atomic(tmp_path / name, data)
        assert (tmp_path / name).read_bytes() == data
    verify_output(tmp_path / "a.svg", tmp_path / "a.svg")


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporaries_of_dead_writers_are_cleaned_at_the_next_write(tmp_path):
    target = tmp_path / "map.csv"
    stale = tmp_path / f".map.csv.{dead_pid()}.0badc0de.tmp"
    stale.write_bytes(b"half a file")
    alive = tmp_path / f".map.csv.{os.getppid()}.0badc0de.tmp"  # a live writer's file
    alive.write_bytes(b"being written")
    other = tmp_path / f".other.csv.{dead_pid()}.0badc0de.tmp"  # beside another target
    other.write_bytes(b"x")
    write_bytes_atomic(target, b'"a"\r\n')
    assert not stale.exists()
    assert alive.exists() and other.exists()
    assert clean_stale_temporaries(target) == []


# ------------------------------------------------------------ a full disk


def limited_run(args: list[str], limit: int) -> subprocess.CompletedProcess:
    """Run journeymap where no file may grow beyond ``limit`` bytes: a full disk."""

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "journeymap", *args],
        capture_output=True, text=True, timeout=180, preexec_fn=small_disk, env=env,
    )  # fmt: skip


@pytest.mark.parametrize(
    "command, name",
    [
        (["report", str(LIBRARY), "-o"], "report.pdf"),
        (["report", str(LIBRARY), "-o"], "report.html"),
        (["export", str(LIBRARY), "-o"], "map.png"),
        (["export", str(LIBRARY), "-o"], "map.svg"),
        (["export", str(LIBRARY), "-o"], "map.pdf"),
        (["export", str(LIBRARY), "-o"], "obs.csv"),
        (["export", str(LIBRARY), "-o"], "graph.graphml"),
        (["export", str(LIBRARY), "-o"], "journey.mmd"),
        (["chart", str(LIBRARY), "--kind", "gaps", "-o"], "gaps.png"),
        (["import", str(SAMPLES / "cafe_order.journey.json"), "-o"], "new.journey.json"),
    ],
)
def test_a_full_disk_fails_loudly_and_keeps_the_old_file(tmp_path, command, name):
    target = tmp_path / name
    old = b"the good file from yesterday " * 10
    target.write_bytes(old)
    if command[0] == "import":  # saving a map: a Mermaid journey becomes one
        source = tmp_path / "day.mmd"
        source.write_text("journey\ntitle Day\nsection A\n  Tea: 5: Me\n", encoding="utf-8")
        command = ["import", str(source), "-o"]
    result = limited_run([*command, str(target)], limit=120 if command[0] == "import" else 600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert str(target) in result.stderr and "Traceback" not in result.stderr
    assert target.read_bytes() == old
    assert temporaries(tmp_path) == []


# ---------------------------------------------------------- killed writers


def test_a_killed_export_leaves_the_old_file_or_the_new_one(tmp_path):
    """SIGKILL at random moments: the target always parses, temporaries are cleaned."""
    rng = random.Random(8)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    trials = int(os.environ.get("JOURNEYMAP_KILL_TRIALS", "12"))
    for trial in range(trials):
        target = tmp_path / ("map.svg" if trial % 2 else "obs.csv")
        child = subprocess.Popen(
            [sys.executable, "-m", "journeymap", "export", str(LIBRARY), "-o", str(target)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        time.sleep(rng.uniform(0.05, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        if target.exists():
            verify_output(target, target)  # never half a file
    for target in (tmp_path / "map.svg", tmp_path / "obs.csv"):
        write_bytes_atomic(target, b"<svg/>" if target.suffix == ".svg" else b'"a"\r\n')
    assert temporaries(tmp_path) == []
