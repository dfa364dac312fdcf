"""What the window says when a map has nothing to show yet.

Key names come from :mod:`journeymap.ui.shortcuts`, written the way this
platform writes them, so a changed shortcut changes the hint too.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from journeymap.model.analysis import ObservationFilter, select
from journeymap.model.journey import JourneyMap
from journeymap.ui import shortcuts

NO_EXPECTATIONS = (
    "No expectations yet: add an expectation score to observations "
    "(Quick capture or Observations dock) to see gaps"
)


def key_text(shortcut: shortcuts.Shortcut) -> str:
    """The first key sequence of a shortcut as this platform writes it, e.g. "Ctrl+T"."""
    found = shortcuts.sequences(shortcut)
    return found[0].toString(QKeySequence.SequenceFormat.NativeText) if found else ""


def empty_map_lines() -> list[tuple[str, str]]:
    """The empty-state hint: (what to do, its key) per line; the first is a heading."""
    return [
        ("This map has no touch points yet", ""),
        ("Add a stage (a column): Map \u25b8 Add Stage", key_text(shortcuts.ADD_STAGE)),
        (
            "Add a touch point (a card) to a stage: Map \u25b8 Add Touch Point",
            key_text(shortcuts.ADD_TOUCHPOINT),
        ),
        (
            "Record an observation against a card: Map \u25b8 Quick Capture",
            key_text(shortcuts.QUICK_CAPTURE),
        ),
        ("Or start from an example: File \u25b8 New from Template", ""),
        ("All keys: Help \u25b8 Keyboard Shortcuts", key_text(shortcuts.HELP)),
    ]


def needs_expectations(journey: JourneyMap, flt: ObservationFilter | None = None) -> bool:
    """True when observations have reality scores but none has an expectation to
    compare with (a Mermaid import): there is no gap anywhere to show.

    Once one observation has both scores the table has numbers, and a few
    observations without an expectation are ordinary; the hint goes.
    """
    reality_only = False
    for o in select(journey.observations, flt):
        if o.reality is None:
            continue
        if o.expectation is not None:
            return False
        reality_only = True
    return reality_only


def expectation_hint(journey: JourneyMap, flt: ObservationFilter | None = None) -> str:
    """The Gaps dock's one-line hint, or "" when every reality has its expectation."""
    return NO_EXPECTATIONS if needs_expectations(journey, flt) else ""
