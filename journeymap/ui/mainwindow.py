"""The main window: canvas in the middle, Inspector, Observations and Gaps docks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QUndoView, QWidget

from journeymap import __version__
from journeymap.fileio.atomic import write_bytes_atomic
from journeymap.fileio.errors import JourneyFileError
from journeymap.fileio.jsonformat import load_map
from journeymap.interop.graphml import graphml_bytes
from journeymap.interop.mermaid import load_mermaid, map_to_mermaid
from journeymap.interop.tables import observations_to_csv, read_table
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import ModelError
from journeymap.render.mapimage import PICTURE_SUFFIXES, export_map
from journeymap.render.report import write_report
from journeymap.resources import blank_template
from journeymap.ui import dialogs, shortcuts
from journeymap.ui.canvas.view import MapView
from journeymap.ui.docks.charts import ChartsDock
from journeymap.ui.docks.gaps import GapsDock
from journeymap.ui.docks.inspector import InspectorDock
from journeymap.ui.docks.observations import ObservationsDock
from journeymap.ui.document.editor import MapEditor
from journeymap.ui.recovery import Autosaver

MAX_RECENT = 8
DEFAULT_AUTOSAVE_SECONDS = 60


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.editor = MapEditor(load_map(blank_template()), self)
        self.autosaver = Autosaver()
        self._selection_order: list[str] = []

        self.view = MapView(self.editor.scene)
        self.setCentralWidget(self.view)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        # The right-hand docks (Gaps, Inspector) run the full height of the window.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.inspector = InspectorDock(self.editor)
        self.observations = ObservationsDock(self.editor)
        self.gaps = GapsDock(self.editor.journey)
        self.charts = ChartsDock(self.editor.journey)
        self.undo_view = QUndoView(self.editor.undo_stack)
        self.undo_view.setEmptyLabel("<opened>")
        self.docks = {}
        for name, title, widget, area in (
            ("inspector", "Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea),
            ("gaps", "Gaps", self.gaps, Qt.DockWidgetArea.RightDockWidgetArea),
            (
                "observations",
                "Observations",
                self.observations,
                Qt.DockWidgetArea.BottomDockWidgetArea,
            ),
            ("charts", "Charts", self.charts, Qt.DockWidgetArea.RightDockWidgetArea),
            ("history", "Undo history", self.undo_view, Qt.DockWidgetArea.LeftDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{name}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        self.docks["history"].hide()
        # Shown from View > Charts; drawing it costs nothing while hidden.
        self.docks["charts"].hide()
        self.tabifyDockWidget(self.docks["inspector"], self.docks["gaps"])
        self.docks["gaps"].raise_()

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self.zoom_label = QLabel()
        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.zoom_label)

        self.editor.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        self.editor.path_changed.connect(self._update_title)
        self.editor.journey_replaced.connect(self._journey_replaced)
        self.editor.scene.selectionChanged.connect(self._selection_changed)
        self.editor.journey.changed.connect(self._update_counts)
        self.gaps.touchpoint_activated.connect(self.view.center_on_touchpoint)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z:.0%}"))

        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave)
        self.set_autosave_interval(
            int(self.settings.value("autosave/seconds", DEFAULT_AUTOSAVE_SECONDS))
        )
        self._restore_layout()
        self._update_title(None)
        self._update_counts()

    # --------------------------------------------------------------- actions

    def _action(
        self, text: str, slot, shortcut: shortcuts.Shortcut | None = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcuts.sequences(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.new_action = a("&New", self.new_map, shortcuts.NEW, "Start a new journey map")
        self.open_action = a("&Open…", self.open_dialog, shortcuts.OPEN)
        self.save_action = a("&Save", self.save, shortcuts.SAVE)
        self.save_as_action = a("Save &As…", self.save_as, shortcuts.SAVE_AS)
        self.quit_action = a("&Quit", self.close, shortcuts.QUIT)
        self.import_table_action = a(
            "&Observations from CSV or XLSX\u2026", lambda: self.import_observations()
        )
        self.import_mermaid_action = a("&Mermaid Journey\u2026", lambda: self.import_mermaid())
        self.export_actions = [
            a(f"&{label}\u2026", lambda _=False, x=suffix: self.export_dialog(x))
            for suffix, label in (
                (".png", "Map as PNG"),
                (".svg", "Map as SVG"),
                (".pdf", "Map as PDF"),
                (".mmd", "Mermaid Journey"),
                (".csv", "Observations as CSV"),
                (".graphml", "Graph as GraphML"),
            )
        ]
        self.report_actions = [
            a(f"Debrief Report as &{label}\u2026", lambda _=False, x=suffix: self.report_dialog(x))
            for suffix, label in ((".html", "Web Page"), (".pdf", "PDF"))
        ]
        self.undo_action = self.editor.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(shortcuts.sequences(shortcuts.UNDO))
        self.redo_action = self.editor.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(shortcuts.sequences(shortcuts.REDO))
        self.delete_action = a("&Delete", self.delete_selection, shortcuts.DELETE)
        self.select_all_action = a("Select &All", self.select_all, shortcuts.SELECT_ALL)
        self.find_action = a("&Find Touch Point…", self.find_touchpoint, shortcuts.FIND)
        self.zoom_in_action = a("Zoom &In", self.view.zoom_in, shortcuts.ZOOM_IN)
        self.zoom_out_action = a("Zoom &Out", self.view.zoom_out, shortcuts.ZOOM_OUT)
        self.fit_action = a("&Fit to Window", self.view.fit, shortcuts.ZOOM_FIT)
        self.actual_action = a("&Actual Size (100%)", self.view.actual_size, shortcuts.ZOOM_ACTUAL)
        self.add_stage_action = a("Add &Stage…", self.add_stage, shortcuts.ADD_STAGE)
        self.rename_stage_action = a("&Rename Stage…", self.rename_stage)
        self.delete_stage_action = a("D&elete Stage…", self.delete_stage)
        self.stage_left_action = a("Move Stage &Left", lambda: self.move_stage(-1))
        self.stage_right_action = a("Move Stage Ri&ght", lambda: self.move_stage(1))
        self.add_tp_action = a("Add &Touch Point…", self.add_touchpoint, shortcuts.ADD_TOUCHPOINT)
        self.connect_action = a(
            "&Connect Selected", self.connect_selected, shortcuts.CONNECT,
            "Connect the first selected card to the second",
        )  # fmt: skip
        self.capture_action = a("&Quick Capture", self.focus_capture, shortcuts.QUICK_CAPTURE)
        self.about_action = a("&About journeymap", self.about)
        self.help_action = a("Reading the &Map", self.help, shortcuts.HELP)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = QMenu("Open &Recent", self)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        import_menu = file_menu.addMenu("&Import")
        import_menu.addActions([self.import_table_action, self.import_mermaid_action])
        export_menu = file_menu.addMenu("&Export")
        export_menu.addActions(self.export_actions)
        export_menu.addSeparator()
        export_menu.addActions(self.report_actions)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.delete_action, self.select_all_action, self.find_action])
        view = bar.addMenu("&View")
        view.addActions(
            [self.zoom_in_action, self.zoom_out_action, self.fit_action, self.actual_action]
        )
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        map_menu = bar.addMenu("&Map")
        map_menu.addActions(
            [
                self.add_stage_action,
                self.rename_stage_action,
                self.stage_left_action,
                self.stage_right_action,
                self.delete_stage_action,
            ]
        )
        map_menu.addSeparator()
        map_menu.addActions([self.add_tp_action, self.connect_action, self.capture_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.help_action, self.about_action])
        self._refresh_recent_menu()

    def _make_toolbar(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("toolbar-main")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.new_action, self.open_action, self.save_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.add_tp_action, self.connect_action, self.fit_action])

    # ----------------------------------------------------------- documents

    def document_name(self) -> str:
        return self.editor.path.name if self.editor.path else "Untitled"

    def _update_title(self, path: Path | None) -> None:
        self.setWindowTitle(f"{self.document_name()}[*] \u2014 journeymap")
        self.setWindowModified(self.editor.is_modified())

    def _update_counts(self, *args: object) -> None:
        s = self.editor.journey.summary()
        self.counts_label.setText(
            f"{s.stages} stages \u00b7 {s.touchpoints} touch points \u00b7 "
            f"{s.observations} observations"
        )

    def _journey_replaced(self) -> None:
        journey = self.editor.journey
        journey.changed.connect(self._update_counts)
        self.inspector.bind()
        self.observations.set_journey(journey)
        self.gaps.set_journey(journey)
        self.charts.set_journey(journey)
        self._update_counts()
        self.setWindowModified(self.editor.is_modified())
        QTimer.singleShot(0, self.view.fit)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document."""
        if not self.editor.is_modified():
            return True
        answer = dialogs.ask_save_changes(self, self.document_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_map(self) -> bool:
        if not self.maybe_save():
            return False
        self.autosaver.discard()
        self.editor.replace(load_map(blank_template()), None)
        self.autosaver.bind(None)
        return True

    def open_dialog(self) -> None:
        folder = str(self.editor.path.parent) if self.editor.path else ""
        path = dialogs.open_path(self, folder)
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path | str, *, ask: bool = True) -> bool:
        """Open a map; a file that fails to load is reported and nothing changes."""
        path = Path(path)
        if ask and not self.maybe_save():
            return False
        try:
            journey = load_map(path)
        except JourneyFileError as exc:
            dialogs.show_error(
                self, "Cannot open map",
                f"{path.name} could not be opened ({len(exc.problems)} problem"
                f"{'s' if len(exc.problems) != 1 else ''}).",
                exc.message,
            )  # fmt: skip
            return False
        self.autosaver.discard()
        self.editor.replace(journey, path)
        self.autosaver.bind(path)
        self._add_recent(path)
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def restore(self, journey: JourneyMap, original: Path | None) -> None:
        """Show recovered work: modified, and saved to its original file on Save."""
        self.editor.replace(journey, original, modified=True)
        self.autosaver.bind(original)

    def save(self) -> bool:
        if self.editor.path is None:
            return self.save_as()
        return self._save_to(self.editor.path)

    def save_as(self) -> bool:
        suggestion = str(self.editor.path or Path.home() / "journey.journey.json")
        path = dialogs.save_path(self, suggestion)
        return path is not None and self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            self.editor.save(path)
        except JourneyFileError as exc:
            dialogs.show_error(self, "Cannot save map", f"{path.name} was not saved.", exc.message)
            return False
        self.autosaver.discard()
        self.autosaver.bind(path)
        self._add_recent(path)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def autosave(self) -> Path | None:
        if not self.editor.is_modified():
            return None
        try:
            return self.autosaver.save(self.editor.journey)
        except OSError as exc:
            self.statusBar().showMessage(f"Autosave failed: {exc.strerror or exc}", 10000)
            return None

    def set_autosave_interval(self, seconds: int) -> None:
        self.autosave_timer.start(max(5, seconds) * 1000)

    # ------------------------------------------------------ other formats

    def import_observations(self, path: Path | str | None = None) -> bool:
        """Observations from a spreadsheet: all rows as one undo step, or none."""
        if path is None:
            path = dialogs.import_path(self, "Import observations", dialogs.TABLE_FILTER)
            if path is None:
                return False
        try:
            table = read_table(path, strict=False)
        except JourneyFileError as exc:
            dialogs.show_error(self, "Cannot import", f"{Path(path).name} cannot be read.",
                               exc.message)  # fmt: skip
            return False
        observations = dialogs.review_import(self, table, self.editor.journey)
        if not observations:
            return False
        self.editor.import_observations(observations, Path(path).name)
        self.statusBar().showMessage(f"Imported {len(observations)} observations", 5000)
        return True

    def import_mermaid(self, path: Path | str | None = None) -> bool:
        """A Mermaid journey opens as a new, unsaved map."""
        if path is None:
            path = dialogs.import_path(self, "Import Mermaid journey", dialogs.MERMAID_FILTER)
            if path is None:
                return False
        if not self.maybe_save():
            return False
        try:
            journey = load_mermaid(path)
        except JourneyFileError as exc:
            dialogs.show_error(self, "Cannot import", f"{Path(path).name} is not a journey.",
                               exc.message)  # fmt: skip
            return False
        self.autosaver.discard()
        self.editor.replace(journey, None, modified=True)
        self.autosaver.bind(None)
        return True

    def export_dialog(self, suffix: str) -> None:
        stem = self.editor.path.name.split(".")[0] if self.editor.path else "journey"
        folder = self.editor.path.parent if self.editor.path else Path.home()
        path = dialogs.export_path(self, str(folder / f"{stem}{suffix}"), suffix)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> bool:
        """Write the map in the format its suffix names, as `journeymap export` does.

        Pictures use the Gaps dock's filters, named in the picture's legend.
        """
        journey = self.editor.journey
        suffix = path.suffix.lower()
        try:
            if suffix in PICTURE_SUFFIXES:
                export_map(journey, path, flt=self.gaps.current_filter())
                data = None
            elif suffix == ".mmd":
                data = map_to_mermaid(journey).encode("utf-8")
            elif suffix == ".csv":
                data = observations_to_csv(journey).encode("utf-8")
            elif suffix == ".graphml":
                data = graphml_bytes(journey)
            else:
                raise ValueError(f"unknown export format {suffix!r}")
            if data is not None:
                write_bytes_atomic(path, data)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            dialogs.show_error(self, "Cannot export", f"{path.name} was not written.",
                               f"{path}: {reason}")  # fmt: skip
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def report_dialog(self, suffix: str) -> None:
        stem = self.editor.path.name.split(".")[0] if self.editor.path else "journey"
        folder = self.editor.path.parent if self.editor.path else Path.home()
        path = dialogs.export_path(self, str(folder / f"{stem}-report{suffix}"), suffix)
        if path is not None:
            self.write_report(path)

    def write_report(self, path: Path) -> bool:
        """The debrief report, as `journeymap report` writes it."""
        try:
            write_report(self.editor.journey, path, self.gaps.current_filter())
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            dialogs.show_error(self, "Cannot write the report", f"{path.name} was not written.",
                               f"{path}: {reason}")  # fmt: skip
            return False
        self.statusBar().showMessage(f"Wrote {path}", 5000)
        return True

    # ------------------------------------------------------- recent files

    def recent_files(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        entry = str(path.resolve())
        recent = [entry] + [p for p in self.recent_files() if p != entry]
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self._refresh_recent_menu()

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for entry in recent:
            action = self.recent_menu.addAction(Path(entry).name)
            action.setToolTip(entry)
            action.triggered.connect(lambda _=False, p=entry: self.open_path(p))
        self.recent_menu.setEnabled(bool(recent))

    # ------------------------------------------------------------- layout

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        else:
            # Sizes only take once the window is laid out.
            QTimer.singleShot(0, self._default_dock_sizes)

    def _default_dock_sizes(self) -> None:
        self.resizeDocks(
            [self.docks["gaps"]], [max(480, self.width() // 3)], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.docks["observations"]], [max(220, self.height() // 4)], Qt.Orientation.Vertical
        )
        QTimer.singleShot(0, self.view.fit)

    def _save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._save_layout()
        self.autosaver.discard()
        self.autosave_timer.stop()
        event.accept()

    def shutdown(self) -> None:
        """Stop without asking (the system is ending the program): unsaved work
        goes to the recovery file, offered again at the next start."""
        self._save_layout()
        self.autosave_timer.stop()
        if self.editor.is_modified():
            self.autosave()
        else:
            self.autosaver.discard()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.toLocalFile().endswith(".json") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.toLocalFile().endswith(".json"):
                event.acceptProposedAction()
                self.open_path(url.toLocalFile())
                return

    # ------------------------------------------------------------- editing

    def _selection_changed(self) -> None:
        scene = self.editor.scene
        selected = scene.selected_touchpoints()
        self._selection_order = [t for t in self._selection_order if t in selected]
        self._selection_order += [t for t in selected if t not in self._selection_order]
        edges = scene.selected_transitions()
        self.inspector.show_selection(selected, edges)
        if len(selected) == 1:
            self.observations.show_touchpoint(selected[0])

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
        order = self._selection_order
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
            "a moment of truth.</p><p>Drag cards to place them. Select two cards and press "
            "Ctrl+L to connect them. Ctrl+K types observations from the keyboard.</p>",
        )

    def about(self) -> None:
        dialogs.about(
            self,
            f"<h3>journeymap {__version__}</h3><p>Customer-journey maps for service safaris "
            "and shadowing.</p>",
        )
