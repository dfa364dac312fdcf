"""The editor: owns the map, the undo stack and the scene of one document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from journeymap.fileio.jsonformat import save_map
from journeymap.model.entities import Observation, Stage, TouchPoint, Transition
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import ModelError
from journeymap.ui.canvas.scene import MapScene
from journeymap.ui.document import commands as cmd


class MapEditor(QObject):
    """One open document: the model, its scene and its undo stack.

    Every edit goes through a method here, which runs one undo command; the
    command calls the model, and the scene and docks follow the model's
    signals.  Invalid edits raise :class:`ModelError` and push nothing.
    """

    #: A different map was loaded (New, Open, recovery): views must rebind.
    journey_replaced = Signal()
    #: The file path changed (Save As, Open).
    path_changed = Signal(object)

    def __init__(self, journey: JourneyMap | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._journey = journey if journey is not None else JourneyMap()
        self._path: Path | None = None
        self.scene = MapScene(self._journey, self)
        self.scene.cards_dragged.connect(self.move_cards)

    # ------------------------------------------------------------ document

    @property
    def journey(self) -> JourneyMap:
        return self._journey

    @property
    def path(self) -> Path | None:
        return self._path

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def replace(self, journey: JourneyMap, path: Path | None, *, modified: bool = False) -> None:
        """Show another map; the undo history starts afresh."""
        self.undo_stack.clear()
        self._journey = journey
        self.scene.set_journey(journey)
        self.set_path(path)
        if modified:
            # A recovered document differs from its file: make it dirty.
            self.undo_stack.resetClean()
        self.journey_replaced.emit()

    def set_path(self, path: Path | None) -> None:
        self._path = path
        self.path_changed.emit(path)

    def save(self, path: Path) -> None:
        """Save atomically; on failure (MapSaveError) the document stays modified."""
        save_map(self._journey, path)
        self.set_path(path)
        self.undo_stack.setClean()

    def _run(self, command: cmd.ModelCommand) -> cmd.ModelCommand:
        command.do()  # raises ModelError before anything is pushed
        command.applied = True
        self.undo_stack.push(command)
        return command

    # --------------------------------------------------------------- stages

    def add_stage(self, name: str, index: int | None = None) -> Stage:
        stage = Stage(self._journey.new_id("s-"), name)
        self._run(cmd.AddStage(self._journey, stage, index))
        return stage

    def update_stage(self, stage_id: str, **changes: Any) -> None:
        if changes:
            text = "Rename stage" if set(changes) == {"name"} else "Edit stage"
            self._run(cmd.UpdateStage(self._journey, stage_id, changes, text))

    def move_stage(self, stage_id: str, index: int) -> None:
        self._run(cmd.MoveStage(self._journey, stage_id, index))

    def remove_stage(self, stage_id: str) -> None:
        self._run(cmd.RemoveStage(self._journey, stage_id))

    # ---------------------------------------------------------- touch points

    def add_touchpoint(self, stage_id: str, name: str, channel: str = "in-person") -> TouchPoint:
        tp = TouchPoint(self._journey.new_id("t-"), name, stage_id, channel)
        self._run(cmd.AddTouchPoint(self._journey, tp))
        return tp

    def update_touchpoint(self, tp_id: str, **changes: Any) -> None:
        if changes:
            text = "Rename touch point" if set(changes) == {"name"} else "Edit touch point"
            self._run(cmd.UpdateTouchPoint(self._journey, tp_id, changes, text))

    def move_cards(self, moves: dict) -> None:
        """One drag of one or more cards: one undo step."""
        real = {k: (old, new) for k, (old, new) in moves.items() if old != new}
        if real:
            self._run(cmd.MoveCards(self._journey, real))

    def remove_touchpoints(self, tp_ids: list[str]) -> None:
        if tp_ids:
            self._run(cmd.RemoveTouchPoints(self._journey, tp_ids))

    # ----------------------------------------------------------- transitions

    def connect(self, source: str, target: str, kind: str = "main", label: str = "") -> None:
        if self._journey.has_transition(source, target):
            raise ModelError("these touch points are already connected that way")
        self._run(cmd.AddTransition(self._journey, Transition(source, target, label, kind)))

    def update_transition(self, source: str, target: str, **changes: Any) -> None:
        if changes:
            text = "Edit transition"
            self._run(cmd.UpdateTransition(self._journey, (source, target), changes, text))

    def remove_transition(self, source: str, target: str) -> None:
        self._run(cmd.RemoveTransition(self._journey, source, target))

    def delete(self, tp_ids: list[str], transitions: list[tuple[str, str]]) -> None:
        """Delete a selection in one undo step; undo restores links and observations."""
        transitions = [t for t in transitions if t[0] not in tp_ids and t[1] not in tp_ids]
        if not tp_ids and not transitions:
            return
        self.undo_stack.beginMacro("Delete selection")
        try:
            for source, target in transitions:
                self.remove_transition(source, target)
            self.remove_touchpoints(tp_ids)
        finally:
            self.undo_stack.endMacro()

    # ---------------------------------------------------------- observations

    def add_observation(self, touchpoint: str, method: str, **fields: Any) -> Observation:
        obs = Observation(self._journey.new_id("o"), touchpoint, method, **fields)
        name = (
            self._journey.touchpoint(touchpoint).name
            if self._journey.has_touchpoint(touchpoint)
            else touchpoint
        )
        self._run(cmd.AddObservation(self._journey, obs, f"Add observation at {name}"))
        return obs

    def update_observation(self, obs_id: str, **changes: Any) -> None:
        if changes:
            self._run(cmd.UpdateObservation(self._journey, obs_id, changes, "Edit observation"))

    def remove_observations(self, obs_ids: list[str]) -> None:
        if not obs_ids:
            return
        self.undo_stack.beginMacro(
            "Delete observation" if len(obs_ids) == 1 else f"Delete {len(obs_ids)} observations"
        )
        try:
            for obs_id in obs_ids:
                self._run(cmd.RemoveObservation(self._journey, obs_id))
        finally:
            self.undo_stack.endMacro()

    def import_observations(self, observations: list[Observation], source: str) -> None:
        """Add imported observations as one undo step."""
        self.undo_stack.beginMacro(f"Import {len(observations)} observations from {source}")
        try:
            for obs in observations:
                self._run(cmd.AddObservation(self._journey, obs))
        finally:
            self.undo_stack.endMacro()
