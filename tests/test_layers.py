"""The layering rules: a Qt-free model, and headless commands that stay headless."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLES


def test_import_linter_contracts_hold():
    lint = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    result = subprocess.run(lint, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


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
