"""The ``.journey.json`` file format (see docs/file-format.md).

:func:`load_map` reports every problem in a file at once through
:class:`MapLoadError`, and nothing else escapes it.  :func:`save_map`
writes atomically and keeps the previous version as ``FILE.bak``.

What each record looks like in the file is declared once, in
:mod:`journeymap.fileio.specs`; reading (:mod:`~journeymap.fileio.reader`
and :mod:`~journeymap.fileio.fastpath`) and writing here follow it.  Older
versions are upgraded before reading (:mod:`journeymap.fileio.versions`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import Any

from journeymap.fileio import fastpath, versions
from journeymap.fileio.atomic import write_bytes_atomic
from journeymap.fileio.errors import MapLoadError, MapSaveError, Problem, quoted
from journeymap.fileio.reader import LongInteger, Reader, cut_place, json_type, member
from journeymap.fileio.specs import (
    DATE,
    EXTRA,
    POSITION,
    RECORDS,
    SCALE,
    SCALE_SPEC,
    TEXT,
    TEXT_LIST,
    TOP_KEYS,
    Field,
    RecordSpec,
)
from journeymap.gcpause import collector_paused
from journeymap.model.entities import Scale
from journeymap.model.journey import JourneyMap

FORMAT_NAME = versions.FORMAT_NAME
#: The version files are written in (``versions.FORMAT_VERSION`` is the
#: one the code reads, so that tests can change it).
FORMAT_VERSION = versions.FORMAT_VERSION
FILE_SUFFIX = ".journey.json"

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_TITLE = Field("title", TEXT, default="")


# ---------------------------------------------------------------------------
# Reading


def _parse_json(data: bytes) -> tuple[Any, list[Problem]]:
    """Decode and parse, turning every failure into a located problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem(
                f"line {line}",
                f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            )
        ]
    if not text.strip():
        return None, [Problem("", "the file is empty")]
    try:
        doc = _json_loads(text)
        lone = _lone_surrogates(doc) if _SURROGATE_ESCAPE.search(text) else []
        return (None, lone) if lone else (doc, [])
    except json.JSONDecodeError as exc:
        return None, [Problem(f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}")]
    except RecursionError:
        return None, [Problem("", "invalid JSON: nested too deeply")]
    except ValueError as exc:
        return None, [Problem("", f"invalid JSON: {quoted(str(exc))}")]


def _json_loads(text: str) -> Any:
    """The parsed JSON.  NaN and Infinity parse to floats, and an integer of
    more digits than Python reads to a :class:`LongInteger`: the reader
    reports each with its place."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:
        # Parsed again, with the hook: only now, as it slows every integer.
        return json.loads(text, parse_int=_int_or_long)


def _int_or_long(text: str) -> int | LongInteger:
    try:
        return int(text)
    except ValueError:
        return LongInteger(text)


def _lone_surrogates(doc: Any) -> list[Problem]:
    """Strings holding half of a UTF-16 pair (from an escape like \\ud800).

    Python accepts them, but no UTF-8 file can hold them, so such a map
    could never be saved again.  (A loop, not recursion: the document may
    nest as deep as the parser allows.)
    """
    found: list[Problem] = []
    todo: list[tuple[Any, str]] = [(doc, "")]
    while todo:
        value, where = todo.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = ord(value[exc.start])
                found.append(
                    Problem(
                        cut_place(where) or "(top level)",
                        f"holds \\u{code:04x}, half of a surrogate pair, which is not a character",
                    )
                )
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                place = member(where, key)
                todo += [(item, place), (key, place)]
        elif isinstance(value, list):
            todo += reversed([(item, f"{where}[{i}]") for i, item in enumerate(value)])
    return found


def map_from_document(doc: Any) -> tuple[JourneyMap | None, list[Problem]]:
    """Build a map from parsed JSON, or report every problem in it."""
    problems = versions.header_problems(doc)
    if problems:
        return None, problems
    doc, problems = versions.upgraded(doc)
    if doc is None:
        return None, problems

    r = Reader()
    title = r.text(doc, _TITLE, _TITLE.key)
    scale = _read_scale(r, doc.get(SCALE))
    # What the records refer to: the ids of each array read so far, the scale.
    context: dict[str, Any] = {SCALE: scale}
    records: dict[str, list[Any]] = {}
    for spec in RECORDS:
        raw = doc.get(spec.array, [])
        found = fastpath.records(spec, raw, context) or r.records(raw, spec, context)
        records[spec.array], context[spec.array] = found

    extra = {k: v for k, v in doc.items() if k not in TOP_KEYS}
    for key, value in extra.items():
        r.check_kept(value, member("", key))
    if r.problems:
        return None, r.problems
    # The arrays' names are from_records' keywords: personas=, stages=, ...
    journey = JourneyMap.from_records(
        title=title, scale=scale, extra=extra, validate=False, **records
    )
    return journey, []


def _read_scale(r: Reader, raw: Any) -> Scale:
    if raw is None:
        return Scale()
    if type(raw) is not dict:
        r.add(SCALE, f'must be {{"min": number, "max": number}}, not {json_type(raw)}')
        return Scale()
    return r.record(SCALE_SPEC, raw, SCALE, {})


def loads(data: bytes | str, source: str = "<map>") -> JourneyMap:
    """Parse a map from bytes or text; ``source`` names it in messages."""
    try:
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        with collector_paused():
            doc, problems = _parse_json(raw)
            journey = None
            if not problems:
                journey, problems = map_from_document(doc)
    except MapLoadError:
        raise
    except Exception as exc:
        # Not expected: every problem of a file is reported with its place.
        problem = Problem("", f"cannot read the map (a bug in journeymap): {quoted(exc)}")
        raise MapLoadError(source, [problem]) from exc
    if problems:
        raise MapLoadError(source, problems)
    assert journey is not None
    return journey


def load_map(path: str | os.PathLike[str]) -> JourneyMap:
    """Read a ``.journey.json`` file.

    Raises
    ------
    MapLoadError
        With every problem found, each naming its place in the file.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise MapLoadError(
            path, [Problem("", f"cannot read the file: {exc.strerror or exc}")]
        ) from exc
    return loads(data, os.fspath(path))


# ---------------------------------------------------------------------------
# Writing

_CONVERT: dict[Any, Callable[[Any], Any]] = {
    DATE: lambda d: d.isoformat() if d is not None else None,
    POSITION: lambda p: {"x": p[0], "y": p[1]} if p is not None else None,
    TEXT_LIST: list,
}


def _writer(spec: RecordSpec) -> Callable[[Any], dict[str, Any]]:
    """The function giving a record's JSON object: known keys in the spec's
    order, optional ones only when they say something (to keep files small),
    then the unknown keys."""
    plan = [(f.key, f.written_always, _CONVERT.get(f.type)) for f in spec.fields]
    values = attrgetter(*(f.attr for f in spec.fields))
    if len(plan) == 1:  # then attrgetter gives the value, not a tuple
        values = (lambda get: lambda record: (get(record),))(values)
    extras = attrgetter(EXTRA)

    def write(record: Any) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for (key, always, convert), value in zip(plan, values(record), strict=False):
            if convert is not None:
                value = convert(value)
            if always or not (value is None or value == "" or value == []):
                item[key] = value
        extra = extras(record)
        return {**item, **extra} if extra else item

    return write


_WRITERS = {spec.array: _writer(spec) for spec in (SCALE_SPEC, *RECORDS)}


def map_to_document(journey: JourneyMap) -> dict[str, Any]:
    """The JSON document of a map, with unknown keys after the known ones."""
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": versions.FORMAT_VERSION,
        "title": journey.title,
        SCALE: _WRITERS[SCALE](journey.scale),
    }
    for spec in RECORDS:
        records = getattr(journey, spec.array)
        if records or not spec.optional:
            doc[spec.array] = list(map(_WRITERS[spec.array], records))
    doc.update(journey.extra)
    return doc


def dumps(journey: JourneyMap) -> str:
    """The map as stable, indented UTF-8 JSON text, ending in a newline."""
    return (
        json.dumps(map_to_document(journey), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )


def save_map(journey: JourneyMap, path: str | os.PathLike[str], *, backup: bool = True) -> None:
    """Write the map atomically; keep the previous file as ``FILE.bak``.

    Raises
    ------
    MapSaveError
        When anything fails; the file on disk is then as it was.
    """
    try:
        data = dumps(journey).encode("utf-8")
        write_bytes_atomic(path, data, backup=backup)
    except OSError as exc:
        raise MapSaveError(path, [Problem("", f"cannot save: {exc.strerror or exc}")]) from exc
    except ValueError as exc:  # a value JSON cannot hold
        raise MapSaveError(path, [Problem("", f"cannot save: {exc}")]) from exc
