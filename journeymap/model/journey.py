"""The journey map: stages, touch points on a directed graph, observations.

Each kind of record is a :class:`RecordCollection`; every change to any of
them, and to the map's title and scale, is reported as one
:class:`~journeymap.model.collection.Change` on the map's single ``changed``
signal.  A window mirrors the map by listening to that signal, and undo
commands call the same methods, so the two can never disagree.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx
from psygnal import Signal

from journeymap.model.collection import ADD, REMOVE, UPDATE, Change, RecordCollection
from journeymap.model.entities import (
    Action,
    Idea,
    Observation,
    Persona,
    Rule,
    Scale,
    Stage,
    ToneTerm,
    TouchPoint,
    Transition,
)
from journeymap.model.kinds import (
    DESCRIPTION,
    KINDS,
    MAP,
    MAP_FIELDS,
    MapSummary,
    RemovedTouchPoint,
    remove_touchpoint,
    restore_touchpoint,
)
from journeymap.model.validation import (
    ModelError,
    raise_if,
    scale_problems,
)


class JourneyMap:
    """A customer journey: ordered stages holding touch points.

    Touch points are the nodes of a :class:`networkx.DiGraph` and transitions
    its edges, so branches and loops are real.  Observations reference touch
    points by id.  Records are returned by reference: treat them as
    read-only and change them through :meth:`update` (or ``update_*``).
    """

    #: One event for every change: a :class:`Change`.
    changed = Signal(object)

    def __init__(self, title: str = "Untitled journey", scale: Scale | None = None) -> None:
        self._title = title
        self._scale = scale if scale is not None else Scale()
        raise_if(scale_problems(self._scale), "scale")
        #: Goes up by one at every change; caches of derived numbers key on it.
        self.revision = 0
        self._graph = nx.DiGraph()
        self._observations_by_tp: dict[str, list[Observation]] = {}
        self._collections: dict[str, RecordCollection] = {
            name: RecordCollection(
                spec,
                self._notify,
                functools.partial(spec.check, self),
                None if spec.guard_remove is None else functools.partial(spec.guard_remove, self),
            )
            for name, spec in KINDS.items()
        }
        #: Top-level keys this version does not know, kept for saving.
        self.extra: dict[str, Any] = {}
        #: Numbers derived from the map (the statistics source), each told of
        #: every change through its ``invalidate(change)`` before the views.
        self.derived: dict[str, Any] = {}
        self._next_number: dict[str, int] = {}

    @classmethod
    def from_records(
        cls,
        *,
        title: str,
        scale: Scale,
        extra: dict[str, Any] | None = None,
        validate: bool = True,
        **records: Iterable[Any],
    ) -> JourneyMap:
        """Build a map in one go, without emitting signals.

        ``records`` are keyed by each kind's plural (``personas=``,
        ``stages=``, ``touchpoints=``, ``transitions=``, ``observations=``,
        ``actions=``, ``rules=``, ``ideas=``, ``tone=``).
        ``validate=False`` is for the file loader, which has already checked
        every record and reported all the problems at once.
        """
        plurals = {spec.plural: name for name, spec in KINDS.items()}
        unknown = set(records) - set(plurals)
        if unknown:
            raise TypeError(f"from_records() got unknown record kinds {sorted(unknown)}")
        jm = cls(title, scale)
        # In the kinds' order: touch points need their stages first, and so on.
        for name, spec in KINDS.items():
            items = records.get(spec.plural, ())
            if validate:
                for record in items:
                    jm.add(name, record)
            else:
                jm._collections[name].reset(items)
        if not validate:
            jm._rebuild_indexes()
        jm.revision = 0
        jm.extra = dict(extra or {})
        return jm

    def _rebuild_indexes(self) -> None:
        tps = self._collections["touchpoint"]
        self._graph = nx.DiGraph()
        self._graph.add_nodes_from((t.id, {"touchpoint": t}) for t in tps)
        self._graph.add_edges_from(
            (t.source, t.target, {"transition": t}) for t in self._collections["transition"]
        )
        by_tp: dict[str, list[Observation]] = {}
        for o in self._collections["observation"]:
            by_tp.setdefault(o.touchpoint, []).append(o)
        self._observations_by_tp = by_tp

    # ------------------------------------------------------------ generic

    def collection(self, kind: str) -> RecordCollection:
        """The records of one kind ("persona", "stage", "touchpoint", ...)."""
        try:
            return self._collections[kind]
        except KeyError:
            raise ModelError(f"no record kind {kind!r}") from None

    def add(self, kind: str, record: Any, index: int | None = None) -> int:
        """Add a record of ``kind`` at ``index`` (the end by default); returns its index."""
        return self.collection(kind).add(record, index)

    def remove(self, kind: str, key: Hashable) -> tuple[Any, int]:
        """Remove a record; returns it and its index, for :meth:`add` to undo."""
        return self.collection(kind).remove(key)

    def update(self, kind: str, key: Hashable, /, **changes: Any) -> dict[str, Any]:
        """Change fields of a record; returns the old values of what changed.

        The kind ``"map"`` (:data:`MAP`, any key) changes the map itself: its
        title, description and scale, as one change.
        """
        if kind == MAP:
            return self.update_map(**changes)
        return self.collection(kind).update(key, **changes)

    def move(self, kind: str, key: Hashable, index: int) -> int:
        """Move a record within its kind's order; returns where it was."""
        return self.collection(kind).move(key, index)

    def _notify(self, change: Change) -> None:
        """Keep the graph and the observation index in step, then tell the views."""
        kind, op, record = change.kind, change.op, change.record
        if kind == "touchpoint":
            if op == ADD:
                self._graph.add_node(record.id, touchpoint=record)
            elif op == REMOVE:
                self._graph.remove_node(record.id)
                self._observations_by_tp.pop(record.id, None)
        elif kind == "transition":
            if op == ADD:
                self._graph.add_edge(record.source, record.target, transition=record)
            elif op == REMOVE:
                self._graph.remove_edge(record.source, record.target)
        elif kind == "observation":
            self._index_observation(change)
        self._changed(change)

    def _changed(self, change: Change) -> None:
        # Derived numbers first, so that every view hears of the change with
        # fresh statistics at hand.
        self.revision += 1
        for derived in self.derived.values():
            derived.invalidate(change)
        self.changed.emit(change)

    def _index_observation(self, change: Change) -> None:
        obs, by_tp = change.record, self._observations_by_tp
        if change.op == ADD:
            if change.index == len(self._collections["observation"]) - 1:
                by_tp.setdefault(obs.touchpoint, []).append(obs)
            else:
                self._reindex_touchpoint(obs.touchpoint)
        elif change.op == REMOVE:
            by_tp[obs.touchpoint].remove(obs)
        elif change.op == UPDATE and "touchpoint" in change.fields:
            by_tp[change.old["touchpoint"]].remove(obs)
            self._reindex_touchpoint(obs.touchpoint)
        elif change.op != UPDATE:  # moved within the file order
            self._reindex_touchpoint(obs.touchpoint)

    def _reindex_touchpoint(self, tp_id: str) -> None:
        self._observations_by_tp[tp_id] = [
            o for o in self._collections["observation"] if o.touchpoint == tp_id
        ]

    # ----------------------------------------------------------------- queries

    @property
    def title(self) -> str:
        return self._title

    @property
    def scale(self) -> Scale:
        return self._scale

    @property
    def description(self) -> str:
        """What the map is about; kept as the file's top-level ``description``."""
        value = self.extra.get(DESCRIPTION, "")
        return value if isinstance(value, str) else ""

    @property
    def personas(self) -> tuple[Persona, ...]:
        return self._collections["persona"].items()

    @property
    def stages(self) -> tuple[Stage, ...]:
        return self._collections["stage"].items()

    @property
    def touchpoints(self) -> tuple[TouchPoint, ...]:
        """Touch points in file order."""
        return self._collections["touchpoint"].items()

    @property
    def transitions(self) -> tuple[Transition, ...]:
        return self._collections["transition"].items()

    @property
    def observations(self) -> tuple[Observation, ...]:
        return self._collections["observation"].items()

    @property
    def actions(self) -> tuple[Action, ...]:
        return self._collections["action"].items()

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._collections["rule"].items()

    @property
    def ideas(self) -> tuple[Idea, ...]:
        return self._collections["idea"].items()

    @property
    def tone(self) -> tuple[ToneTerm, ...]:
        """The map's own tone list (added to, or overriding, the built-in one)."""
        return self._collections["tone"].items()

    @property
    def graph(self) -> nx.DiGraph:
        """A read-only view of the touch point graph."""
        return nx.freeze(self._graph.copy(as_view=True))

    def persona(self, persona_id: str) -> Persona:
        return self._collections["persona"].get(persona_id)

    def find_persona(self, id_or_name: str) -> Persona | None:
        """The persona with this id, or else the one with this exact name."""
        personas = self._collections["persona"]
        if id_or_name in personas:
            return personas.get(id_or_name)
        return next((p for p in personas if p.name == id_or_name), None)

    def stage(self, stage_id: str) -> Stage:
        return self._collections["stage"].get(stage_id)

    def stage_index(self, stage_id: str) -> int:
        try:
            return self._collections["stage"].index_of(stage_id)
        except KeyError:
            raise ModelError(f"no stage {stage_id!r}") from None

    def has_touchpoint(self, tp_id: str) -> bool:
        return tp_id in self._collections["touchpoint"]

    def touchpoint(self, tp_id: str) -> TouchPoint:
        return self._collections["touchpoint"].get(tp_id)

    def touchpoint_index(self, tp_id: str) -> int:
        return self._collections["touchpoint"].index_of(tp_id)

    def touchpoints_in_stage(self, stage_id: str) -> list[TouchPoint]:
        return [tp for tp in self._collections["touchpoint"] if tp.stage == stage_id]

    def journey_order(self) -> list[TouchPoint]:
        """Touch points stage by stage, in file order within a stage."""
        rank = {s.id: i for i, s in enumerate(self._collections["stage"])}
        return sorted(self._collections["touchpoint"], key=lambda tp: rank[tp.stage])

    def transition(self, source: str, target: str) -> Transition:
        return self._collections["transition"].get((source, target))

    def has_transition(self, source: str, target: str) -> bool:
        return (source, target) in self._collections["transition"]

    def successors(self, tp_id: str) -> list[str]:
        return list(self._graph.successors(tp_id))

    def predecessors(self, tp_id: str) -> list[str]:
        return list(self._graph.predecessors(tp_id))

    def observation(self, obs_id: str) -> Observation:
        return self._collections["observation"].get(obs_id)

    def observations_for(self, tp_id: str) -> tuple[Observation, ...]:
        return tuple(self._observations_by_tp.get(tp_id, ()))

    def summary(self) -> MapSummary:
        c = self._collections
        return MapSummary(
            stages=len(c["stage"]),
            touchpoints=len(c["touchpoint"]),
            transitions=len(c["transition"]),
            observations=len(c["observation"]),
            personas=len(c["persona"]),
        )

    def new_id(self, prefix: str) -> str:
        """An id starting with ``prefix`` that no record of the map uses.

        Counts on from the last id handed out for this prefix, so that adding
        the ten-thousandth observation does not try the first 9,999 again.
        """
        n = self._next_number.get(prefix, 1)
        while any(f"{prefix}{n}" in c for c in self._collections.values()):
            n += 1
        self._next_number[prefix] = n + 1
        return f"{prefix}{n}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JourneyMap):
            return NotImplemented
        return (
            self._title == other._title
            and self._scale == other._scale
            and all(self._collections[k].items() == other._collections[k].items() for k in KINDS)
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

    def update_map(self, **changes: Any) -> dict[str, Any]:
        """Change the title, description or scale as one change; returns the old values.

        Everything is checked before anything changes: a scale that would
        leave a score outside it is refused with the map unchanged.
        """
        unknown = set(changes) - set(MAP_FIELDS)
        if unknown:
            raise ModelError(f"the map has no field {sorted(unknown)[0]!r}")
        for name in ("title", "description"):
            if name in changes and not isinstance(changes[name], str):
                raise ModelError(f"the map's {name} must be text")
        if "scale" in changes:
            self._check_scale(changes["scale"])
        old = {k: getattr(self, k) for k, v in changes.items() if getattr(self, k) != v}
        for name in old:
            value = changes[name]
            if name == "description":
                # An empty description is no key at all, as in files without one.
                if value:
                    self.extra[DESCRIPTION] = value
                else:
                    self.extra.pop(DESCRIPTION, None)
            else:
                setattr(self, f"_{name}", value)
        if old:
            self._changed(Change(MAP, UPDATE, self, 0, tuple(old), dict(old)))
        return old

    def set_title(self, title: str) -> str:
        """Rename the map; returns the old title."""
        old = self._title
        self.update_map(title=title)
        return old

    def set_scale(self, scale: Scale) -> Scale:
        """Change the score scale; every score must still fit.  Returns the old one."""
        old = self._scale
        self.update_map(scale=scale)
        return old

    def _check_scale(self, scale: Scale) -> None:
        raise_if(scale_problems(scale), "scale")
        outside = [
            o.id
            for o in self._collections["observation"]
            if any(
                v is not None and not scale.contains(v)
                for v in (o.expectation, o.reality, o.minimum, o.emotion)
            )
        ]
        if outside:
            raise ModelError(
                f"scale {scale.min:g}-{scale.max:g} would leave {len(outside)} "
                f"observation(s) out of range, first {outside[0]!r}"
            )

    # ------------------------------------------------- touch points with links

    def remove_touchpoint(self, tp_id: str) -> RemovedTouchPoint:
        """Remove a touch point with its transitions, observations, actions,
        rules and ideas (they go first, so a view never shows dangling items).

        Returns what was removed, for :meth:`restore_touchpoint` to put back.
        """
        return remove_touchpoint(self, tp_id)

    def restore_touchpoint(self, removed: RemovedTouchPoint) -> None:
        """Undo :meth:`remove_touchpoint`."""
        restore_touchpoint(self, removed)

    # --------------------------------------- named shortcuts for the generic API

    def add_persona(self, persona: Persona, index: int | None = None) -> None:
        self.add("persona", persona, index)

    def remove_persona(self, persona_id: str) -> tuple[Persona, int]:
        return self.remove("persona", persona_id)

    def update_persona(self, persona_id: str, **changes: Any) -> dict[str, Any]:
        return self.update("persona", persona_id, **changes)

    def add_stage(self, stage: Stage, index: int | None = None) -> None:
        self.add("stage", stage, index)

    def remove_stage(self, stage_id: str) -> tuple[Stage, int]:
        """Remove an empty stage; move or remove its touch points first."""
        return self.remove("stage", stage_id)

    def update_stage(self, stage_id: str, **changes: Any) -> dict[str, Any]:
        return self.update("stage", stage_id, **changes)

    def move_stage(self, stage_id: str, index: int) -> int:
        return self.move("stage", stage_id, index)

    def add_touchpoint(self, tp: TouchPoint, index: int | None = None) -> None:
        self.add("touchpoint", tp, index)

    def update_touchpoint(self, tp_id: str, **changes: Any) -> dict[str, Any]:
        return self.update("touchpoint", tp_id, **changes)

    def move_touchpoint(self, tp_id: str, index: int) -> int:
        """Move a touch point within the file order; returns where it was."""
        return self.move("touchpoint", tp_id, index)

    def add_transition(self, tr: Transition, index: int | None = None) -> None:
        self.add("transition", tr, index)

    def remove_transition(self, source: str, target: str) -> tuple[Transition, int]:
        return self.remove("transition", (source, target))

    def update_transition(self, source: str, target: str, **changes: Any) -> dict[str, Any]:
        return self.update("transition", (source, target), **changes)

    def add_observation(self, obs: Observation, index: int | None = None) -> None:
        self.add("observation", obs, index)

    def remove_observation(self, obs_id: str) -> tuple[Observation, int]:
        return self.remove("observation", obs_id)

    def update_observation(self, obs_id: str, **changes: Any) -> dict[str, Any]:
        return self.update("observation", obs_id, **changes)
