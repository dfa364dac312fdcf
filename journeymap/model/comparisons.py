"""Numbers behind the charts: the emotion curve and staff against customers.

They live here, beside the gap statistics, so the command line, the report
and the window can all report them; the chart code only draws.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from journeymap.model.analysis import ObservationFilter, gap_stats, select, wide_gap_threshold
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


class MethodGap(NamedTuple):
    """One touch point's gap as staff saw it on safari and as customers showed it."""

    touchpoint: str
    name: str
    safari: float | None
    shadowing: float | None

    @property
    def blind_spot(self) -> bool:
        """Staff rate the touch point better (a smaller gap) than the customers they watched."""
        return (
            self.safari is not None
            and self.shadowing is not None
            and (self.safari < self.shadowing)
        )


def method_gaps(journey: JourneyMap, flt: ObservationFilter | None = None) -> list[MethodGap]:
    """Safari against shadowing gaps, for touch points with either, in journey order."""
    threshold = wide_gap_threshold(journey.scale)
    rows = []
    for tp in journey.journey_order():
        observations = select(journey.observations_for(tp.id), flt)
        safari = gap_stats([o for o in observations if o.method == SAFARI], threshold).gap
        shadow = gap_stats([o for o in observations if o.method == SHADOWING], threshold).gap
        if safari is not None or shadow is not None:
            rows.append(MethodGap(tp.id, tp.name, safari, shadow))
    return rows


def blind_spots(journey: JourneyMap, flt: ObservationFilter | None = None) -> list[MethodGap]:
    """Touch points where staff on safari saw a smaller gap than customers showed."""
    return [row for row in method_gaps(journey, flt) if row.blind_spot]
