"""The model's operations and the signals a window would mirror."""

from __future__ import annotations

import pytest

from journeymap.model import (
    Change,
    JourneyMap,
    ModelError,
    Observation,
    Persona,
    Scale,
    Stage,
    TouchPoint,
    Transition,
)
from tests.conftest import make_small_map

PAST = {"add": "added", "remove": "removed", "update": "changed", "move": "moved"}


class Recorder:
    """Collects every change a map reports on its one signal, in order."""

    def __init__(self, jm: JourneyMap) -> None:
        self.changes: list[Change] = []
        self.events: list[tuple] = []
        jm.changed.connect(self._record)

    def _record(self, change: Change) -> None:
        self.changes.append(change)
        detail = change.fields if change.op == "update" else change.index
        self.events.append((f"{change.kind}_{PAST[change.op]}", change.record, detail))

    def names(self) -> list[str]:
        return [e[0] for e in self.events]


def test_graph_mirrors_touchpoints_and_transitions(small_map):
    g = small_map.graph
    assert list(g.nodes) == ["t-sign", "t-desk", "t-kiosk", "t-exit", "t-web"]
    assert g.has_edge("t-kiosk", "t-desk")
    assert g.edges["t-desk", "t-kiosk"]["transition"].kind == "alternative"
    with pytest.raises(Exception):  # noqa: B017 - networkx's own frozen-graph error
        g.add_node("x")


def test_add_touchpoint_emits_with_index(small_map):
    rec = Recorder(small_map)
    tp = TouchPoint("t-new", "Lockers", "s-arrive", "self-service")
    small_map.add_touchpoint(tp, index=1)
    assert rec.events == [("touchpoint_added", tp, 1)]
    assert small_map.touchpoints[1] is tp
    assert small_map.has_touchpoint("t-new")


def test_update_returns_old_values_and_names_fields(small_map):
    rec = Recorder(small_map)
    old = small_map.update_touchpoint("t-desk", name="Ask a question", critical=True)
    assert old == {"name": "Ask at the desk", "critical": False}
    tp = small_map.touchpoint("t-desk")
    assert (tp.name, tp.critical) == ("Ask a question", True)
    assert rec.events[0] == ("touchpoint_changed", tp, ("name", "critical"))


def test_update_with_nothing_new_is_silent(small_map):
    rec = Recorder(small_map)
    assert small_map.update_touchpoint("t-desk", name="Ask at the desk") == {}
    assert rec.events == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"stage": "s-mars"}, "unknown stage 's-mars'"),
        ({"channel": "pigeon"}, "unknown channel 'pigeon'"),
        ({"name": "  "}, "must not be empty"),
        ({"id": "t-other"}, "cannot be changed"),
        ({"colour": "red"}, "no field 'colour'"),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(small_map, changes, message):
    before = make_small_map()
    with pytest.raises(ModelError, match=message):
        small_map.update_touchpoint("t-desk", **changes)
    assert small_map == before


def test_observation_scores_must_fit_the_scale(small_map):
    with pytest.raises(ModelError, match="outside the scale 1-5"):
        small_map.add_observation(Observation("o99", "t-desk", "survey", reality=6))
    with pytest.raises(ModelError, match="finite"):
        small_map.update_observation("o1", expectation=float("nan"))
    with pytest.raises(ModelError, match="unknown persona"):
        small_map.update_observation("o1", persona="p-ghost")


def test_scale_change_refused_when_scores_fall_outside(small_map):
    with pytest.raises(ModelError, match="out of range"):
        small_map.set_scale(Scale(1, 4))
    assert small_map.scale == Scale(1, 5)
    with pytest.raises(ModelError, match="greater than min"):
        small_map.set_scale(Scale(5, 5))


def test_duplicate_ids_refused(small_map):
    with pytest.raises(ModelError, match="already used"):
        small_map.add_touchpoint(TouchPoint("t-desk", "Again", "s-find"))
    with pytest.raises(ModelError, match="already used"):
        small_map.add_observation(Observation("o1", "t-desk", "survey"))
    with pytest.raises(ModelError, match="already exists"):
        small_map.add_transition(Transition("t-sign", "t-desk"))


def test_transition_needs_known_touchpoints(small_map):
    with pytest.raises(ModelError, match="unknown touch point 't-moon'"):
        small_map.add_transition(Transition("t-sign", "t-moon"))
    with pytest.raises(ModelError, match="unknown kind"):
        small_map.add_transition(Transition("t-sign", "t-exit", kind="teleport"))


def test_self_loop_is_allowed(small_map):
    small_map.add_transition(Transition("t-kiosk", "t-kiosk", "search again", "loop"))
    assert small_map.successors("t-kiosk") == ["t-desk", "t-kiosk"]


def test_remove_touchpoint_cascades_and_restores_exactly(small_map):
    before = make_small_map()
    rec = Recorder(small_map)
    removed = small_map.remove_touchpoint("t-desk")
    assert not small_map.has_touchpoint("t-desk")
    assert [o.id for o in small_map.observations] == ["o1", "o2", "o6", "o7", "o8", "o9"]
    assert [t.key for t in small_map.transitions] == []
    # Observations and transitions go first, so a view never shows dangling items.
    assert rec.names() == ["observation_removed"] * 3 + ["transition_removed"] * 4 + [
        "touchpoint_removed"
    ]
    small_map.restore_touchpoint(removed)
    assert small_map == before
    assert [o.id for o in small_map.observations_for("t-desk")] == ["o3", "o4", "o5"]


def test_stages_add_move_remove(small_map):
    rec = Recorder(small_map)
    small_map.add_stage(Stage("s-borrow", "Borrow"), index=2)
    assert [s.id for s in small_map.stages] == ["s-arrive", "s-find", "s-borrow", "s-leave"]
    assert small_map.move_stage("s-borrow", 0) == 2
    assert small_map.stages[0].id == "s-borrow"
    small_map.remove_stage("s-borrow")
    assert rec.names() == ["stage_added", "stage_moved", "stage_removed"]
    with pytest.raises(ModelError, match="still holds 2 touch point"):
        small_map.remove_stage("s-find")


def test_journey_order_follows_stages(small_map):
    assert [t.id for t in small_map.journey_order()] == [
        "t-sign",
        "t-web",
        "t-desk",
        "t-kiosk",
        "t-exit",
    ]
    small_map.move_stage("s-leave", 0)
    assert small_map.journey_order()[0].id == "t-exit"


def test_persona_in_use_cannot_be_removed(small_map):
    with pytest.raises(ModelError, match="used by"):
        small_map.remove_persona("p-student")
    small_map.add_persona(Persona("p-idle", "Idle"))
    assert small_map.remove_persona("p-idle")[1] == 2


def test_moving_an_observation_reindexes_it(small_map):
    small_map.update_observation("o1", touchpoint="t-exit")
    assert [o.id for o in small_map.observations_for("t-exit")] == ["o1", "o8"]
    assert [o.id for o in small_map.observations_for("t-sign")] == ["o2"]


def test_remove_and_reinsert_observation(small_map):
    obs, index = small_map.remove_observation("o4")
    assert index == 3
    small_map.add_observation(obs, index)
    assert [o.id for o in small_map.observations_for("t-desk")] == ["o3", "o4", "o5"]
    assert small_map == make_small_map()


def test_move_touchpoint_in_file_order(small_map):
    assert small_map.move_touchpoint("t-web", 0) == 4
    assert small_map.touchpoints[0].id == "t-web"


def test_new_id_is_free(small_map):
    assert small_map.new_id("o") == "o10"
    assert small_map.new_id("t-") == "t-1"


def test_from_records_validates_by_default():
    with pytest.raises(ModelError, match="unknown stage"):
        JourneyMap.from_records(
            title="x", scale=Scale(), touchpoints=[TouchPoint("t", "T", "s-none")]
        )
