"""The journey as a graph: who passes where, which path hurts most, where to act first.

Every definition is in docs/insights.md.  In short: the used transitions
(main, alternative, failure; no loops, and no transition that goes back in
journey order if a cycle would remain) make a directed acyclic graph.
Customers start equally from its entries and follow the transitions' shares,
which gives each touch point a **reach**; **priority** is reach times gap.
A touch point on every path from an entry to an exit is **unavoidable**
(dominators on the graph with a virtual start and end), and the **worst
path** is the entry-to-exit path with the greatest total gap, found in one
pass in topological order.

Gaps come from :func:`journeymap.model.analysis.statistics`, the one source
of gap numbers, so the window, the report and the command line agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx

from journeymap.model.analysis import _TIE_DIGITS, ObservationFilter, statistics
from journeymap.model.collection import Change
from journeymap.model.journey import JourneyMap

#: Kinds of transition the analysis follows; ``loop`` is left out.
USED_KINDS = frozenset({"main", "alternative", "failure"})
#: Kinds of warning.
CYCLE, ISOLATED, DEAD_END = "cycle", "isolated", "dead_end"
# Shares that leave less than this of 1 leave nothing (float noise of 0.7 + 0.3).
_EPS = 1e-12


class InsightRow(NamedTuple):
    """One touch point of the priority table."""

    rank: int
    touchpoint: str
    name: str
    stage: str
    reach: float
    gap: float | None
    priority: float | None
    unavoidable: bool
    leaves: float


class InsightWarning(NamedTuple):
    """Something about the map's shape the analysis had to work around."""

    kind: str  # CYCLE, ISOLATED or DEAD_END
    touchpoint: str | None
    transition: tuple[str, str] | None
    message: str


@dataclass(frozen=True)
class Insights:
    """What the journey's shape says, under one observation filter."""

    entries: list[str]
    exits: list[str]
    unavoidable: list[str]
    worst_path: list[str]
    worst_total: float
    expected_gap: float
    lost: float
    rows: list[InsightRow]
    warnings: list[InsightWarning]
    reach: dict[str, float] = field(default_factory=dict)
    leaves: dict[str, float] = field(default_factory=dict)


class _Virtual:
    """The virtual start before the entries and end after the exits."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


def _used_graph(
    journey: JourneyMap, pos: dict[str, int]
) -> tuple[nx.DiGraph, list[InsightWarning]]:
    """The used transitions as a DAG, and a warning for each one cut to make it so."""
    graph = nx.DiGraph()
    graph.add_nodes_from(pos)
    used = [tr for tr in journey.transitions if tr.kind in USED_KINDS]
    graph.add_edges_from((tr.source, tr.target, {"share": tr.share}) for tr in used)
    warnings: list[InsightWarning] = []
    if nx.is_directed_acyclic_graph(graph):
        return graph, warnings
    names = {tp.id: tp.name for tp in journey.touchpoints}
    for tr in used:
        # A transition to the touch point itself is a cycle of its own.
        if pos[tr.target] <= pos[tr.source]:
            graph.remove_edge(tr.source, tr.target)
            warnings.append(
                InsightWarning(
                    CYCLE, None, (tr.source, tr.target),
                    f"the transition from {names[tr.source]!r} ({tr.source}) goes back to "
                    f"{names[tr.target]!r} ({tr.target}) and the map has a cycle: the "
                    "analysis leaves it out (make it a loop if customers come back)",
                )
            )  # fmt: skip
    return graph, warnings


def _split(graph: nx.DiGraph, node: object) -> tuple[dict[object, float], float]:
    """The part of a touch point's customers each outgoing transition takes, and the rest
    that leaves the journey there."""
    out = graph.succ[node]
    if not out:
        return {}, 0.0
    shares = {target: data["share"] for target, data in out.items()}
    rest = 1.0 - math.fsum(s for s in shares.values() if s is not None)
    rest = 0.0 if rest < _EPS else rest
    unshared = [target for target, s in shares.items() if s is None]
    if unshared:
        each = rest / len(unshared)
        return {t: (each if s is None else s) for t, s in shares.items()}, 0.0
    return shares, rest


def _path_key(total: float, length: int, first: int) -> tuple[float, int, int]:
    # Greatest total first, then fewer touch points, then the earlier sequence.
    # Two candidate paths out of one touch point differ at once in their next
    # touch point, so comparing sequences only ever needs its position.
    return (-round(total, _TIE_DIGITS), length, first)


def compute_insights(journey: JourneyMap, flt: ObservationFilter | None = None) -> Insights:
    """The insights of ``journey`` under ``flt``, computed afresh (see :func:`insights`)."""
    order = journey.journey_order()
    pos = {tp.id: i for i, tp in enumerate(order)}
    graph, warnings = _used_graph(journey, pos)
    stats = statistics(journey)
    gaps = {tp.id: stats.touchpoint(tp.id, flt).gap for tp in order}

    entries, exits = [], []
    last_stage = journey.stages[-1].id if journey.stages else None
    for tp in order:
        has_in, has_out = bool(graph.pred[tp.id]), bool(graph.succ[tp.id])
        if has_out and not has_in:
            entries.append(tp.id)
        elif has_in and not has_out:
            exits.append(tp.id)
            if tp.stage != last_stage:
                warnings.append(
                    InsightWarning(
                        DEAD_END, tp.id, None,
                        f"{tp.name!r} ({tp.id}) ends the journey before the last stage: "
                        "no transition leads on from it",
                    )
                )  # fmt: skip
        elif not has_in and not has_out:
            warnings.append(
                InsightWarning(
                    ISOLATED, tp.id, None,
                    f"{tp.name!r} ({tp.id}) has no transition to or from it, so no "
                    "customer reaches it (reach 0)",
                )
            )  # fmt: skip

    start, end = _Virtual("start"), _Virtual("end")
    graph.add_edges_from((start, e, {"share": None}) for e in entries)
    graph.add_edges_from((x, end, {"share": None}) for x in exits)
    topo = [n for n in nx.topological_sort(graph) if n is not start and n is not end]

    # Reach: everyone starts equally at the entries and follows the shares.
    reach: dict[str, float] = dict.fromkeys(pos, 0.0)
    for e in entries:
        reach[e] = 1.0 / len(entries)
    leaves: dict[str, float] = dict.fromkeys(pos, 0.0)
    for node in topo:
        split, rest = _split(graph, node)
        here = reach[node]
        leaves[node] = here * rest
        for target, part in split.items():
            if target is not end:
                reach[target] += here * part

    # Unavoidable: the touch points that dominate the virtual end.
    unavoidable: set[str] = set()
    if entries:
        idom = nx.immediate_dominators(graph, start)
        node = idom[end]
        while node is not start:
            unavoidable.add(node)
            node = idom[node]

    # Worst path: the best path from each touch point to an exit, backwards.
    best_next: dict[str, str | None] = {}
    best: dict[str, tuple[float, int]] = {}
    for node in reversed(topo):
        gap = gaps[node] or 0.0
        choice, key, value = None, None, (gap, 1)
        for target in graph.succ[node]:
            if target is end:
                continue
            total, length = best[target]
            candidate = _path_key(gap + total, length + 1, pos[target])
            if key is None or candidate < key:
                choice, key, value = target, candidate, (gap + total, length + 1)
        best_next[node], best[node] = choice, value
    worst_path: list[str] = []
    worst_total = 0.0
    if entries:
        first = min(entries, key=lambda e: _path_key(*best[e], pos[e]))
        worst_total = best[first][0]
        step: str | None = first
        while step is not None:
            worst_path.append(step)
            step = best_next[step]

    priorities = {tp_id: None if gap is None else reach[tp_id] * gap for tp_id, gap in gaps.items()}
    expected = math.fsum(p for p in priorities.values() if p is not None)
    file_order = {tp.id: i for i, tp in enumerate(journey.touchpoints)}

    def row_key(tp_id: str) -> tuple:
        priority, gap = priorities[tp_id], gaps[tp_id]
        if priority is None or gap is None:
            return (1, 0.0, 0.0, file_order[tp_id])
        return (0, -round(priority, _TIE_DIGITS), -round(gap, _TIE_DIGITS), file_order[tp_id])

    tps = {tp.id: tp for tp in order}
    rows = [
        InsightRow(rank, tp_id, tps[tp_id].name, tps[tp_id].stage, reach[tp_id],
                   gaps[tp_id], priorities[tp_id], tp_id in unavoidable, leaves[tp_id])
        for rank, tp_id in enumerate(sorted(file_order, key=row_key), start=1)
    ]  # fmt: skip
    return Insights(
        entries=entries,
        exits=exits,
        unavoidable=[tp.id for tp in order if tp.id in unavoidable],
        worst_path=worst_path,
        worst_total=worst_total,
        expected_gap=expected,
        lost=math.fsum(leaves.values()),
        rows=rows,
        warnings=warnings,
        reach=reach,
        leaves=leaves,
    )


class InsightsCache:
    """The insights of one map, per observation filter, forgotten at every change."""

    #: How many filters keep their insights; the oldest is forgotten first.
    KEEP = 8

    def __init__(self, journey: JourneyMap) -> None:
        self.journey = journey
        self._cache: dict[ObservationFilter | None, tuple[int, Insights]] = {}

    def invalidate(self, change: Change) -> None:
        # Shares, transitions, observations, stages: nearly any change matters.
        self._cache.clear()

    def get(self, flt: ObservationFilter | None = None) -> Insights:
        key = None if flt is None or flt.is_empty else flt
        revision = self.journey.revision
        cached = self._cache.pop(key, None)
        if cached is None or cached[0] != revision:
            cached = (revision, compute_insights(self.journey, flt))
            while len(self._cache) >= self.KEEP:
                del self._cache[next(iter(self._cache))]
        self._cache[key] = cached  # most recently used last
        return cached[1]


def insights(journey: JourneyMap, flt: ObservationFilter | None = None) -> Insights:
    """The map's insights under ``flt``, cached per map revision and filter."""
    cache = journey.derived.get("insights")
    if cache is None:
        cache = journey.derived["insights"] = InsightsCache(journey)
    return cache.get(flt)


#: Keys of :func:`insight_record`, in the order JSON and CSV use.
INSIGHT_RECORD_KEYS = (
    "rank",
    "touchpoint",
    "name",
    "stage",
    "reach",
    "gap",
    "priority",
    "unavoidable",
    "leaves",
)


def clean_number(value: float | None) -> float | None:
    """A number for JSON and CSV: ten decimals hide float noise (as in analysis)
    and keep every useful digit; -0.0 is written as 0.0."""
    return None if value is None else round(value, 10) + 0.0


def insight_record(row: InsightRow) -> dict[str, object]:
    """One row of the priority table as plain data, for JSON, CSV and the window."""
    return {
        "rank": row.rank,
        "touchpoint": row.touchpoint,
        "name": row.name,
        "stage": row.stage,
        "reach": clean_number(row.reach),
        "gap": clean_number(row.gap),
        "priority": clean_number(row.priority),
        "unavoidable": row.unavoidable,
        "leaves": clean_number(row.leaves),
    }


def warning_record(warning: InsightWarning) -> dict[str, object]:
    """A warning as plain data: ``transition`` for a cycle, ``touchpoint`` otherwise."""
    record: dict[str, object] = {"kind": warning.kind}
    if warning.transition is not None:
        record["transition"] = list(warning.transition)
    else:
        record["touchpoint"] = warning.touchpoint
    record["message"] = warning.message
    return record


def insights_json(ins: Insights) -> dict[str, object]:
    """The insights as the one JSON object of ``journeymap insights --format json``."""
    return {
        "entries": list(ins.entries),
        "exits": list(ins.exits),
        "unavoidable": list(ins.unavoidable),
        "worst_path": {
            "touchpoints": list(ins.worst_path),
            "total_gap": clean_number(ins.worst_total),
        },
        "expected_gap": clean_number(ins.expected_gap),
        "lost": clean_number(ins.lost),
        "touchpoints": [insight_record(row) for row in ins.rows],
        "warnings": [warning_record(w) for w in ins.warnings],
    }
