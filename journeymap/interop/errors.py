"""Errors of importers and exporters, and the rules that keep their messages short.

An import reports every problem it finds, but a message lists at most
:data:`MAX_LISTED` of them and then says how many more there are, and a value
quoted in a message is cut to :data:`MAX_QUOTED` characters: a million bad
rows, or one cell of 400 MB, still make a message of a few kilobytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

# One rule for every message (the map loader's too): listed here for importers.
from journeymap.fileio.errors import MAX_LISTED as MAX_LISTED
from journeymap.fileio.errors import JourneyFileError, Problem
from journeymap.model.validation import MAX_QUOTED as MAX_QUOTED
from journeymap.model.validation import quoted as quoted

#: Bytes an importer reads from one file unless told otherwise (``max_bytes``).
MAX_BYTES = 100_000_000


def size_text(size: int) -> str:
    """Bytes in words: ``412.3 MB``, ``980 bytes``."""
    return f"{size / 1_000_000:,.1f} MB" if size >= 1_000_000 else f"{size:,} bytes"


def more_problems(count: int) -> str:
    return f"… and {count:,} more problem{'' if count == 1 else 's'}"


class ProblemList:
    """Problems as they are found: the first :data:`MAX_LISTED` kept, the rest counted."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, where: str | int, message: str) -> None:
        """Note a problem at ``where``: a line number, or a place such as a cell."""
        if len(self.kept) < MAX_LISTED:
            self.kept.append(Problem(str(where), message))
        else:
            self.more += 1

    def append(self, problem: Problem) -> None:
        self.add(problem.where, problem.message)

    @property
    def total(self) -> int:
        return len(self.kept) + self.more

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_if_any(self, source: str | os.PathLike[str]) -> None:
        if self.kept:
            raise ImportProblemError(source, self.kept, self.more)


class ImportProblemError(JourneyFileError):
    """A file to import has problems; nothing was changed or written.

    Each problem's ``where`` is a line (``12``) or a place, so that ``str()``
    reads ``FILE:12: problem`` for line-based formats.  ``problems`` holds at
    most :data:`MAX_LISTED` problems; ``more`` counts the ones left out and
    ``total`` is how many there are in all.
    """

    def __init__(
        self,
        source: str | os.PathLike[str],
        problems: Iterable[Problem],
        more: int = 0,
    ) -> None:
        problems = list(problems)
        self.more = more + max(0, len(problems) - MAX_LISTED)
        super().__init__(source, problems[:MAX_LISTED])

    @property
    def total(self) -> int:
        return len(self.problems) + self.more

    @property
    def message(self) -> str:
        lines = []
        for p in self.problems:
            if p.where.isdigit():
                lines.append(f"{self.source}:{p.where}: {p.message}")
            else:
                lines.append(p.format(self.source))
        if self.more:
            lines.append(f"{self.source}: {more_problems(self.more)}")
        return "\n".join(lines)


class ExportError(JourneyFileError):
    """An export could not be written; no partial file was left behind."""


def too_big(
    source: str, size: int | None, max_bytes: int, what: str = "the file", where: str = ""
) -> ImportProblemError:
    """The error for a file (or a part of one) over ``max_bytes``; ``size`` None: unknown."""
    limit = size_text(max_bytes)
    if size is None:
        amount = "is over"
    elif size_text(size) == limit:  # "100.0 MB, over the limit of 100.0 MB" would puzzle
        amount, limit = f"is {size:,} bytes, over", f"{max_bytes:,} bytes"
    else:
        amount = f"is {size_text(size)}, over"
    message = (
        f"{what} {amount} the limit of {limit} for an imported file "
        "(the limit can be raised; see docs/interop.md)"
    )
    return ImportProblemError(source, [Problem(where, message)])


def read_bytes_limited(path: str | os.PathLike[str], max_bytes: int | None = MAX_BYTES) -> bytes:
    """A file's bytes, refusing a file over ``max_bytes`` (None: no limit).

    At most ``max_bytes + 1`` bytes are ever read, so a device or a file that
    grows while it is read cannot fill the memory.

    Raises
    ------
    ImportProblemError
        When the file cannot be read or is too big.
    """
    source = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            if max_bytes is None:
                return handle.read()
            try:
                size = os.fstat(handle.fileno()).st_size
            except OSError:
                size = 0
            if size > max_bytes:
                raise too_big(source, size, max_bytes)
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        problem = Problem("", f"cannot read the file: {exc.strerror or exc}")
        raise ImportProblemError(source, [problem]) from exc
    if len(data) > max_bytes:
        raise too_big(source, None, max_bytes)
    return data


def read_utf8(path: str | os.PathLike[str], advice: str = "", max_bytes: int | None = None) -> str:
    """A file's text, UTF-8 with or without a BOM, refusing more than ``max_bytes``.

    Raises
    ------
    ImportProblemError
        Naming the file, and the line of the first byte that is not UTF-8.
    """
    source = os.fspath(path)
    data = read_bytes_limited(path, max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = "not UTF-8 text" + (f"; {advice}" if advice else "")
        raise ImportProblemError(source, [Problem(str(line), message)]) from exc
