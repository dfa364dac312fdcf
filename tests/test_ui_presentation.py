"""Presentation mode (F11): full screen, docks away, one gap at a time; Esc puts it all back."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QToolBar

from journeymap.model import Observation
from journeymap.model.analysis import ObservationFilter, touchpoint_gaps
from journeymap.ui.docks.gaps import COLUMNS
from journeymap.ui.gapstrip import elide_lines, strongest_quote

#: Shadowing only, up to 8 October: changes the ranking and t-desk's strongest quote.
FILTER = ObservationFilter(methods=frozenset({"shadowing"}), date_to=dt.date(2026, 10, 8))


def press(qtbot, window, key: Qt.Key) -> None:
    # Keys go to whatever has focus, as a person's would; shortcuts catch them.
    target = window.focusWidget() or window
    qtbot.keyClick(target, key)


def settle(qtbot, window) -> None:
    """Let the deferred re-fit after going full screen happen."""
    qtbot.wait(0)
    qtbot.waitUntil(lambda: window.presentation._reframe_pending is False)


def offset_from_centre(window, tp_id: str) -> QPointF:
    view = window.view
    card = window.editor.scene.cards[tp_id]
    return QPointF(
        view.mapFromScene(card.sceneBoundingRect().center()) - view.viewport().rect().center()
    )


def visible_toolbars(window) -> dict[str, bool]:
    return {b.objectName(): not b.isHidden() for b in window.findChildren(QToolBar)}


def test_f11_enters_full_screen_without_docks_toolbars_or_menus(qtbot, window):
    assert any(not dock.isHidden() for dock in window.docks.values())
    press(qtbot, window, Qt.Key.Key_F11)
    assert window.presentation.active
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert all(dock.isHidden() for dock in window.docks.values())
    assert not any(visible_toolbars(window).values())
    assert window.menuBar().isHidden() and window.statusBar().isHidden()
    assert window.presentation.strip.isVisible()
    assert window.present_action.isChecked()
    # The strip sits below the map, not over it.
    view, strip = window.view, window.presentation.strip
    assert view.viewport().geometry().bottom() < strip.geometry().top()


def test_arrows_step_through_the_widest_gaps_and_centre_each_card(qtbot, window):
    press(qtbot, window, Qt.Key.Key_F11)
    settle(qtbot, window)
    ranked = [
        r.touchpoint for r in touchpoint_gaps(window.editor.journey) if r.stats.gap is not None
    ]
    strip = window.presentation.strip
    overview = window.view.zoom()
    assert strip.rank.text() == f"1 of {len(ranked)}"
    assert window.editor.scene.selected_touchpoints() == [ranked[0]]

    # From the overview, the first step shows the widest gap itself.
    for key, rank in ((Qt.Key.Key_Right, 1), (Qt.Key.Key_Right, 2), (Qt.Key.Key_Right, 3),
                      (Qt.Key.Key_Left, 2),
                      (Qt.Key.Key_PageDown, 3), (Qt.Key.Key_Up, 2)):  # fmt: skip
        press(qtbot, window, key)
        tp_id = ranked[rank - 1]
        assert strip.rank.text() == f"{rank} of {len(ranked)}"
        assert window.editor.scene.selected_touchpoints() == [tp_id]
        offset = offset_from_centre(window, tp_id)
        assert abs(offset.x()) <= 2 and abs(offset.y()) <= 2, (key, offset)
        # Closer than the whole map, and cards at least at their actual size
        # (this offscreen screen is 800 pixels wide: a projector gets 200%).
        assert window.view.zoom() > overview and window.view.zoom() >= 1.0

    # The last card centres too, though it may sit at an edge of the map.
    for _ in ranked:
        press(qtbot, window, Qt.Key.Key_Right)
    assert strip.rank.text() == f"{len(ranked)} of {len(ranked)}"
    offset = offset_from_centre(window, ranked[-1])
    assert abs(offset.x()) <= 2 and abs(offset.y()) <= 2
    press(qtbot, window, Qt.Key.Key_Left)
    assert window.editor.scene.selected_touchpoints() == [ranked[-2]]


def test_the_strip_shows_the_analysis_numbers_under_the_window_filter(qtbot, window):
    window.view_state.set_filter(FILTER)
    journey = window.editor.journey
    rows = [r for r in touchpoint_gaps(journey, FILTER) if r.stats.gap is not None]
    everything = [r for r in touchpoint_gaps(journey) if r.stats.gap is not None]
    assert [r.touchpoint for r in rows] != [r.touchpoint for r in everything]
    gaps_table = window.gaps.model
    stages = {s.id: s.name for s in journey.stages}
    press(qtbot, window, Qt.Key.Key_F11)
    strip = window.presentation.strip
    press(qtbot, window, Qt.Key.Key_Right)  # from the overview to the widest gap
    for rank, row in enumerate(rows, 1):
        s = row.stats
        assert strip.rank.text() == f"{rank} of {len(rows)}"
        assert strip.name.text() == row.name
        assert strip.stage.text() == stages[row.stage]
        assert strip.values["expectation"].text() == f"{s.expectation:.2f}"
        assert strip.values["reality"].text() == f"{s.reality:.2f}"
        assert strip.values["gap"].text() == f"{s.gap:+.2f}"
        assert strip.values["n"].text() == str(s.n)
        # Same text as the Gaps dock's row of the same rank.
        name_cell = gaps_table.index(rank - 1, COLUMNS.index("Touch point"))
        gap_cell = gaps_table.index(rank - 1, COLUMNS.index("Gap"))
        assert name_cell.data() == row.name
        assert gap_cell.data() == strip.values["gap"].text()
        # The strongest quote: widest |E - R| among the quoted observations the
        # filter keeps; ties to the most recent.
        quoted = [o for o in journey.observations_for(row.touchpoint)
                  if FILTER.accepts(o) and o.quote and o.gap is not None]  # fmt: skip
        if quoted:
            widest = max(abs(o.gap) for o in quoted)
            best = max((o for o in quoted if abs(o.gap) == widest), key=lambda o: o.date)
            assert strip.quote_text() == best.quote
            assert best.quote.split()[0] in strip.quote.text()
        else:
            assert strip.quote_text() == ""
        press(qtbot, window, Qt.Key.Key_Right)
    # t-desk under the filter: o28 (13 October) is out, so o26 speaks.
    desk = window.presentation.cards[
        [c.touchpoint for c in window.presentation.cards].index("t-desk")
    ]
    assert desk.quote.startswith("Circulation? Reference?")


def test_a_filter_change_while_presenting_updates_the_strip(qtbot, window):
    press(qtbot, window, Qt.Key.Key_F11)
    strip = window.presentation.strip
    total = len([r for r in touchpoint_gaps(window.editor.journey) if r.stats.gap is not None])
    assert strip.rank.text() == f"1 of {total}"
    window.view_state.set_filter(FILTER)
    rows = [r for r in touchpoint_gaps(window.editor.journey, FILTER) if r.stats.gap is not None]
    assert strip.rank.text().endswith(f"of {len(rows)}")
    assert strip.values["gap"].text() == f"{window.presentation.current().gap:+.2f}"


def test_with_no_gap_the_strip_says_so(qtbot, window):
    window.view_state.set_filter(ObservationFilter(observers=frozenset({"Nobody"})))
    press(qtbot, window, Qt.Key.Key_F11)
    strip = window.presentation.strip
    assert strip.message.isVisible()
    assert strip.message.text().startswith("No touch point has a gap")
    assert "observer Nobody" in strip.message.text()
    assert not strip.rank.isVisible() and not strip.values["gap"].isVisible()
    press(qtbot, window, Qt.Key.Key_Right)  # nothing to step to, and no error
    assert window.presentation.current() is None


@pytest.mark.parametrize("leave_key", [Qt.Key.Key_Escape, Qt.Key.Key_F11])
def test_leaving_restores_docks_window_and_view(qtbot, window, leave_key):
    window.docks["history"].show()
    window.docks["inspector"].raise_()
    view = window.view
    view.set_zoom(0.8)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum() // 2)
    qtbot.wait(0)
    docks = {name: not dock.isHidden() for name, dock in window.docks.items()}
    raised = window.docks["inspector"].isVisible(), window.docks["gaps"].isVisible()
    places = {name: dock.geometry() for name, dock in window.docks.items() if dock.isVisible()}
    toolbars = visible_toolbars(window)
    state, geometry = window.windowState(), window.geometry()
    transform = view.transform()
    scroll = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
    assert not state & Qt.WindowState.WindowFullScreen

    press(qtbot, window, Qt.Key.Key_F11)
    settle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Right)
    assert view.transform() != transform
    press(qtbot, window, leave_key)
    qtbot.wait(0)

    assert not window.presentation.active and not window.present_action.isChecked()
    assert window.windowState() == state
    assert window.geometry() == geometry
    assert {name: not dock.isHidden() for name, dock in window.docks.items()} == docks
    assert (window.docks["inspector"].isVisible(), window.docks["gaps"].isVisible()) == raised
    assert {name: window.docks[name].geometry() for name in places} == places
    assert visible_toolbars(window) == toolbars
    assert not window.menuBar().isHidden() and not window.statusBar().isHidden()
    assert not window.presentation.strip.isVisible()
    assert view.transform() == transform
    assert (view.horizontalScrollBar().value(), view.verticalScrollBar().value()) == scroll
    assert view.viewportMargins().bottom() == 0
    # The arrows are the map's and the tables' again.
    index = window.presentation.index
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.presentation.index == index


def test_a_maximized_window_comes_back_maximized(qtbot, window):
    window.showMaximized()
    qtbot.waitUntil(lambda: bool(window.windowState() & Qt.WindowState.WindowMaximized))
    window.presentation.enter()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    window.presentation.leave()
    assert window.windowState() == Qt.WindowState.WindowMaximized


def test_closing_while_presenting_saves_the_everyday_layout(qtbot, window):
    window.presentation.enter()
    window._save_layout()
    assert not window.presentation.active
    assert not window.docks["gaps"].isHidden()


# ---------------------------------------------------------------- the quote


def quoted(jm, oid, tp, e, r, date, quote, method="shadowing"):
    jm.add_observation(Observation(oid, tp, method, "Kim", date, None, e, r, quote=quote))


def test_strongest_quote_is_the_widest_either_way_then_newest_then_first(small_map):
    d = dt.date
    quoted(small_map, "q1", "t-web", 4, 2, d(2026, 10, 1), "two short")
    assert strongest_quote(small_map, "t-web").id == "q1"
    # Delight counts as much as disappointment: |3 - 5 - ...| beats 2.
    quoted(small_map, "q2", "t-web", 1, 4, d(2026, 9, 1), "three over")
    assert strongest_quote(small_map, "t-web").id == "q2"
    # A tie goes to the most recent date; undated counts as oldest.
    quoted(small_map, "q3", "t-web", 5, 2, None, "undated")
    quoted(small_map, "q4", "t-web", 5, 2, d(2026, 10, 3), "newest")
    assert strongest_quote(small_map, "t-web").id == "q4"
    # Same date too: the first in the file.
    quoted(small_map, "q5", "t-web", 2, 5, d(2026, 10, 3), "same day, later")
    assert strongest_quote(small_map, "t-web").id == "q4"
    # Wider, but unquoted or half scored: not a quote to show.
    quoted(small_map, "q6", "t-web", 5, 1, d(2026, 10, 9), "  ")
    quoted(small_map, "q7", "t-web", None, 1, d(2026, 10, 9), "no expectation")
    assert strongest_quote(small_map, "t-web").id == "q4"
    # Within the filter only.
    safari = ObservationFilter(methods=frozenset({"service-safari"}))
    assert strongest_quote(small_map, "t-web", safari) is None
    quoted(small_map, "q8", "t-web", 3, 2, d(2026, 10, 1), "safari", "service-safari")
    assert strongest_quote(small_map, "t-web", safari).id == "q8"
    assert strongest_quote(small_map, "t-exit") is None


def test_a_long_quote_is_cut_to_two_lines_with_an_ellipsis(qapp):
    font = QFont("DejaVu Sans")
    font.setPixelSize(20)
    text = "word " * 200
    cut = elide_lines(text, font, 300, 2)
    assert cut.endswith("\u2026") and len(cut) < len(text) // 2
    assert elide_lines("short\nquote", font, 300, 2) == "short quote"


def test_a_long_quote_stays_in_the_strip(qtbot, window):
    journey = window.editor.journey
    top = touchpoint_gaps(journey)[0]
    window.editor.update(
        "observation", "o28", {"quote": "So... is that a no? " + "I waited and waited. " * 60}
    )
    assert touchpoint_gaps(journey)[0].touchpoint == top.touchpoint
    press(qtbot, window, Qt.Key.Key_F11)
    strip = window.presentation.strip
    assert strip.quote_text().startswith("So... is that a no? I waited")
    label = strip.quote
    assert label.text().endswith("\u2026\u201d")
    assert label.geometry().bottom() <= strip.rect().bottom()
