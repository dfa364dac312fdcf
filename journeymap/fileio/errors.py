"""Typed errors of the file layer, each carrying every problem found.

Messages stay short whatever the file holds, for every reader:

* a value quoted in a message goes through :func:`quoted`, which cuts it to
  :data:`MAX_QUOTED` characters (``'abc…'``);
* :attr:`JourneyFileError.message` lists the first :data:`MAX_LISTED`
  problems, then ``FILE: … and N more problems``.  ``problems`` keeps them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# The model's messages quote values too, and the model is below this layer.
from journeymap.model.validation import MAX_QUOTED, quoted

#: Problems listed in one message; the rest are counted.
MAX_LISTED = 50

__all__ = [
    "MAX_LISTED",
    "MAX_QUOTED",
    "JourneyFileError",
    "MapLoadError",
    "MapSaveError",
    "Problem",
    "quoted",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what it is.

    ``where`` is a place in the file such as ``touchpoints[3].stage`` or
    ``line 4, column 7``; it is empty when the problem is the whole file.
    """

    where: str
    message: str

    def format(self, source: str) -> str:
        if self.where:
            return f"{source}: {self.where}: {self.message}"
        return f"{source}: {self.message}"


class JourneyFileError(Exception):
    """A file could not be read or written.  ``str()`` gives one line a problem,
    at most :data:`MAX_LISTED` of them."""

    def __init__(self, source: str | os.PathLike[str], problems: list[Problem]) -> None:
        self.source = os.fspath(source)
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = [p.format(self.source) for p in self.problems[:MAX_LISTED]]
        unlisted = len(self.problems) - MAX_LISTED
        if unlisted > 0:
            s = "" if unlisted == 1 else "s"
            lines.append(f"{self.source}: … and {unlisted:,} more problem{s}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message


class MapLoadError(JourneyFileError):
    """The map file is missing, unreadable, not JSON or not a valid map."""


class MapSaveError(JourneyFileError):
    """The map could not be written; the file on disk is as it was."""
