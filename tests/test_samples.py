"""The sample maps are what a workshop sees first: they must be sound and telling."""

from __future__ import annotations

import pytest

from journeymap.fileio import load_map
from journeymap.model.analysis import touchpoint_gaps
from journeymap.resources import blank_template
from tests.conftest import SAMPLES

NAMES = ["library_visit", "cafe_order", "store_visit"]


@pytest.mark.parametrize("name", NAMES)
def test_sample_has_a_clear_widest_gap(name):
    jm = load_map(SAMPLES / f"{name}.journey.json")
    first, second = touchpoint_gaps(jm)[:2]
    assert first.stats.wide
    assert first.stats.gap > second.stats.gap


def test_library_visit_is_a_full_workshop_map(library_path):
    jm = load_map(library_path)
    s = jm.summary()
    assert s.stages >= 5 and s.touchpoints >= 14 and s.observations >= 40
    kinds = {t.kind for t in jm.transitions}
    assert {"failure", "loop"} <= kinds
    methods = {o.method for o in jm.observations}
    assert {"service-safari", "shadowing"} <= methods
    assert sum(bool(o.quote) for o in jm.observations) >= 15
    assert all(o.note for o in jm.observations)
    names = " ".join(t.name.lower() + " " + t.description.lower() for t in jm.touchpoints)
    for word in ("entrance", "desk", "catalogue", "self-checkout", "fines", "circulation"):
        assert word in names, word
    assert any(t.critical for t in jm.touchpoints)


def test_blank_template_loads():
    jm = load_map(blank_template())
    assert jm.summary().touchpoints == 0
    assert len(jm.stages) == 5


def test_library_visit_carries_decisions(library_path):
    """Format version 2: the rules, actions and ideas a debrief would end with."""
    jm = load_map(library_path)
    rules = {(r.touchpoint, r.color): r for r in jm.rules}
    card = rules["t-card", "red"]
    assert "ID" in card.text and card.intent
    assert "fines" in rules["t-fines", "yellow"].text
    assert "children's area" in rules["t-storytime", "green"].intent
    assert any(r.touchpoint is None for r in jm.rules)  # one holds for the whole map
    texts = [a.text.lower() for a in jm.actions]
    assert any(t.startswith("stop announcing overdue fines at the desk") for t in texts)
    assert any(t.startswith("start greeting at the door") for t in texts)
    assert {a.kind for a in jm.actions} == {"start", "stop", "continue", "improve"}
    assert len({a.status for a in jm.actions}) >= 3 and all(a.owner for a in jm.actions)
    cells = {(i.level, i.scope) for i in jm.ideas}
    assert len(cells) >= 5
    assert {level for level, _ in cells} == {"standard", "extended", "innovative"}
    assert ("extended", "individual") in cells and ("innovative", "community") in cells
