"""Map ▸ and Edit ▸ commands of the window that edit or search the map.

Each one asks what it needs (through :mod:`journeymap.ui.dialogs`) and hands
the edit to the editor, which makes it one undo step.
"""

from __future__ import annotations

from journeymap import __version__
from journeymap.model.validation import ModelError
from journeymap.ui import dialogs


class EditingMixin:
    """For :class:`MainWindow`: the commands behind the Map and Edit menus."""

    def _report(self, exc: Exception) -> None:
        dialogs.show_error(self, "Cannot do that", str(exc))

    def delete_selection(self) -> None:
        scene = self.editor.scene
        self.editor.delete(scene.selected_touchpoints(), scene.selected_transitions())

    def select_all(self) -> None:
        for card in self.editor.scene.cards.values():
            card.setSelected(True)

    def find_touchpoint(self) -> None:
        names = sorted({tp.name for tp in self.editor.journey.touchpoints})
        name = dialogs.ask_choice(self, "Find touch point", "Touch point:", names, editable=True)
        if name is None:
            return
        matches = [tp for tp in self.editor.journey.touchpoints if name.lower() in tp.name.lower()]
        if matches:
            self.view.center_on_touchpoint(matches[0].id)
        else:
            self.statusBar().showMessage(f"No touch point matches {name!r}", 5000)

    def current_stage(self) -> str | None:
        selected = self.editor.scene.selected_touchpoints()
        if selected:
            return self.editor.journey.touchpoint(selected[0]).stage
        stages = self.editor.journey.stages
        if not stages:
            return None
        names = [s.name for s in stages]
        choice = dialogs.ask_choice(self, "Stage", "Stage:", names)
        return None if choice is None else stages[names.index(choice)].id

    def add_stage(self) -> None:
        name = dialogs.ask_text(self, "Add stage", "Stage name:")
        if name:
            self.editor.add_stage(name)

    def rename_stage(self) -> None:
        stage_id = self.current_stage()
        if stage_id is None:
            return
        stage = self.editor.journey.stage(stage_id)
        name = dialogs.ask_text(self, "Rename stage", "Stage name:", stage.name)
        if name and name != stage.name:
            self.editor.update_stage(stage_id, name=name)

    def delete_stage(self) -> None:
        stage_id = self.current_stage()
        if stage_id is not None:
            self.editor.remove_stage(stage_id)

    def move_stage(self, step: int) -> None:
        stage_id = self.current_stage()
        if stage_id is None:
            return
        index = self.editor.journey.stage_index(stage_id) + step
        if 0 <= index < len(self.editor.journey.stages):
            self.editor.move_stage(stage_id, index)

    def add_touchpoint(self) -> None:
        if not self.editor.journey.stages:
            self._report(ModelError("add a stage first"))
            return
        stage_id = self.current_stage()
        if stage_id is None:
            return
        name = dialogs.ask_text(self, "Add touch point", "Touch point name:")
        if name:
            tp = self.editor.add_touchpoint(stage_id, name)
            self.editor.scene.select_touchpoint(tp.id)

    def connect_selected(self) -> None:
        order = self.view_state.selection
        if len(order) != 2:
            self.statusBar().showMessage(
                "Select two cards: first the source, then the target", 5000
            )
            return
        try:
            self.editor.connect(order[0], order[1])
        except ModelError as exc:
            self._report(exc)

    def focus_capture(self) -> None:
        self.docks["observations"].show()
        self.docks["observations"].raise_()
        self.observations.capture.touchpoint.setFocus()

    def help(self) -> None:
        dialogs.about(
            self,
            "<h3>Reading the map</h3><p>Stages are columns; cards are touch points. A card's "
            "colour is its gap, mean expectation minus mean reality: red where reality fell "
            "short, blue where it delighted. A thick black outline marks a wide gap; a star marks "
            "a moment of truth.</p><p>The bar above the map chooses which observations count "
            "(method, persona, observer, dates): every card, table, chart and export then counts "
            "those only, and a yellow banner over the map says so. Show all counts every "
            "observation again.</p><p>Drag cards to place them; drop a card in another column "
            "to move it to that stage. Select two cards and press Ctrl+L to connect them. "
            "Ctrl+K types observations from the keyboard.</p>",
        )

    def about(self) -> None:
        dialogs.about(
            self,
            f"<h3>journeymap {__version__}</h3><p>Customer-journey maps for service safaris "
            "and shadowing.</p>",
        )
