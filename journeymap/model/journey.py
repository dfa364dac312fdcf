"""The journey map: stages, touch points on a directed graph, observations.

Every change goes through a method of :class:`JourneyMap`, and every method
that changes something emits a signal afterwards.  A window mirrors the map
by listening to those signals, and undo commands call the same methods, so
the two can never disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from psygnal import Signal

from journeymap.model.entities import (
    Observation,
    Persona,
    Scale,
    Stage,
    TouchPoint,
    Transition,
)
from journeymap.model.validation import (
    ModelError,
    observation_problems,
    persona_problems,
    raise_if,
    scale_problems,
    stage_problems,
    touchpoint_problems,
    transition_problems,
)

# Fields that identify a record; changing them is a remove and an add.
_IMMUTABLE_FIELDS = {"id", "source", "target"}


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


def _index_of(items: list[Any], key: str, value: object) -> int:
    for i, item in enumerate(items):
        if getattr(item, key) == value:
            return i
    raise ModelError(f"no {type(items[0]).__name__.lower() if items else 'item'} {value!r}")


def _check_index(index: int | None, length: int) -> int:
    if index is None:
        return length
    if not 0 <= index <= length:
        raise ModelError(f"position {index} is outside 0-{length}")
    return index


class JourneyMap:
    """A customer journey: ordered stages holding touch points.

    Touch points are the nodes of a :class:`networkx.DiGraph` and transitions
    its edges, so branches and loops are real.  Observations reference touch
    points by id.  Records are returned by reference: treat them as read-only
    and change them through the ``update_*`` methods.
    """

    title_changed = Signal(str)
    scale_changed = Signal(object)
    persona_added = Signal(object, int)
    persona_removed = Signal(object, int)
    persona_changed = Signal(object, tuple)
    stage_added = Signal(object, int)
    stage_removed = Signal(object, int)
    stage_changed = Signal(object, tuple)
    stage_moved = Signal(object, int, int)
    touchpoint_added = Signal(object, int)
    touchpoint_removed = Signal(object, int)
    touchpoint_changed = Signal(object, tuple)
    touchpoint_moved = Signal(object, int, int)
    transition_added = Signal(object, int)
    transition_removed = Signal(object, int)
    transition_changed = Signal(object, tuple)
    observation_added = Signal(object, int)
    observation_removed = Signal(object, int)
    observation_changed = Signal(object, tuple)
    #: Emitted after every change, whatever it was.
    changed = Signal()

    def __init__(self, title: str = "Untitled journey", scale: Scale | None = None) -> None:
        self._title = title
        self._scale = scale if scale is not None else Scale()
        raise_if(scale_problems(self._scale), "scale")
        self._personas: list[Persona] = []
        self._stages: list[Stage] = []
        self._graph = nx.DiGraph()
        self._touchpoint_order: list[str] = []
        self._transitions: list[Transition] = []
        self._observations: list[Observation] = []
        self._observation_by_id: dict[str, Observation] = {}
        self._observations_by_tp: dict[str, list[Observation]] = {}
        #: Top-level keys this version does not know, kept for saving.
        self.extra: dict[str, Any] = {}
        self._next_number: dict[str, int] = {}

    @classmethod
    def from_records(
        cls,
        *,
        title: str,
        scale: Scale,
        personas: Iterable[Persona] = (),
        stages: Iterable[Stage] = (),
        touchpoints: Iterable[TouchPoint] = (),
        transitions: Iterable[Transition] = (),
        observations: Iterable[Observation] = (),
        extra: dict[str, Any] | None = None,
        validate: bool = True,
    ) -> JourneyMap:
        """Build a map in one go, without emitting signals.

        ``validate=False`` is for the file loader, which has already checked
        every record and reported all the problems at once.
        """
        jm = cls(title, scale)
        if validate:
            for p in personas:
                jm.add_persona(p)
            for s in stages:
                jm.add_stage(s)
            for t in touchpoints:
                jm.add_touchpoint(t)
            for tr in transitions:
                jm.add_transition(tr)
            for o in observations:
                jm.add_observation(o)
        else:
            jm._personas = list(personas)
            jm._stages = list(stages)
            tps = list(touchpoints)
            jm._graph.add_nodes_from((t.id, {"touchpoint": t}) for t in tps)
            jm._touchpoint_order = [t.id for t in tps]
            jm._transitions = list(transitions)
            jm._graph.add_edges_from(
                (t.source, t.target, {"transition": t}) for t in jm._transitions
            )
            jm._observations = list(observations)
            jm._observation_by_id = {o.id: o for o in jm._observations}
            by_tp: dict[str, list[Observation]] = {}
            for o in jm._observations:
                by_tp.setdefault(o.touchpoint, []).append(o)
            jm._observations_by_tp = by_tp
        jm.extra = dict(extra or {})
        return jm

    # ----------------------------------------------------------------- queries

    @property
    def title(self) -> str:
        return self._title

    @property
    def scale(self) -> Scale:
        return self._scale

    @property
    def personas(self) -> tuple[Persona, ...]:
        return tuple(self._personas)

    @property
    def stages(self) -> tuple[Stage, ...]:
        return tuple(self._stages)

    @property
    def touchpoints(self) -> tuple[TouchPoint, ...]:
        """Touch points in file order."""
        nodes = self._graph.nodes
        return tuple(nodes[i]["touchpoint"] for i in self._touchpoint_order)

    @property
    def transitions(self) -> tuple[Transition, ...]:
        return tuple(self._transitions)

    @property
    def observations(self) -> tuple[Observation, ...]:
        return tuple(self._observations)

    @property
    def graph(self) -> nx.DiGraph:
        """A read-only view of the touch point graph."""
        return nx.freeze(self._graph.copy(as_view=True))

    def persona(self, persona_id: str) -> Persona:
        for p in self._personas:
            if p.id == persona_id:
                return p
        raise KeyError(persona_id)

    def find_persona(self, id_or_name: str) -> Persona | None:
        """The persona with this id, or else the one with this exact name."""
        for p in self._personas:
            if p.id == id_or_name:
                return p
        for p in self._personas:
            if p.name == id_or_name:
                return p
        return None

    def stage(self, stage_id: str) -> Stage:
        for s in self._stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    def stage_index(self, stage_id: str) -> int:
        return _index_of(self._stages, "id", stage_id)

    def has_touchpoint(self, tp_id: str) -> bool:
        return tp_id in self._graph

    def touchpoint(self, tp_id: str) -> TouchPoint:
        try:
            return self._graph.nodes[tp_id]["touchpoint"]
        except KeyError:
            raise KeyError(tp_id) from None

    def touchpoint_index(self, tp_id: str) -> int:
        try:
            return self._touchpoint_order.index(tp_id)
        except ValueError:
            raise KeyError(tp_id) from None

    def touchpoints_in_stage(self, stage_id: str) -> list[TouchPoint]:
        return [tp for tp in self.touchpoints if tp.stage == stage_id]

    def journey_order(self) -> list[TouchPoint]:
        """Touch points stage by stage, in file order within a stage."""
        rank = {s.id: i for i, s in enumerate(self._stages)}
        return sorted(self.touchpoints, key=lambda tp: rank[tp.stage])

    def transition(self, source: str, target: str) -> Transition:
        try:
            return self._graph.edges[source, target]["transition"]
        except KeyError:
            raise KeyError((source, target)) from None

    def has_transition(self, source: str, target: str) -> bool:
        return self._graph.has_edge(source, target)

    def successors(self, tp_id: str) -> list[str]:
        return list(self._graph.successors(tp_id))

    def predecessors(self, tp_id: str) -> list[str]:
        return list(self._graph.predecessors(tp_id))

    def observation(self, obs_id: str) -> Observation:
        return self._observation_by_id[obs_id]

    def observations_for(self, tp_id: str) -> tuple[Observation, ...]:
        return tuple(self._observations_by_tp.get(tp_id, ()))

    def summary(self) -> MapSummary:
        return MapSummary(
            stages=len(self._stages),
            touchpoints=len(self._touchpoint_order),
            transitions=len(self._transitions),
            observations=len(self._observations),
            personas=len(self._personas),
        )

    def new_id(self, prefix: str) -> str:
        """An id starting with ``prefix`` that no record of the map uses.

        Counts on from the last id handed out for this prefix, so that adding
        the ten-thousandth observation does not try the first 9,999 again.
        """
        n = self._next_number.get(prefix, 1)
        while self._id_taken(f"{prefix}{n}"):
            n += 1
        self._next_number[prefix] = n + 1
        return f"{prefix}{n}"

    def _id_taken(self, candidate: str) -> bool:
        return (
            candidate in self._graph
            or candidate in self._observation_by_id
            or any(s.id == candidate for s in self._stages)
            or any(p.id == candidate for p in self._personas)
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JourneyMap):
            return NotImplemented
        return (
            self._title == other._title
            and self._scale == other._scale
            and self._personas == other._personas
            and self._stages == other._stages
            and self.touchpoints == other.touchpoints
            and self._transitions == other._transitions
            and self._observations == other._observations
            and self.extra == other.extra
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"<JourneyMap {self._title!r}: {s.stages} stages, {s.touchpoints} touch points, "
            f"{s.transitions} transitions, {s.observations} observations>"
        )

    # ------------------------------------------------------------ map itself

    def set_title(self, title: str) -> str:
        """Rename the map; returns the old title."""
        old, self._title = self._title, title
        self.title_changed.emit(title)
        self.changed.emit()
        return old

    def set_scale(self, scale: Scale) -> Scale:
        """Change the score scale; every score must still fit.  Returns the old one."""
        raise_if(scale_problems(scale), "scale")
        outside = [
            o.id
            for o in self._observations
            if any(v is not None and not scale.contains(v) for v in _scores(o))
        ]
        if outside:
            raise ModelError(
                f"scale {scale.min:g}-{scale.max:g} would leave {len(outside)} "
                f"observation(s) out of range, first {outside[0]!r}"
            )
        old, self._scale = self._scale, scale
        self.scale_changed.emit(scale)
        self.changed.emit()
        return old

    # -------------------------------------------------------------- personas

    def add_persona(self, persona: Persona, index: int | None = None) -> None:
        raise_if(persona_problems(persona), f"persona {persona.id!r}")
        if any(p.id == persona.id for p in self._personas):
            raise ModelError(f"persona id {persona.id!r} is already used")
        index = _check_index(index, len(self._personas))
        self._personas.insert(index, persona)
        self.persona_added.emit(persona, index)
        self.changed.emit()

    def remove_persona(self, persona_id: str) -> tuple[Persona, int]:
        index = _index_of(self._personas, "id", persona_id)
        users = [o.id for o in self._observations if o.persona == persona_id]
        if users:
            raise ModelError(
                f"persona {persona_id!r} is used by {len(users)} observation(s), first {users[0]!r}"
            )
        persona = self._personas.pop(index)
        self.persona_removed.emit(persona, index)
        self.changed.emit()
        return persona, index

    def update_persona(self, persona_id: str, **changes: Any) -> dict[str, Any]:
        persona = self.persona(persona_id)
        old = _apply(persona, changes, lambda p: persona_problems(p), "persona")
        if old:
            self.persona_changed.emit(persona, tuple(old))
            self.changed.emit()
        return old

    # ---------------------------------------------------------------- stages

    def add_stage(self, stage: Stage, index: int | None = None) -> None:
        raise_if(stage_problems(stage), f"stage {stage.id!r}")
        if any(s.id == stage.id for s in self._stages):
            raise ModelError(f"stage id {stage.id!r} is already used")
        index = _check_index(index, len(self._stages))
        self._stages.insert(index, stage)
        self.stage_added.emit(stage, index)
        self.changed.emit()

    def remove_stage(self, stage_id: str) -> tuple[Stage, int]:
        """Remove an empty stage; move or remove its touch points first."""
        index = _index_of(self._stages, "id", stage_id)
        held = self.touchpoints_in_stage(stage_id)
        if held:
            raise ModelError(f"stage {stage_id!r} still holds {len(held)} touch point(s)")
        stage = self._stages.pop(index)
        self.stage_removed.emit(stage, index)
        self.changed.emit()
        return stage, index

    def update_stage(self, stage_id: str, **changes: Any) -> dict[str, Any]:
        stage = self.stage(stage_id)
        old = _apply(stage, changes, stage_problems, "stage")
        if old:
            self.stage_changed.emit(stage, tuple(old))
            self.changed.emit()
        return old

    def move_stage(self, stage_id: str, index: int) -> int:
        """Move a stage to ``index``; returns where it was."""
        old = _index_of(self._stages, "id", stage_id)
        if not 0 <= index < len(self._stages):
            raise ModelError(f"position {index} is outside 0-{len(self._stages) - 1}")
        if old != index:
            stage = self._stages.pop(old)
            self._stages.insert(index, stage)
            self.stage_moved.emit(stage, old, index)
            self.changed.emit()
        return old

    # ----------------------------------------------------------- touch points

    def add_touchpoint(self, tp: TouchPoint, index: int | None = None) -> None:
        raise_if(touchpoint_problems(tp, {s.id for s in self._stages}), f"touch point {tp.id!r}")
        if tp.id in self._graph:
            raise ModelError(f"touch point id {tp.id!r} is already used")
        index = _check_index(index, len(self._touchpoint_order))
        self._graph.add_node(tp.id, touchpoint=tp)
        self._touchpoint_order.insert(index, tp.id)
        self.touchpoint_added.emit(tp, index)
        self.changed.emit()

    def remove_touchpoint(self, tp_id: str) -> RemovedTouchPoint:
        """Remove a touch point with its transitions and observations.

        Returns what was removed so that :meth:`restore_touchpoint` can put
        all of it back.
        """
        tp = self.touchpoint(tp_id)
        removed = RemovedTouchPoint(tp, self.touchpoint_index(tp_id))
        # Remove from the end so every recorded index is the original one;
        # restoring in ascending order then rebuilds the lists exactly.
        for obs in reversed(list(self._observations_by_tp.get(tp_id, []))):
            removed.observations.append(self.remove_observation(obs.id)[::-1])
        for tr in [t for t in reversed(self._transitions) if tp_id in t.key]:
            removed.transitions.append(self.remove_transition(tr.source, tr.target)[::-1])
        removed.observations.reverse()
        removed.transitions.reverse()
        self._graph.remove_node(tp_id)
        del self._touchpoint_order[removed.index]
        self.touchpoint_removed.emit(tp, removed.index)
        self.changed.emit()
        return removed

    def restore_touchpoint(self, removed: RemovedTouchPoint) -> None:
        """Undo :meth:`remove_touchpoint`."""
        self.add_touchpoint(removed.touchpoint, removed.index)
        for index, tr in removed.transitions:
            self.add_transition(tr, index)
        for index, obs in removed.observations:
            self.add_observation(obs, index)

    def update_touchpoint(self, tp_id: str, **changes: Any) -> dict[str, Any]:
        """Change fields of a touch point; returns their old values."""
        tp = self.touchpoint(tp_id)
        stages = {s.id for s in self._stages}
        old = _apply(tp, changes, lambda t: touchpoint_problems(t, stages), "touch point")
        if old:
            self.touchpoint_changed.emit(tp, tuple(old))
            self.changed.emit()
        return old

    def move_touchpoint(self, tp_id: str, index: int) -> int:
        """Move a touch point within the file order; returns where it was."""
        old = self.touchpoint_index(tp_id)
        if not 0 <= index < len(self._touchpoint_order):
            raise ModelError(f"position {index} is outside 0-{len(self._touchpoint_order) - 1}")
        if old != index:
            self._touchpoint_order.insert(index, self._touchpoint_order.pop(old))
            self.touchpoint_moved.emit(self.touchpoint(tp_id), old, index)
            self.changed.emit()
        return old

    # ------------------------------------------------------------ transitions

    def add_transition(self, tr: Transition, index: int | None = None) -> None:
        raise_if(
            transition_problems(tr, self._graph),
            f"transition {tr.source!r} -> {tr.target!r}",
        )
        if self._graph.has_edge(tr.source, tr.target):
            raise ModelError(f"a transition {tr.source!r} -> {tr.target!r} already exists")
        index = _check_index(index, len(self._transitions))
        self._graph.add_edge(tr.source, tr.target, transition=tr)
        self._transitions.insert(index, tr)
        self.transition_added.emit(tr, index)
        self.changed.emit()

    def remove_transition(self, source: str, target: str) -> tuple[Transition, int]:
        tr = self.transition(source, target)
        index = next(i for i, t in enumerate(self._transitions) if t is tr)
        self._graph.remove_edge(source, target)
        del self._transitions[index]
        self.transition_removed.emit(tr, index)
        self.changed.emit()
        return tr, index

    def update_transition(self, source: str, target: str, **changes: Any) -> dict[str, Any]:
        tr = self.transition(source, target)
        old = _apply(tr, changes, lambda t: transition_problems(t, self._graph), "transition")
        if old:
            self.transition_changed.emit(tr, tuple(old))
            self.changed.emit()
        return old

    # ----------------------------------------------------------- observations

    def add_observation(self, obs: Observation, index: int | None = None) -> None:
        raise_if(
            observation_problems(obs, self._graph, {p.id for p in self._personas}, self._scale),
            f"observation {obs.id!r}",
        )
        if obs.id in self._observation_by_id:
            raise ModelError(f"observation id {obs.id!r} is already used")
        index = _check_index(index, len(self._observations))
        self._observations.insert(index, obs)
        self._observation_by_id[obs.id] = obs
        self._reindex_touchpoint(
            obs.touchpoint, appended=obs if index == len(self._observations) - 1 else None
        )
        self.observation_added.emit(obs, index)
        self.changed.emit()

    def remove_observation(self, obs_id: str) -> tuple[Observation, int]:
        obs = self.observation(obs_id)
        index = next(i for i, o in enumerate(self._observations) if o is obs)
        del self._observations[index]
        del self._observation_by_id[obs_id]
        self._observations_by_tp[obs.touchpoint].remove(obs)
        self.observation_removed.emit(obs, index)
        self.changed.emit()
        return obs, index

    def update_observation(self, obs_id: str, **changes: Any) -> dict[str, Any]:
        obs = self.observation(obs_id)
        personas = {p.id for p in self._personas}
        before = obs.touchpoint
        old = _apply(
            obs,
            changes,
            lambda o: observation_problems(o, self._graph, personas, self._scale),
            "observation",
        )
        if "touchpoint" in old:
            self._observations_by_tp[before].remove(obs)
            self._reindex_touchpoint(obs.touchpoint)
        if old:
            self.observation_changed.emit(obs, tuple(old))
            self.changed.emit()
        return old

    def _reindex_touchpoint(self, tp_id: str, appended: Observation | None = None) -> None:
        if appended is not None:
            self._observations_by_tp.setdefault(tp_id, []).append(appended)
        else:
            self._observations_by_tp[tp_id] = [
                o for o in self._observations if o.touchpoint == tp_id
            ]


def _scores(obs: Observation) -> tuple[float | None, ...]:
    return (obs.expectation, obs.reality, obs.minimum, obs.emotion)


def _apply(record: Any, changes: dict[str, Any], check: Any, what: str) -> dict[str, Any]:
    """Validate and apply ``changes`` to ``record``; return the old values of what changed."""
    names = {f.name for f in dataclasses.fields(record)}
    unknown = set(changes) - names
    if unknown:
        raise ModelError(f"{what} has no field {sorted(unknown)[0]!r}")
    fixed = _IMMUTABLE_FIELDS & set(changes)
    if fixed:
        raise ModelError(f"{what} {sorted(fixed)[0]!r} cannot be changed; remove and add instead")
    candidate = dataclasses.replace(record, **changes)
    raise_if(check(candidate), what)
    old = {}
    for name, value in changes.items():
        if getattr(record, name) != value:
            old[name] = getattr(record, name)
            setattr(record, name, value)
    return old
