"""Tone findings in the Inspector: jargon and words that say "no".

The touch point's name and description show each finding underlined (a
wavy line: orange for jargon, purple for prohibitive wording); hovering a
finding shows its suggestion.  Under the fields a short list names each
finding; a jargon term has a button "Replace with '…'" that edits the
text through the editor (one undo step).  Prohibitive wording gets advice
("say what is welcome…") rather than a replacement: no word-for-word swap
turns a prohibition into a welcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QInputMethodEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
)
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from journeymap.model.entities import ToneTerm
from journeymap.model.tone import JARGON, ToneFinding, find_in_text, tone_terms
from journeymap.model.validation import ModelError

if TYPE_CHECKING:
    from journeymap.ui.document.editor import MapEditor

COLORS = {JARGON: "#d95f02", "prohibitive": "#7570b3"}
FIELD_WORDS = {"name": "name", "description": "description"}


def suggestion_words(finding: ToneFinding) -> str:
    """The tooltip of one finding."""
    what = "Jargon" if finding.kind == JARGON else "Says \u201cno\u201d"
    return f"{what}: \u201c{finding.term}\u201d \u2192 {finding.suggest}"


def matched_case(suggest: str, original: str) -> str:
    """The suggestion with a capital where the replaced word had one ("Circulation")."""
    if original[:1].isupper() and not (len(original) > 1 and original.isupper()):
        return suggest[:1].upper() + suggest[1:]
    return suggest


def replaced(text: str, finding: ToneFinding) -> str:
    """``text`` with the finding's words replaced by its suggestion."""
    original = text[finding.start : finding.end]
    return text[: finding.start] + matched_case(finding.suggest, original) + text[finding.end :]


def _underline(kind: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(QColor(COLORS.get(kind, COLORS[JARGON])))
    return fmt


class ToneHighlighter(QSyntaxHighlighter):
    """Underlines the findings of a text document (the description)."""

    def __init__(self, document, terms: Callable[[], list[ToneTerm]]) -> None:
        super().__init__(document)
        self.terms = terms
        self._cache: tuple[str, list[ToneFinding]] = ("", [])

    def findings(self) -> list[ToneFinding]:
        text = self.document().toPlainText()
        if self._cache[0] != text or not text:
            self._cache = (text, find_in_text(text, self.terms()) if text else [])
        return self._cache[1]

    def highlightBlock(self, text: str) -> None:
        begin = self.currentBlock().position()
        for f in self.findings():
            start, end = max(f.start, begin), min(f.end, begin + len(text))
            if start < end:
                self.setFormat(start - begin, end - start, _underline(f.kind))


def underline_line_edit(edit: QLineEdit, findings: list[ToneFinding]) -> None:
    """Underline findings in a line edit (formats given through an input method event)."""
    cursor = edit.cursorPosition()
    attributes = [
        QInputMethodEvent.Attribute(
            QInputMethodEvent.AttributeType.TextFormat,
            f.start - cursor,
            f.end - f.start,
            _underline(f.kind),
        )
        for f in findings
    ]
    QCoreApplication.sendEvent(edit, QInputMethodEvent("", attributes))


def finding_at(findings: list[ToneFinding], position: int) -> ToneFinding | None:
    return next((f for f in findings if f.start <= position < f.end), None)


class ToneMarks(QWidget):
    """The findings list under the fields, and the underlines and tooltips in them."""

    def __init__(self, editor: MapEditor, name: QLineEdit, description: QPlainTextEdit) -> None:
        super().__init__()
        self.editor, self.name, self.description = editor, name, description
        self.tp_id: str | None = None
        self._shown: tuple = ()
        #: Where a refused replacement's message goes (the Inspector's error line).
        self.on_error: Callable[[str], None] = lambda _message: None
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(2)
        self.highlighter = ToneHighlighter(description.document(), self.terms)
        name.textChanged.connect(self._underline_name)
        name.installEventFilter(self)
        description.viewport().installEventFilter(self)

    def terms(self) -> list[ToneTerm]:
        return tone_terms(self.editor.journey)

    def name_findings(self) -> list[ToneFinding]:
        text = self.name.text()
        return find_in_text(text, self.terms(), "name") if text else []

    def _underline_name(self, _text: str = "") -> None:
        underline_line_edit(self.name, self.name_findings())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        if watched is self.name:
            found = finding_at(self.name_findings(), self.name.cursorPositionAt(event.pos()))
        else:
            position = self.description.cursorForPosition(event.pos()).position()
            found = finding_at(self.highlighter.findings(), position)
        if found is None:
            QToolTip.hideText()
            return False
        QToolTip.showText(event.globalPos(), suggestion_words(found), self.description)
        return True

    def show_for(self, tp_id: str | None) -> bool:
        """List the touch point's findings; whether there are any."""
        self.tp_id = tp_id
        self._underline_name()
        self.highlighter.rehighlight()
        findings = self._model_findings()
        key = tuple((field, f) for field, f in findings)
        if key != self._shown:  # a click's button survives an unchanged list
            self._shown = key
            while self.rows.count():
                widget = self.rows.takeAt(0).widget()
                widget.hide()
                widget.deleteLater()
            for field, f in findings:
                tp = self.editor.journey.touchpoint(self.tp_id)
                self._add_row(field, f, getattr(tp, field)[f.start : f.end])
        return bool(findings)

    def _model_findings(self) -> list[tuple[str, ToneFinding]]:
        journey = self.editor.journey
        if self.tp_id is None or not journey.has_touchpoint(self.tp_id):
            return []
        tp = journey.touchpoint(self.tp_id)
        terms = self.terms()
        return [
            (field, f)
            for field in ("name", "description")
            for f in find_in_text(getattr(tp, field), terms, field)
        ]

    def _add_row(self, field: str, finding: ToneFinding, word: str) -> None:
        label = QLabel(
            f"\u201c{word}\u201d in the {FIELD_WORDS[field]}: "
            + ("jargon" if finding.kind == JARGON else "says \u201cno\u201d")
        )
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setToolTip(suggestion_words(finding))
        label.setStyleSheet(f"color: {COLORS.get(finding.kind, COLORS[JARGON])}")
        self.rows.addWidget(label)
        if finding.kind == JARGON:
            button = QPushButton(f"Replace with \u2018{finding.suggest}\u2019".replace("&", "&&"))
            button.setToolTip(suggestion_words(finding))
            button.clicked.connect(lambda _=False, fl=field, f=finding: self.replace(fl, f))
            self.rows.addWidget(button)
        else:
            advice = QLabel(f"Try: {finding.suggest}")
            advice.setTextFormat(Qt.TextFormat.PlainText)
            advice.setWordWrap(True)
            self.rows.addWidget(advice)

    def replace(self, field: str, finding: ToneFinding) -> None:
        """Replace one finding in the model's text: one undo step."""
        journey = self.editor.journey
        if self.tp_id is None or not journey.has_touchpoint(self.tp_id):
            return
        text = getattr(journey.touchpoint(self.tp_id), field)
        now = [f for f in find_in_text(text, self.terms(), field) if f.term == finding.term]
        if not now:
            return  # the text changed under the list; it follows shortly
        target = next((f for f in now if f.start == finding.start), now[0])
        old = text[target.start : target.end]
        words = f"Replace \u201c{old}\u201d with \u201c{target.suggest}\u201d"
        try:
            self.editor.update("touchpoint", self.tp_id, {field: replaced(text, target)}, words)
        except ModelError as exc:
            self.on_error(str(exc))
