"""Shared fixtures.  Qt must be told to draw offscreen before any QApplication exists."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest
from hypothesis import settings

from journeymap.model import (
    JourneyMap,
    Observation,
    Persona,
    Scale,
    Stage,
    TouchPoint,
    Transition,
)

# `make test` runs the same examples every time (a fuzz finding there is a bug
# to fix, not a coin toss in CI); `make fuzz` (JOURNEYMAP_FUZZ set) explores.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile("explore" if os.environ.get("JOURNEYMAP_FUZZ") else "repeatable")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_maps"


def make_small_map() -> JourneyMap:
    """A three-stage map whose gap numbers are worked out by hand in test_analysis."""
    jm = JourneyMap("Small library", Scale(1, 5))
    jm.add_persona(Persona("p-student", "Student", "Study"))
    jm.add_persona(Persona("p-senior", "Retired reader"))
    for sid, name in [("s-arrive", "Arrive"), ("s-find", "Find"), ("s-leave", "Leave")]:
        jm.add_stage(Stage(sid, name))
    jm.add_touchpoint(
        TouchPoint("t-sign", "Find the entrance", "s-arrive", "signage", critical=True)
    )
    jm.add_touchpoint(TouchPoint("t-desk", "Ask at the desk", "s-find", "in-person"))
    jm.add_touchpoint(TouchPoint("t-kiosk", "Catalogue kiosk", "s-find", "self-service"))
    jm.add_touchpoint(TouchPoint("t-exit", "Leave", "s-leave", "in-person"))
    jm.add_touchpoint(TouchPoint("t-web", "Website", "s-arrive", "web"))
    jm.add_transition(Transition("t-sign", "t-desk"))
    jm.add_transition(Transition("t-desk", "t-kiosk", "sent to search", "alternative"))
    jm.add_transition(Transition("t-kiosk", "t-desk", "gives up", "loop"))
    jm.add_transition(Transition("t-desk", "t-exit"))
    d = dt.date
    obs = [
        # t-sign: gaps 2, 3 -> mean E 4.5, R 2, gap 2.5
        ("o1", "t-sign", "service-safari", "Ana", d(2026, 10, 1), "p-student", 4, 2, 3),
        ("o2", "t-sign", "shadowing", "Jo", d(2026, 10, 5), "p-senior", 5, 2, None),
        # t-desk: gaps 2, 1, 3 -> gap 2, n 3 (ties with t-kiosk on gap, wins on n)
        ("o3", "t-desk", "service-safari", "Ana", d(2026, 10, 1), "p-student", 5, 3, 2),
        ("o4", "t-desk", "shadowing", "Jo", d(2026, 10, 5), "p-student", 4, 3, 4),
        ("o5", "t-desk", "shadowing", "Jo", d(2026, 10, 6), "p-senior", 5, 2, None),
        # t-kiosk: gaps 2, 2 -> gap 2, n 2
        ("o6", "t-kiosk", "shadowing", "Jo", d(2026, 10, 5), "p-senior", 4, 2, None),
        ("o7", "t-kiosk", "service-safari", "Ana", d(2026, 10, 1), None, 3, 1, None),
        # t-exit: reality only -> n 0, gap None
        ("o8", "t-exit", "shadowing", "Jo", d(2026, 10, 5), None, None, 4, None),
        # t-web: delight, gap -1
        ("o9", "t-web", "service-safari", "Ana", d(2026, 10, 2), "p-student", 3, 4, None),
    ]
    for oid, tp, method, who, date, persona, e, r, mn in obs:
        jm.add_observation(
            Observation(oid, tp, method, who, date, persona, e, r, mn, note=f"note {oid}")
        )
    return jm


@pytest.fixture
def small_map() -> JourneyMap:
    return make_small_map()


@pytest.fixture
def library_path() -> Path:
    return SAMPLES / "library_visit.journey.json"


@pytest.fixture
def isolated_qt(qapp, tmp_path):
    """Qt paths and settings of a test's own, never the user's."""
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    from journeymap.ui.recovery import recovery_folder

    for leftover in recovery_folder().glob("*"):
        leftover.unlink()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield settings
    for leftover in recovery_folder().glob("*"):
        leftover.unlink()


@pytest.fixture
def answers(monkeypatch):
    """Answer the window's questions instead of a person; records what was asked."""
    from journeymap.ui import dialogs

    class Answers:
        def __init__(self) -> None:
            self.save_changes = "discard"
            self.restore = True
            # The recovery list: None follows ``restore`` (True: restore all,
            # False: discard all); or "all", "discard", "later"; or a dict
            # {name: "restore" | "discard"} by original file name, map title
            # or recovery key (others: later); or a function(items) -> that dict.
            self.restore_choice = None
            self.save_path = None
            # Unpacking a bundle: "default" (beside the zip), a Path, or None (cancel).
            self.bundle_folder = "default"
            self.asked: list = []
            self.errors: list = []

    record = Answers()

    def ask_save_changes(parent, name):
        record.asked.append(("save_changes", name))
        return record.save_changes

    def ask_restore(parent, description):
        record.asked.append(("restore", description))
        return record.restore

    def ask_recovery(parent, items):
        record.asked.append(("restore", [item.describe() for item in items]))
        choice = record.restore_choice
        if choice is None:
            choice = "all" if record.restore else "discard"
        if callable(choice):
            return dict(choice(items))
        if isinstance(choice, str):
            action = {"all": "restore", "discard": "discard"}.get(choice)
            return {item.key: action for item in items} if action else {}
        answer = {}
        for item in items:
            for name in (item.key, item.original and item.original.name, item.title):
                if name in choice:
                    answer[item.key] = choice[name]
                    break
        return answer

    def show_error(parent, title, text, details=""):
        record.errors.append((title, text, details))

    def bundle_folder(parent, bundle, default):
        record.asked.append(("bundle_folder", default))
        return default if record.bundle_folder == "default" else record.bundle_folder

    monkeypatch.setattr(dialogs, "ask_save_changes", ask_save_changes)
    monkeypatch.setattr(dialogs, "ask_restore", ask_restore)
    monkeypatch.setattr(dialogs, "ask_recovery", ask_recovery)
    monkeypatch.setattr(dialogs, "show_error", show_error)
    monkeypatch.setattr(dialogs, "bundle_folder", bundle_folder)
    monkeypatch.setattr(dialogs, "save_path", lambda parent, suggestion: record.save_path)
    return record


@pytest.fixture
def window(qtbot, isolated_qt, answers, library_path):
    """The main window on the library sample."""
    from journeymap.ui.mainwindow import MainWindow

    win = MainWindow(isolated_qt)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    assert win.open_path(library_path, ask=False)
    # The first dock sizes and the fit to the map are queued on the event
    # loop: let them land before a test drags or measures, as a user would.
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()
    yield win
    win.editor.undo_stack.setClean()
    win.autosave_timer.stop()
