"""The command line, run as a user would: a separate process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.fileio import save_map
from tests.conftest import SAMPLES

SCRIPT = Path(sys.executable).with_name("journeymap")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "journeymap", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def small_path(tmp_path, small_map) -> Path:
    path = tmp_path / "small.journey.json"
    save_map(small_map, path)
    return path


def assert_clean_failure(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr


def test_console_script_is_installed(small_path):
    result = subprocess.run(
        [str(SCRIPT), "validate", str(small_path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_validate_prints_a_one_line_summary(small_path):
    result = run("validate", str(small_path))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert "3 stages, 5 touch points, 4 transitions, 9 observations" in lines[0]
    assert str(small_path) in lines[0]


def test_validate_reports_every_problem(tmp_path):
    path = tmp_path / "bad.journey.json"
    doc = json.loads((SAMPLES / "cafe_order.journey.json").read_text(encoding="utf-8"))
    doc["touchpoints"][3]["stage"] = "s-mars"
    doc["observations"][0]["reality"] = 11
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run("validate", str(path))
    assert_clean_failure(
        result,
        f"{path}: touchpoints[3].stage: unknown stage 's-mars'",
        f"{path}: observations[0].reality: 11 is outside the scale 1-5",
    )


@pytest.mark.parametrize("command", ["validate", "gaps"])
def test_broken_json_names_line_and_column(tmp_path, command):
    path = tmp_path / "broken.journey.json"
    path.write_text('{\n  "format": "journeymap"\n  "version": 1\n}', encoding="utf-8")
    assert_clean_failure(run(command, str(path)), f"{path}: line 3, column 3: invalid JSON")


def test_missing_file_fails_cleanly(tmp_path):
    assert_clean_failure(run("gaps", str(tmp_path / "none.journey.json")), "none.journey.json")


def test_gaps_json_in_ranking_order(small_path):
    result = run("gaps", str(small_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["touchpoint"] for r in rows] == ["t-sign", "t-desk", "t-kiosk", "t-web", "t-exit"]
    first = rows[0]
    assert {
        k: first[k] for k in ("touchpoint", "name", "stage", "n", "expectation", "reality", "gap")
    } == {
        "touchpoint": "t-sign",
        "name": "Find the entrance",
        "stage": "s-arrive",
        "n": 2,
        "expectation": 4.5,
        "reality": 2.0,
        "gap": 2.5,
    }
    last = rows[-1]
    assert (last["n"], last["expectation"], last["reality"], last["gap"]) == (0, None, None, None)


def test_gaps_top_and_filters(small_path):
    result = run("gaps", str(small_path), "--format", "json", "--top", "2", "--method", "shadowing")
    rows = json.loads(result.stdout)
    assert [(r["touchpoint"], r["n"], r["gap"]) for r in rows] == [
        ("t-sign", 1, 3.0),
        ("t-desk", 2, 2.0),
    ]
    # A persona by name works as well as by id.
    by_name = json.loads(
        run("gaps", str(small_path), "--format", "json", "--persona", "Retired reader").stdout
    )
    by_id = json.loads(
        run("gaps", str(small_path), "--format", "json", "--persona", "p-senior").stdout
    )
    assert by_name == by_id
    assert [r["touchpoint"] for r in by_id[:2]] == ["t-sign", "t-desk"]


def test_gaps_unknown_persona_is_an_error(small_path):
    assert_clean_failure(
        run("gaps", str(small_path), "--persona", "Astronaut"),
        "unknown persona 'Astronaut'",
        str(small_path),
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--top", "0"],
        ["--top", "x"],
        ["--format", "xml"],
        ["--method", "guessing"],
        ["--from", "yesterday"],
    ],
)
def test_gaps_bad_options_are_usage_errors(small_path, args):
    result = run("gaps", str(small_path), *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "usage:" in result.stderr


def test_gaps_csv_has_a_header_row(small_path):
    result = run("gaps", str(small_path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["touchpoint"] == "t-sign" and rows[0]["gap"] == "2.5"
    assert rows[-1]["gap"] == ""
    assert len(rows) == 5


def test_gaps_csv_neutralises_formulas(tmp_path, small_map):
    small_map.update_touchpoint("t-sign", name='=HYPERLINK("http://x")')
    path = tmp_path / "evil.journey.json"
    save_map(small_map, path)
    rows = list(csv.DictReader(io.StringIO(run("gaps", str(path), "--format", "csv").stdout)))
    assert rows[0]["name"].startswith("'=")


def test_gaps_table_is_aligned(small_path):
    result = run("gaps", str(small_path))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "Touch point" in line)
    body = lines[header + 2 :]
    assert len(body) == 5
    gap_col = lines[header].index("Gap")
    # Every gap value ends in the same column as the "Gap" heading.
    ends = {line[: gap_col + 3].rstrip()[-1] for line in body}
    assert ends <= set("0123456789-")
    assert "Find the entrance" in body[0] and "WIDE" in body[0] and "critical" in body[0]
    assert "+2.50" in body[0]


def test_date_filters(small_path):
    rows = json.loads(
        run(
            "gaps",
            str(small_path),
            "--format",
            "json",
            "--from",
            "2026-10-05",
            "--to",
            "2026-10-05",
        ).stdout
    )
    assert {r["touchpoint"]: r["gap"] for r in rows}["t-desk"] == 1.0
    assert_clean_failure(
        run("gaps", str(small_path), "--from", "2026-10-06", "--to", "2026-10-05"), "is after"
    )


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "gaps", "import", "export"):
        assert command in result.stdout


def test_two_maps_without_a_command_is_a_usage_error(small_path):
    result = run(str(small_path), str(small_path))
    assert result.returncode == 2
    assert "usage:" in result.stderr


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.journey.json")))
def test_every_sample_validates_and_ranks(sample):
    path = str(SAMPLES / sample)
    assert run("validate", path).returncode == 0
    for fmt in ("table", "csv", "json"):
        result = run("gaps", path, "--format", fmt)
        assert result.returncode == 0, result.stderr


def test_window_without_a_display_says_so(small_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "journeymap", str(small_path)],
                            capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert "no display" in result.stderr and "Traceback" not in result.stderr
