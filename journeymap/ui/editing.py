"""Map ▸ and Edit ▸ commands of the window that edit or search the map.

Each one asks what it needs (through :mod:`journeymap.ui.dialogs`) and hands
the edit to the editor, which makes it one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from journeymap import __version__
from journeymap.model.validation import ModelError
from journeymap.ui import dialogs
from journeymap.ui.inplace import InPlaceEditor
from journeymap.ui.propertiesdialog import PropertiesDialog


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
        """The selected stage header's stage, else the selected card's, else ask."""
        scene = self.editor.scene
        headers = scene.selected_stages()
        if headers:
            return headers[0]
        selected = scene.selected_touchpoints()
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
        """Rename the selected stage (or the chosen one) in place, on its header."""
        stage_id = self.current_stage()
        if stage_id is not None:
            self.view.setFocus()
            self.inplace.rename_stage(stage_id)

    # ------------------------------------------------- editing on the map

    def setup_direct_editing(self) -> None:
        """In-place renaming, and the scene's double-click and Enter, for this window."""
        self.inplace = InPlaceEditor(self.view, self.editor)
        self.inplace.failed.connect(lambda message: self._report(ModelError(message)))
        scene = self.editor.scene
        scene.rename_requested.connect(self.inplace.rename)
        scene.card_activated.connect(self.focus_inspector_name)
        # The map is what a debrief works on: its keys (arrows, F2) work from the start.
        self.view.setFocus()

    def rename_selected(self) -> None:
        """F2: the selected card's name, or else the selected stage header's, in place."""
        if self.inplace.is_open():
            return
        scene = self.editor.scene
        cards, stages = scene.selected_touchpoints(), scene.selected_stages()
        if len(cards) == 1:
            self.inplace.rename_card(cards[0])
        elif not cards and len(stages) == 1:
            self.inplace.rename_stage(stages[0])
        else:
            self.statusBar().showMessage("Select one card or one stage header to rename", 5000)

    def duplicate_selection(self) -> None:
        """Ctrl+D: copies of the selected cards just below them, selected."""
        scene = self.editor.scene
        copies = self.editor.duplicate_touchpoints(scene.selected_touchpoints())
        if copies:
            scene.clearSelection()
            for tp_id in copies:
                scene.cards[tp_id].setSelected(True)

    def focus_inspector_name(self, tp_id: str) -> None:
        """Enter on a card: its name in the Inspector, selected, ready to type over."""
        self.editor.scene.select_touchpoint(tp_id)
        dock = self.docks["inspector"]
        dock.show()
        dock.raise_()
        self.inspector.name.setFocus()
        self.inspector.name.selectAll()

    def edit_properties(self) -> None:
        """Map ▸ Properties; OK is one undo step."""
        self.properties_dialog = PropertiesDialog(self.editor, self)
        self.properties_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.properties_dialog.open()

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
            "Ctrl+K types observations from the keyboard.</p><p>On the map, the arrow keys move "
            "between cards, Enter edits the card in the Inspector, F2 or a double-click renames "
            "a card or a stage header where it is (Enter keeps the name, Esc drops it), Ctrl+D "
            "duplicates the selected cards. Map ▸ Properties sets the title, the scale and "
            "the personas.</p>",
        )

    def about(self) -> None:
        dialogs.about(
            self,
            f"<h3>journeymap {__version__}</h3><p>Customer-journey maps for service safaris "
            "and shadowing.</p>",
        )
