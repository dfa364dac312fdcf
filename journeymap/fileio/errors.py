"""Typed errors of the file layer, each carrying every problem found."""

from __future__ import annotations

import os
from dataclasses import dataclass


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
    """A file could not be read or written.  ``str()`` gives one line a problem."""

    def __init__(self, source: str | os.PathLike[str], problems: list[Problem]) -> None:
        self.source = os.fspath(source)
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return "\n".join(p.format(self.source) for p in self.problems)

    def __str__(self) -> str:
        return self.message


class MapLoadError(JourneyFileError):
    """The map file is missing, unreadable, not JSON or not a valid map."""


class MapSaveError(JourneyFileError):
    """The map could not be written; the file on disk is as it was."""
