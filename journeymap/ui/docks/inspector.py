"""The Inspector dock: properties of the selected touch point or transition."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journeymap.model.analysis import describe_filter, select, statistics
from journeymap.model.collection import Change
from journeymap.model.entities import CHANNELS, TRANSITION_KINDS
from journeymap.model.evidencetext import evidence_words, interval_words
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import ModelError
from journeymap.ui.docks.tonemarks import ToneMarks
from journeymap.ui.photos import PhotoStrip
from journeymap.ui.undokeys import pass_undo_keys
from journeymap.ui.viewstate import FILTER, ViewState


class InspectorDock(QWidget):
    """Edits go to the editor as undo commands; the form follows the model."""

    def __init__(self, editor, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.state = state
        self.journey: JourneyMap | None = None
        self.tp_id: str | None = None
        self.edge: tuple[str, str] | None = None

        self.empty = QLabel("Select a card or an arrow to see its properties.")
        self.empty.setWordWrap(True)

        self.tp_page = QWidget()
        form = QFormLayout(self.tp_page)
        self.name = QLineEdit()
        self.stage = QComboBox()
        self.channel = QComboBox()
        self.channel.addItems(list(CHANNELS))
        self.critical = QCheckBox("Moment of truth (critical)")
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(90)
        self.stats = QLabel()
        self.stats.setWordWrap(True)
        form.addRow("Name", self.name)
        form.addRow("Stage", self.stage)
        form.addRow("Channel", self.channel)
        form.addRow("", self.critical)
        form.addRow("Description", self.description)
        # Jargon and words that say "no": underlined, listed, replaceable.
        self.tone = ToneMarks(editor, self.name, self.description)
        self.tp_form = form
        form.addRow("Wording", self.tone)
        form.addRow("Gap", self.stats)
        # The photos of the card's observations (those the filter keeps).
        self.photos = PhotoStrip()
        form.addRow("Photos", self.photos)
        self.name.editingFinished.connect(lambda: self._set_tp(name=self.name.text().strip()))
        self.stage.activated.connect(lambda _: self._set_tp(stage=self.stage.currentData()))
        self.channel.activated.connect(lambda _: self._set_tp(channel=self.channel.currentText()))
        self.critical.clicked.connect(lambda checked: self._set_tp(critical=checked))
        self.description.focusOutEvent = self._description_done  # type: ignore[method-assign]

        self.edge_page = QWidget()
        edge_form = QFormLayout(self.edge_page)
        self.edge_title = QLabel()
        self.kind = QComboBox()
        self.kind.addItems(list(TRANSITION_KINDS))
        self.label = QLineEdit()
        edge_form.addRow(self.edge_title)
        edge_form.addRow("Kind", self.kind)
        edge_form.addRow("Label", self.label)
        self.kind.activated.connect(lambda _: self._set_edge(kind=self.kind.currentText()))
        self.label.editingFinished.connect(lambda: self._set_edge(label=self.label.text()))
        # The part of the customers at the source who take the arrow; the
        # least value (below 0 %) means "not given".
        self.share = QDoubleSpinBox()
        self.share.setRange(-1, 100)
        self.share.setDecimals(1)
        self.share.setSuffix(" %")
        self.share.setSpecialValueText("not given")
        self.share.setKeyboardTracking(False)  # one edit at Enter, not one a keystroke
        self.share.setToolTip(
            "The part of the customers at the arrow's start who take it. "
            "Step below 0 % for \u201cnot given\u201d: the arrows without a share split "
            "equally what the given shares leave."
        )
        self.share_left = QLabel()
        self.share_left.setWordWrap(True)
        self.share_left.setTextFormat(Qt.TextFormat.PlainText)  # touch point names
        edge_form.addRow("Share", self.share)
        edge_form.addRow("", self.share_left)
        self.share.valueChanged.connect(self._share_edited)

        self.error = QLabel()
        self.error.setStyleSheet("color: #b2182b")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.stats.setTextFormat(Qt.TextFormat.PlainText)
        self.edge_title.setTextFormat(Qt.TextFormat.PlainText)  # touch point names
        self.pages = QStackedWidget()
        for page in (self.empty, self.tp_page, self.edge_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.tone.on_error = self.error.setText
        # Ctrl+Z with the cursor still in a field undoes the last edit once the
        # field has no typing of its own left to undo.
        pass_undo_keys(self, (self.name, self.description, self.label))
        state.changed.connect(self._state_changed)
        editor.journey_replaced.connect(self.bind)
        self.bind()

    def bind(self) -> None:
        """Follow the editor's current map, and let go of the one before."""
        if self.journey is not None:
            self.journey.changed.disconnect(self._model_changed)
        self.journey = self.editor.journey
        self.journey.changed.connect(self._model_changed)
        self.show_selection([], [])

    def _model_changed(self, change: Change) -> None:
        if change.kind in ("touchpoint", "transition", "observation", "stage", "map"):
            self._refresh()

    def _state_changed(self, what: str) -> None:
        if what == FILTER:
            self._refresh()

    def _refresh(self) -> None:
        self.show_selection([self.tp_id] if self.tp_id else [], [self.edge] if self.edge else [])

    def show_selection(self, tp_ids: list[str], edges: list[tuple[str, str]]) -> None:
        journey = self.editor.journey
        self.error.clear()
        self.tp_id = tp_ids[0] if len(tp_ids) == 1 and journey.has_touchpoint(tp_ids[0]) else None
        self.edge = None
        if (
            self.tp_id is None
            and not tp_ids
            and len(edges) == 1
            and journey.has_transition(*edges[0])
        ):
            self.edge = edges[0]
        if self.tp_id is not None:
            tp = journey.touchpoint(self.tp_id)
            self.name.setText(tp.name)
            self.stage.clear()
            for stage in journey.stages:
                self.stage.addItem(stage.name, stage.id)
            self.stage.setCurrentIndex(journey.stage_index(tp.stage))
            self.channel.setCurrentText(tp.channel)
            self.critical.setChecked(tp.critical)
            if self.description.toPlainText() != tp.description:
                self.description.setPlainText(tp.description)
            self.tp_form.setRowVisible(self.tone, self.tone.show_for(self.tp_id))
            self.stats.setText(self._stats_text(self.tp_id))
            kept = select(journey.observations_for(self.tp_id), self.state.filter)
            shown = dict.fromkeys(p for o in kept for p in o.photos)
            self.photos.set_photos([(p, self.editor.photo_file(p)) for p in shown])
            self.pages.setCurrentWidget(self.tp_page)
        elif self.edge is not None:
            tr = journey.transition(*self.edge)
            self.edge_title.setText(
                f"{journey.touchpoint(tr.source).name} \u2192 {journey.touchpoint(tr.target).name}"
            )
            self.kind.setCurrentText(tr.kind)
            self.label.setText(tr.label)
            self.share.blockSignals(True)  # showing the model is no edit
            self.share.setValue(_share_percent(tr.share))
            self.share.blockSignals(False)
            self.share_left.setText(share_left_words(journey, tr.source, tr.target))
            self.pages.setCurrentWidget(self.edge_page)
        else:
            self.empty.setText(
                f"{len(tp_ids)} touch points selected." if len(tp_ids) > 1
                else "Select a card or an arrow to see its properties."
            )  # fmt: skip
            self.pages.setCurrentWidget(self.empty)

    def _stats_text(self, tp_id: str) -> str:
        """The card's numbers under the window's filter, and which filter that is."""
        journey, flt = self.editor.journey, self.state.filter
        s = statistics(journey).touchpoint(tp_id, flt)
        scope = "" if flt.is_empty else f"\nshowing {describe_filter(flt, journey)}"
        if s.gap is None:
            return (
                f"{s.observations} observations, none with both scores: assumed, "
                f"not observed yet{scope}"
            )
        return (
            f"gap {s.gap:+.2f} (expectation {s.expectation:.2f}, reality {s.reality:.2f}), "
            f"n = {s.n} of {s.observations} observations"
            + (", WIDE" if s.wide else "")
            + f"\n{interval_words(s)}\n{evidence_words(s)}"
            + scope
        )

    def _set_tp(self, **changes: Any) -> None:
        if self.tp_id is None:
            return
        tp = self.editor.journey.touchpoint(self.tp_id)
        changes = {k: v for k, v in changes.items() if getattr(tp, k) != v}
        try:
            self.editor.update_touchpoint(self.tp_id, **changes)
        except ModelError as exc:
            self._refresh()  # the form shows the model again, then says why
            self.error.setText(str(exc))

    def _description_done(self, event) -> None:
        QPlainTextEdit.focusOutEvent(self.description, event)
        self._set_tp(description=self.description.toPlainText())

    def _share_edited(self, value: float) -> None:
        if self.edge is None:
            return
        share = None if value < 0 else round(value / 100, 6)
        self._set_edge(share=share)
        if self.error.text():
            self._refresh_share()

    def _refresh_share(self) -> None:
        """Show the model's share again, keeping the message of a refused edit."""
        message = self.error.text()
        self._refresh()
        self.error.setText(message)

    def _set_edge(self, **changes: Any) -> None:
        if self.edge is None:
            return
        tr = self.editor.journey.transition(*self.edge)
        changes = {k: v for k, v in changes.items() if getattr(tr, k) != v}
        try:
            self.editor.update_transition(*self.edge, **changes)
        except ModelError as exc:
            self.error.setText(str(exc))


def _share_percent(share: float | None) -> float:
    """A share as the box shows it: percent to one decimal, -1 for "not given"."""
    return -1.0 if share is None else round(share * 100, 1)


def _percent(part: float) -> str:
    return f"{part * 100:.1f}".removesuffix(".0") + " %"


def share_left_words(journey: JourneyMap, source: str, target: str) -> str:
    """What the given shares leave of 1 at ``source``, and who takes it.

    As the analysis counts (docs/insights.md): loops play no part.
    """
    tr = journey.transition(source, target)
    leaving = [journey.transition(source, t) for t in journey.successors(source)]
    used = [t for t in leaving if t.kind != "loop"]
    left = max(0.0, 1 - sum(t.share for t in used if t.share is not None))
    others = [t for t in used if t.key != tr.key and t.share is None]
    text = f"left for the others: {_percent(left)}"
    if tr.kind == "loop":
        return f"{text}; a loop's share plays no part in who passes where"
    if tr.share is None:
        if not others:
            return f"{text}, all taken by this arrow, the only one without a share"
        return f"{text}, split equally by this arrow and {len(others)} other(s) without a share"
    if others:
        return f"{text}, split equally between {len(others)} arrow(s) without a share"
    if left > 1e-9:
        return f"{text}, who leave the journey at {journey.touchpoint(source).name}"
    return text
