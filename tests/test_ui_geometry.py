"""The first window fits the screen; a restored one comes back onto it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QDockWidget, QGroupBox, QWidget

from journeymap.ui import geometry
from journeymap.ui.geometry import FRAME, clamp_geometry, default_geometry, dock_sizes
from tests.conftest import SAMPLES
from tests.test_smoke_xvfb import app_env, start_xvfb

LAPTOP = QRect(0, 0, 1366, 768)
#: The same screen at 1.5x scaling, in logical pixels.
SCALED = QRect(0, 0, 911, 512)


def framed(rect: QRect) -> QRect:
    return rect.marginsAdded(FRAME)


# ------------------------------------------------------------ pure sizes


@pytest.mark.parametrize("area", [LAPTOP, SCALED, QRect(0, 0, 1366, 728), QRect(1920, 0, 800, 600)])
def test_a_new_window_fits_the_available_area(area):
    rect = default_geometry(area)
    assert area.contains(framed(rect))
    assert rect.width() >= area.width() - FRAME.left() - FRAME.right() - 1


def test_a_new_window_on_a_large_screen_is_the_preferred_size_centred():
    area = QRect(0, 0, 2560, 1440)
    rect = default_geometry(area)
    assert rect.size() == geometry.PREFERRED
    assert abs(framed(rect).center().x() - area.center().x()) <= 1
    assert abs(framed(rect).center().y() - area.center().y()) <= 1


@pytest.mark.parametrize(
    "saved",
    [
        QRect(3000, 2000, 1400, 900),  # on a second screen that is gone
        QRect(-500, -300, 800, 600),  # above and left of the screen
        QRect(100, 100, 2000, 1200),  # larger than the screen
        QRect(900, 500, 800, 600),  # hanging over the bottom-right corner
    ],
)
def test_a_restored_geometry_is_clamped_to_the_screen(saved):
    rect = clamp_geometry(saved, LAPTOP)
    assert LAPTOP.contains(framed(rect))
    assert rect.width() == min(saved.width(), LAPTOP.width() - FRAME.left() - FRAME.right())


def test_a_geometry_already_on_the_screen_stays_put():
    saved = QRect(50, 60, 900, 600)
    assert clamp_geometry(saved, LAPTOP) == saved


def test_the_gaps_dock_gets_its_content_then_its_needs_then_what_is_left():
    args = dict(gaps_minimum=130, observations_wanted=270, observations_minimum=250,
                beside_observations=200)  # fmt: skip
    roomy = dock_sizes(QSize(1350, 728), gaps_wanted=595, gaps_needed=280, beside_gaps=545,
                       **args)  # fmt: skip
    assert roomy.gaps_width == 595 and roomy.observations_height == 270
    # The share caps what the dock wants, not what it needs.
    capped = dock_sizes(QSize(1000, 728), gaps_wanted=595, gaps_needed=280, beside_gaps=545,
                        **args)  # fmt: skip
    assert capped.gaps_width == 450
    # A narrow window: what the rest needs wins.
    tight = dock_sizes(QSize(800, 480), gaps_wanted=595, gaps_needed=280, beside_gaps=545,
                       **args)  # fmt: skip
    assert tight.gaps_width == 800 - 545
    assert tight.observations_height == 270  # 480 - 200 leaves room for it


# ------------------------------------------------------------ the window


def settle() -> None:
    for _ in range(10):
        QApplication.processEvents()


def on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def open_window(qtbot, settings, library_path, monkeypatch, area: QRect):
    from journeymap.ui.mainwindow import MainWindow

    monkeypatch.setattr(geometry, "available_area", lambda rect=None: area)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    assert win.open_path(library_path, ask=False)
    settle()
    return win


def quick_capture(win) -> list[QWidget]:
    """Quick capture, wherever it lives: its own dock or a box in another."""
    docks = [d for d in win.findChildren(QDockWidget) if "Quick capture" in d.windowTitle()]
    boxes = [b for b in win.findChildren(QGroupBox) if "Quick capture" in b.title()]
    return docks + boxes


@pytest.mark.parametrize("area", [LAPTOP, SCALED], ids=["1366x768", "1.5x"])
def test_the_first_window_and_its_docks_fit_the_screen(
    qtbot, isolated_qt, answers, library_path, monkeypatch, area
):
    win = open_window(qtbot, isolated_qt, library_path, monkeypatch, area)
    try:
        assert area.contains(win.frameGeometry()), (win.frameGeometry(), win.minimumSizeHint())
        shown = [d for d in win.findChildren(QDockWidget) if not d.visibleRegion().isEmpty()]
        assert {"dock-gaps", "dock-observations"} <= {d.objectName() for d in shown}
        for dock in shown:
            assert area.contains(on_screen(dock)), (dock.windowTitle(), on_screen(dock))
        capture = quick_capture(win)
        assert capture, "no Quick capture found"
        for widget in capture:
            assert widget.isVisible() and area.contains(on_screen(widget))
        assert win.statusBar().isVisible() and area.contains(on_screen(win.statusBar()))
        # The map keeps a visible share of the window.
        assert win.view.height() > 60 and win.view.width() > 300
    finally:
        win.autosave_timer.stop()


def test_a_saved_window_from_another_screen_comes_back_onto_this_one(
    qtbot, isolated_qt, answers, library_path, monkeypatch
):
    from journeymap.ui.mainwindow import MainWindow

    old = MainWindow(isolated_qt)
    qtbot.addWidget(old)
    old.setGeometry(QRect(40, 40, 1500, 1000))
    isolated_qt.setValue("window/geometry", old.saveGeometry())
    old.autosave_timer.stop()
    # Now the only screen is a laptop's, somewhere else on the desktop.
    area = QRect(2000, 100, 1366, 768)
    win = open_window(qtbot, isolated_qt, library_path, monkeypatch, area)
    try:
        assert area.contains(framed(win.geometry())), win.geometry()
    finally:
        win.autosave_timer.stop()


# ----------------------------------------------------- a real X screen

GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv)
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
print(image.width(), image.height())
"""


def window_geometry(env: dict[str, str]) -> tuple[int, int, int, int] | None:
    """The journeymap window's x, y, width and height, once it is mapped."""
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "journeymap"],
        env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    ids = found.stdout.split()
    if not ids:
        return None
    shell = subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", ids[0]],
        env=env, capture_output=True, text=True, timeout=30,
    ).stdout  # fmt: skip
    values = dict(line.split("=", 1) for line in shell.split() if "=" in line)
    return tuple(int(values[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))  # type: ignore[return-value]


@pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="Xvfb and xdotool are not installed (.ci/run installs them)",
)
@pytest.mark.parametrize("scale", ["1", "1.5"])
def test_the_first_window_fits_a_real_1366x768_screen(tmp_path, scale):
    xvfb, display = start_xvfb("1366x768x24")
    env = app_env(tmp_path, display, QT_SCALE_FACTOR=scale)
    journeymap = str(Path(sys.executable).with_name("journeymap"))
    app = subprocess.Popen(
        [journeymap, str(SAMPLES / "library_visit.journey.json")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        placed = None
        deadline = time.monotonic() + 60
        while placed is None and time.monotonic() < deadline and app.poll() is None:
            placed = window_geometry(env)
            time.sleep(0.5)
        assert app.poll() is None, app.stderr.read() if app.stderr else ""
        assert placed is not None, "no journeymap window appeared"
        x, y, width, height = placed
        # xdotool speaks device pixels: the whole window is on the 1366x768 screen.
        assert x >= 0 and y >= 0 and x + width <= 1366 and y + height <= 768, placed
        assert width >= 1366 * 0.8 and height >= 768 * 0.7, placed
        shot = tmp_path / "screen.png"
        env_grab = {**env, "QT_SCALE_FACTOR": "1"}
        subprocess.run([sys.executable, "-c", GRAB, str(shot)], env=env_grab,
                       capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
        if os.environ.get("JOURNEYMAP_SCREENSHOT"):
            shutil.copy(shot, f"{os.environ['JOURNEYMAP_SCREENSHOT']}-{scale}.png")
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=30) == 0
        assert "Traceback" not in app.communicate()[1]
    finally:
        if app.poll() is None:
            app.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)
