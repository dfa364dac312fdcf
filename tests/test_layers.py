"""The layering rules: a Qt-free model, and headless commands that stay headless."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT, SAMPLES


def test_import_linter_contracts_hold():
    lint = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    result = subprocess.run(lint, capture_output=True, text=True, cwd=ROOT, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = re.findall(r"^Contracts: (\d+) kept, (\d+) broken\.$", result.stdout, re.MULTILINE)
    assert len(summary) == 1, output
    kept, broken = map(int, summary[0])
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert broken == 0, output
    assert kept >= len(contracts) >= 1, output


def test_headless_commands_load_neither_qt_nor_matplotlib():
    sample = SAMPLES / "library_visit.journey.json"
    code = (
        "import sys, contextlib, io\n"
        "from journeymap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['gaps', {str(sample)!r}, '--format', 'json']) == 0\n"
        f"    assert main(['validate', {str(sample)!r}]) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'matplotlib'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
