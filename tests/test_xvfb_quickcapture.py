"""Quick capture in a real window on a real X server, typed with xdotool."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.test_smoke_xvfb import GRAB, app_env, start_xvfb

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="Xvfb and xdotool are not installed (.ci/run installs them)",
)


def test_a_facilitator_types_two_observations_and_takes_one_back(tmp_path):
    xvfb, display = start_xvfb()
    env = app_env(tmp_path, display)
    path = tmp_path / "debrief.journey.json"
    shutil.copy(SAMPLES / "library_visit.journey.json", path)
    before = path.read_bytes()
    journeymap = str(Path(sys.executable).with_name("journeymap"))
    app = subprocess.Popen(
        [journeymap, str(path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def xdotool(*args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=env, capture_output=True, text=True, timeout=60
        )
        return done.stdout.strip()

    try:
        # The title names the file once the map is open.
        deadline = time.monotonic() + 60

        def wait_until(ready) -> None:
            while not ready() and time.monotonic() < deadline and app.poll() is None:
                time.sleep(0.1)

        def title() -> str:
            return xdotool("getwindowname", window)

        window = ""

        def found() -> bool:
            nonlocal window
            # The title names the file once the map is open.
            window = xdotool("search", "--onlyvisible", "--name", "debrief.journey.json")
            return bool(window)

        wait_until(found)
        assert window, app.stderr.read() if app.poll() is not None and app.stderr else "no window"
        window = window.split()[0]

        def painted() -> bool:
            # Keys typed before the event loop runs come out jumbled, as they would
            # for a person typing into a window still starting: wait for paint.
            grab = subprocess.run(
                [sys.executable, "-c", GRAB, str(tmp_path / "screen.png")],
                env=env, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            return grab.returncode == 0 and int(grab.stdout.strip() or 0) > 100

        wait_until(painted)
        # No window manager: give the window the keyboard ourselves.
        xdotool("windowfocus", "--sync", window)

        xdotool("key", "ctrl+k")  # the cursor goes to Quick capture's touch point
        xdotool("key", "shift+Tab")  # back to the observer, once for the session
        xdotool("type", "--delay", "30", "Priya")
        xdotool("key", "Tab")
        for prefix, scores, note in (
            ("entrance", ("4", "2"), "Walked past the door"),
            ("desk", ("5", "1"), "Sent to Reference"),
        ):
            xdotool("type", "--delay", "30", prefix)
            xdotool("key", "--delay", "60", "Down", "Return")
            xdotool("type", "--delay", "30", scores[0])
            xdotool("key", "Tab")
            xdotool("type", "--delay", "30", scores[1])
            xdotool("key", "Tab")
            xdotool("type", "--delay", "30", note)
            xdotool("key", "Return")
            wait_until(lambda: "*" in title())  # saved into the map: modified
        assert "*" in title(), "nothing was captured"
        xdotool("key", "ctrl+z")  # the cursor is still in the form: the desk one goes
        xdotool("key", "ctrl+s")
        wait_until(lambda: "*" not in title())
        assert app.poll() is None, app.stderr.read() if app.stderr else ""
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 0
        _, stderr = app.communicate()
        assert "Traceback" not in stderr
    finally:
        if app.poll() is None:
            app.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)

    old = json.loads(before)["observations"]
    new = json.loads(path.read_text())["observations"]
    assert len(new) == len(old) + 1
    added = new[-1]
    assert added["touchpoint"] == "t-entrance"
    assert added["observer"] == "Priya"
    assert added["method"] == "service-safari"
    assert (added["expectation"], added["reality"]) == (4, 2)
    assert added["note"] == "Walked past the door"
