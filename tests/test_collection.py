"""Record kinds as generic evented collections, and the statistics source they feed."""

from __future__ import annotations

import pytest

from journeymap.model import KINDS, Change, ModelError, Observation, Persona, Stage, TouchPoint
from journeymap.model.analysis import ObservationFilter, gap_stats, statistics, wide_gap_threshold
from tests.conftest import make_small_map


def changes_of(jm) -> list[Change]:
    seen: list[Change] = []
    jm.changed.connect(seen.append)
    return seen


def test_every_kind_is_a_collection_with_one_change_event(small_map):
    seen = changes_of(small_map)
    small_map.add("persona", Persona("p-new", "Visitor"))
    small_map.update("stage", "s-find", name="Search")
    small_map.move("stage", "s-leave", 0)
    small_map.remove("persona", "p-new")
    assert [(c.kind, c.op, c.index) for c in seen] == [
        ("persona", "add", 2),
        ("stage", "update", 1),
        ("stage", "move", 0),
        ("persona", "remove", 2),
    ]
    update = seen[1]
    assert update.fields == ("name",) and update.old == {"name": "Find"}
    assert update.record is small_map.stage("s-find")
    assert seen[2].old_index == 2
    assert set(KINDS) == {"persona", "stage", "touchpoint", "transition", "observation",
                          "action", "rule", "idea", "tone"}  # fmt: skip


def test_update_of_a_transition_kind_field_is_not_confused_with_the_record_kind(small_map):
    old = small_map.update("transition", ("t-sign", "t-desk"), kind="failure", label="x")
    assert old == {"kind": "main", "label": ""}
    assert small_map.transition("t-sign", "t-desk").kind == "failure"


def test_title_and_scale_changes_are_map_changes(small_map):
    seen = changes_of(small_map)
    small_map.set_title("Renamed")
    small_map.set_title("Renamed")  # nothing new: no event
    assert [(c.kind, c.fields, dict(c.old)) for c in seen] == [
        ("map", ("title",), {"title": "Small library"})
    ]


def test_revision_counts_every_change(small_map):
    before = small_map.revision
    small_map.update_observation("o1", note="changed")
    small_map.update_observation("o1", note="changed")  # no change, no new revision
    assert small_map.revision == before + 1


def test_a_touchpoint_with_links_is_removed_only_with_them(small_map):
    with pytest.raises(ModelError, match="still has"):
        small_map.remove("touchpoint", "t-desk")
    assert small_map.has_touchpoint("t-desk")
    small_map.add_touchpoint(TouchPoint("t-lone", "Lockers", "s-arrive"))
    small_map.remove("touchpoint", "t-lone")
    assert not small_map.has_touchpoint("t-lone")
    assert "t-lone" not in small_map.graph


def test_refused_edits_change_nothing_and_say_nothing(small_map):
    seen = changes_of(small_map)
    with pytest.raises(ModelError):
        small_map.update("observation", "o1", reality=99)
    with pytest.raises(ModelError, match="already used"):
        small_map.add("stage", Stage("s-find", "Again"))
    with pytest.raises(ModelError, match="no observation"):
        small_map.update("observation", "o-missing", note="x")
    assert seen == [] and small_map == make_small_map()


def test_moving_an_observation_tells_where_it_came_from(small_map):
    seen = changes_of(small_map)
    small_map.update_observation("o1", touchpoint="t-exit")
    assert seen[-1].old["touchpoint"] == "t-sign"


# ----------------------------------------------------------- statistics source


def fresh(jm, tp_id, flt=None):
    """The statistics of one touch point computed from scratch, no cache."""
    observations = [o for o in jm.observations_for(tp_id) if flt is None or flt.accepts(o)]
    return gap_stats(observations, wide_gap_threshold(jm.scale))


def test_statistics_follow_every_kind_of_edit(small_map):
    source = statistics(small_map)
    shadow = ObservationFilter(methods=frozenset({"shadowing"}))
    for flt in (None, shadow):
        assert source.touchpoint("t-desk", flt) == fresh(small_map, "t-desk", flt)
    small_map.update_observation("o4", reality=1)  # at t-desk, shadowing
    small_map.add_observation(Observation("o20", "t-desk", "shadowing", expectation=5, reality=5))
    small_map.update_observation("o6", touchpoint="t-desk")  # from t-kiosk
    small_map.remove_observation("o3")
    for flt in (None, shadow):
        for tp in small_map.touchpoints:
            assert source.touchpoint(tp.id, flt) == fresh(small_map, tp.id, flt), tp.id
    ranking = [r.touchpoint for r in source.ranking(shadow)]
    assert ranking == [r.touchpoint for r in statistics(small_map).ranking(shadow)]
    assert source.selected_count(shadow) == sum(
        o.method == "shadowing" for o in small_map.observations
    )


def test_ranking_follows_renames_and_scale(small_map):
    source = statistics(small_map)
    assert source.ranking()[0].name == "Find the entrance"
    small_map.update_touchpoint("t-sign", name="Entrance sign")
    assert source.ranking()[0].name == "Entrance sign"
    small_map.update_observation("o9", reality=5)  # was 4: t-web's gap 3 - 5 = -2
    small_map.set_scale(type(small_map.scale)(1, 20))
    web = next(r for r in source.ranking() if r.touchpoint == "t-web")
    assert web.stats == fresh(small_map, "t-web")
    # The wide threshold moved with the scale: 2.5 is not wide on 1-20 (4.75).
    assert not source.ranking()[0].stats.wide


def test_one_source_per_map_and_no_connection_to_the_map(small_map):
    assert statistics(small_map) is statistics(small_map)
    assert len(small_map.changed) == 0  # the map tells its source directly
