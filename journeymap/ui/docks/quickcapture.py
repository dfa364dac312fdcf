"""Quick capture: observations typed as people call them out in a debrief."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from journeymap.model.collection import REMOVE, Change
from journeymap.model.entities import METHODS
from journeymap.model.journey import JourneyMap
from journeymap.ui.undokeys import pass_undo_keys

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


_WHICH_OBSERVATION = re.compile(r"^observation '[^']*': ")


def parse_score(text: str) -> float | None:
    """A score typed by a person: '' is none, '3,5' is 3.5."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


class QuickCapture(QGroupBox):
    """Type observations as people call them out, without the mouse.

    Method and observer rarely change during a debrief, so they sit above the
    touch point and Tab skips them (Shift+Tab goes back to them).  Typing
    part of a touch point's name offers it; Down and Enter pick it and move on
    to the scores.  Enter anywhere else saves once and clears the form for the
    next observation, keeping method and observer.
    """

    #: touch point id, fields; the dock runs the undo command.
    submitted = Signal(str, dict)

    def __init__(self, journey: JourneyMap, parent: QWidget | None = None) -> None:
        super().__init__("Quick capture (Enter saves)", parent)
        self.journey = journey
        self.method = QComboBox()
        self.method.addItems(list(METHODS))
        self.observer = QLineEdit()
        self.observer.setPlaceholderText("who observed")
        self.touchpoint = QLineEdit()
        self.touchpoint.setPlaceholderText("type part of a touch point name")
        self.names = QStringListModel(self)
        self.completer = QCompleter(self.names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.touchpoint.setCompleter(self.completer)
        self.expectation = QLineEdit()
        self.reality = QLineEdit()
        for score in (self.expectation, self.reality):
            score.setValidator(QDoubleValidator(-1e6, 1e6, 2, score))
            score.setMaximumWidth(70)
        self.note = QLineEdit()
        self.quote = QLineEdit()
        #: Photo files for the next observation (the dock asks for them).
        self.photo_files: list[Path] = []
        self.attach_button = QPushButton("Photos\u2026")
        self.attach_button.setToolTip("Attach photos to the next observation")
        self.attach_button.setAutoDefault(False)
        self.photo_label = QLabel()
        self.photo_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # quotes what the user typed
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b2182b")
        # A tooltip, not a line of text: the dock is short during a debrief.
        self.setToolTip(
            "Enter saves. Tab skips method and observer, which stay for the next "
            "observation; Shift+Tab from the touch point goes back to them."
        )

        form = QFormLayout(self)
        form.addRow("Method", self.method)
        form.addRow("Observer", self.observer)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        form.addRow(rule)
        form.addRow("Touch point", self.touchpoint)
        scores = QHBoxLayout()
        scores.addWidget(QLabel("Expectation"))
        scores.addWidget(self.expectation)
        scores.addWidget(QLabel("Reality"))
        scores.addWidget(self.reality)
        scores.addStretch(1)
        # Photos share the scores' row: one row less keeps the form short enough
        # for a laptop screen at 1.5x scaling.
        scores.addWidget(self.attach_button)
        scores.addWidget(self.photo_label)
        form.addRow("Scores", scores)
        form.addRow("Note", self.note)
        form.addRow("Quote", self.quote)
        form.addRow(self.message)

        #: The fields in Tab order.  Method and observer come before the touch
        #: point, where the cursor starts, so Tab never stops on them.
        self.fields: tuple[QWidget, ...] = (
            self.method, self.observer, self.touchpoint, self.expectation, self.reality,
            self.note, self.quote,
        )  # fmt: skip
        for first, second in itertools.pairwise(self.fields):
            QWidget.setTabOrder(first, second)
        # Enter is handled here only: a line edit's returnPressed also passes
        # the key on to its parent, which saved twice.
        for widget in self.fields:
            widget.installEventFilter(self)
        self.completer.popup().installEventFilter(self)
        pass_undo_keys(self, self.fields)
        # A message is about what was typed: typing again makes it stale.
        for line in (self.observer, self.touchpoint, self.expectation, self.reality,
                     self.note, self.quote):  # fmt: skip
            line.textEdited.connect(self.message.clear)
        #: The field that lost the cursor when the window last went inactive.
        self._left: QWidget | None = None
        self.set_journey(journey)

    # ------------------------------------------------------------- the map

    def set_journey(self, journey: JourneyMap) -> None:
        """Another map: nothing typed for the one before is left over."""
        self.journey = journey
        self.refresh_names()
        self.clear_entry()

    def refresh_names(self, *args: object) -> None:
        self.names.setStringList([tp.name for tp in self.journey.touchpoints])

    def touchpoint_changed(self, change: Change) -> None:
        """A card was added, renamed or deleted: offer the names as they are now;
        if it is the card named in the form, the form starts again."""
        self.refresh_names()
        record = change.record
        if change.op == REMOVE:
            named = self._names(record.id, record.name)
        elif "name" in change.fields:
            named = self._names(record.id, change.old["name"])
        else:
            return
        if named:
            self.clear_entry()

    def _names(self, tp_id: str, name: str) -> bool:
        text = self.touchpoint.text().strip()
        return bool(text) and (text in (tp_id, name) or text.lower() == name.lower())

    def set_touchpoint(self, name: str) -> None:
        self.touchpoint.setText(name)
        self.message.clear()

    def clear_entry(self) -> None:
        """Empty the form (method and observer stay) and its message."""
        for line in (self.touchpoint, self.expectation, self.reality, self.note, self.quote):
            line.setText("")  # setText, not clear(): no typing left for Ctrl+Z to undo
        self.set_photo_files([])
        self.message.clear()

    def set_photo_files(self, files: list[Path]) -> None:
        """The photos the next saved observation carries."""
        self.photo_files = list(files)
        count = len(self.photo_files)
        self.photo_label.setText(
            "" if not count else ", ".join(f.name for f in self.photo_files)
            if count <= 2 else f"{count} photos"
        )  # fmt: skip

    # ---------------------------------------------------------------- keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QFocusEvent):
            self._focus_moved(watched, event)
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.completer.popup():
            return self._list_key(key)
        if key in ENTER_KEYS:
            self.submit()
            return True
        return False

    def _focus_moved(self, watched: QObject, event: QFocusEvent) -> None:
        """Keep the cursor where the user put it when the suggestion list's
        window is activated late (X11): that list hands its focus to the touch
        point, which took the cursor away in the middle of typing a note."""
        if event.reason() != Qt.FocusReason.ActiveWindowFocusReason:
            return
        if event.type() == QEvent.Type.FocusOut:
            self._left = watched if isinstance(watched, QWidget) else None
            return
        left, self._left = self._left, None
        if (
            watched is self.touchpoint
            and left is not None
            and left is not self.touchpoint
            and not self.completer.popup().isVisible()
        ):
            left.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def _list_key(self, key: int) -> bool:
        """Keys on the list of suggested touch points.  Enter picks one and
        moves on to the scores; it saves only when the name is complete."""
        popup = self.completer.popup()
        current = popup.currentIndex()
        only = self.completer.completionCount() == 1
        if key == Qt.Key.Key_Tab and not current.isValid() and only:
            # Tab takes the only suggestion, as it would a highlighted one.
            popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
            return False
        if key not in ENTER_KEYS:
            return False
        popup.hide()
        if current.isValid() or (only and self.resolve_touchpoint(self.touchpoint.text()) is None):
            chosen = current if current.isValid() else self.completer.completionModel().index(0, 0)
            self.set_touchpoint(str(chosen.data()))
            self.expectation.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.submit()
        return True

    # -------------------------------------------------------------- saving

    def resolve_touchpoint(self, text: str) -> str | None:
        text = text.strip()
        if self.journey.has_touchpoint(text):
            return text
        matches = [tp.id for tp in self.journey.touchpoints if tp.name == text]
        if not matches:
            matches = [tp.id for tp in self.journey.touchpoints if tp.name.lower() == text.lower()]
        return matches[0] if len(matches) == 1 else None

    def submit(self) -> None:
        text = self.touchpoint.text().strip()
        tp_id = self.resolve_touchpoint(text)
        if tp_id is None:
            self.message.setText(
                f"No touch point called {text!r}." if text
                else "Which touch point? Type part of its name."
            )  # fmt: skip
            self.touchpoint.setFocus()
            return
        try:
            fields = {
                "observer": self.observer.text().strip(),
                "expectation": parse_score(self.expectation.text()),
                "reality": parse_score(self.reality.text()),
                "note": self.note.text().strip(),
                "quote": self.quote.text().strip(),
                "date": dt.date.today(),
                "method": self.method.currentText(),
                "photo_files": list(self.photo_files),
            }
        except ValueError:
            self.message.setText("Scores must be numbers.")
            return
        self.message.clear()
        self.submitted.emit(tp_id, fields)

    def accepted(self) -> None:
        """The observation was saved: clear for the next, keep method and observer."""
        self.clear_entry()
        # The observer's typing is not undone by Ctrl+Z now: the save is.
        self.observer.setText(self.observer.text())
        self.touchpoint.setFocus()

    def rejected(self, reason: str) -> None:
        """The model refused the observation: say why, without its internal id
        (the user never saw "o53"; the touch point is in the form)."""
        self.message.setText("Not saved: " + _WHICH_OBSERVATION.sub("", reason, count=1))
