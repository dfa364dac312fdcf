"""What the window shows is what the numbers say: one filter, one statistics source,
cards dropped into stages, and views that let go of a map when another opens."""

from __future__ import annotations

import contextlib
import io
import json

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from journeymap.cli import main as cli
from journeymap.fileio import load_map
from journeymap.interop import observationtable
from journeymap.model.analysis import ObservationFilter
from tests.conftest import SAMPLES


def gaps_json(path, *options: str) -> dict[str, dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli(["gaps", str(path), "--format", "json", *options]) == 0
    return {r["touchpoint"]: r for r in json.loads(out.getvalue())}


def table_row(model, tp_id: str) -> dict[str, str]:
    row = next(r for r in range(model.rowCount()) if model.touchpoint_at(r) == tp_id)
    return {model.headings[c]: str(model.index(row, c).data()) for c in range(len(model.headings))}


def choose(combo, data) -> None:
    """Pick an entry as a user would, by its index in the drop-down."""
    combo.setCurrentIndex(combo.findData(data))


def test_filter_set_in_its_control_drives_every_view(window, tmp_path, library_path):
    bar = window.filter_bar
    choose(bar.method, "shadowing")
    assert window.view_state.filter == ObservationFilter(methods=frozenset({"shadowing"}))
    window.view.center_on_touchpoint("t-desk")  # selects the card too

    cli_rows = gaps_json(library_path, "--method", "shadowing")
    unfiltered = gaps_json(library_path)
    desk = cli_rows["t-desk"]
    assert desk["n"] != unfiltered["t-desk"]["n"]  # the filter makes a difference here

    # The card: its numbers, and what its tooltip says.
    card = window.editor.scene.cards["t-desk"]
    assert (card.stats.n, round(card.stats.gap, 10)) == (desk["n"], desk["gap"])
    assert f"gap {desk['gap']:+.2f}" in card.toolTip()
    # The gap table row.
    row = table_row(window.gaps.model, "t-desk")
    assert (row["n"], row["Gap"]) == (str(desk["n"]), f"{desk['gap']:+.2f}")
    # The Inspector.
    text = window.inspector.stats.text()
    assert f"gap {desk['gap']:+.2f}" in text and f"n = {desk['n']} " in text
    assert "shadowing" in text
    # Every row of the table, not just one.
    model = window.gaps.model
    for r in range(model.rowCount()):
        stats = model.rows[r].stats
        expected = cli_rows[model.touchpoint_at(r)]
        assert stats.n == expected["n"]
        assert (None if stats.gap is None else round(stats.gap, 10)) == expected["gap"]
    # The Observations dock lists shadowing only; the banner says what is shown.
    assert {o.method for o in window.observations.model.rows} == {"shadowing"}
    kept = sum(o.method == "shadowing" for o in window.editor.journey.observations)
    assert window.view.banner.isVisible()
    assert f"{kept} of 51 observations" in window.view.banner.text()
    # A PNG exported now carries the same filter in its caption.
    assert window.export_to(tmp_path / "map.png")
    caption = QImage(str(tmp_path / "map.png")).text("Description")
    assert "method shadowing" in caption and f"{kept} of 51 observations" in caption

    # Show all: every view is back on every observation.
    bar.clear.click()
    assert window.view_state.filter.is_empty
    assert not window.view.banner.isVisible()
    assert card.stats.n == unfiltered["t-desk"]["n"]
    assert table_row(window.gaps.model, "t-desk")["n"] == str(unfiltered["t-desk"]["n"])
    assert f"n = {unfiltered['t-desk']['n']} " in window.inspector.stats.text()


def test_persona_and_date_filters_match_the_command_line(window, library_path):
    journey = window.editor.journey
    persona = journey.personas[0]
    choose(window.filter_bar.persona, persona.id)
    window.filter_bar.date_from.setDate(window.filter_bar.date_from.date().fromString(
        "2026-10-08", "yyyy-MM-dd"))  # fmt: skip
    flt = window.view_state.filter
    assert flt.personas == frozenset({persona.id}) and str(flt.date_from) == "2026-10-08"
    cli_rows = gaps_json(library_path, "--persona", persona.name, "--from", "2026-10-08")
    model = window.gaps.model
    assert [model.touchpoint_at(r) for r in range(model.rowCount())] == list(cli_rows)
    for tp_id, card in window.editor.scene.cards.items():
        assert card.stats.n == cli_rows[tp_id]["n"]


def test_window_exports_what_is_shown_or_everything(window, tmp_path, answers, monkeypatch):
    from journeymap.ui import dialogs

    choose(window.filter_bar.method, "shadowing")
    target = tmp_path / "obs.csv"
    asked = []
    monkeypatch.setattr(dialogs, "export_path", lambda parent, suggestion, suffix: target)

    def scope(parent, what, shown):
        asked.append(shown)
        return scope.answer

    monkeypatch.setattr(dialogs, "ask_export_scope", scope)
    scope.answer = "shown"
    window.export_dialog(".csv")
    assert "shadowing" in asked[-1]
    shown = observationtable.observations_to_csv(
        window.editor.journey, ObservationFilter(methods=frozenset({"shadowing"}))
    )
    assert target.read_text(encoding="utf-8") == shown
    scope.answer = "all"
    window.export_dialog(".csv")
    everything = observationtable.observations_to_csv(window.editor.journey)
    assert target.read_text(encoding="utf-8") == everything
    scope.answer = None  # cancel: nothing is written
    target.unlink()
    window.export_dialog(".csv")
    assert not target.exists()


def drag(view, card, to_scene: QPointF) -> None:
    """Press on the card's centre, move in steps, release at ``to_scene``: a user's drag."""
    viewport = view.viewport()
    start = view.mapFromScene(card.sceneBoundingRect().center())
    end = view.mapFromScene(to_scene)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 11):
        QTest.mouseMove(viewport, start + (end - start) * step / 10)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_dropping_a_card_in_another_column_moves_it_to_that_stage(qtbot, window, tmp_path):
    view, scene, journey = window.view, window.editor.scene, window.editor.journey
    view.set_zoom(0.5)
    card = scene.cards["t-desk"]
    old_stage = journey.touchpoint("t-desk").stage
    borrow = next(s.id for s in journey.stages if s.name == "Borrow")
    column = scene.columns[borrow]
    low = column.sceneBoundingRect().bottom() + 150  # below the column: it must grow
    target = QPointF(column.sceneBoundingRect().center().x(), low)
    view.centerOn(QPointF(target.x() - 200, target.y() - 200))
    view.centerOn(card)
    steps = window.editor.undo_stack.count()
    drag(view, card, target)

    tp = journey.touchpoint("t-desk")
    assert tp.stage == borrow
    assert window.editor.undo_stack.count() == steps + 1  # stage and place: one step
    assert scene.column_at(card.sceneBoundingRect().center().x()) == borrow
    assert column.height >= card.sceneBoundingRect().bottom() - column.y()
    window.view.center_on_touchpoint("t-desk")
    assert window.inspector.stage.currentData() == borrow
    # The saved file, and so `journeymap gaps`, agree with the picture.
    window.editor.save(tmp_path / "moved.journey.json")
    assert load_map(tmp_path / "moved.journey.json").touchpoint("t-desk").stage == borrow
    assert gaps_json(tmp_path / "moved.journey.json")["t-desk"]["stage"] == borrow

    window.editor.undo_stack.undo()
    assert journey.touchpoint("t-desk").stage == old_stage
    assert scene.column_at(card.sceneBoundingRect().center().x()) == old_stage


def test_a_drop_outside_every_column_puts_the_card_back(qtbot, window):
    view, scene, journey = window.view, window.editor.scene, window.editor.journey
    view.set_zoom(0.5)
    card = scene.cards["t-desk"]
    start = card.pos()
    right = max(c.sceneBoundingRect().right() for c in scene.columns.values())
    view.centerOn(card)
    steps = window.editor.undo_stack.count()
    drag(view, card, QPointF(right + 200, card.sceneBoundingRect().center().y()))
    assert card.pos() == start
    assert journey.touchpoint("t-desk").position is None
    assert window.editor.undo_stack.count() == steps


def test_opening_another_map_leaves_no_connection_to_the_first(window):
    first = window.editor.journey
    assert len(first.changed) > 0
    choose(window.filter_bar.method, "shadowing")
    assert window.open_path(SAMPLES / "cafe_order.journey.json", ask=False)
    assert len(first.changed) == 0
    second = window.editor.journey
    assert second is not first and len(second.changed) > 0
    # A new map starts unfiltered, and every view shows it.
    assert window.view_state.filter.is_empty
    assert window.gaps.model.rowCount() == len(second.touchpoints)
    assert set(window.editor.scene.cards) == {tp.id for tp in second.touchpoints}
    # Editing the old map reaches no view of the window.
    first.update_touchpoint(first.touchpoints[0].id, name="Gone")
    assert all(r.name != "Gone" for r in window.gaps.model.rows)


def test_a_card_dropped_onto_another_slides_below_it(qtbot, window):
    view, scene, journey = window.view, window.editor.scene, window.editor.journey
    view.set_zoom(0.5)
    card = scene.cards["t-desk"]
    borrow = next(s.id for s in journey.stages if s.name == "Borrow")
    last = scene.cards[journey.touchpoints_in_stage(borrow)[-1].id]
    view.centerOn(card)
    drag(view, card, last.sceneBoundingRect().center())
    assert journey.touchpoint("t-desk").stage == borrow
    mine = card.sceneBoundingRect()
    for tp in journey.touchpoints_in_stage(borrow):
        if tp.id != "t-desk":
            assert not mine.intersects(scene.cards[tp.id].sceneBoundingRect()), tp.id
