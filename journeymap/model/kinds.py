"""The kinds of record a map holds, and small records the map hands out."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from journeymap.model.collection import KindSpec
from journeymap.model.entities import Observation, Persona, Stage, TouchPoint, Transition
from journeymap.model.validation import (
    ModelError,
    Problems,
    observation_problems,
    persona_problems,
    share_total_problem,
    stage_problems,
    touchpoint_problems,
    transition_problems,
)

if TYPE_CHECKING:
    from journeymap.model.journey import JourneyMap

_id = attrgetter("id")


def _persona_in_use(journey: JourneyMap, persona: Persona) -> None:
    users = [o.id for o in journey.observations if o.persona == persona.id]
    if users:
        raise ModelError(
            f"persona {persona.id!r} is used by {len(users)} observation(s), first {users[0]!r}"
        )


def _stage_in_use(journey: JourneyMap, stage: Stage) -> None:
    held = journey.touchpoints_in_stage(stage.id)
    if held:
        raise ModelError(f"stage {stage.id!r} still holds {len(held)} touch point(s)")


def _touchpoint_in_use(journey: JourneyMap, tp: TouchPoint) -> None:
    links = len(journey.successors(tp.id)) + len(journey.predecessors(tp.id))
    observed = len(journey.observations_for(tp.id))
    if links or observed:
        raise ModelError(
            f"touch point {tp.id!r} still has {links} transition(s) and {observed} "
            "observation(s); remove_touchpoint removes them with it"
        )


def _transition_problems(journey: JourneyMap, tr: Transition) -> Problems:
    """A transition's own problems, and the sum of the shares leaving its
    source with this one in place of the one of the same key."""
    problems = transition_problems(tr, journey.collection("touchpoint"))
    if tr.share is not None and not any(name == "share" for name, _ in problems):
        leaving = journey.graph.succ.get(tr.source, {})
        others = [
            data["transition"].share for target, data in leaving.items() if target != tr.target
        ]
        total = tr.share + sum(share for share in others if share is not None)
        problem = share_total_problem(tr.source, total)
        if problem:
            problems.append(("share", problem))
    return problems


#: The kinds of record a map holds, in the order files list them.  A new
#: kind is its dataclass (entities.py), one line here, its file spec and its view.
KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec("persona", "persona", "personas", Persona, _id,
                 lambda jm, p: persona_problems(p), _persona_in_use),
        KindSpec("stage", "stage", "stages", Stage, _id,
                 lambda jm, s: stage_problems(s), _stage_in_use),
        KindSpec("touchpoint", "touch point", "touchpoints", TouchPoint, _id,
                 lambda jm, t: touchpoint_problems(t, jm.collection("stage")),
                 _touchpoint_in_use),
        KindSpec("transition", "transition", "transitions", Transition, lambda r: r.key,
                 _transition_problems,
                 identity=("source", "target")),
        KindSpec("observation", "observation", "observations", Observation, _id,
                 lambda jm, o: observation_problems(
                     o, jm.collection("touchpoint"), jm.collection("persona"), jm.scale)),
    )
}  # fmt: skip
#: The kind of change that concerns the map itself (title, description, scale).
MAP = "map"
#: What ``JourneyMap.update(MAP, ...)`` may change.
MAP_FIELDS: tuple[str, ...] = ("title", "description", "scale")
#: The file's top-level key of the map's description (kept with the unknown
#: keys, so files that have one and readers that know none both keep working).
DESCRIPTION = "description"


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
