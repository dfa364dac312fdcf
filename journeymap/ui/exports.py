"""File ▸ Export from the window: what the window shows, or every observation.

The writing itself is the command line's (:func:`export_file`,
:func:`write_report`); this part only asks where and with which filter.
"""

from __future__ import annotations

from pathlib import Path

from journeymap.model.analysis import ObservationFilter, describe_view
from journeymap.render.exporting import export_file
from journeymap.render.report import write_report
from journeymap.ui import dialogs

_WHAT = {".png": "the map", ".svg": "the map", ".pdf": "the map", ".mmd": "the journey",
         ".csv": "the observations", ".graphml": "the graph", ".html": "the report"}  # fmt: skip


class ExportMixin:
    """File ▸ Export and the debrief report, for :class:`MainWindow`."""

    def _suggested(self, suffix: str, tail: str = "") -> str:
        path = self.editor.path
        stem = path.name.split(".")[0] if path else "journey"
        folder = path.parent if path else Path.home()
        return str(folder / f"{stem}{tail}{suffix}")

    def _export_filter(self, what: str) -> ObservationFilter | None:
        """The filter in force, or none if the user asks for everything; None: cancel."""
        flt = self.view_state.filter
        if flt.is_empty:
            return flt
        answer = dialogs.ask_export_scope(self, what, describe_view(self.editor.journey, flt))
        if answer is None:
            return None
        return flt if answer == "shown" else ObservationFilter()

    def export_dialog(self, suffix: str) -> None:
        flt = self._export_filter(_WHAT.get(suffix, "the map"))
        if flt is None:
            return
        path = dialogs.export_path(self, self._suggested(suffix), suffix)
        if path is not None:
            self.export_to(path, flt)

    def export_to(self, path: Path, flt: ObservationFilter | None = None) -> bool:
        """Write the map as `journeymap export` does, with ``flt`` (default: what is shown)."""
        flt = self.view_state.filter if flt is None else flt
        try:
            export_file(self.editor.journey, path, flt)
        except (OSError, ValueError) as exc:
            self._export_failed(path, "Cannot export", exc)
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def report_dialog(self, suffix: str) -> None:
        flt = self._export_filter("the debrief report")
        if flt is None:
            return
        path = dialogs.export_path(self, self._suggested(suffix, "-report"), suffix)
        if path is not None:
            self.write_report(path, flt)

    def write_report(self, path: Path, flt: ObservationFilter | None = None) -> bool:
        """The debrief report as `journeymap report` writes it, with what is shown."""
        flt = self.view_state.filter if flt is None else flt
        try:
            write_report(self.editor.journey, path, flt, map_path=self.editor.path)
        except (OSError, ValueError) as exc:
            self._export_failed(path, "Cannot write the report", exc)
            return False
        self.statusBar().showMessage(f"Wrote {path}", 5000)
        return True

    def _export_failed(self, path: Path, title: str, exc: Exception) -> None:
        reason = getattr(exc, "strerror", None) or str(exc)
        dialogs.show_error(self, title, f"{path.name} was not written.", f"{path}: {reason}")
