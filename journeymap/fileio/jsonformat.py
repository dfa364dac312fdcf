"""The ``.journey.json`` file format, version 1 (see docs/file-format.md).

:func:`load_map` reports every problem in a file at once through
:class:`MapLoadError`, and nothing else escapes it.  :func:`save_map`
writes atomically and keeps the previous version as ``FILE.bak``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeymap.fileio import fastpath
from journeymap.fileio.atomic import write_bytes_atomic
from journeymap.fileio.errors import MapLoadError, MapSaveError, Problem
from journeymap.gcpause import collector_paused
from journeymap.model.entities import (
    Observation,
    Persona,
    Scale,
    Stage,
    TouchPoint,
    Transition,
)
from journeymap.model.journey import JourneyMap
from journeymap.model.validation import (
    observation_problems,
    persona_problems,
    scale_problems,
    stage_problems,
    touchpoint_problems,
    transition_problems,
)

FORMAT_NAME = "journeymap"
FORMAT_VERSION = 1
FILE_SUFFIX = ".journey.json"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_MISSING = object()

# Known keys of each record, in the order they are written.
_TOP_KEYS = (
    "format",
    "version",
    "title",
    "scale",
    "personas",
    "stages",
    "touchpoints",
    "transitions",
    "observations",
)
_SCALE_KEYS = ("min", "max")
_PERSONA_KEYS = ("id", "name", "goal")
_STAGE_KEYS = ("id", "name", "description")
_TOUCHPOINT_KEYS = ("id", "name", "stage", "channel", "description", "critical", "position")
_TRANSITION_KEYS = ("source", "target", "label", "kind")
_OBSERVATION_KEYS = (
    "id",
    "touchpoint",
    "method",
    "observer",
    "date",
    "persona",
    "expectation",
    "reality",
    "minimum",
    "emotion",
    "note",
    "quote",
    "tags",
    "photos",
)


# ---------------------------------------------------------------------------
# Reading


class _Reader:
    """Turns parsed JSON into records, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._reported: set[str] = set()

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))
        self._reported.add(where)

    def add_all(self, where: str, found: list[tuple[str, str]]) -> None:
        """Add a record's semantic problems, except on fields already reported."""
        for name, message in found:
            place = f"{where}.{name}"
            if place not in self._reported:
                self.add(place, message)

    # Field readers.  Each returns a usable value even when it reports a
    # problem, so that one bad field does not hide the problems after it.

    def text(self, raw: dict, key: str, where: str, *, required: bool = False) -> str:
        value = raw.get(key, _MISSING)
        if type(value) is str:
            return value
        if value is _MISSING or value is None:
            if required:
                self.add(f"{where}.{key}", "is missing")
        else:
            self.add(f"{where}.{key}", f"must be a string, not {_json_type(value)}")
        return ""

    def optional_text(self, raw: dict, key: str, where: str) -> str | None:
        value = raw.get(key)
        if value is None or type(value) is str:
            return value
        self.add(f"{where}.{key}", f"must be a string or null, not {_json_type(value)}")
        return None

    def number(self, raw: dict, key: str, where: str) -> float | None:
        value = raw.get(key)
        if value is None:
            return None
        if type(value) is int or (type(value) is float and math.isfinite(value)):
            return value
        if type(value) is float:
            self.add(f"{where}.{key}", f"must be a finite number, not {value}")
        else:
            self.add(f"{where}.{key}", f"must be a number or null, not {_json_type(value)}")
        return None

    def boolean(self, raw: dict, key: str, where: str) -> bool:
        value = raw.get(key, False)
        if type(value) is bool:
            return value
        self.add(f"{where}.{key}", f"must be true or false, not {_json_type(value)}")
        return False

    def text_list(self, raw: dict, key: str, where: str) -> list[str]:
        value = raw.get(key)
        if value is None:
            return []
        if type(value) is not list:
            self.add(f"{where}.{key}", f"must be a list of strings, not {_json_type(value)}")
            return []
        for i, item in enumerate(value):
            if type(item) is not str:
                self.add(f"{where}.{key}[{i}]", f"must be a string, not {_json_type(item)}")
        return [item for item in value if type(item) is str]

    def date(self, raw: dict, key: str, where: str) -> dt.date | None:
        value = raw.get(key)
        if value is None:
            return None
        if type(value) is str and _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.add(f"{where}.{key}", f"must be a date written YYYY-MM-DD, not {_short(value)}")
        return None

    def position(self, raw: dict, where: str) -> tuple[float, float] | None:
        value = raw.get("position")
        if value is None:
            return None
        if isinstance(value, dict):
            x, y = value.get("x"), value.get("y")
            if all(_is_finite(v) for v in (x, y)):
                return (x, y)
        self.add(f"{where}.position", 'must be {"x": number, "y": number}')
        return None

    def extras(self, raw: dict, known: tuple[str, ...], where: str) -> dict[str, Any]:
        if len(raw) <= len(known) and all(k in known for k in raw):
            return {}
        extra = {k: v for k, v in raw.items() if k not in known}
        for key, value in extra.items():
            self.check_finite(value, f"{where}.{key}")
        return extra

    def check_finite(self, value: Any, where: str) -> None:
        # JSON has no NaN or Infinity; a file holding them could not be saved.
        if type(value) is float and not math.isfinite(value):
            self.add(where, f"must be a finite number, not {value}")
        elif isinstance(value, dict):
            for k, v in value.items():
                self.check_finite(v, f"{where}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self.check_finite(v, f"{where}[{i}]")

    def array(self, doc: dict, key: str) -> list:
        value = doc.get(key, [])
        if type(value) is list:
            return value
        self.add(key, f"must be an array, not {_json_type(value)}")
        return []

    def records(
        self,
        doc: dict,
        key: str,
        read: Callable[[dict, str], Any],
        ident: Callable[[Any], Any],
        describe: Callable[[Any], str],
    ) -> tuple[list[Any], set]:
        """Read the array ``key`` with ``read``; report duplicate identities."""
        out: list[Any] = []
        seen: set = set()
        for i, raw in enumerate(self.array(doc, key)):
            if type(raw) is not dict:
                self.add(f"{key}[{i}]", f"must be an object, not {_json_type(raw)}")
                continue
            record = read(raw, f"{key}[{i}]")
            ident_value = ident(record)
            if ident_value in seen:
                self.add(f"{key}[{i}]", f"duplicate {describe(record)}")
                continue
            seen.add(ident_value)
            out.append(record)
        return out, seen


def _is_finite(value: Any) -> bool:
    return (type(value) is int or type(value) is float) and math.isfinite(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {_short(value)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
        # NaN and Infinity parse to floats and are reported with their place.
        doc = json.loads(text)
        lone = _lone_surrogates(doc, "") if _SURROGATE_ESCAPE.search(text) else []
        return (None, lone) if lone else (doc, [])
    except json.JSONDecodeError as exc:
        return None, [Problem(f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}")]
    except RecursionError:
        return None, [Problem("", "invalid JSON: nested too deeply")]
    except ValueError as exc:  # e.g. an integer with more digits than Python allows
        return None, [Problem("", f"invalid JSON: {exc}")]


def _lone_surrogates(value: Any, where: str) -> list[Problem]:
    """Strings holding half of a UTF-16 pair (from an escape like \\ud800).

    Python accepts them, but no UTF-8 file can hold them, so such a map
    could never be saved again.
    """
    found: list[Problem] = []
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            code = ord(value[exc.start])
            found.append(
                Problem(
                    where or "(top level)",
                    f"holds \\u{code:04x}, half of a surrogate pair, which is not a character",
                )
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            place = f"{where}.{key}" if where else key
            found += _lone_surrogates(key, place) + _lone_surrogates(item, place)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _lone_surrogates(item, f"{where}[{i}]")
    return found


def _read_header(r: _Reader, doc: Any) -> bool:
    """Check format and version; False when the rest cannot be read."""
    if type(doc) is not dict:
        r.add("", f"not a journey map: the top level must be an object, not {_json_type(doc)}")
        return False
    if doc.get("format") != FORMAT_NAME:
        found = doc.get("format", _MISSING)
        shown = "it is missing" if found is _MISSING else f"found {_short(found)}"
        r.add("format", f'not a journey map: "format" must be "{FORMAT_NAME}" ({shown})')
        return False
    version = doc.get("version", _MISSING)
    if type(version) is not int:
        shown = "missing" if version is _MISSING else _json_type(version)
        r.add("version", f"must be a whole number, not {shown}")
        return False
    if version > FORMAT_VERSION:
        r.add(
            "version",
            f"the file is format version {version}, written by a newer journeymap; "
            f"this version reads up to version {FORMAT_VERSION}. Please upgrade journeymap.",
        )
        return False
    if version < 1:
        r.add("version", f"unknown format version {version}")
        return False
    return True


def map_from_document(doc: Any) -> tuple[JourneyMap | None, list[Problem]]:
    """Build a map from parsed JSON, or report every problem in it."""
    r = _Reader()
    if not _read_header(r, doc):
        return None, r.problems

    title = r.text(doc, "title", "title")
    scale = Scale()
    raw_scale = doc.get("scale")
    if raw_scale is not None:
        if type(raw_scale) is dict:
            lo = r.number(raw_scale, "min", "scale")
            hi = r.number(raw_scale, "max", "scale")
            scale = Scale(
                1 if lo is None else lo,
                5 if hi is None else hi,
                r.extras(raw_scale, _SCALE_KEYS, "scale"),
            )
            r.add_all("scale", scale_problems(scale))
        else:
            r.add("scale", f'must be {{"min": number, "max": number}}, not {_json_type(raw_scale)}')

    def read_persona(raw: dict, where: str) -> Persona:
        p = Persona(
            r.text(raw, "id", where, required=True),
            r.text(raw, "name", where, required=True),
            r.text(raw, "goal", where),
            r.extras(raw, _PERSONA_KEYS, where),
        )
        r.add_all(where, persona_problems(p))
        return p

    personas, persona_ids = r.records(
        doc, "personas", read_persona, lambda p: p.id, lambda p: f"persona id {p.id!r}"
    )

    def read_stage(raw: dict, where: str) -> Stage:
        s = Stage(
            r.text(raw, "id", where, required=True),
            r.text(raw, "name", where, required=True),
            r.text(raw, "description", where),
            r.extras(raw, _STAGE_KEYS, where),
        )
        r.add_all(where, stage_problems(s))
        return s

    stages, stage_ids = r.records(
        doc, "stages", read_stage, lambda s: s.id, lambda s: f"stage id {s.id!r}"
    )

    def read_touchpoint(raw: dict, where: str) -> TouchPoint:
        tp = TouchPoint(
            id=r.text(raw, "id", where, required=True),
            name=r.text(raw, "name", where, required=True),
            stage=r.text(raw, "stage", where, required=True),
            channel=r.text(raw, "channel", where) or "in-person",
            description=r.text(raw, "description", where),
            critical=r.boolean(raw, "critical", where),
            position=r.position(raw, where),
            extra=r.extras(raw, _TOUCHPOINT_KEYS, where),
        )
        r.add_all(where, touchpoint_problems(tp, stage_ids))
        return tp

    touchpoints = fastpath.touchpoints(doc.get("touchpoints"), _TOUCHPOINT_KEYS, stage_ids)
    if touchpoints is not None:
        tp_ids = {t.id for t in touchpoints}
    else:
        touchpoints, tp_ids = r.records(
            doc,
            "touchpoints",
            read_touchpoint,
            lambda t: t.id,
            lambda t: f"touch point id {t.id!r}",
        )

    def read_transition(raw: dict, where: str) -> Transition:
        tr = Transition(
            source=r.text(raw, "source", where, required=True),
            target=r.text(raw, "target", where, required=True),
            label=r.text(raw, "label", where),
            kind=r.text(raw, "kind", where) or "main",
            extra=r.extras(raw, _TRANSITION_KEYS, where),
        )
        r.add_all(where, transition_problems(tr, tp_ids))
        return tr

    transitions = fastpath.transitions(doc.get("transitions"), _TRANSITION_KEYS, tp_ids)
    if transitions is None:
        transitions, _ = r.records(
            doc,
            "transitions",
            read_transition,
            lambda t: t.key,
            lambda t: f"transition {t.source!r} -> {t.target!r}",
        )

    def read_observation(raw: dict, where: str) -> Observation:
        obs = Observation(
            id=r.text(raw, "id", where, required=True),
            touchpoint=r.text(raw, "touchpoint", where, required=True),
            method=r.text(raw, "method", where, required=True),
            observer=r.text(raw, "observer", where),
            date=r.date(raw, "date", where),
            persona=r.optional_text(raw, "persona", where),
            expectation=r.number(raw, "expectation", where),
            reality=r.number(raw, "reality", where),
            minimum=r.number(raw, "minimum", where),
            emotion=r.number(raw, "emotion", where),
            note=r.text(raw, "note", where),
            quote=r.text(raw, "quote", where),
            tags=r.text_list(raw, "tags", where),
            photos=r.text_list(raw, "photos", where),
            extra=r.extras(raw, _OBSERVATION_KEYS, where),
        )
        r.add_all(where, observation_problems(obs, tp_ids, persona_ids, scale))
        return obs

    observations = fastpath.observations(
        doc.get("observations"), _OBSERVATION_KEYS, tp_ids, persona_ids, scale
    )
    if observations is None:
        observations, _ = r.records(
            doc,
            "observations",
            read_observation,
            lambda o: o.id,
            lambda o: f"observation id {o.id!r}",
        )

    extra = {k: v for k, v in doc.items() if k not in _TOP_KEYS}
    for key, value in extra.items():
        r.check_finite(value, key)
    if r.problems:
        return None, r.problems
    return (
        JourneyMap.from_records(
            title=title,
            scale=scale,
            personas=personas,
            stages=stages,
            touchpoints=touchpoints,
            transitions=transitions,
            observations=observations,
            extra=extra,
            validate=False,
        ),
        [],
    )


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
        raise MapLoadError(source, [Problem("", f"cannot read the map: {exc!r}")]) from exc
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


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Write optional fields only when they say something, to keep files small."""
    if value is None or value == "" or value == []:
        return
    out[key] = value


def map_to_document(journey: JourneyMap) -> dict[str, Any]:
    """The JSON document of a map, with unknown keys after the known ones."""
    scale = journey.scale
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "title": journey.title,
        "scale": {"min": scale.min, "max": scale.max, **scale.extra},
        "personas": [],
        "stages": [],
        "touchpoints": [],
        "transitions": [],
        "observations": [],
    }
    for p in journey.personas:
        item = {"id": p.id, "name": p.name}
        _put(item, "goal", p.goal)
        doc["personas"].append({**item, **p.extra})
    for s in journey.stages:
        item = {"id": s.id, "name": s.name}
        _put(item, "description", s.description)
        doc["stages"].append({**item, **s.extra})
    for tp in journey.touchpoints:
        item = {"id": tp.id, "name": tp.name, "stage": tp.stage, "channel": tp.channel}
        _put(item, "description", tp.description)
        item["critical"] = tp.critical
        if tp.position is not None:
            item["position"] = {"x": tp.position[0], "y": tp.position[1]}
        doc["touchpoints"].append({**item, **tp.extra})
    for tr in journey.transitions:
        item = {"source": tr.source, "target": tr.target, "label": tr.label, "kind": tr.kind}
        doc["transitions"].append({**item, **tr.extra})
    for o in journey.observations:
        item = {"id": o.id, "touchpoint": o.touchpoint, "method": o.method}
        _put(item, "observer", o.observer)
        _put(item, "date", o.date.isoformat() if o.date else None)
        _put(item, "persona", o.persona)
        for name in ("expectation", "reality", "minimum", "emotion"):
            _put(item, name, getattr(o, name))
        _put(item, "note", o.note)
        _put(item, "quote", o.quote)
        _put(item, "tags", list(o.tags))
        _put(item, "photos", list(o.photos))
        doc["observations"].append({**item, **o.extra})
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
