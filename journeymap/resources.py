"""Files shipped with journeymap: templates now, icons later.

In a wheel they sit in ``journeymap/resources``; in a source checkout they
are the repository's ``resources/`` folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).with_name("resources")
_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"


def resource_path(relative: str) -> Path:
    """The path of a shipped resource, e.g. ``templates/blank.journey.json``."""
    for base in (_PACKAGED, _CHECKOUT):
        candidate = base / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"journeymap resource {relative!r} is missing from the installation")


def blank_template() -> Path:
    """The map that File > New starts from."""
    return resource_path("templates/blank.journey.json")
