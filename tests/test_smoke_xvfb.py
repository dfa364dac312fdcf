"""One real window on a real X server (Xvfb): start, paint, screenshot, quit cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None, reason="Xvfb is not installed (.ci/run installs it)"
)

GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv)
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
colours = {image.pixel(x, y) for x in range(0, image.width(), 5)
           for y in range(0, image.height(), 5)}
print(len(colours))
"""


def start_xvfb(size: str = "1600x1000x24") -> tuple[subprocess.Popen, str]:
    """An X server of ``size`` on a free display, and that display (``:N``)."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=[write_end],
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read_end, 16)
        if not chunk:
            break
        number += chunk
    os.close(read_end)
    return xvfb, f":{number.decode().strip()}"


def app_env(tmp_path: Path, display: str, **extra: str) -> dict[str, str]:
    """The environment of a journeymap run on ``display``: the xcb platform and a
    home, settings and runtime folder of the test's own (never the user's)."""
    home = tmp_path / "home"
    (tmp_path / "runtime").mkdir(mode=0o700)
    return {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(tmp_path / "runtime"),
        **extra,
    }


def test_the_window_opens_paints_and_closes_cleanly(tmp_path):
    xvfb, display = start_xvfb()
    env = app_env(tmp_path, display)
    journeymap = str(Path(sys.executable).with_name("journeymap"))
    app = subprocess.Popen(
        [journeymap, str(SAMPLES / "library_visit.journey.json")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    shot = tmp_path / "window.png"
    try:
        colours = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and app.poll() is None:
            grab = subprocess.run(
                [sys.executable, "-c", GRAB, str(shot)],
                env=env, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            if grab.returncode == 0 and grab.stdout.strip().isdigit():
                colours = int(grab.stdout.strip())
                if colours > 100:
                    break
            time.sleep(0.5)
        assert app.poll() is None, app.stderr.read() if app.stderr else ""
        assert colours > 100, "the screen stayed blank"
        if os.environ.get("JOURNEYMAP_SCREENSHOT"):
            shutil.copy(shot, os.environ["JOURNEYMAP_SCREENSHOT"])
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 0
        _, stderr = app.communicate()
        assert "Traceback" not in stderr
    finally:
        if app.poll() is None:
            app.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)
