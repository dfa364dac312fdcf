"""The filter drop-downs the docks share: "all …" first, then the choices."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox


def fill_filter_combo(combo: QComboBox, everything: str, items: Iterable[tuple[str, str]]) -> None:
    """Refill ``combo`` without emitting changes; "all" carries None as its data."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for text, data in items:
        combo.addItem(text, data)
    combo.blockSignals(False)
