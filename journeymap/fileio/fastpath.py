"""Bulk readers for the common case: a large, sound map.

Each reader returns the records when column-wise checks show that every one
of them is sound, and None otherwise; the careful reader in
:mod:`journeymap.fileio.jsonformat` then finds and reports each problem.
The checks here must never accept anything the careful reader would report:
``tests/test_loader_properties.py`` loads corrupted files both ways.

Why: a map of 5,000 touch points has 50,000 observations, and reading them
record by record, field by field, took longer than parsing the JSON.  Here
one pass over the JSON objects builds the records (each object is visited
once, while it is in the CPU cache), and the checks then run a column at a
time over the new, compact records with ``map`` and sets, mostly in C.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any

from journeymap.model.entities import (
    CHANNELS,
    METHODS,
    SCORE_FIELDS,
    TRANSITION_KINDS,
    Observation,
    Scale,
    TouchPoint,
    Transition,
)
from journeymap.model.validation import photo_path_problem

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_CHANNELS = frozenset(CHANNELS)
_METHODS = frozenset(METHODS)
_KINDS = frozenset(TRANSITION_KINDS)
_NONE = type(None)
_SCORE_TYPES = {int, float, _NONE}


def _objects(raw: Any) -> list[dict] | None:
    """``raw`` if it is a list of JSON objects, [] if absent, else None."""
    if raw is None:
        return []
    if type(raw) is not list or set(map(type, raw)) - {dict}:
        return None
    return raw


def _column(records: list[Any], name: str) -> list[Any]:
    return list(map(operator.attrgetter(name), records))


def _all_plain(records: list[Any]) -> bool:
    """No record had keys this version does not know (those need the careful reader)."""
    return None not in map(operator.attrgetter("extra"), records)


def _only(values: Iterable[Any], *types: type) -> bool:
    return not set(map(type, values)) - set(types)


def _sound_ids(ids: list[Any]) -> bool:
    """Strings, none blank, none repeated."""
    return _only(ids, str) and all(map(str.strip, ids)) and len(set(ids)) == len(ids)


def _or_none(reader: Callable[..., list[Any] | None]) -> Callable[..., list[Any] | None]:
    """Values of the wrong type can be unhashable (a list where an id should
    be) and make the set-based checks raise; that too means "look closer"."""

    @functools.wraps(reader)
    def wrapper(*args: Any) -> list[Any] | None:
        try:
            return reader(*args)
        except TypeError:
            return None

    return wrapper


@_or_none
def touchpoints(raw: Any, known: Iterable[str], stage_ids: set[str]) -> list[TouchPoint] | None:
    objects = _objects(raw)
    if objects is None:
        return None
    known = frozenset(known)
    records = [
        TouchPoint(
            g("id"), g("name"), g("stage"), g("channel", ""),
            g("description", ""), g("critical", False), g("position"),
            {} if o.keys() <= known else None,
        )
        for o in objects
        for g in (o.get,)
    ]  # fmt: skip
    names = _column(records, "name")
    if not (
        _all_plain(records)
        and _sound_ids(_column(records, "id"))
        and _only(names, str)
        and all(map(str.strip, names))
        and set(_column(records, "stage")) <= stage_ids
        and set(_column(records, "channel")) <= _CHANNELS | {"", None}
        and _only(_column(records, "description"), str, _NONE)
        and _only(_column(records, "critical"), bool)
    ):
        return None
    _fill(records, "channel", "in-person", falsy=True)
    _fill(records, "description", "")
    for tp in records:
        if tp.position is not None:
            position = tp.position
            if type(position) is not dict:
                return None
            x, y = position.get("x"), position.get("y")
            if not (_finite(x) and _finite(y)):
                return None
            tp.position = (x, y)
    return records


@_or_none
def transitions(raw: Any, known: Iterable[str], tp_ids: set[str]) -> list[Transition] | None:
    objects = _objects(raw)
    if objects is None:
        return None
    known = frozenset(known)
    records = [
        Transition(
            g("source"), g("target"), g("label", ""), g("kind", ""),
            {} if o.keys() <= known else None,
        )
        for o in objects
        for g in (o.get,)
    ]  # fmt: skip
    keys = [(t.source, t.target) for t in records]
    if not (
        _all_plain(records)
        and set(_column(records, "source")) <= tp_ids
        and set(_column(records, "target")) <= tp_ids
        and len(set(keys)) == len(keys)
        and _only(_column(records, "label"), str, _NONE)
        and set(_column(records, "kind")) <= _KINDS | {"", None}
    ):
        return None
    _fill(records, "label", "")
    _fill(records, "kind", "main", falsy=True)
    return records


@_or_none
def observations(
    raw: Any, known: Iterable[str], tp_ids: set[str], persona_ids: set[str], scale: Scale
) -> list[Observation] | None:
    objects = _objects(raw)
    if objects is None:
        return None
    known = frozenset(known)
    records = [
        Observation(
            g("id"), g("touchpoint"), g("method"), g("observer", ""), g("date"),
            g("persona"), g("expectation"), g("reality"), g("minimum"), g("emotion"),
            g("note", ""), g("quote", ""), g("tags", []), g("photos", []),
            {} if o.keys() <= known else None,
        )
        for o in objects
        for g in (o.get,)
    ]  # fmt: skip
    if not (
        _all_plain(records)
        and _sound_ids(_column(records, "id"))
        and set(_column(records, "touchpoint")) <= tp_ids
        and set(_column(records, "method")) <= _METHODS
        and set(_column(records, "persona")) <= persona_ids | {None}
        and all(_only(_column(records, name), str, _NONE) for name in ("observer", "note", "quote"))
    ):
        return None
    for name in ("observer", "note", "quote"):
        _fill(records, name, "")
    lo, hi = scale.min, scale.max
    for name in SCORE_FIELDS:
        values = [v for v in _column(records, name) if v is not None]
        kinds = set(map(type, values))
        if kinds - _SCORE_TYPES:
            return None
        if float in kinds:
            # Comparisons are False for NaN, and infinities lie outside the scale.
            if not all(lo <= v <= hi for v in values):
                return None
        elif values and not (lo <= min(values) and max(values) <= hi):
            return None
    for name in ("tags", "photos"):
        present = [v for v in _column(records, name) if v is not None]
        if not _only(present, list) or not all(
            type(item) is str for value in present for item in value
        ):
            return None
        if name == "photos" and any(photo_path_problem(p) for v in present for p in v):
            return None
        if len(present) < len(records):
            for record in records:
                if getattr(record, name) is None:
                    setattr(record, name, [])
    dates: dict[Any, dt.date | None] = {None: None}
    for text in set(_column(records, "date")) - {None}:
        if type(text) is not str or not DATE.match(text):
            return None
        try:
            dates[text] = dt.date.fromisoformat(text)
        except ValueError:
            return None
    for record in records:
        record.date = dates[record.date]
    return records


def _fill(records: list[Any], name: str, default: str, *, falsy: bool = False) -> None:
    """Give ``default`` to records whose field was null (or empty, with ``falsy``),
    as the careful reader does.  Checked first so sound columns cost one pass."""
    values = set(_column(records, name))
    if None in values or (falsy and "" in values):
        for record in records:
            if getattr(record, name) in (None, "") if falsy else getattr(record, name) is None:
                setattr(record, name, default)


def _finite(value: Any) -> bool:
    return (type(value) is int or type(value) is float) and math.isfinite(value)
