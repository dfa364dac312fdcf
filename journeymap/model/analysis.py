"""Gap analysis: where does reality fall furthest short of expectation?

"The gap between expectations and reality is where emotions form and
problems happen."  For every touch point (and every stage) this module
averages the observations that carry both an expectation and a reality
score and ranks the touch points by the gap between the two.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from journeymap.model.collection import Change
from journeymap.model.entities import Observation, Scale
from journeymap.model.evidence import evidence_level, interval
from journeymap.model.journey import JourneyMap

#: A gap is "wide" when it is at least this share of the scale's span:
#: one point on a 1-5 scale, two and a quarter on a 1-10 scale.
WIDE_GAP_SHARE = 0.25

# Means are floats; two gaps closer than this are a tie in the ranking, so
# that 4.1 - 2.1 and 3 - 1 rank by n and file order, not by rounding noise.
_TIE_DIGITS = 9


def wide_gap_threshold(scale: Scale) -> float:
    """The smallest gap that counts as wide on this scale."""
    return WIDE_GAP_SHARE * scale.span


@dataclass(frozen=True)
class ObservationFilter:
    """Which observations an analysis looks at.  Empty means "all"."""

    methods: frozenset[str] = frozenset()
    personas: frozenset[str] = frozenset()
    observers: frozenset[str] = frozenset()
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.methods or self.personas or self.observers or self.date_from or self.date_to
        )

    def accepts(self, obs: Observation) -> bool:
        if self.methods and obs.method not in self.methods:
            return False
        if self.personas and obs.persona not in self.personas:
            return False
        if self.observers and obs.observer not in self.observers:
            return False
        if self.date_from is not None and (obs.date is None or obs.date < self.date_from):
            return False
        return not (self.date_to is not None and (obs.date is None or obs.date > self.date_to))

    def describe(self) -> str:
        """A short human-readable account, e.g. for an export's caption."""
        parts = []
        if self.methods:
            parts.append("method " + ", ".join(sorted(self.methods)))
        if self.personas:
            parts.append("persona " + ", ".join(sorted(self.personas)))
        if self.observers:
            parts.append("observer " + ", ".join(sorted(self.observers)))
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "..."
            end = self.date_to.isoformat() if self.date_to else "..."
            parts.append(f"dates {start} to {end}")
        return "; ".join(parts) if parts else "all observations"


class GapStats(NamedTuple):
    """The numbers behind one touch point's or one stage's gap.

    ``n`` counts the observations with both expectation and reality; the
    means are over those.  ``spread`` is the sample standard deviation of
    their individual gaps (None below two).  ``minimum`` and ``adequacy``
    (mean reality minus mean minimum) use those of the n that also carry a
    minimum score.

    How sure the gap is (docs/gap-analysis.md): ``ci_low`` and ``ci_high``
    bound its 95% Student-t interval (None below two); ``methods`` are the
    distinct methods and ``observers`` the number of distinct named
    observers among the n; ``evidence`` sums these up in one word, "none",
    "weak", "moderate" or "strong" (see :func:`evidence.evidence_level`).
    """

    n: int
    observations: int
    expectation: float | None
    reality: float | None
    gap: float | None
    spread: float | None
    minimum: float | None
    adequacy: float | None
    wide: bool
    ci_low: float | None = None
    ci_high: float | None = None
    methods: tuple[str, ...] = ()
    observers: int = 0
    evidence: str = "none"


# Named tuples rather than dataclasses: a large map makes thousands of rows,
# and a tuple is several times cheaper to build than a frozen dataclass.
class TouchPointGap(NamedTuple):
    touchpoint: str
    name: str
    stage: str
    critical: bool
    order: int
    stats: GapStats


class StageGap(NamedTuple):
    stage: str
    name: str
    touchpoints: int
    stats: GapStats


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _stdev(values: Sequence[float], mean: float) -> float:
    # statistics.stdev is exact but works in Fractions, which made it the
    # slowest step of `journeymap gaps` on large maps; fsum keeps the float
    # result accurate to the last digit or so, plenty for a spread.
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))


def gap_stats(observations: Iterable[Observation], threshold: float) -> GapStats:
    """Summarise a group of observations (already filtered)."""
    total = 0
    expectations: list[float] = []
    realities: list[float] = []
    gaps: list[float] = []
    minimums: list[float] = []
    realities_with_minimum: list[float] = []
    paired: list[Observation] = []
    for obs in observations:
        total += 1
        e, r = obs.expectation, obs.reality
        if e is None or r is None:
            continue
        expectations.append(e)
        realities.append(r)
        gaps.append(e - r)
        paired.append(obs)
        if obs.minimum is not None:
            minimums.append(obs.minimum)
            realities_with_minimum.append(r)
    n = len(gaps)
    if n == 0:
        return GapStats(0, total, None, None, None, None, None, None, False)
    # The mean of the differences equals the difference of the means, and
    # is exact more often (6 / 3 rather than 13/3 - 7/3).
    gap = _mean(gaps)
    spread = _stdev(gaps, gap) if n > 1 else None
    minimum = adequacy = None
    if minimums:
        minimum = _mean(minimums)
        adequacy = _mean(realities_with_minimum) - minimum
    wide = round(gap, _TIE_DIGITS) >= threshold
    ci_low, ci_high = interval(gap, spread, n)
    methods = {o.method for o in paired}
    methods.discard("")
    observers = {name.strip() for name in {o.observer for o in paired}}
    observers.discard("")
    return GapStats(
        n, total, _mean(expectations), _mean(realities), gap, spread, minimum, adequacy, wide,
        ci_low, ci_high, tuple(sorted(methods)), len(observers),
        evidence_level(n, len(methods), len(observers)),
    )  # fmt: skip


def select(
    observations: Iterable[Observation], flt: ObservationFilter | None
) -> Iterable[Observation]:
    """The observations that pass ``flt``; all of them when it is None or empty."""
    if flt is None or flt.is_empty:
        return observations
    return tuple(o for o in observations if flt.accepts(o))


def describe_filter(flt: ObservationFilter | None, journey: JourneyMap | None = None) -> str:
    """Which observations count, in words, for captions and reports.

    Given the map, personas are named rather than given by id.
    """
    if flt is None or flt.is_empty:
        return "all observations"
    if journey is not None and flt.personas:
        names = {p.id: p.name for p in journey.personas}
        flt = dataclasses.replace(flt, personas=frozenset(names.get(p, p) for p in flt.personas))
    return flt.describe()


def describe_view(journey: JourneyMap, flt: ObservationFilter | None) -> str:
    """The filter in force and how much it keeps, for the canvas banner and captions.

    e.g. "shadowing; persona Student: 3 of 51 observations".
    """
    total = len(journey.observations)
    if flt is None or flt.is_empty:
        return f"all {total} observations"
    kept = statistics(journey).selected_count(flt)
    return f"{describe_filter(flt, journey)}: {kept} of {total} observations"


def _key(flt: ObservationFilter | None) -> ObservationFilter:
    return _ALL if flt is None else flt


_ALL = ObservationFilter()


class _FilteredStats:
    """The numbers of one map under one filter, filled in as they are asked for."""

    def __init__(self) -> None:
        self.by_touchpoint: dict[str, GapStats] = {}
        self.ranking: list[TouchPointGap] | None = None
        self.confident: list[TouchPointGap] | None = None
        self.stages: list[StageGap] | None = None
        self.selected: int | None = None


class Statistics:
    """The one source of gap statistics of a map, per observation filter.

    The canvas, the docks, the charts, the report and the command line all
    ask this object, so every view shows the same number.  Results are
    cached per filter and kept up to date by :meth:`invalidate`, which the
    map calls at every change before any view hears of it: an edit at one
    touch point recomputes that touch point only.
    """

    #: How many filters keep their numbers; the oldest is forgotten first.
    KEEP = 8

    def __init__(self, journey: JourneyMap) -> None:
        self.journey = journey
        self._cache: dict[ObservationFilter, _FilteredStats] = {}

    def _entry(self, flt: ObservationFilter | None) -> _FilteredStats:
        key = _key(flt)
        entry = self._cache.pop(key, None)
        if entry is None:
            entry = _FilteredStats()
            while len(self._cache) >= self.KEEP:
                del self._cache[next(iter(self._cache))]
        self._cache[key] = entry  # most recently used last
        return entry

    def invalidate(self, change: Change) -> None:
        """Forget what ``change`` made stale."""
        kind = change.kind
        if kind == "transition" or (kind == "persona" and change.op != "update"):
            return
        if kind in ("action", "rule", "idea", "tone"):
            return  # decisions change no gap statistics
        touched: set[str] | None = None  # None: every touch point
        if kind == "observation":
            touched = {change.record.touchpoint, change.old.get("touchpoint", "")}
        elif kind in ("touchpoint", "stage", "persona"):
            touched = {change.record.id} if kind == "touchpoint" else set()
        for entry in self._cache.values():
            entry.ranking = entry.confident = entry.stages = entry.selected = None
            if touched is None:
                entry.by_touchpoint.clear()
            else:
                for tp_id in touched:
                    entry.by_touchpoint.pop(tp_id, None)

    def touchpoint(self, tp_id: str, flt: ObservationFilter | None = None) -> GapStats:
        """The statistics of one touch point under ``flt``."""
        entry = self._entry(flt)
        stats = entry.by_touchpoint.get(tp_id)
        if stats is None:
            journey = self.journey
            stats = gap_stats(
                select(journey.observations_for(tp_id), flt), wide_gap_threshold(journey.scale)
            )
            entry.by_touchpoint[tp_id] = stats
        return stats

    def ranking(self, flt: ObservationFilter | None = None) -> list[TouchPointGap]:
        """One row per touch point, ranked (see :func:`rank_key`)."""
        entry = self._entry(flt)
        if entry.ranking is None:
            rows = [
                TouchPointGap(tp.id, tp.name, tp.stage, tp.critical, order,
                              self.touchpoint(tp.id, flt))
                for order, tp in enumerate(self.journey.touchpoints)
            ]  # fmt: skip
            rows.sort(key=rank_key)
            entry.ranking = rows
        return list(entry.ranking)

    def confident_ranking(self, flt: ObservationFilter | None = None) -> list[TouchPointGap]:
        """One row per touch point, ranked by ``ci_low`` (see :func:`confident_key`)."""
        entry = self._entry(flt)
        if entry.confident is None:
            # Sorting today's ranking is stable: rows without an interval keep its order.
            entry.confident = sorted(self.ranking(flt), key=confident_key)
        return list(entry.confident)

    def stages(self, flt: ObservationFilter | None = None) -> list[StageGap]:
        """One row per stage, in stage order, pooling its touch points' observations."""
        entry = self._entry(flt)
        if entry.stages is None:
            journey = self.journey
            threshold = wide_gap_threshold(journey.scale)
            by_stage: dict[str, list[Observation]] = {s.id: [] for s in journey.stages}
            counts: dict[str, int] = dict.fromkeys(by_stage, 0)
            for tp in journey.touchpoints:
                by_stage[tp.stage].extend(journey.observations_for(tp.id))
                counts[tp.stage] += 1
            entry.stages = [
                StageGap(s.id, s.name, counts[s.id],
                         gap_stats(select(by_stage[s.id], flt), threshold))
                for s in journey.stages
            ]  # fmt: skip
        return list(entry.stages)

    def selected_count(self, flt: ObservationFilter | None = None) -> int:
        """How many of the map's observations pass ``flt``."""
        entry = self._entry(flt)
        if entry.selected is None:
            observations = self.journey.observations
            entry.selected = (
                len(observations)
                if flt is None or flt.is_empty
                else sum(map(flt.accepts, observations))
            )
        return entry.selected


def statistics(journey: JourneyMap) -> Statistics:
    """The map's statistics source, made on first use and kept with the map."""
    source = journey.derived.get("statistics")
    if source is None:
        source = journey.derived["statistics"] = Statistics(journey)
    return source


#: The rankings :func:`touchpoint_gaps` knows: today's and the confident one.
RANKS = ("gap", "confident")


def touchpoint_gaps(
    journey: JourneyMap, flt: ObservationFilter | None = None, rank: str = "gap"
) -> list[TouchPointGap]:
    """One row per touch point, ranked.

    ``rank="gap"``: gap descending, then n descending, then file order.
    Touch points with no paired observations come last, in file order.
    ``rank="confident"``: ``ci_low`` descending (see :func:`confident_key`).
    """
    if rank == "gap":
        return statistics(journey).ranking(flt)
    if rank == "confident":
        return statistics(journey).confident_ranking(flt)
    raise ValueError(f"unknown ranking {rank!r} (known: {', '.join(RANKS)})")


def rank_key(row: TouchPointGap) -> tuple:
    """The sort key of the ranking: gap descending, n descending, file order; n = 0 last."""
    s = row.stats
    if s.gap is None:
        return (1, 0.0, 0, row.order)
    return (0, -round(s.gap, _TIE_DIGITS), -s.n, row.order)


def confident_key(row: TouchPointGap) -> tuple:
    """The sort key of the confident ranking.

    ``ci_low`` descending (the gap we are 95% sure is at least this wide),
    then gap, n and file order; rows without an interval (n < 2) after
    all the others, in the order of :func:`rank_key`.
    """
    s = row.stats
    if s.ci_low is None or s.gap is None:
        return (1, *rank_key(row))
    return (0, -round(s.ci_low, _TIE_DIGITS), -round(s.gap, _TIE_DIGITS), -s.n, row.order)


def stage_gaps(journey: JourneyMap, flt: ObservationFilter | None = None) -> list[StageGap]:
    """One row per stage, in stage order, pooling its touch points' observations."""
    return statistics(journey).stages(flt)


#: Keys of :func:`gap_record`, in the order reports and CSV files use.
GAP_RECORD_KEYS = (
    "rank",
    "touchpoint",
    "name",
    "stage",
    "critical",
    "n",
    "observations",
    "expectation",
    "reality",
    "gap",
    "spread",
    "minimum",
    "adequacy",
    "wide",
    "ci_low",
    "ci_high",
    "methods",
    "observers",
    "evidence",
)


def _clean(value: float | None) -> float | None:
    # Ten decimals hide float noise (2.0000000000000004) and keep every digit
    # a person could care about.
    return None if value is None else round(value, 10)


def gap_record(row: TouchPointGap, rank: int) -> dict[str, object]:
    """One ranked row as plain data, the same for JSON, CSV and the window."""
    s = row.stats
    return {
        "rank": rank,
        "touchpoint": row.touchpoint,
        "name": row.name,
        "stage": row.stage,
        "critical": row.critical,
        "n": s.n,
        "observations": s.observations,
        "expectation": _clean(s.expectation),
        "reality": _clean(s.reality),
        "gap": _clean(s.gap),
        "spread": _clean(s.spread),
        "minimum": _clean(s.minimum),
        "adequacy": _clean(s.adequacy),
        "wide": s.wide,
        "ci_low": _clean(s.ci_low),
        "ci_high": _clean(s.ci_high),
        "methods": list(s.methods),
        "observers": s.observers,
        "evidence": s.evidence,
    }
