"""The journey as a graph (docs/insights.md): small maps worked out by hand, then
random small graphs against a brute-force enumeration of every path."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.model import JourneyMap, Observation, Scale, Stage, TouchPoint, Transition
from journeymap.model.analysis import ObservationFilter
from journeymap.model.insights import insights, insights_json


def tr(source: str, target: str, kind: str = "main", share: float | None = None) -> Transition:
    return Transition(source, target, kind=kind, share=share)


def build(
    stages: int,
    tps: list[tuple[str, int]],
    transitions: list[Transition],
    gaps: dict[str, int] | None = None,
) -> JourneyMap:
    """Touch points as (id, stage number) in file order; a gap g is one observation
    scored 5 / 5 - g (or 1 + |g| / 1 on the 1-9 scale when g is negative)."""
    jm = JourneyMap("Test", Scale(1, 9))
    for i in range(stages):
        jm.add_stage(Stage(f"s{i}", f"Stage {i}"))
    for tp_id, stage in tps:
        jm.add_touchpoint(TouchPoint(tp_id, f"Name {tp_id}", f"s{stage}"))
    for t in transitions:
        jm.add_transition(t)
    for tp_id, gap in (gaps or {}).items():
        e, r = (5, 5 - gap) if gap >= 0 else (1, 1 - gap)
        jm.add_observation(Observation(f"o-{tp_id}", tp_id, "shadowing", expectation=e, reality=r))
    return jm


def rows(ins):
    return [(r.touchpoint, r.rank) for r in ins.rows]


# ------------------------------------------------------------ worked by hand


@pytest.fixture
def branch() -> JourneyMap:
    #   a --0.7--> b (self-checkout) --> d
    #   a --0.3--> c (desk) ----------> d
    return build(
        3,
        [("a", 0), ("b", 1), ("c", 1), ("d", 2)],
        [tr("a", "b", share=0.7), tr("a", "c", "alternative", 0.3), tr("b", "d"), tr("c", "d")],
        {"a": 1, "b": 2, "c": 3},
    )


def test_branch_with_shares(branch):
    ins = insights(branch)
    assert (ins.entries, ins.exits, ins.unavoidable) == (["a"], ["d"], ["a", "d"])
    assert ins.reach == pytest.approx({"a": 1.0, "b": 0.7, "c": 0.3, "d": 1.0})
    # Priorities: b 0.7 x 2 = 1.4, a 1 x 1 = 1, c 0.3 x 3 = 0.9, d no gap.
    assert rows(ins) == [("b", 1), ("a", 2), ("c", 3), ("d", 4)]
    assert ins.rows[3].priority is None and ins.rows[3].gap is None
    assert ins.expected_gap == pytest.approx(3.3)
    # a-b-d totals 3, a-c-d totals 4.
    assert (ins.worst_path, ins.worst_total) == (["a", "c", "d"], 4.0)
    assert ins.lost == 0.0 and ins.warnings == []


def test_branch_as_json(branch):
    data = insights_json(insights(branch))
    assert list(data) == [
        "entries", "exits", "unavoidable", "worst_path", "expected_gap", "lost",
        "touchpoints", "warnings",
    ]  # fmt: skip
    assert data["worst_path"] == {"touchpoints": ["a", "c", "d"], "total_gap": 4.0}
    assert (data["expected_gap"], data["lost"], data["warnings"]) == (3.3, 0.0, [])
    assert data["touchpoints"][0] == {
        "rank": 1, "touchpoint": "b", "name": "Name b", "stage": "s1", "reach": 0.7,
        "gap": 2.0, "priority": 1.4, "unavoidable": False, "leaves": 0.0,
    }  # fmt: skip
    assert data["touchpoints"][3]["priority"] is None


def test_failure_branch_and_ties():
    # a -> b -> d, and b --failure 0.2--> c -> d: the rest of b (0.8) goes straight to d.
    jm = build(
        3,
        [("a", 0), ("b", 1), ("c", 1), ("d", 2)],
        [tr("a", "b"), tr("b", "c", "failure", 0.2), tr("b", "d"), tr("c", "d")],
        {"a": 2, "b": 1, "d": 1},
    )
    ins = insights(jm)
    assert ins.reach == pytest.approx({"a": 1.0, "b": 1.0, "c": 0.2, "d": 1.0})
    assert ins.unavoidable == ["a", "b", "d"]
    # a-b-d and a-b-c-d both total 4 (c has no gap): fewer touch points wins.
    assert (ins.worst_path, ins.worst_total) == (["a", "b", "d"], 4.0)
    # Priorities a 2, then b and d tie at 1: the gap ties too, so file order.
    assert rows(ins) == [("a", 1), ("b", 2), ("d", 3), ("c", 4)]


def test_tie_on_total_and_length_takes_the_earlier_sequence_in_journey_order():
    # x is listed before y in the file, but y's stage comes first.
    jm = build(
        4,
        [("a", 0), ("x", 2), ("y", 1), ("d", 3)],
        [tr("a", "x"), tr("a", "y"), tr("x", "d"), tr("y", "d")],
        {"x": 1, "y": 1},
    )
    ins = insights(jm)
    assert ins.worst_path == ["a", "y", "d"]
    # Priorities tie at 0.5, gaps tie at 1: file order puts x first.
    assert rows(ins)[:2] == [("x", 1), ("y", 2)]


def test_equal_priorities_rank_by_gap_before_file_order():
    # d (reach 1, gap 1) is listed before b (reach 0.5, gap 2): both priorities are 1.
    jm = build(
        3,
        [("a", 0), ("d", 2), ("b", 1), ("c", 1)],
        [tr("a", "b", share=0.5), tr("a", "c"), tr("b", "d"), tr("c", "d")],
        {"d": 1, "b": 2},
    )
    assert rows(insights(jm)) == [("b", 1), ("d", 2), ("a", 3), ("c", 4)]


def test_loop_transitions_are_left_out_without_warning():
    jm = build(
        2, [("a", 0), ("b", 1), ("c", 1)], [tr("a", "b"), tr("b", "a", "loop"), tr("b", "c")]
    )
    ins = insights(jm)
    assert (ins.entries, ins.exits, ins.warnings) == (["a"], ["c"], [])
    assert ins.reach == {"a": 1.0, "b": 1.0, "c": 1.0}


def test_back_edges_are_cut_only_when_a_cycle_remains():
    tps = [("a", 0), ("b", 1), ("c", 2), ("e", 1)]
    # c -> e goes back in journey order (e's stage is before c's), but closes no cycle.
    jm = build(3, tps, [tr("a", "b"), tr("b", "c"), tr("c", "e")])
    ins = insights(jm)
    assert (ins.exits, ins.warnings[0].kind) == (["e"], "dead_end")
    # c -> b closes a cycle: every transition going back is left out, c -> e too.
    jm.add_transition(tr("c", "b", "alternative"))
    ins = insights(jm)
    assert [(w.kind, w.transition, w.touchpoint) for w in ins.warnings] == [
        ("cycle", ("c", "e"), None),
        ("cycle", ("c", "b"), None),
        ("isolated", None, "e"),
    ]
    assert (ins.entries, ins.exits, ins.reach["e"]) == (["a"], ["c"], 0.0)
    assert "goes back to 'Name e' (e) and the map has a cycle" in ins.warnings[0].message
    assert insights_json(ins)["warnings"][0] == {
        "kind": "cycle", "transition": ["c", "e"], "message": ins.warnings[0].message,
    }  # fmt: skip


def test_isolated_and_dead_end_warnings():
    jm = build(3, [("a", 0), ("b", 1), ("c", 2)], [tr("a", "b")], {"c": 3})
    ins = insights(jm)
    assert [(w.kind, w.touchpoint) for w in ins.warnings] == [("dead_end", "b"), ("isolated", "c")]
    assert insights_json(ins)["warnings"][1] == {
        "kind": "isolated", "touchpoint": "c", "message": ins.warnings[1].message,
    }  # fmt: skip
    assert ins.reach["c"] == 0.0 and ins.rows[0].priority == 0.0


def test_shares_below_one_with_every_transition_given_leave_the_journey():
    # a: 0.5 to b and 0.3 to c, all given: 0.2 leaves at a.
    jm = build(
        3,
        [("a", 0), ("b", 1), ("c", 1), ("d", 2)],
        [tr("a", "b", share=0.5), tr("a", "c", share=0.3), tr("b", "d"), tr("c", "d")],
        {"b": 2},
    )
    ins = insights(jm)
    assert ins.reach == pytest.approx({"a": 1.0, "b": 0.5, "c": 0.3, "d": 0.8})
    assert ins.leaves == pytest.approx({"a": 0.2, "b": 0.0, "c": 0.0, "d": 0.0})
    assert ins.lost == pytest.approx(0.2)
    assert insights_json(ins)["touchpoints"][0]["leaves"] == 0.0
    # One share left open: it takes the rest and nobody leaves.
    jm.update_transition("a", "c", share=None)
    ins = insights(jm)
    assert (ins.reach["c"], ins.lost) == (0.5, 0.0)


def test_two_entries_start_equally_and_split_the_rest_equally():
    # a and e both enter; a gives 0.4 to b, the rest 0.6 is split over c and d.
    jm = build(
        3,
        [("a", 0), ("e", 0), ("b", 1), ("c", 1), ("d", 1), ("z", 2)],
        [tr("a", "b", share=0.4), tr("a", "c"), tr("a", "d"), tr("e", "z"),
         tr("b", "z"), tr("c", "z"), tr("d", "z")],
    )  # fmt: skip
    ins = insights(jm)
    assert ins.entries == ["a", "e"]
    assert ins.reach == pytest.approx(
        {"a": 0.5, "e": 0.5, "b": 0.2, "c": 0.15, "d": 0.15, "z": 1.0}
    )
    assert ins.unavoidable == ["z"]


def test_cached_per_revision_and_filter(branch):
    first = insights(branch)
    assert insights(branch) is first
    branch.update_transition("a", "b", share=0.4)
    second = insights(branch)
    # Every share at a given: 1 - 0.4 - 0.3 leaves there.
    assert second is not first and second.lost == pytest.approx(0.3)
    branch.add_observation(Observation("o-x", "b", "interview", expectation=5, reality=5))
    # b's gap is now (2 + 0) / 2: priorities a 1, c 0.9, b 0.4.
    assert [(r.touchpoint, r.gap) for r in insights(branch).rows[:3]] == [
        ("a", 1.0), ("c", 3.0), ("b", 1.0),
    ]  # fmt: skip
    only = ObservationFilter(methods=frozenset({"interview"}))
    assert insights(branch, only).expected_gap == 0.0
    assert insights(branch, only) is insights(branch, only)


def test_the_worked_example_of_docs_insights():
    jm = build(
        4,
        [("web", 0), ("door", 1), ("self", 2), ("desk", 2), ("help", 1), ("out", 3)],
        [tr("web", "door"), tr("door", "self", share=0.8),
         tr("door", "desk", "alternative", 0.1), tr("self", "desk", "failure", 0.25),
         tr("self", "out"), tr("desk", "out"), tr("desk", "door", "loop")],
        {"web": 1, "door": 2, "self": 1, "desk": 3},
    )  # fmt: skip
    ins = insights(jm)
    assert (ins.entries, ins.exits, ins.unavoidable) == (["web"], ["out"], ["web", "door", "out"])
    assert [(w.kind, w.touchpoint) for w in ins.warnings] == [("isolated", "help")]
    assert ins.reach == pytest.approx(
        {"web": 1, "door": 1, "self": 0.8, "desk": 0.3, "help": 0, "out": 0.9}
    )
    assert (ins.leaves["door"], ins.lost) == (pytest.approx(0.1), pytest.approx(0.1))
    assert ins.worst_path == ["web", "door", "self", "desk", "out"] and ins.worst_total == 7
    assert rows(ins) == [("door", 1), ("web", 2), ("desk", 3), ("self", 4), ("help", 5), ("out", 6)]
    assert ins.expected_gap == pytest.approx(4.7)


def test_empty_map():
    ins = insights(JourneyMap())
    assert (ins.entries, ins.worst_path, ins.worst_total, ins.rows) == ([], [], 0.0, [])


# --------------------------------------------------- against brute force


def brute_force(jm: JourneyMap):
    """Every definition of docs/insights.md, by enumerating paths."""
    pos = {tp.id: i for i, tp in enumerate(jm.journey_order())}
    used = [t for t in jm.transitions if t.kind != "loop"]
    succ = {n: [t.target for t in used if t.source == n] for n in pos}

    def cyclic() -> bool:
        def back_to(start, node, seen):
            return any(
                nxt == start or (nxt not in seen and back_to(start, nxt, seen | {nxt}))
                for nxt in succ[node]
            )

        return any(back_to(n, n, {n}) for n in pos)

    if cyclic():
        used = [t for t in used if pos[t.target] > pos[t.source]]
    succ = {n: [t.target for t in used if t.source == n] for n in pos}
    share = {t.key: t.share for t in used}
    has_in = {t.target for t in used}
    entries = [n for n in pos if succ[n] and n not in has_in]
    exits = [n for n in pos if n in has_in and not succ[n]]

    def part(u, v):
        given = [share[(u, w)] for w in succ[u] if share[(u, w)] is not None]
        if share[(u, v)] is not None:
            return share[(u, v)]
        return max(0.0, 1 - sum(given)) / sum(share[(u, w)] is None for w in succ[u])

    def paths_from(node):
        yield [node]
        for nxt in succ[node]:
            for rest in paths_from(nxt):
                yield [node, *rest]

    reach = dict.fromkeys(pos, 0.0)
    full = []
    for e in entries:
        for path in paths_from(e):
            mass = 1 / len(entries)
            for u, v in itertools.pairwise(path):
                mass *= part(u, v)
            reach[path[-1]] += mass
            if path[-1] in exits:
                full.append(path)
    gaps = {n: jm_gap(jm, n) for n in pos}
    unavoidable = set(pos) if full else set()
    for path in full:
        unavoidable &= set(path)
    worst = min(
        full,
        key=lambda p: (-sum(gaps[n] or 0 for n in p), len(p), [pos[n] for n in p]),
        default=[],
    )
    return reach, sorted(unavoidable, key=pos.get), worst, sum(gaps[n] or 0 for n in worst)


def jm_gap(jm: JourneyMap, tp_id: str) -> float | None:
    obs = jm.observations_for(tp_id)
    return obs[0].gap if obs else None


@st.composite
def random_maps(draw) -> JourneyMap:
    n = draw(st.integers(1, 9))
    stages = draw(st.integers(1, 4))
    tps = [(f"t{i}", draw(st.integers(0, stages - 1))) for i in range(n)]
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=16, unique=True)
    )
    transitions, given = [], dict.fromkeys(range(n), 0)
    for s, t in pairs:
        kind = draw(st.sampled_from(("main", "main", "alternative", "failure", "loop")))
        share = draw(st.none() | st.sampled_from((0, 10, 25, 50, 70, 100)))
        if share is not None and given[s] + share > 100:
            share = None
        if share is not None:
            given[s] += share
        transitions.append(tr(f"t{s}", f"t{t}", kind, None if share is None else share / 100))
    gaps = draw(st.dictionaries(st.sampled_from([t for t, _ in tps]), st.integers(-4, 4)))
    return build(stages, tps, transitions, gaps)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_maps())
def test_random_graphs_agree_with_brute_force(jm):
    reach, unavoidable, worst, total = brute_force(jm)
    ins = insights(jm)
    assert ins.unavoidable == unavoidable
    assert ins.worst_path == worst
    assert ins.worst_total == total
    assert ins.reach == pytest.approx(reach)
    assert ins.lost == pytest.approx(sum(ins.leaves.values()))
    assert sum(ins.reach[x] for x in ins.exits) + ins.lost == pytest.approx(
        1.0 if ins.entries else 0.0
    )
