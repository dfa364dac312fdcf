"""User text made safe for the formats and widgets that show it.

Names, notes and titles are typed by people or come from files made by other
tools, so they may hold anything a Python string can: control characters,
``$`` signs, markup.  Every writer and view passes them through one of these
functions, so what the user typed is shown literally and every file parses:

* :func:`xml_safe` for SVG, GraphML, PDF and the canvas (XML 1.0 forbids C0
  controls other than tab, line feed and carriage return, U+FFFE, U+FFFF and
  lone surrogates; each becomes U+FFFD).
* :func:`html_safe` for the HTML report: also the controls and
  non-characters HTML calls parse errors (DEL, C1 controls, U+FDD0-U+FDEF).
* :func:`chart_text` for matplotlib labels, drawn with ``parse_math=False``
  so ``$``, ``_``, ``^`` and ``\\`` print as typed.
* :func:`plain_tooltip` for Qt tooltips, which guess rich text from the
  first tag they see.

Pure Python (no Qt, no matplotlib): every layer can use it.
"""

from __future__ import annotations

import html
import re

#: What a character a format cannot carry becomes.
REPLACEMENT = "\ufffd"

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# HTML's parse errors besides: DEL and C1 controls, and the non-characters
# (U+FDD0-U+FDEF and the last two code points of every plane).
_PLANE_ENDS = "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0x10000, 0x110000, 0x10000)
)
_NOT_HTML = re.compile(
    f"[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]|[{_PLANE_ENDS}]"
)
_LINE_BREAK = re.compile("\r\n|\r|\n")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def html_safe(text: str) -> str:
    """``text`` with every character HTML or XML reject replaced by U+FFFD."""
    return _NOT_HTML.sub(REPLACEMENT, text)


def chart_text(text: str) -> str:
    """A label for a chart: XML-safe (charts are saved as SVG too), each line break
    one new line, tabs as spaces.  Draw it with ``parse_math=False``."""
    return xml_safe(_LINE_BREAK.sub("\n", text).replace("\t", " "))


def plain_tooltip(text: str) -> str:
    """Qt rich text that shows ``text`` literally, line breaks kept.

    Qt shows a tooltip as rich text when its first line looks like a tag, so
    a name such as ``<b>x</b>`` would turn bold (and ``<img>`` would load an
    image): the text is escaped and wrapped in a paragraph instead.
    """
    escaped = html.escape(xml_safe(text), quote=False)
    return "<p style='white-space:pre-wrap'>" + _LINE_BREAK.sub("<br>", escaped) + "</p>"
