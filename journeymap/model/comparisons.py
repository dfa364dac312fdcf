"""Numbers behind the charts: the emotion curve and staff against customers (blind spots).

They live here, beside the gap statistics, so the command line, the report
and the window can all report them; the chart code only draws.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from journeymap.model.analysis import (
    _TIE_DIGITS,
    ObservationFilter,
    gap_stats,
    select,
    wide_gap_threshold,
)
from journeymap.model.journey import JourneyMap

SAFARI, SHADOWING = "service-safari", "shadowing"


class EmotionPoint(NamedTuple):
    """One touch point on the emotion curve, in journey order."""

    touchpoint: str
    name: str
    stage: str
    #: Mean emotion, or mean reality where no emotion was scored; None without either.
    mean: float | None
    #: Sample standard deviation of those values (0 for one value).
    spread: float | None
    #: How many values the mean is over.
    n: int


def emotion_curve(journey: JourneyMap, flt: ObservationFilter | None = None) -> list[EmotionPoint]:
    """The journey's emotion curve: every touch point in journey order."""
    points = []
    for tp in journey.journey_order():
        observations = select(journey.observations_for(tp.id), flt)
        values = [o.emotion for o in observations if o.emotion is not None]
        if not values:
            values = [o.reality for o in observations if o.reality is not None]
        mean = spread = None
        if values:
            mean = math.fsum(values) / len(values)
            spread = (
                math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))
                if len(values) > 1
                else 0.0
            )
        points.append(EmotionPoint(tp.id, tp.name, tp.stage, mean, spread, len(values)))
    return points


class BlindSpotRow(NamedTuple):
    """One touch point's gap as staff saw it on service safari and as customers showed it
    when shadowed.  Gaps are means of the paired gaps (expectation - reality) of each
    method; None when that method has no paired observation."""

    touchpoint: str
    name: str
    stage: str
    safari_n: int
    safari_gap: float | None
    shadowing_n: int
    shadowing_gap: float | None
    #: shadowing_gap - safari_gap; None unless both methods have a paired observation.
    difference: float | None
    #: Staff on safari saw a gap at least half the wide-gap threshold smaller than
    #: the customers they shadowed: ``difference`` ≥ :func:`blind_spot_margin`.
    blind_spot: bool


#: Keys of :func:`blind_spot_record`, in the order CSV files use.
BLIND_SPOT_KEYS = BlindSpotRow._fields


def blind_spot_margin(journey: JourneyMap) -> float:
    """How much wider the shadowing gap must be than the safari gap: half the wide-gap
    threshold (half a point on a 1-5 scale)."""
    return wide_gap_threshold(journey.scale) / 2


def blind_spot_rows(
    journey: JourneyMap, flt: ObservationFilter | None = None
) -> list[BlindSpotRow]:
    """Service safari against shadowing, one row per touch point with a paired
    observation of either method (after ``flt``).

    Order: ``difference`` highest first (differences within 1e-9 are equal), rows
    without a difference last, then file order.  The command line, the methods chart,
    the report and the window all use this function.
    """
    threshold = wide_gap_threshold(journey.scale)
    margin = blind_spot_margin(journey)
    keyed = []
    for order, tp in enumerate(journey.touchpoints):
        observations = select(journey.observations_for(tp.id), flt)
        safari = gap_stats([o for o in observations if o.method == SAFARI], threshold)
        shadow = gap_stats([o for o in observations if o.method == SHADOWING], threshold)
        if not (safari.n or shadow.n):
            continue
        difference = None
        if safari.gap is not None and shadow.gap is not None:
            difference = shadow.gap - safari.gap
        blind = difference is not None and round(difference, _TIE_DIGITS) >= margin
        row = BlindSpotRow(tp.id, tp.name, tp.stage, safari.n, safari.gap, shadow.n,
                           shadow.gap, difference, blind)  # fmt: skip
        key = (1, 0.0, order) if difference is None else (0, -round(difference, _TIE_DIGITS), order)
        keyed.append((key, row))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _, row in keyed]


def blind_spot_record(row: BlindSpotRow) -> dict[str, object]:
    """One row as plain data, the same for JSON, CSV and the text table."""
    record = row._asdict()
    for key in ("safari_gap", "shadowing_gap", "difference"):
        value = record[key]
        # Ten decimals hide float noise (0.30000000000000004), as in gap records.
        record[key] = None if value is None else round(value, 10)
    return record
