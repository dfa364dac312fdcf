"""Every edit is one undo command; the scene follows the model through undo and redo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from journeymap.canvas.items import CardItem
from journeymap.model import ModelError
from journeymap.ui.document.editor import MapEditor
from journeymap.ui.view import MapView
from tests.conftest import make_small_map


@pytest.fixture
def editor(qapp):
    return MapEditor(make_small_map())


def scene_state(editor: MapEditor) -> tuple:
    scene = editor.scene
    return (
        sorted(scene.cards), sorted(scene.edges), sorted(scene.columns),
        {k: (c.stats.n, c.stats.gap) for k, c in scene.cards.items()},
    )  # fmt: skip


def assert_undo_redo(editor: MapEditor, before_model, before_scene, steps: int = 1) -> None:
    """Undo returns the model and the scene to what they were; redo re-applies."""
    after_model = make_copy(editor)
    after_scene = scene_state(editor)
    assert editor.undo_stack.count() == steps
    for _ in range(steps):
        editor.undo_stack.undo()
    assert make_copy(editor) == before_model
    assert scene_state(editor) == before_scene
    for _ in range(steps):
        editor.undo_stack.redo()
    assert make_copy(editor) == after_model
    assert scene_state(editor) == after_scene


def make_copy(editor: MapEditor):
    from journeymap.fileio import dumps, loads

    return loads(dumps(editor.journey))


@pytest.fixture
def before(editor):
    return make_copy(editor), scene_state(editor)


def test_scene_mirrors_the_model(editor):
    assert len(editor.scene.cards) == 5
    assert len(editor.scene.edges) == 4
    assert editor.scene.cards["t-sign"].stats.gap == 2.5


def test_add_rename_move_delete_stage(editor, before):
    stage = editor.add_stage(
        "Borrow",
    )
    editor.update_stage(stage.id, name="Borrow books")
    editor.move_stage(stage.id, 0)
    assert next(s.name for s in editor.journey.stages) == "Borrow books"
    assert stage.id in editor.scene.columns
    assert_undo_redo(editor, *before, steps=3)


def test_deleting_a_stage_takes_its_cards_and_undo_brings_them_back(editor, before):
    editor.remove_stage("s-find")
    assert "t-desk" not in editor.scene.cards
    assert len(editor.journey.observations) == 4
    assert_undo_redo(editor, *before)


def test_add_edit_delete_touchpoint(editor, before):
    tp = editor.add_touchpoint("s-leave", "Return slot", "self-service")
    editor.update_touchpoint(tp.id, name="Book return slot", critical=True)
    assert editor.scene.cards[tp.id].tp.critical
    editor.remove_touchpoints([tp.id])
    assert tp.id not in editor.scene.cards
    assert_undo_redo(editor, *before, steps=3)


def test_delete_restores_connections_and_observations(editor, before):
    editor.remove_touchpoints(["t-desk"])
    assert not editor.journey.has_touchpoint("t-desk")
    assert len(editor.scene.edges) == 0
    editor.undo_stack.undo()
    assert len(editor.scene.edges) == 4
    assert [o.id for o in editor.journey.observations_for("t-desk")] == ["o3", "o4", "o5"]
    editor.undo_stack.redo()
    assert_undo_redo(editor, *before)


def test_delete_selection_is_one_step(editor, before):
    editor.delete(["t-kiosk", "t-web"], [("t-sign", "t-desk")])
    assert editor.undo_stack.count() == 1
    assert editor.undo_stack.text(0) == "Delete selection"
    assert_undo_redo(editor, *before)


def test_connect_change_and_delete_transition(editor, before):
    editor.connect("t-sign", "t-exit", "failure", "door locked")
    assert editor.scene.edges[("t-sign", "t-exit")].tr.kind == "failure"
    editor.update_transition("t-sign", "t-exit", kind="alternative", label="side door")
    editor.remove_transition("t-desk", "t-kiosk")
    assert ("t-desk", "t-kiosk") not in editor.scene.edges
    assert_undo_redo(editor, *before, steps=3)


def test_observations_update_the_card(editor, before):
    obs = editor.add_observation("t-exit", "shadowing", expectation=5, reality=1)
    assert editor.scene.cards["t-exit"].stats.n == 1
    assert editor.scene.cards["t-exit"].stats.gap == 4
    editor.update_observation(obs.id, reality=4)
    assert editor.scene.cards["t-exit"].stats.gap == 1
    editor.remove_observations(["o1", "o2"])
    assert editor.scene.cards["t-sign"].stats.n == 0
    assert_undo_redo(editor, *before, steps=3)


def test_invalid_edits_push_nothing(editor):
    with pytest.raises(ModelError):
        editor.update_touchpoint("t-desk", stage="s-mars")
    with pytest.raises(ModelError):
        editor.add_observation("t-desk", "shadowing", reality=12)
    with pytest.raises(ModelError):
        editor.connect("t-sign", "t-desk")
    assert editor.undo_stack.count() == 0
    assert not editor.is_modified()


def test_one_drag_is_one_undo_step(qtbot, editor):
    view = MapView(editor.scene)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.actual_size()
    qtbot.waitExposed(view)
    card = editor.scene.cards["t-desk"]
    start = card.pos()
    centre = view.mapFromScene(card.sceneBoundingRect().center())
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    for step in range(1, 11):
        QTest.mouseMove(viewport, centre + QPointF(8 * step, 5 * step).toPoint())
    QTest.mouseRelease(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
        centre + QPointF(80, 50).toPoint(),
    )  # fmt: skip
    assert editor.undo_stack.count() == 1
    moved = editor.journey.touchpoint("t-desk").position
    assert moved is not None and moved[0] > start.x() + 40
    assert isinstance(editor.scene.itemAt(card.sceneBoundingRect().center(), view.transform()),
                      CardItem)  # fmt: skip
    editor.undo_stack.undo()
    assert editor.journey.touchpoint("t-desk").position is None
    assert card.pos() == start
    editor.undo_stack.redo()
    assert editor.journey.touchpoint("t-desk").position == moved


def test_moving_several_cards_is_one_step(editor):
    editor.move_cards({"t-sign": {"position": (10.0, 20.0)}, "t-web": {"position": (30.0, 40.0)}})
    assert editor.undo_stack.count() == 1
    assert editor.scene.cards["t-web"].pos() == QPointF(30, 40)
    editor.undo_stack.undo()
    assert editor.journey.touchpoint("t-web").position is None


def test_generic_commands_edit_any_kind_with_undo(editor):
    from journeymap.model import Persona

    journey = editor.journey
    before = make_small_map()
    editor.add("persona", Persona("p-new", "Visitor"), 0, "Add persona")
    editor.update("persona", "p-new", {"goal": "Borrow a book"})
    editor.move("persona", "p-new", 2)
    editor.update("transition", ("t-sign", "t-desk"), {"kind": "failure"})
    editor.remove("observation", "o4")
    assert [p.id for p in journey.personas] == ["p-student", "p-senior", "p-new"]
    assert journey.persona("p-new").goal == "Borrow a book"
    assert journey.transition("t-sign", "t-desk").kind == "failure"
    assert editor.undo_stack.count() == 5
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert journey == before
    while editor.undo_stack.canRedo():
        editor.undo_stack.redo()
    assert [p.id for p in journey.personas][-1] == "p-new"
    assert "o4" not in {o.id for o in journey.observations}


def test_an_edit_that_changes_nothing_is_no_undo_step(editor):
    editor.update_touchpoint("t-desk", name="Ask at the desk")
    assert editor.undo_stack.count() == 0


def test_changing_the_stage_in_the_inspector_moves_a_placed_card_to_its_column(editor):
    editor.move_cards({"t-desk": {"position": (10.0, 500.0)}})
    editor.update_touchpoint("t-desk", stage="s-leave")
    assert editor.journey.touchpoint("t-desk").position is None  # laid out in the new column
    card = editor.scene.cards["t-desk"]
    assert editor.scene.column_at(card.sceneBoundingRect().center().x()) == "s-leave"
    editor.undo_stack.undo()
    assert editor.journey.touchpoint("t-desk").position == (10.0, 500.0)
