"""Undo commands.  Each one calls model methods and nothing else.

The scene and the docks follow the model's signals, so undoing a command
updates every view without the command knowing about them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from journeymap.model.entities import Observation, Stage, TouchPoint, Transition
from journeymap.model.journey import JourneyMap, RemovedTouchPoint


class ModelCommand(QUndoCommand):
    """A command whose first run happens before it is pushed.

    The editor calls :meth:`do` itself, so a :class:`ModelError` from the
    model reaches the caller (and the user) and nothing is pushed; Qt's
    first ``redo()`` on push is then skipped.  Later redos run :meth:`do`.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.applied = False

    def do(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self.applied:
            self.applied = False
            return
        self.do()


class AddStage(ModelCommand):
    def __init__(self, journey: JourneyMap, stage: Stage, index: int | None = None) -> None:
        super().__init__(f"Add stage {stage.name}")
        self.journey, self.stage, self.index = journey, stage, index

    def do(self) -> None:
        self.journey.add_stage(self.stage, self.index)

    def undo(self) -> None:
        self.journey.remove_stage(self.stage.id)


class RemoveStage(ModelCommand):
    """Remove a stage; its touch points (with their links and observations) go too."""

    def __init__(self, journey: JourneyMap, stage_id: str) -> None:
        super().__init__(f"Delete stage {journey.stage(stage_id).name}")
        self.journey, self.stage_id = journey, stage_id
        self.removed: list[RemovedTouchPoint] = []
        self.stage: Stage | None = None
        self.index = 0

    def do(self) -> None:
        self.removed = [
            self.journey.remove_touchpoint(tp.id)
            for tp in reversed(self.journey.touchpoints_in_stage(self.stage_id))
        ]
        self.stage, self.index = self.journey.remove_stage(self.stage_id)

    def undo(self) -> None:
        assert self.stage is not None
        self.journey.add_stage(self.stage, self.index)
        for removed in reversed(self.removed):
            self.journey.restore_touchpoint(removed)


class MoveStage(ModelCommand):
    def __init__(self, journey: JourneyMap, stage_id: str, index: int) -> None:
        super().__init__(f"Move stage {journey.stage(stage_id).name}")
        self.journey, self.stage_id, self.index, self.old = journey, stage_id, index, index

    def do(self) -> None:
        self.old = self.journey.move_stage(self.stage_id, self.index)

    def undo(self) -> None:
        self.journey.move_stage(self.stage_id, self.old)


class _Update(ModelCommand):
    """Change fields of one record; keeps the old values for undo."""

    what = "record"

    def __init__(self, journey: JourneyMap, key: Any, changes: dict[str, Any], text: str) -> None:
        super().__init__(text)
        self.journey, self.key, self.changes = journey, key, dict(changes)
        self.old: dict[str, Any] = {}

    def apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def do(self) -> None:
        self.old = self.apply(self.changes)

    def undo(self) -> None:
        self.apply(self.old)


class UpdateStage(_Update):
    def apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.journey.update_stage(self.key, **changes)


class UpdateTouchPoint(_Update):
    def apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.journey.update_touchpoint(self.key, **changes)


class UpdateTransition(_Update):
    def apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.journey.update_transition(*self.key, **changes)


class UpdateObservation(_Update):
    def apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.journey.update_observation(self.key, **changes)


class MoveCards(ModelCommand):
    """Cards dragged to new places: one drag, one command, however many cards."""

    def __init__(
        self,
        journey: JourneyMap,
        moves: dict[str, tuple[tuple[float, float] | None, tuple[float, float]]],
    ) -> None:
        count = len(moves)
        super().__init__("Move card" if count == 1 else f"Move {count} cards")
        self.journey, self.moves = journey, moves

    def do(self) -> None:
        for tp_id, (_, new) in self.moves.items():
            self.journey.update_touchpoint(tp_id, position=new)

    def undo(self) -> None:
        for tp_id, (old, _) in self.moves.items():
            self.journey.update_touchpoint(tp_id, position=old)


class AddTouchPoint(ModelCommand):
    def __init__(self, journey: JourneyMap, tp: TouchPoint) -> None:
        super().__init__(f"Add touch point {tp.name}")
        self.journey, self.tp = journey, tp

    def do(self) -> None:
        self.journey.add_touchpoint(self.tp)

    def undo(self) -> None:
        self.journey.remove_touchpoint(self.tp.id)


class RemoveTouchPoints(ModelCommand):
    """Delete touch points with their transitions and observations, in one step."""

    def __init__(self, journey: JourneyMap, tp_ids: list[str]) -> None:
        text = "Delete touch point" if len(tp_ids) == 1 else f"Delete {len(tp_ids)} touch points"
        super().__init__(text)
        self.journey, self.tp_ids = journey, list(tp_ids)
        self.removed: list[RemovedTouchPoint] = []

    def do(self) -> None:
        self.removed = [self.journey.remove_touchpoint(t) for t in self.tp_ids]

    def undo(self) -> None:
        for removed in reversed(self.removed):
            self.journey.restore_touchpoint(removed)


class AddTransition(ModelCommand):
    def __init__(self, journey: JourneyMap, tr: Transition) -> None:
        super().__init__("Connect touch points")
        self.journey, self.tr = journey, tr

    def do(self) -> None:
        self.journey.add_transition(self.tr)

    def undo(self) -> None:
        self.journey.remove_transition(self.tr.source, self.tr.target)


class RemoveTransition(ModelCommand):
    def __init__(self, journey: JourneyMap, source: str, target: str) -> None:
        super().__init__("Delete transition")
        self.journey, self.key = journey, (source, target)
        self.tr: Transition | None = None
        self.index = 0

    def do(self) -> None:
        self.tr, self.index = self.journey.remove_transition(*self.key)

    def undo(self) -> None:
        assert self.tr is not None
        self.journey.add_transition(self.tr, self.index)


class AddObservation(ModelCommand):
    def __init__(self, journey: JourneyMap, obs: Observation, text: str = "") -> None:
        super().__init__(text or "Add observation")
        self.journey, self.obs = journey, obs

    def do(self) -> None:
        self.journey.add_observation(self.obs)

    def undo(self) -> None:
        self.journey.remove_observation(self.obs.id)


class RemoveObservation(ModelCommand):
    def __init__(self, journey: JourneyMap, obs_id: str) -> None:
        super().__init__("Delete observation")
        self.journey, self.obs_id = journey, obs_id
        self.obs: Observation | None = None
        self.index = 0

    def do(self) -> None:
        self.obs, self.index = self.journey.remove_observation(self.obs_id)

    def undo(self) -> None:
        assert self.obs is not None
        self.journey.add_observation(self.obs, self.index)
