"""The kinds of record a map holds, and small records the map hands out."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from journeymap.model.collection import KindSpec
from journeymap.model.entities import (
    Action,
    Idea,
    Observation,
    Persona,
    Rule,
    Stage,
    ToneTerm,
    TouchPoint,
    Transition,
)
from journeymap.model.validation import (
    ModelError,
    Problems,
    action_problems,
    idea_problems,
    observation_problems,
    persona_problems,
    rule_problems,
    share_total_problem,
    stage_problems,
    tone_problems,
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


#: The kinds whose records may belong to a touch point (by their ``touchpoint``):
#: removing the touch point removes them, and undo restores them.
DECISION_KINDS: tuple[str, ...] = ("action", "rule", "idea")


def _touchpoint_in_use(journey: JourneyMap, tp: TouchPoint) -> None:
    links = len(journey.successors(tp.id)) + len(journey.predecessors(tp.id))
    observed = len(journey.observations_for(tp.id))
    decided = sum(
        1 for kind in DECISION_KINDS for r in journey.collection(kind) if r.touchpoint == tp.id
    )
    if links or observed or decided:
        raise ModelError(
            f"touch point {tp.id!r} still has {links} transition(s), {observed} "
            f"observation(s) and {decided} action(s), rule(s) and idea(s); "
            "remove_touchpoint removes them with it"
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
        KindSpec("action", "action", "actions", Action, _id,
                 lambda jm, a: action_problems(a, jm.collection("touchpoint"))),
        KindSpec("rule", "rule", "rules", Rule, _id,
                 lambda jm, r: rule_problems(r, jm.collection("touchpoint"))),
        KindSpec("idea", "idea", "ideas", Idea, _id,
                 lambda jm, i: idea_problems(i, jm.collection("touchpoint"))),
        KindSpec("tone", "tone term", "tone", ToneTerm, attrgetter("term"),
                 lambda jm, t: tone_problems(t), identity=("term",)),
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
    #: Its actions, rules and ideas: (kind, index, record), each kind's in
    #: ascending order of index.
    decisions: list[tuple[str, int, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class MapSummary:
    stages: int
    touchpoints: int
    transitions: int
    observations: int
    personas: int


def remove_touchpoint(journey: JourneyMap, tp_id: str) -> RemovedTouchPoint:
    """Remove a touch point and everything that belongs to it (see
    :meth:`JourneyMap.remove_touchpoint`)."""
    tp = journey.touchpoint(tp_id)
    removed = RemovedTouchPoint(tp, journey.touchpoint_index(tp_id))
    # Remove from the end so every recorded index is the original one;
    # restoring in ascending order then rebuilds the lists exactly.
    for obs in reversed(journey.observations_for(tp_id)):
        removed.observations.append(journey.remove("observation", obs.id)[::-1])
    for tr in [t for t in reversed(journey.transitions) if tp_id in t.key]:
        removed.transitions.append(journey.remove("transition", tr.key)[::-1])
    removed.observations.reverse()
    removed.transitions.reverse()
    for kind in DECISION_KINDS:
        held = [r for r in reversed(journey.collection(kind).items()) if r.touchpoint == tp_id]
        taken = [journey.remove(kind, r.id) for r in held]
        removed.decisions += [(kind, index, record) for record, index in reversed(taken)]
    journey.remove("touchpoint", tp_id)
    return removed


def restore_touchpoint(journey: JourneyMap, removed: RemovedTouchPoint) -> None:
    """Undo :func:`remove_touchpoint`."""
    journey.add("touchpoint", removed.touchpoint, removed.index)
    for index, tr in removed.transitions:
        journey.add("transition", tr, index)
    for index, obs in removed.observations:
        journey.add("observation", obs, index)
    for kind, index, record in removed.decisions:
        journey.add(kind, record, index)
