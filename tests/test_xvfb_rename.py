"""F2 renames a card in a real window on a real X server (Xvfb), from real key presses."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.test_smoke_xvfb import app_env, start_xvfb

#: A screenshot, and how many of its pixels are the in-place editor's blue border.
GRAB_EDITOR = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv)
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
print(sum(image.pixel(x, y) & 0xFFFFFF == 0x2563EB
          for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)))
"""

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="Xvfb and xdotool are not installed (.ci/run installs them)",
)


def run(env: dict, *command: str) -> str:
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout


def window_id(env: dict, app: subprocess.Popen) -> str:
    """The main window's X id, once it is mapped and painted."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and app.poll() is None:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "journeymap"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if found.returncode == 0 and found.stdout.split():
            return found.stdout.split()[-1]
        time.sleep(0.5)
    raise AssertionError(
        app.stderr.read() if app.poll() is not None and app.stderr else "no window"
    )


def touchpoint_names(path: Path) -> dict[str, str]:
    return {tp["id"]: tp["name"] for tp in json.loads(path.read_text())["touchpoints"]}


def test_f2_renames_a_card_in_a_real_window(tmp_path):
    xvfb, display = start_xvfb()
    env = app_env(tmp_path, display)
    map_path = tmp_path / "library.journey.json"
    shutil.copy(SAMPLES / "library_visit.journey.json", map_path)
    first = next(iter(touchpoint_names(map_path)))  # the first card of the first stage
    journeymap = str(Path(sys.executable).with_name("journeymap"))
    app = subprocess.Popen(
        [journeymap, str(map_path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wid = window_id(env, app)
        run(env, "xdotool", "windowfocus", "--sync", wid)
        # The map has the focus: Right selects the first card, F2 opens its name.
        run(env, "xdotool", "key", "--window", wid, "--clearmodifiers", "Right")
        run(env, "xdotool", "key", "--window", wid, "F2")
        # The editor's border shows once the window has handled the keys.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            shot = run(env, sys.executable, "-c", GRAB_EDITOR, str(tmp_path / "editing.png"))
            if int(shot.strip()) > 100:
                break
            time.sleep(0.3)
        assert int(shot.strip()) > 100, "no in-place editor on the screen"
        run(env, "xdotool", "type", "--delay", "20", "Opening hours on the web")
        run(env, "xdotool", "key", "Return")
        run(env, "xdotool", "key", "ctrl+s")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and app.poll() is None:
            if touchpoint_names(map_path)[first] != "Check opening hours online":
                break
            time.sleep(0.3)
        assert touchpoint_names(map_path)[first] == "Opening hours on the web"
        if os.environ.get("JOURNEYMAP_SCREENSHOT"):
            shutil.copy(tmp_path / "editing.png", os.environ["JOURNEYMAP_SCREENSHOT"])
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 0
        _, stderr = app.communicate()
        assert "Traceback" not in stderr
    finally:
        if app.poll() is None:
            app.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)
