"""File ▸ New from Template: the maps shipped in ``resources/templates``.

Every ``*.journey.json`` there is a template, so shipping one more file adds
one more menu entry.  A template opens as a new, unsaved and unmodified
Untitled map: saving asks where, and the template itself is never written.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from journeymap.resources import blank_template, resource_path

SUFFIX = ".journey.json"
#: Menu names where the file name alone would not do; blank comes first.
LABELS = {"blank": "&Blank", "cafe_order": "&Caf\u00e9 Order"}


class Template(NamedTuple):
    key: str
    label: str
    path: Path


def _label(key: str) -> str:
    return LABELS.get(key) or "&" + key.replace("_", " ").title()


def templates() -> list[Template]:
    """The shipped templates: blank first, then the others by name."""
    folder = blank_template().parent
    found = [Template(path.name[: -len(SUFFIX)], "", path) for path in folder.glob(f"*{SUFFIX}")]
    found.sort(key=lambda t: (t.key != "blank", t.key))
    return [t._replace(label=_label(t.key)) for t in found]


def template_path(key: str) -> Path:
    """The file of template ``key`` (e.g. ``"cafe_order"``)."""
    return resource_path(f"templates/{key}{SUFFIX}")
