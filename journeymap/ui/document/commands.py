"""Undo commands.  Each one calls model methods and nothing else.

The commands are generic: add, remove, update or move any kind of record,
plus the two compound ones that remove a touch point (or a stage) with what
hangs on it.  The scene and the docks follow the model's change events, so
undoing a command updates every view without the command knowing of them.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtGui import QUndoCommand

from journeymap.model.journey import JourneyMap
from journeymap.model.kinds import KINDS, RemovedTouchPoint


class ModelCommand(QUndoCommand):
    """A command whose first run happens before it is pushed.

    The editor calls :meth:`do` itself, so a :class:`ModelError` from the
    model reaches the caller (and the user) and nothing is pushed; Qt's
    first ``redo()`` on push is then skipped.  Later redos run :meth:`do`.
    """

    def __init__(self, journey: JourneyMap, text: str) -> None:
        super().__init__(text)
        self.journey = journey
        self.applied = False

    def do(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self.applied:
            self.applied = False
            return
        self.do()


class AddRecord(ModelCommand):
    """Add one record of any kind."""

    def __init__(
        self, journey: JourneyMap, kind: str, record: Any, index: int | None = None,
        text: str = "",
    ) -> None:  # fmt: skip
        super().__init__(journey, text or f"Add {KINDS[kind].label}")
        self.kind, self.record, self.index = kind, record, index

    def do(self) -> None:
        # Redo puts the record back where it first went.
        self.index = self.journey.add(self.kind, self.record, self.index)

    def undo(self) -> None:
        self.journey.remove(self.kind, KINDS[self.kind].key(self.record))


class RemoveRecord(ModelCommand):
    """Remove one record of any kind; undo puts it back in its place."""

    def __init__(self, journey: JourneyMap, kind: str, key: Hashable, text: str = "") -> None:
        super().__init__(journey, text or f"Delete {KINDS[kind].label}")
        self.kind, self.key = kind, key
        self.record: Any = None
        self.index = 0

    def do(self) -> None:
        self.record, self.index = self.journey.remove(self.kind, self.key)

    def undo(self) -> None:
        self.journey.add(self.kind, self.record, self.index)


class UpdateRecords(ModelCommand):
    """Change fields of one or more records of a kind: one step (one drag, one edit)."""

    def __init__(
        self, journey: JourneyMap, kind: str, changes: dict[Hashable, dict[str, Any]],
        text: str = "",
    ) -> None:  # fmt: skip
        super().__init__(journey, text or f"Edit {KINDS[kind].label}")
        self.kind, self.changes = kind, {k: dict(v) for k, v in changes.items()}
        self.old: dict[Hashable, dict[str, Any]] = {}

    def do(self) -> None:
        self.old = {}
        try:
            for key, changes in self.changes.items():
                self.old[key] = self.journey.update(self.kind, key, **changes)
        except Exception:
            self.undo()  # all or nothing
            raise

    def undo(self) -> None:
        for key, old in reversed(self.old.items()):
            self.journey.update(self.kind, key, **old)


class MoveRecord(ModelCommand):
    """Move a record within its kind's order (a stage to the left, say)."""

    def __init__(
        self, journey: JourneyMap, kind: str, key: Hashable, index: int, text: str = ""
    ) -> None:
        super().__init__(journey, text or f"Move {KINDS[kind].label}")
        self.kind, self.key, self.index, self.old = kind, key, index, index

    def do(self) -> None:
        self.old = self.journey.move(self.kind, self.key, self.index)

    def undo(self) -> None:
        self.journey.move(self.kind, self.key, self.old)


class RemoveTouchPoints(ModelCommand):
    """Delete touch points with their transitions and observations, in one step."""

    def __init__(self, journey: JourneyMap, tp_ids: list[str]) -> None:
        text = "Delete touch point" if len(tp_ids) == 1 else f"Delete {len(tp_ids)} touch points"
        super().__init__(journey, text)
        self.tp_ids = list(tp_ids)
        self.removed: list[RemovedTouchPoint] = []

    def do(self) -> None:
        self.removed = [self.journey.remove_touchpoint(t) for t in self.tp_ids]

    def undo(self) -> None:
        for removed in reversed(self.removed):
            self.journey.restore_touchpoint(removed)


class RemoveStage(ModelCommand):
    """Remove a stage; its touch points (with their links and observations) go too."""

    def __init__(self, journey: JourneyMap, stage_id: str) -> None:
        super().__init__(journey, f"Delete stage {journey.stage(stage_id).name}")
        self.stage_id = stage_id
        self.removed: list[RemovedTouchPoint] = []
        self.stage: Any = None
        self.index = 0

    def do(self) -> None:
        self.removed = [
            self.journey.remove_touchpoint(tp.id)
            for tp in reversed(self.journey.touchpoints_in_stage(self.stage_id))
        ]
        self.stage, self.index = self.journey.remove("stage", self.stage_id)

    def undo(self) -> None:
        self.journey.add("stage", self.stage, self.index)
        for removed in reversed(self.removed):
            self.journey.restore_touchpoint(removed)


class Batch(ModelCommand):
    """Several commands as one step (one dialog's OK), all or nothing.

    Unlike a QUndoStack macro, a failing part undoes the parts before it and
    nothing is pushed, so a refused edit leaves no half-step in the history.
    """

    def __init__(self, journey: JourneyMap, text: str, parts: list[ModelCommand]) -> None:
        super().__init__(journey, text)
        self.parts = list(parts)

    def do(self) -> None:
        done: list[ModelCommand] = []
        try:
            for part in self.parts:
                part.do()
                done.append(part)
        except Exception:
            for part in reversed(done):
                part.undo()
            raise

    def undo(self) -> None:
        for part in reversed(self.parts):
            part.undo()
