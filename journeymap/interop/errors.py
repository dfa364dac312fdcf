"""Errors of importers and exporters."""

from __future__ import annotations

import os
from pathlib import Path

from journeymap.fileio.errors import JourneyFileError, Problem


class ImportProblemError(JourneyFileError):
    """A file to import has problems; nothing was changed or written.

    Each problem's ``where`` is a line (``12``) or a place, so that ``str()``
    reads ``FILE:12: problem`` for line-based formats.
    """

    @property
    def message(self) -> str:
        lines = []
        for p in self.problems:
            if p.where.isdigit():
                lines.append(f"{self.source}:{p.where}: {p.message}")
            else:
                lines.append(p.format(self.source))
        return "\n".join(lines)


class ExportError(JourneyFileError):
    """An export could not be written; no partial file was left behind."""


def read_utf8(path: str | os.PathLike[str], advice: str = "") -> str:
    """A file's text, UTF-8 with or without a BOM.

    Raises
    ------
    ImportProblemError
        Naming the file, and the line of the first byte that is not UTF-8.
    """
    source = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        problem = Problem("", f"cannot read the file: {exc.strerror or exc}")
        raise ImportProblemError(source, [problem]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = "not UTF-8 text" + (f"; {advice}" if advice else "")
        raise ImportProblemError(source, [Problem(str(line), message)]) from exc
