"""The editor: owns the map, the undo stack and the scene of one document."""

from __future__ import annotations

from collections.abc import Hashable
from copy import deepcopy
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from journeymap.canvas.items import CARD_H, ROW_GAP
from journeymap.fileio.jsonformat import save_map
from journeymap.fileio.photos import copy_photos, relative_photo_path, resolve_photo
from journeymap.model.entities import Observation, Persona, Scale, Stage, TouchPoint, Transition
from journeymap.model.journey import JourneyMap
from journeymap.model.kinds import MAP, MAP_FIELDS
from journeymap.model.validation import ModelError
from journeymap.ui.document import commands as cmd
from journeymap.ui.interactions import EditableMapScene

#: How far below its original a placed card's copy lands: one row of cards.
COPY_OFFSET = CARD_H + ROW_GAP


def copy_record(record: Any, **changes: Any) -> Any:
    """A deep copy (lists and extra keys are not shared) with some fields changed."""
    copy = deepcopy(record)
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


class MapEditor(QObject):
    """One open document: the model, its scene and its undo stack.

    Every edit goes through a method here, which runs one undo command; the
    command calls the model, and the scene and docks follow the model's
    change events.  Invalid edits raise :class:`ModelError` and push nothing.
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
        #: The foreign file (a Mermaid journey) this map was imported from, if any.
        self.source: Path | None = None
        #: Photos attached but not yet copied beside the map: relative path -> source.
        self.pending_photos: dict[str, Path] = {}
        self.scene = EditableMapScene(self._journey, self)
        self.scene.cards_dropped.connect(self.move_cards)

    # ------------------------------------------------------------ document

    @property
    def journey(self) -> JourneyMap:
        return self._journey

    @property
    def path(self) -> Path | None:
        return self._path

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def replace(
        self,
        journey: JourneyMap,
        path: Path | None,
        *,
        modified: bool = False,
        source: Path | None = None,
    ) -> None:
        """Show another map; the undo history starts afresh.

        ``source`` is the foreign file an unsaved map was imported from.
        """
        self.undo_stack.clear()
        self._journey = journey
        self.source = source
        self.pending_photos = {}
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
        """Save atomically; on failure (MapSaveError) the document stays modified.

        The photos go first: attached ones into the map's photo folder, and on
        Save As into another folder every photo along with the map."""
        copy_photos(self._journey, self._path, path, self.pending_photos)
        save_map(self._journey, path)
        self.pending_photos = {}
        self.set_path(path)
        self.undo_stack.setClean()

    def _run(self, command: cmd.ModelCommand) -> cmd.ModelCommand:
        command.do()  # raises ModelError before anything is pushed
        command.applied = True
        self.undo_stack.push(command)
        return command

    # ----------------------------------------------- any kind of record

    def add(self, kind: str, record: Any, index: int | None = None, text: str = "") -> None:
        self._run(cmd.AddRecord(self._journey, kind, record, index, text))

    def remove(self, kind: str, key: Hashable, text: str = "") -> None:
        self._run(cmd.RemoveRecord(self._journey, kind, key, text))

    def update(self, kind: str, key: Hashable, changes: dict[str, Any], text: str = "") -> None:
        """Change fields of one record as one undo step; nothing when nothing changes.

        ``kind`` "map" (any key) changes the map's title, description or scale.
        """
        if kind == MAP:
            journey = self._journey
            # Unknown fields stay, for the model to refuse with its message.
            changes = {
                k: v for k, v in changes.items() if k not in MAP_FIELDS or getattr(journey, k) != v
            }
            if changes:
                self._run(cmd.UpdateRecords(journey, MAP, {None: changes}, text or "Edit map"))
            return
        records = self._journey.collection(kind)
        if key not in records:
            raise ModelError(f"no {records.spec.label} {key!r}")
        record = records.get(key)
        # Unknown fields stay, for the model to refuse with its message.
        changes = {
            k: v for k, v in changes.items() if not hasattr(record, k) or getattr(record, k) != v
        }
        if changes:
            self._run(cmd.UpdateRecords(self._journey, kind, {key: changes}, text))

    def move(self, kind: str, key: Hashable, index: int, text: str = "") -> None:
        self._run(cmd.MoveRecord(self._journey, kind, key, index, text))

    # --------------------------------------------- the edits the window names

    def add_stage(self, name: str, index: int | None = None) -> Stage:
        stage = Stage(self._journey.new_id("s-"), name)
        self.add("stage", stage, index, f"Add stage {name}")
        return stage

    def update_stage(self, stage_id: str, **changes: Any) -> None:
        text = "Rename stage" if set(changes) == {"name"} else "Edit stage"
        self.update("stage", stage_id, changes, text)

    def move_stage(self, stage_id: str, index: int) -> None:
        self.move("stage", stage_id, index, f"Move stage {self._journey.stage(stage_id).name}")

    def remove_stage(self, stage_id: str) -> None:
        self._run(cmd.RemoveStage(self._journey, stage_id))

    def add_touchpoint(self, stage_id: str, name: str, channel: str = "in-person") -> TouchPoint:
        tp = TouchPoint(self._journey.new_id("t-"), name, stage_id, channel)
        self.add("touchpoint", tp, None, f"Add touch point {name}")
        return tp

    def update_touchpoint(self, tp_id: str, **changes: Any) -> None:
        tp = self._journey.touchpoint(tp_id)
        if changes.get("stage", tp.stage) != tp.stage and "position" not in changes:
            # A placed card would stay in its old column: lay it out in the new one.
            changes["position"] = None
        text = "Rename touch point" if set(changes) == {"name"} else "Edit touch point"
        self.update("touchpoint", tp_id, changes, text)

    def move_cards(self, moves: dict[str, dict[str, Any]]) -> None:
        """One drag of one or more cards (new position, maybe a new stage): one undo step."""
        journey = self._journey
        real = {}
        for tp_id, changes in moves.items():
            tp = journey.touchpoint(tp_id)
            changed = {k: v for k, v in changes.items() if getattr(tp, k) != v}
            if changed:
                real[tp_id] = changed
        if not real:
            return
        stages = {c["stage"] for c in real.values() if "stage" in c}
        count = "card" if len(real) == 1 else f"{len(real)} cards"
        text = f"Move {count}"
        if len(stages) == 1:
            text += f" to {journey.stage(next(iter(stages))).name}"
        self._run(cmd.UpdateRecords(journey, "touchpoint", real, text))

    def duplicate_touchpoints(self, tp_ids: list[str]) -> list[str]:
        """Copy cards (not their observations or links) into their stage, each just
        below its original, as one undo step; returns the copies' ids."""
        journey = self._journey
        originals = sorted(
            (journey.touchpoint(t) for t in dict.fromkeys(tp_ids)),
            key=lambda tp: journey.touchpoint_index(tp.id),
        )
        if not originals:
            return []
        parts: list[cmd.ModelCommand] = []
        copies: list[str] = []
        # From the last original back, so each index is still the original's + 1.
        for tp in reversed(originals):
            copy = copy_record(tp, id=journey.new_id("t-"), name=f"{tp.name} (copy)")
            if tp.position is not None:
                copy.position = (tp.position[0], tp.position[1] + COPY_OFFSET)
            index = journey.touchpoint_index(tp.id) + 1
            parts.append(cmd.AddRecord(journey, "touchpoint", copy, index))
            copies.insert(0, copy.id)
        count = "card" if len(copies) == 1 else f"{len(copies)} cards"
        self._run(cmd.Batch(journey, f"Duplicate {count}", parts))
        return copies

    def edit_properties(
        self,
        *,
        title: str,
        description: str,
        scale: Scale,
        personas: list[tuple[str | None, str, str]],
    ) -> bool:
        """The map's properties as one undo step; False when nothing changed.

        ``personas`` is the whole new list as (id or None for a new one, name,
        goal).  A persona left out is removed, and the observations that named
        it lose their persona in the same step (undo gives it back to them).
        """
        journey = self._journey
        parts: list[cmd.ModelCommand] = []
        kept = {pid for pid, _, _ in personas if pid is not None}
        for persona in journey.personas:
            if persona.id in kept:
                continue
            users = {o.id: {"persona": None} for o in journey.observations
                     if o.persona == persona.id}  # fmt: skip
            if users:
                parts.append(cmd.UpdateRecords(journey, "observation", users))
            parts.append(cmd.RemoveRecord(journey, "persona", persona.id))
        renamed: dict[Hashable, dict[str, Any]] = {}
        for pid, name, goal in personas:
            if pid is None:
                continue
            old = journey.persona(pid)
            changes = {k: v for k, v in (("name", name), ("goal", goal)) if getattr(old, k) != v}
            if changes:
                renamed[pid] = changes
        if renamed:
            parts.append(cmd.UpdateRecords(journey, "persona", renamed))
        new_ids: set[str] = set()
        for pid, name, goal in personas:
            if pid is None:
                new_id = journey.new_id("p-")
                while new_id in new_ids:
                    new_id = journey.new_id("p-")
                new_ids.add(new_id)
                parts.append(cmd.AddRecord(journey, "persona", Persona(new_id, name, goal)))
        wanted = {"title": title, "description": description, "scale": scale}
        changes = {k: v for k, v in wanted.items() if getattr(journey, k) != v}
        if changes:
            parts.append(cmd.UpdateRecords(journey, MAP, {None: changes}, "Edit map"))
        if not parts:
            return False
        self._run(cmd.Batch(journey, "Edit map properties", parts))
        return True

    def remove_touchpoints(self, tp_ids: list[str]) -> None:
        if tp_ids:
            self._run(cmd.RemoveTouchPoints(self._journey, tp_ids))

    def connect(self, source: str, target: str, kind: str = "main", label: str = "") -> None:
        if self._journey.has_transition(source, target):
            raise ModelError("these touch points are already connected that way")
        tr = Transition(source, target, label, kind)
        self.add("transition", tr, None, "Connect touch points")

    def update_transition(self, source: str, target: str, **changes: Any) -> None:
        self.update("transition", (source, target), changes, "Edit transition")

    def remove_transition(self, source: str, target: str) -> None:
        self.remove("transition", (source, target), "Delete transition")

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

    def add_observation(self, touchpoint: str, method: str, **fields: Any) -> Observation:
        obs = Observation(self._journey.new_id("o"), touchpoint, method, **fields)
        name = (
            self._journey.touchpoint(touchpoint).name
            if self._journey.has_touchpoint(touchpoint)
            else touchpoint
        )
        self.add("observation", obs, None, f"Add observation at {name}")
        return obs

    def photo_file(self, photo: str) -> Path | None:
        """Where a photo of the map is on disk now (None: nowhere it could be)."""
        return resolve_photo(photo, self._path, self.pending_photos)

    def stage_photos(self, files: list[Path]) -> list[str]:
        """The model's paths for photo files, copied beside the map at the next
        save; the map must have a file (its photo folder is named after it)."""
        if self._path is None:
            raise ModelError("save the map first: its photos are kept in a folder beside it")
        taken = {p for o in self._journey.observations for p in o.photos} | set(self.pending_photos)
        photos: list[str] = []
        for file in files:
            photo = relative_photo_path(file, self._path, taken)
            taken.add(photo)
            if photo not in photos:
                photos.append(photo)
            source, place = Path(file).resolve(), resolve_photo(photo, self._path)
            if place is None or place.resolve() != source:
                self.pending_photos[photo] = source
        return photos

    def attach_photos(self, obs_id: str, files: list[Path]) -> list[str]:
        """Add photo files to an observation as one undo step; returns the new paths."""
        obs = self._journey.observation(obs_id)
        added = [p for p in self.stage_photos(files) if p not in obs.photos]
        if added:
            count = "a photo" if len(added) == 1 else f"{len(added)} photos"
            self.update("observation", obs_id, {"photos": [*obs.photos, *added]},
                        f"Attach {count}")  # fmt: skip
        return added

    def update_observation(self, obs_id: str, **changes: Any) -> None:
        self.update("observation", obs_id, changes, "Edit observation")

    def remove_observations(self, obs_ids: list[str]) -> None:
        if not obs_ids:
            return
        self.undo_stack.beginMacro(
            "Delete observation" if len(obs_ids) == 1 else f"Delete {len(obs_ids)} observations"
        )
        try:
            for obs_id in obs_ids:
                self.remove("observation", obs_id)
        finally:
            self.undo_stack.endMacro()

    def import_observations(self, observations: list[Observation], source: str) -> None:
        """Add imported observations as one undo step."""
        self.undo_stack.beginMacro(f"Import {len(observations)} observations from {source}")
        try:
            for obs in observations:
                self.add("observation", obs)
        finally:
            self.undo_stack.endMacro()
