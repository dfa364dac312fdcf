"""Presentation mode in a real window on a real X server: F11, Right, Escape from the keyboard.

Xvfb has no window manager, so the window is focused with xdotool before the
keys are sent, and showFullScreen only asks: the window keeps its size (the
offscreen tests check the request).
Set JOURNEYMAP_SCREENSHOT_DIR to keep the three screenshots.
"""

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

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="Xvfb and xdotool are not installed (.ci/run installs them)",
)

STRIP = (0x1F, 0x29, 0x33)  # the strip's background, in journeymap/ui/gapstrip.py

# Screenshot the screen, or one window; report how many colours it has, how
# much of its bottom band is the strip's colour, and a digest of that part.
GRAB = """
import hashlib, json, sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv)
image = app.primaryScreen().grabWindow(int(sys.argv[3])).toImage()
image.save(sys.argv[1])
strip = tuple(int(c) for c in sys.argv[2].split(","))
colours = {image.pixel(x, y) for x in range(0, image.width(), 5)
           for y in range(0, image.height(), 5)}
band = [image.pixelColor(x, y) for x in range(0, image.width(), 4)
        for y in range(image.height() - 60, image.height(), 4)]
hits = sum((c.red(), c.green(), c.blue()) == strip for c in band)
top = image.height() - int(image.height() * 0.34)
digest = hashlib.sha1(image.copy(0, top, image.width(), image.height() - top)
                      .constBits().tobytes()).hexdigest()
print(json.dumps({"colours": len(colours), "strip": hits / len(band), "digest": digest}))
"""


def test_presentation_mode_from_the_keyboard(tmp_path):
    xvfb, display = start_xvfb()
    env = app_env(tmp_path, display)
    journeymap = str(Path(sys.executable).with_name("journeymap"))
    app = subprocess.Popen(
        [journeymap, str(SAMPLES / "library_visit.journey.json")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def run(*args: str) -> str:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def grab(name: str, wid: str = "0") -> dict:
        shot = tmp_path / f"{name}.png"
        out = run(sys.executable, "-c", GRAB, str(shot), ",".join(map(str, STRIP)), wid)
        return json.loads(out)

    def wait_for(name: str, ok, wid: str = "0") -> dict:
        """Screenshots until ``ok`` holds (the window answers a key when it has painted)."""
        deadline = time.monotonic() + 60
        while True:
            assert app.poll() is None, app.stderr.read() if app.stderr else ""
            seen = grab(name, wid)
            if ok(seen) or time.monotonic() > deadline:
                return seen
            time.sleep(0.3)

    def geometry(wid: str) -> str:
        out = run("xdotool", "getwindowgeometry", "--shell", wid)
        return " ".join(line for line in out.split() if line[:1] in "XYWH")

    def key(wid: str, name: str) -> None:
        run("xdotool", "windowfocus", "--sync", wid)
        run("xdotool", "key", name)

    try:
        window = wait_for("window", lambda s: s["colours"] > 100)
        assert window["colours"] > 100, "the screen stayed blank"
        assert window["strip"] == 0
        wid = run("xdotool", "search", "--sync", "--onlyvisible", "--name", "journeymap").split()[0]
        before = geometry(wid)

        key(wid, "F11")
        shown = wait_for("presenting", lambda s: s["strip"] > 0.5, wid)
        assert shown["strip"] > 0.5, "F11 showed no gap strip"

        key(wid, "Right")
        stepped = wait_for("stepped", lambda s: s["digest"] != shown["digest"], wid)
        assert stepped["digest"] != shown["digest"], "Right did not step to the next gap"
        assert stepped["strip"] > 0.5

        key(wid, "Escape")
        left = wait_for("left", lambda s: s["strip"] == 0, wid)
        assert left["strip"] == 0, "Escape left the strip on screen"
        assert geometry(wid) == before

        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 0
        _, stderr = app.communicate()
        assert "Traceback" not in stderr
    finally:
        if os.environ.get("JOURNEYMAP_SCREENSHOT_DIR"):
            for shot in tmp_path.glob("*.png"):
                shutil.copy(shot, os.environ["JOURNEYMAP_SCREENSHOT_DIR"])
        if app.poll() is None:
            app.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)
