"""The kinds of record a map holds, and small records the map hands out."""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.model.collection import KindSpec
from journeymap.model.entities import Observation, Persona, Stage, TouchPoint, Transition

#: The kinds of record a map holds, in the order files list them.
KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec("persona", "persona", Persona, lambda r: r.id),
        KindSpec("stage", "stage", Stage, lambda r: r.id),
        KindSpec("touchpoint", "touch point", TouchPoint, lambda r: r.id),
        KindSpec("transition", "transition", Transition, lambda r: r.key, ("source", "target")),
        KindSpec("observation", "observation", Observation, lambda r: r.id),
    )
}
#: The kind of change that concerns the map itself (title, scale).
MAP = "map"


@dataclass
class RemovedTouchPoint:
    """Everything :meth:`JourneyMap.remove_touchpoint` took away, for undo."""

    touchpoint: TouchPoint
    index: int
    transitions: list[tuple[int, Transition]] = field(default_factory=list)
    observations: list[tuple[int, Observation]] = field(default_factory=list)


@dataclass(frozen=True)
class MapSummary:
    stages: int
    touchpoints: int
    transitions: int
    observations: int
    personas: int
