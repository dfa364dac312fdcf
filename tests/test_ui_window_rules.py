"""Window-wide rules: no key does two things, help fits the screen, tables follow the selection."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QKeySequence

from journeymap.ui import helpdialogs, shortcuts

#: Standard keys as X11 desktops list them (Qt's own table): Delete has Ctrl+D.
X11_KEYS = {"Delete": ["Del", "Ctrl+D"], "Redo": ["Ctrl+Shift+Z"], "ZoomIn": ["Ctrl++"]}


@pytest.fixture(params=["this platform", "x11"])
def platform_keys(request, monkeypatch):
    """shortcuts.py sees this platform's standard keys, or X11's (before the window)."""
    if request.param == "x11":
        listed = {getattr(QKeySequence.StandardKey, k): v for k, v in X11_KEYS.items()}
        real = QKeySequence.keyBindings

        class X11Keys(QKeySequence):
            @staticmethod
            def keyBindings(key):
                return [QKeySequence(s) for s in listed[key]] if key in listed else real(key)

        monkeypatch.setattr(shortcuts, "QKeySequence", X11Keys)
    return request.param


def test_no_two_actions_share_a_key(platform_keys, window):
    # Qt ignores an ambiguous key ("Ambiguous shortcut overload"): Std.Delete on
    # X11 includes Ctrl+D, which once made Duplicate's Ctrl+D do nothing.
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            owners.setdefault(key, []).append(action.text())
    clashes = {key: names for key, names in owners.items() if len(set(names)) > 1}
    assert clashes == {}
    assert len(owners["Ctrl+D"]) == 1  # Duplicate


def test_help_dialogs_fit_a_small_screen(window):
    area = window.screen().availableGeometry()
    for show in (helpdialogs.show_reading, helpdialogs.show_shortcuts):
        dialog = show(window)
        assert dialog.width() <= area.width() and dialog.height() <= area.height(), show
        dialog.close()


def test_the_observations_table_follows_the_selection_back_to_all(window):
    journey = window.editor.journey
    table = window.observations.model
    window.editor.scene.select_touchpoint("t-desk")
    assert table.rowCount() == len(journey.observations_for("t-desk"))
    window.editor.scene.clearSelection()
    assert table.rowCount() == len(journey.observations)
