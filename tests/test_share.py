"""The share of a transition: the part of the customers at its source who take it.

In the model, the file (both readers) and the Inspector.  The small map's
transitions, in file order: 0 t-sign -> t-desk, 1 t-desk -> t-kiosk,
2 t-kiosk -> t-desk (loop), 3 t-desk -> t-exit.
"""

from __future__ import annotations

import json

import pytest

from journeymap.fileio import dumps, loads, save_map
from journeymap.fileio.jsonformat import map_from_document
from journeymap.model import Transition
from journeymap.model.validation import ModelError
from tests.test_cli import assert_clean_failure, run
from tests.test_loader_properties import load_carefully

SUM_MESSAGE = "the shares of the transitions leaving 't-desk' sum to 1.1, more than 1"


# ---------------------------------------------------------------- the model


@pytest.mark.parametrize("share", [0, 0.25, 1, None])
def test_a_share_from_0_to_1_or_none_is_accepted(small_map, share):
    small_map.update_transition("t-desk", "t-kiosk", share=share)
    assert small_map.transition("t-desk", "t-kiosk").share == share


@pytest.mark.parametrize("share", [1.5, -0.1, float("nan"), float("inf"), True, "0.5"])
def test_a_share_outside_0_to_1_is_refused(small_map, share):
    with pytest.raises(ModelError, match=r"transition: share: must be"):
        small_map.update_transition("t-desk", "t-kiosk", share=share)
    assert small_map.transition("t-desk", "t-kiosk").share is None


def test_shares_leaving_a_touch_point_may_not_sum_above_1(small_map):
    small_map.update_transition("t-desk", "t-kiosk", share=0.7)
    with pytest.raises(ModelError) as refused:
        small_map.update_transition("t-desk", "t-exit", share=0.4)
    assert str(refused.value) == f"transition: share: {SUM_MESSAGE}"
    assert small_map.transition("t-desk", "t-exit").share is None
    # 0.7 + 0.3 rounds to 0.9999999999999999; a sum within 1e-9 of 1 passes.
    small_map.update_transition("t-desk", "t-exit", share=0.3 + 1e-10)
    # The transition's own former share does not count: 0.3 -> 0.2.
    small_map.update_transition("t-desk", "t-kiosk", share=0.2)
    # A new transition counts too, and the loop leaving t-kiosk is on its own.
    with pytest.raises(ModelError, match="share: the shares of the transitions leaving 't-desk'"):
        small_map.add_transition(Transition("t-desk", "t-sign", kind="loop", share=0.6))
    small_map.add_transition(Transition("t-desk", "t-sign", kind="loop", share=0.5))
    small_map.update_transition("t-kiosk", "t-desk", share=1)


# ----------------------------------------------------------------- the file


def document(small_map, **shares: float) -> dict:
    """The small map's JSON with shares set by transition index ("t1": 0.7)."""
    doc = json.loads(dumps(small_map))
    for index, share in shares.items():
        doc["transitions"][int(index[1:])]["share"] = share
    return doc


def both_readers(doc: dict) -> list[tuple[str, str]]:
    """The problems the fast path and the careful reader report (the same)."""
    fast = map_from_document(json.loads(json.dumps(doc)))
    careful = load_carefully(json.loads(json.dumps(doc)))
    assert fast == careful
    assert fast[0] is None
    return [(p.where, p.message) for p in fast[1]]


def test_a_file_whose_shares_sum_above_1_is_refused_by_both_readers(small_map):
    doc = document(small_map, t1=0.7, t3=0.4)
    assert both_readers(doc) == [("transitions[3].share", SUM_MESSAGE)]
    # Below, and at the sum of 1, both readers load it.
    for last in (0.2, 0.3):
        doc = document(small_map, t1=0.7, t3=last)
        assert map_from_document(doc)[1] == []
        assert load_carefully(doc)[1] == []


@pytest.mark.parametrize(
    ("share", "message"),
    [
        (1.5, "must be from 0 to 1, not 1.5"),
        (-1, "must be from 0 to 1, not -1"),
        (True, "must be a number or null, not a boolean"),
        ("0.5", "must be a number or null, not the string '0.5'"),
    ],
)
def test_a_share_outside_0_to_1_in_a_file_is_refused_by_both_readers(small_map, share, message):
    assert both_readers(document(small_map, t0=share)) == [("transitions[0].share", message)]


def test_validate_names_the_file_and_the_place(tmp_path, small_map):
    path = tmp_path / "shares.journey.json"
    path.write_text(json.dumps(document(small_map, t1=0.7, t3=0.4)), encoding="utf-8")
    result = run("validate", str(path))
    assert_clean_failure(result, "shares.journey.json", f"transitions[3].share: {SUM_MESSAGE}")


def test_shares_survive_save_and_load(tmp_path, small_map):
    small_map.update_transition("t-desk", "t-kiosk", share=0.25)
    small_map.update_transition("t-desk", "t-exit", share=0)
    path = tmp_path / "saved.journey.json"
    save_map(small_map, path)
    written = json.loads(path.read_text(encoding="utf-8"))["transitions"]
    # Written after the kind, and only when given (0 is given).
    assert [t.get("share", "absent") for t in written] == ["absent", 0.25, "absent", 0]
    assert list(written[1]) == ["source", "target", "label", "kind", "share"]
    loaded = loads(path.read_bytes())
    assert [t.share for t in loaded.transitions] == [None, 0.25, None, 0]
    assert loaded == small_map


def test_the_library_sample_gives_shares_that_tell_a_story(library_path):
    from journeymap.fileio import load_map

    jm = load_map(library_path)
    refused = jm.transition("t-selfcheck", "t-staffcheck")
    assert refused.kind == "failure" and refused.share == 0.25
    assert jm.transition("t-selfcheck", "t-board").share == 0.75


# ------------------------------------------------------------ the Inspector


def select_arrow(window, source: str, target: str):
    inspector = window.inspector
    inspector.show_selection([], [(source, target)])
    assert inspector.pages.currentWidget() is inspector.edge_page
    return inspector


def test_the_inspector_edits_a_share_as_one_undo_step(window):
    journey, stack = window.editor.journey, window.editor.undo_stack
    # Told about fines: 70 % go on to the noticeboard, the rest leave.
    inspector = select_arrow(window, "t-fines", "t-board")
    assert inspector.share.text() == "70.0 %"
    assert inspector.share_left.text() == (
        "left for the others: 30 %, who leave the journey at Told about overdue fines"
    )
    before = stack.count()
    inspector.share.setValue(55.5)
    assert journey.transition("t-fines", "t-board").share == 0.555
    assert stack.count() == before + 1
    assert inspector.share_left.text().startswith("left for the others: 44.5 %, ")
    inspector.share.setValue(-1)  # "not given"
    assert inspector.share.text() == "not given"
    assert journey.transition("t-fines", "t-board").share is None
    assert inspector.share_left.text() == (
        "left for the others: 100 %, all taken by this arrow, the only one without a share"
    )
    stack.undo()
    assert journey.transition("t-fines", "t-board").share == 0.555
    stack.undo()
    assert journey.transition("t-fines", "t-board").share == 0.7
    assert stack.count() == before + 2 and stack.index() == before
    assert inspector.share.value() == 70


def test_the_inspector_shows_the_others_without_a_share(window):
    journey = window.editor.journey
    window.editor.update("transition", ("t-board", "t-storytime"), {"share": None})
    inspector = select_arrow(window, "t-board", "t-gates")
    assert inspector.share_left.text() == (
        "left for the others: 20 %, split equally between 1 arrow(s) without a share"
    )
    assert journey.transition("t-board", "t-gates").share == 0.8


def test_the_inspector_refuses_a_share_over_the_sum_and_says_why(window):
    journey, stack = window.editor.journey, window.editor.undo_stack
    inspector = select_arrow(window, "t-kiosk", "t-desk")
    before = stack.count()
    inspector.share.setValue(80)
    assert journey.transition("t-kiosk", "t-desk").share == 0.3
    assert stack.count() == before
    assert "leaving 't-kiosk' sum to 1.5, more than 1" in inspector.error.text()
    assert inspector.share.value() == 30


def test_showing_a_share_is_no_edit(window):
    journey, stack = window.editor.journey, window.editor.undo_stack
    window.editor.update("transition", ("t-fines", "t-board"), {"share": 1 / 3})
    before = stack.count()
    inspector = select_arrow(window, "t-fines", "t-board")
    assert inspector.share.text() == "33.3 %"
    inspector.share.editingFinished.emit()  # leaving the box as it is
    inspector.show_selection([], [])
    assert journey.transition("t-fines", "t-board").share == 1 / 3
    assert stack.count() == before


def test_a_loops_share_leaves_nothing_for_the_others(window):
    """As in the analysis, loops play no part in who passes where."""
    from journeymap.ui.docks.inspector import share_left_words

    journey = window.editor.journey
    window.editor.update("transition", ("t-shelf", "t-kiosk"), {"share": 0.5})
    window.editor.update("transition", ("t-shelf", "t-selfcheck"), {"share": 0.5})
    assert share_left_words(journey, "t-shelf", "t-selfcheck") == (
        "left for the others: 50 %, who leave the journey at Find the shelf by call number"
    )
    assert share_left_words(journey, "t-shelf", "t-kiosk") == (
        "left for the others: 50 %; a loop's share plays no part in who passes where"
    )
