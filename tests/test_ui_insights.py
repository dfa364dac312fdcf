"""The Insights dock and the insights overlay of the canvas (issue 12, item 3).

A hand-made map, numbers worked out by hand::

    Arrive          Use              Leave
    a Door  --0.6-> b Kiosk  -----> d Exit
            --0.2-> c Desk   ----->
    (0.2 of the customers at the door leave there)

Gaps (expectation - reality): a 4-3 = 1; b shadowing 4-1 = 3 and interview
5-5 = 0, so 1.5 with every observation and 3 with shadowing only; c (an
interview only) 3-2 = 1; d none.

Reach: a 1, b 0.6, c 0.2, d 0.6 + 0.2 = 0.8; leaves: a 0.2, so lost 0.2.
Unavoidable: a and d.  Priorities: a 1 x 1 = 1, b 0.6 x 1.5 = 0.9,
c 0.2 x 1 = 0.2, d none: order a, b, c, d; expected gap 2.1.  Worst path
a, b, d with 1 + 1.5 = 2.5 (a, c, d: 2).  Shadowing only: b 0.6 x 3 = 1.8
comes before a; c has no gap: order b, a, c, d (null priorities in file
order); worst path a, b, d with 4.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication

from journeymap.canvas.overlays import (
    LeavesTag,
    ReachTag,
    UnavoidableMark,
    WorstPathBand,
    percent,
)
from journeymap.model import JourneyMap, Observation, Scale, Stage, TouchPoint, Transition
from journeymap.model.analysis import ObservationFilter
from journeymap.model.insights import insights
from journeymap.ui.docks import insights as dock_module

SHADOWING = ObservationFilter(methods=frozenset({"shadowing"}))


def shaped_map() -> JourneyMap:
    jm = JourneyMap("Shaped", Scale(1, 5))
    for sid, name in [("s1", "Arrive"), ("s2", "Use"), ("s3", "Leave")]:
        jm.add_stage(Stage(sid, name))
    for tid, name, stage in [("a", "Door", "s1"), ("b", "Kiosk", "s2"), ("c", "Desk", "s2"),
                             ("d", "Exit", "s3")]:  # fmt: skip
        jm.add_touchpoint(TouchPoint(tid, name, stage, "in-person"))
    jm.add_transition(Transition("a", "b", share=0.6))
    jm.add_transition(Transition("a", "c", "busy", "alternative", share=0.2))
    jm.add_transition(Transition("b", "d"))
    jm.add_transition(Transition("c", "d"))
    observed = [
        ("o1", "a", "shadowing", 4, 3),
        ("o2", "b", "shadowing", 4, 1),
        ("o3", "b", "interview", 5, 5),
        ("o4", "c", "interview", 3, 2),
    ]
    for oid, tp, method, e, r in observed:
        jm.add_observation(Observation(oid, tp, method, "Jo", None, None, e, r))
    return jm


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def open_shaped(window):
    window.editor.replace(shaped_map(), None)
    window.docks["insights"].raise_()
    settle()
    return window.insights


def shown_ids(dock) -> list[str]:
    model = dock.model
    return [
        model.data(model.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(model.rowCount())
    ]


def cell(dock, row: int, column: int) -> str:
    return dock.model.data(dock.model.index(row, column))


def test_dock_lists_the_priorities_under_the_filter(window):
    dock = open_shaped(window)
    journey = window.editor.journey
    assert shown_ids(dock) == ["a", "b", "c", "d"]
    assert shown_ids(dock) == [r.touchpoint for r in insights(journey).rows]
    assert [cell(dock, r, dock_module.REACH) for r in range(4)] == ["100%", "60%", "20%", "80%"]
    assert [cell(dock, r, dock_module.PRIORITY) for r in range(4)] == ["+1.00", "+0.90", "+0.20",
                                                                       "-"]  # fmt: skip
    assert [cell(dock, r, dock_module.UNAVOIDABLE) != "" for r in range(4)] == [
        True, False, False, True
    ]  # fmt: skip
    assert cell(dock, 0, dock_module.LEAVES) == "20%"
    assert "Door \u2192 Kiosk \u2192 Exit" in dock.summary.text()
    assert "total gap +2.50" in dock.summary.text()
    assert "Expected gap +2.10" in dock.summary.text()
    assert "Lost 20%" in dock.summary.text()
    assert "0 warnings" in dock.summary.text() and dock.warnings.isHidden()

    window.view_state.set_filter(SHADOWING)
    settle()
    assert shown_ids(dock) == ["b", "a", "c", "d"]
    assert shown_ids(dock) == [r.touchpoint for r in insights(journey, SHADOWING).rows]
    assert cell(dock, 0, dock_module.PRIORITY) == "+1.80"
    assert "total gap +4.00" in dock.summary.text()
    window.view_state.clear_filter()
    settle()
    assert shown_ids(dock) == ["a", "b", "c", "d"]


def test_dock_follows_edits_and_lists_warnings(window):
    dock = open_shaped(window)
    # Desk now also goes back to the door: a cycle the analysis cuts, with a warning.
    window.editor.connect("c", "a")
    settle()
    assert "1 warning" in dock.summary.text()
    assert dock.warnings.count() == 1 and not dock.warnings.isHidden()
    (warning,) = insights(window.editor.journey).warnings
    assert (warning.kind, warning.transition) == ("cycle", ("c", "a"))
    assert dock.warnings.item(0).text() == f"\u26a0 {warning.message}"
    # A wider gap at the desk: 0.2 x 4 = 0.8, still below the kiosk's 0.9.
    window.editor.update_observation("o4", expectation=5, reality=1)
    settle()
    assert shown_ids(dock) == ["a", "b", "c", "d"]
    assert cell(dock, 2, dock_module.PRIORITY) == "+0.80"
    # Hidden behind the Gaps tab, the dock catches up when shown again.  Without
    # Door -> Kiosk the kiosk is an entry too: a and b 0.5 each, c 0.5 x 0.2 = 0.1;
    # priorities b 0.5 x 1.5 = 0.75, a 0.5 x 1 = 0.5, c 0.1 x 4 = 0.4.
    window.docks["gaps"].raise_()
    window.editor.remove_transition("a", "b")
    settle()
    assert dock.stale  # not worked out while nobody sees it
    window.docks["insights"].raise_()
    settle()
    assert shown_ids(dock) == ["b", "a", "c", "d"]
    assert [cell(dock, r, dock_module.PRIORITY) for r in range(3)] == ["+0.75", "+0.50", "+0.40"]


def test_a_click_on_a_row_selects_and_centres_the_card(window, qtbot):
    dock = open_shaped(window)
    window.view_state.set_filter(SHADOWING)
    settle()
    table = dock.table
    rect = table.visualRect(dock.model.index(1, dock_module.NAME))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.scene.selected_touchpoints() == ["a"]
    assert window.view_state.selection == ("a",)


def test_overlay_draws_band_reach_unavoidable_and_leaves(window):
    open_shaped(window)
    scene = window.editor.scene
    action = window.insights_overlay_action
    assert action.isCheckable() and not action.isChecked()
    assert not any(isinstance(i, WorstPathBand | ReachTag) for i in scene.items())

    action.trigger()
    settle()
    bands = [i for i in scene.items() if isinstance(i, WorstPathBand)]
    assert len(bands) == 1 and bands[0].touchpoints == ["a", "b", "d"]
    band = bands[0]
    assert band.zValue() < min(e.zValue() for e in scene.edges.values())
    # The band runs along the routed arrows of the path, in the gutters between cards.
    for key in (("a", "b"), ("b", "d")):
        points = scene.edges[key].route.points
        for (x1, y1), (x2, y2) in pairwise(points):
            middle = QPointF((x1 + x2) / 2, (y1 + y2) / 2)
            assert not any(c.sceneBoundingRect().contains(middle) for c in scene.cards.values())
            assert band.shape().contains(middle), (key, middle)
    reach = {i.parentItem().tp_id: i.text for i in scene.items() if isinstance(i, ReachTag)}
    assert reach == {"a": "reach 100%", "b": "reach 60%", "c": "reach 20%", "d": "reach 80%"}
    marks = {i.parentItem().tp_id for i in scene.items() if isinstance(i, UnavoidableMark)}
    assert marks == {"a", "d"}
    leaves = {i.parentItem().tp_id: i.text for i in scene.items() if isinstance(i, LeavesTag)}
    assert leaves == {"a": "\u2193 20% leave here"}

    # The overlay follows the map: without Door -> Kiosk the path runs by the desk.
    window.editor.remove_transition("a", "b")
    settle()
    bands = [i for i in scene.items() if isinstance(i, WorstPathBand)]
    assert len(bands) == 1 and bands[0].touchpoints == ["a", "c", "d"]
    assert len([i for i in scene.items() if isinstance(i, ReachTag)]) == 4

    action.trigger()
    settle()
    assert not any(
        isinstance(i, WorstPathBand | ReachTag | UnavoidableMark | LeavesTag) for i in scene.items()
    )


def test_overlay_survives_a_new_map_and_stays_out_of_exports(window, library_path):
    window.insights_overlay_action.trigger()
    settle()
    scene = window.editor.scene
    assert len([i for i in scene.items() if isinstance(i, ReachTag)]) == len(scene.cards)
    open_shaped(window)
    assert {i.parentItem().tp_id for i in scene.items() if isinstance(i, UnavoidableMark)} == {
        "a", "d"
    }  # fmt: skip
    from journeymap.render.mapimage import export_scene

    exported = export_scene(window.editor.journey)
    settle()
    assert not any(isinstance(i, WorstPathBand | ReachTag) for i in exported.items())


def test_percent_never_shows_a_small_share_as_nothing():
    assert [percent(v) for v in (0.0, 0.001, 0.2, 1.0)] == ["0%", "<1%", "20%", "100%"]
