"""Errors of importers and exporters."""

from __future__ import annotations

from journeymap.fileio.errors import JourneyFileError


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
