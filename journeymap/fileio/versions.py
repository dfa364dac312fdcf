"""Format versions: which files can be read, and the chain that upgrades old ones.

A file of an older version is upgraded before it is read, one version at a
time, by the functions registered in :data:`UPGRADES`: each takes the parsed
JSON document of version N and returns it as version N+1.  The reader then
only ever sees the newest version, and files are always written in it.

Bumping the format to version N + 1 is: set ``FORMAT_VERSION = N + 1`` and
register a step with ``@upgrade(N)``, as :func:`upgrade_v1_to_v2` below.

A step should change only what it knows and leave anything odd (a key of
the wrong type, say) for the reader to report; if it raises, loading fails
with a message naming the step.  The chain sets ``"version"`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from journeymap.fileio.errors import Problem, quoted
from journeymap.fileio.reader import LongInteger, json_type
from journeymap.model.validation import number_text

FORMAT_NAME = "journeymap"
#: The version this journeymap writes, and the newest it reads.
FORMAT_VERSION = 2
#: The oldest version this journeymap reads.
FIRST_VERSION = 1

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]

#: ``UPGRADES[n]`` turns a version-``n`` document into version ``n + 1``.
UPGRADES: dict[int, Upgrade] = {}


def upgrade(from_version: int) -> Callable[[Upgrade], Upgrade]:
    """Register the decorated function as the step from ``from_version`` to the next."""

    def register(step: Upgrade) -> Upgrade:
        if from_version in UPGRADES:
            raise ValueError(f"an upgrade from version {from_version} is already registered")
        UPGRADES[from_version] = step
        return step

    return register


def header_problems(doc: Any) -> list[Problem]:
    """Why ``doc`` cannot be read at all: not a journey map, or a version this
    journeymap does not read.  Empty when the version can be read (or upgraded)."""
    if type(doc) is not dict:
        return [Problem("", f"not a journey map: the top level must be an object, not "
                            f"{json_type(doc)}")]  # fmt: skip
    if doc.get("format") != FORMAT_NAME:
        found = doc.get("format", _MISSING)
        shown = "it is missing" if found is _MISSING else f"found {quoted(found)}"
        return [Problem("format", f'not a journey map: "format" must be "{FORMAT_NAME}" ({shown})')]
    version = doc.get("version", _MISSING)
    if type(version) is LongInteger:
        return [Problem("version", f"unknown format version ({json_type(version)})")]
    if type(version) is not int:
        shown = "missing" if version is _MISSING else json_type(version)
        return [Problem("version", f"must be a whole number, not {shown}")]
    if version > FORMAT_VERSION:
        return [
            Problem(
                "version",
                f"the file is format version {number_text(version)}, written by a newer "
                f"journeymap; this version reads up to version {FORMAT_VERSION}. "
                "Please upgrade journeymap.",
            )
        ]
    if version < FIRST_VERSION:
        return [Problem("version", f"unknown format version {number_text(version)}")]
    return []


def upgraded(doc: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """``doc`` (which :func:`header_problems` accepts) brought up to
    :data:`FORMAT_VERSION`, one registered step at a time, in order."""
    for version in range(doc["version"], FORMAT_VERSION):
        step = UPGRADES.get(version)
        what = f"cannot upgrade the file from format version {version} to {version + 1}"
        if step is None:
            return None, [Problem("version", f"{what}: this journeymap has no upgrade for it")]
        try:
            doc = step(doc)
        except Exception as exc:
            return None, [Problem("version", f"{what} ({step.__name__}): {quoted(exc)}")]
        if type(doc) is not dict:
            return None, [Problem("version", f"{what} ({step.__name__}): it gave {json_type(doc)}")]
        doc["version"] = version + 1
    return doc, []


_MISSING = object()


@upgrade(1)
def upgrade_v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the decisions: the arrays ``actions``, ``rules`` and
    ``ideas`` (empty in a version-1 file) and the optional ``tone`` list."""
    for array in ("actions", "rules", "ideas"):
        doc.setdefault(array, [])
    return doc
