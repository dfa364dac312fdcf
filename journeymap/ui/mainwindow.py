"""The main window: canvas in the middle, Inspector, Observations and Gaps docks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QStyle,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from journeymap.fileio.errors import JourneyFileError
from journeymap.fileio.jsonformat import load_map
from journeymap.interop.mermaid import load_mermaid
from journeymap.interop.tables import read_table
from journeymap.model.analysis import describe_view
from journeymap.model.journey import JourneyMap
from journeymap.resources import blank_template
from journeymap.ui import dialogs, geometry, menus
from journeymap.ui.docks.actions import install_actions_dock
from journeymap.ui.docks.charts import ChartsDock
from journeymap.ui.docks.gaps import GapsDock
from journeymap.ui.docks.insights import install_insights_dock
from journeymap.ui.docks.inspector import InspectorDock
from journeymap.ui.docks.observations import ObservationsDock
from journeymap.ui.document.editor import MapEditor
from journeymap.ui.editing import EditingMixin
from journeymap.ui.exports import ExportMixin
from journeymap.ui.filterbar import FilterBar
from journeymap.ui.presentation import Presentation
from journeymap.ui.recovery import Autosaver
from journeymap.ui.view import MapView
from journeymap.ui.viewstate import FILTER, ViewState

MAX_RECENT = 8
DEFAULT_AUTOSAVE_SECONDS = 60


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area: a tall dock (the Inspector with photos and
    evidence) must not make the window taller than a small screen."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class MainWindow(ExportMixin, EditingMixin, QMainWindow):
    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.editor = MapEditor(load_map(blank_template()), self)
        self.autosaver = Autosaver()
        self._counted: JourneyMap | None = None
        # The one view state: every view and export reads its filter.  Connected
        # before the docks, so a new map starts unfiltered before they rebind.
        self.view_state = ViewState(self)
        self.editor.journey_replaced.connect(self.view_state.clear_filter)
        self.view_state.changed.connect(self._view_state_changed)

        self.view = MapView(self.editor.scene)
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.view.banner)
        column.addWidget(self.view, 1)
        self.setCentralWidget(centre)
        self.filter_bar = FilterBar(self.editor.journey, self.view_state)
        self.filter_toolbar = self.addToolBar("Filter")
        self.filter_toolbar.setObjectName("toolbar-filter")
        # Scrolls sideways on a narrow screen rather than widen the window past it.
        self.filter_toolbar.addWidget(geometry.SideScroller(self.filter_bar))
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        # The right-hand docks (Gaps, Inspector) run the full height of the window.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.inspector = InspectorDock(self.editor, self.view_state)
        self.observations = ObservationsDock(self.editor, self.view_state)
        self.gaps = GapsDock(self.editor.journey, self.view_state)
        self.charts = ChartsDock(self.editor.journey, self.view_state)
        self.undo_view = QUndoView(self.editor.undo_stack)
        self.undo_view.setEmptyLabel("<opened>")
        self.docks = {}
        for name, title, widget, area in (
            (
                "inspector",
                "Inspector",
                scrolling(self.inspector),
                Qt.DockWidgetArea.RightDockWidgetArea,
            ),
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
        self.insights = install_insights_dock(self)  # tabbed with Gaps
        self.actions_dock = install_actions_dock(self)  # tabbed with Observations

        self.presentation = Presentation(self)
        self.setup_direct_editing()  # in-place renaming, F2, double-click, Enter
        menus.build_actions(self)
        menus.build_toolbar(self)
        self.insertToolBarBreak(self.filter_toolbar)
        menus.build_menus(self)
        self._refresh_recent_menu()
        self.zoom_label = QLabel()
        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.zoom_label)

        # A method, not a lambda: Qt drops the connection when the window goes.
        self.editor.undo_stack.cleanChanged.connect(self._clean_changed)
        self.editor.path_changed.connect(self._update_title)
        self.editor.journey_replaced.connect(self._journey_replaced)
        self.editor.scene.selectionChanged.connect(self._selection_changed)
        self.gaps.touchpoint_activated.connect(self.view.center_on_touchpoint)
        self.observations.status.connect(self.statusBar().showMessage)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z:.0%}"))

        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave)
        self.set_autosave_interval(
            int(self.settings.value("autosave/seconds", DEFAULT_AUTOSAVE_SECONDS))
        )
        self._restore_layout()
        self._update_title(None)
        self._journey_replaced()

    # ----------------------------------------------------------- documents

    def document_name(self) -> str:
        if self.editor.path:
            return self.editor.path.name
        source = self.editor.source
        return f"{source.name} (imported)" if source else "Untitled"

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _update_title(self, path: Path | None) -> None:
        self.setWindowTitle(f"{self.document_name()}[*] \u2014 journeymap")
        self.setWindowModified(self.editor.is_modified())

    def _journey_replaced(self) -> None:
        """Follow the new map (and let go of the old one); the docks rebind themselves."""
        if self._counted is not None:
            self._counted.changed.disconnect(self._map_changed)
        journey = self._counted = self.editor.journey
        journey.changed.connect(self._map_changed)
        self.filter_bar.set_journey(journey)
        self.gaps.set_journey(journey)
        self.charts.set_journey(journey)
        self._show_filter()
        self._update_counts()
        self.setWindowModified(self.editor.is_modified())
        QTimer.singleShot(0, self.view.fit)

    def _map_changed(self, change: object) -> None:
        self._update_counts()
        if not self.view_state.filter.is_empty:
            self._show_filter()  # the banner counts the observations it keeps

    def _update_counts(self) -> None:
        s = self.editor.journey.summary()
        self.counts_label.setText(
            f"{s.stages} stages \u00b7 {s.touchpoints} touch points \u00b7 "
            f"{s.observations} observations"
        )

    def _view_state_changed(self, what: str) -> None:
        if what == FILTER:
            self._show_filter()

    def _show_filter(self) -> None:
        """The cards count what the filter keeps; the banner and legend say which."""
        flt = self.view_state.filter
        journey = self.editor.journey
        shown = "" if flt.is_empty else f"Showing {describe_view(journey, flt)}"
        if self.editor.scene.filter != (None if flt.is_empty else flt):
            self.editor.scene.set_filter(flt, shown)
        else:
            self.editor.scene.note = shown
            self.editor.scene.legend.set_content(journey.title, journey.scale, shown)
        self.view.set_banner(shown)

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

    def new_from_template(self, key: str) -> bool:
        """File > New from Template: a shipped map as a new Untitled one, unmodified
        (like an import), so Save asks where and the template is never written."""
        from journeymap.ui.templates import template_path

        if not self.maybe_save():
            return False
        journey = load_map(template_path(key))
        self.autosaver.discard()
        self.editor.replace(journey, None)
        self.autosaver.bind(None)
        self.statusBar().showMessage(f"New map from a template: {journey.title}", 5000)
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
        if path.suffix.lower() == ".zip":  # a bundle: unpacked, then its map opens
            from journeymap.ui.bundleopen import unpack_for_window

            unpacked = unpack_for_window(self, path)
            if unpacked is None:
                return False
            path = unpacked
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
        """Show recovered work, saved to its original file on Save: modified
        unless it is just what that file holds."""
        from journeymap.ui.recovery import same_as_file

        self.editor.replace(journey, original, modified=not same_as_file(journey, original))
        self.autosaver.bind(original)

    def save(self) -> bool:
        if self.editor.path is None:
            return self.save_as()
        return self._save_to(self.editor.path)

    def save_as(self) -> bool:
        source = self.editor.source
        suggestion = str(
            self.editor.path
            or (source.with_name(source.name.split(".")[0] + ".journey.json") if source else None)
            or Path.home() / "journey.journey.json"
        )
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
            self.autosaver.discard()  # back to clean (undo): nothing left to recover
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
        """A Mermaid journey opens as a new map, not yet saved as a journey file."""
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
        # Like opening a foreign file: unmodified, named after it; Save asks where.
        self.editor.replace(journey, None, source=Path(path))
        self.autosaver.bind(None)
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
        saved = self.settings.value("window/geometry")
        if saved is not None and self.restoreGeometry(saved):
            # Saved on a screen that is gone or larger: the whole frame comes
            # back onto the current screen.
            if not self.windowState() & (
                Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
            ):
                area = geometry.available_area(self.geometry())
                self.setGeometry(geometry.clamp_geometry(self.geometry(), area))
        else:
            self.setGeometry(geometry.default_geometry(geometry.available_area()))
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        else:
            # Sizes only take once the window is laid out.
            QTimer.singleShot(0, self._default_dock_sizes)

    def _default_dock_sizes(self) -> None:
        # The Gaps dock as wide as its ranking (names and gaps readable), the
        # Observations dock as tall as Quick capture, as far as the window allows.
        gaps, observations = self.docks["gaps"], self.docks["observations"]
        centre = self.centralWidget().minimumSizeHint()
        chrome = max(0, gaps.width() - self.gaps.width())
        separator = self.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent)
        sizes = geometry.dock_sizes(
            self.size(),
            gaps_wanted=self.gaps.preferred_width() + chrome,
            gaps_needed=self.gaps.needed_width() + chrome,
            gaps_minimum=gaps.minimumSizeHint().width(),
            beside_gaps=max(centre.width(), observations.minimumSizeHint().width()) + separator,
            observations_wanted=observations.sizeHint().height(),
            observations_minimum=observations.minimumSizeHint().height(),
            beside_observations=(
                self.height() - self.centralWidget().height() - observations.height()
                + centre.height()
            ),
        )  # fmt: skip
        self.resizeDocks([gaps], [sizes.gaps_width], Qt.Orientation.Horizontal)
        self.resizeDocks([observations], [sizes.observations_height], Qt.Orientation.Vertical)
        QTimer.singleShot(0, self.view.fit)

    def _save_layout(self) -> None:
        self.presentation.leave()  # save the window as it is used, not as projected
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
        """The view state keeps the selection in the order it was made (Connect needs it)."""
        scene = self.editor.scene
        selected = scene.selected_touchpoints()
        order = [t for t in self.view_state.selection if t in selected]
        self.view_state.set_selection(order + [t for t in selected if t not in order])
        edges = scene.selected_transitions()
        self.inspector.show_selection(selected, edges)
        # One card: its observations; none or several: all that pass the filter,
        # never the rows of a card that is no longer selected.
        self.observations.show_touchpoint(selected[0] if len(selected) == 1 else None)
        self.actions_dock.show_touchpoint(selected[0] if len(selected) == 1 else None)
