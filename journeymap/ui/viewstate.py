"""The one view state of a window: the observation filter in force and the selection.

The canvas, every dock, the charts and every export read the filter from
here, so what the window shows is what the numbers say.  One signal tells
what changed: ``"filter"`` or ``"selection"``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from journeymap.model.analysis import ObservationFilter

FILTER, SELECTION = "filter", "selection"


class ViewState(QObject):
    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = ObservationFilter()
        self._selection: tuple[str, ...] = ()

    @property
    def filter(self) -> ObservationFilter:
        """The observations every view counts (empty: all of them)."""
        return self._filter

    def set_filter(self, flt: ObservationFilter | None) -> None:
        flt = flt if flt is not None else ObservationFilter()
        if flt != self._filter:
            self._filter = flt
            self.changed.emit(FILTER)

    def clear_filter(self) -> None:
        self.set_filter(ObservationFilter())

    @property
    def selection(self) -> tuple[str, ...]:
        """The selected touch points, in the order they were selected."""
        return self._selection

    def set_selection(self, tp_ids: list[str] | tuple[str, ...]) -> None:
        tp_ids = tuple(tp_ids)
        if tp_ids != self._selection:
            self._selection = tp_ids
            self.changed.emit(SELECTION)
