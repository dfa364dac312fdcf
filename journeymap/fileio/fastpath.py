"""The bulk reader for the common case: a large, sound map.

:func:`records` returns the records of an array when column-wise checks show
that every one of them is sound, and None otherwise; the careful reader
(:mod:`journeymap.fileio.reader`) then finds and reports each problem.  The
checks here must never accept anything the careful reader would report:
``tests/test_loader_properties.py`` loads corrupted files both ways.

Both are driven by the same :class:`~journeymap.fileio.specs.RecordSpec`:
the checks of a column follow from its field's type and constraints.

Why: a map of 5,000 touch points has 50,000 observations, and reading them
record by record, field by field, took longer than parsing the JSON.  Here
one pass over the JSON objects builds the records, by keyword, straight from
each object (``cls(**obj)``: an unknown key is an unexpected keyword, an
absent one takes the class's default, which is also the spec's).  The
checks then run a column at a time over the new, compact records with
``map`` and sets, mostly in C, and each column is taken once.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

from journeymap.fileio.reader import DATE_PATTERN
from journeymap.fileio.specs import (
    BOOL,
    DATE,
    EXTRA,
    NUMBER,
    OPTIONAL_TEXT,
    POSITION,
    SCALE,
    TEXT,
    TEXT_LIST,
    Field,
    RecordSpec,
    Type,
)
from journeymap.model.entities import POSITION_LIMIT, SCORE_LIMIT
from journeymap.model.validation import is_within

_NONE = type(None)


def records(
    spec: RecordSpec, raw: Any, context: Mapping[str, Any]
) -> tuple[list[Any], set[Any]] | None:
    """The records of ``spec`` in the array ``raw`` and the set of their
    identities (ids), or None to look closer.

    ``context`` holds the ids of the arrays read before (by array name) and
    the map's scale (``SCALE``).
    """
    if type(raw) is not list:
        return None
    if not raw:
        return [], set()
    try:
        built = _build(spec, raw)
        # All the columns in one pass over the records.
        columns = zip(*map(attrgetter(EXTRA, *(f.attr for f in spec.fields)), built), strict=True)
        next(columns)  # the extras: empty, as the records were built with none
        final: dict[str, Sequence[Any]] = {}
        for f, column in zip(spec.fields, columns, strict=True):
            checked = _CHECKS[f.type](f, column, context)
            if checked is None:
                return None
            final[f.attr] = checked
        identities = (
            final[spec.identity[0]]
            if len(spec.identity) == 1
            else list(zip(*(final[name] for name in spec.identity), strict=True))
        )
        unique = set(identities)
        if len(unique) != len(identities):
            return None
    except TypeError:
        # A key the class does not know, a required one absent, or a value
        # of the wrong type that cannot be hashed (a list where an id should
        # be): all mean "look closer".
        return None
    for attr, values in final.items():
        if type(values) is list:  # changed: defaults filled in, values converted
            deque(map(setattr, built, repeat(attr), values), maxlen=0)
    if spec.check_all is not None and spec.check_all(built):
        return None  # the careful reader reports each with its place
    return built, unique


def _build(spec: RecordSpec, objects: list[dict]) -> list[Any]:
    """The records, by keyword: an unknown key raises TypeError, and so does a
    key "extra", which would be given twice."""
    cls = spec.record
    if not spec.key_of:
        # (``**`` raises TypeError too for an item that is not an object.)
        return [cls(**o, extra={}) for o in objects]
    known = frozenset(spec.keys)
    if set(map(type, objects)) - {dict} or not all(o.keys() <= known for o in objects):
        raise TypeError("unknown keys")
    attr = {f.key: f.attr for f in spec.fields}
    return [cls(**{attr[k]: v for k, v in o.items()}, extra={}) for o in objects]


# Checks of one column (a tuple, one value a record).  Each returns None when
# a value is not sound, the column when all are sound as they are, or a new
# list with what the careful reader would have made of them (defaults filled
# in, dates parsed).

Column = tuple[Any, ...]
Check = Callable[[Field, Column, Mapping[str, Any]], Sequence[Any] | None]


def _text(f: Field, column: Column, context: Mapping[str, Any]) -> Sequence[Any] | None:
    # What the careful reader turns into the default: null, and "" too when
    # the default says something ("in-person").
    to_default = () if f.required else (None, "") if f.default else (None,)
    values: Iterable[Any]
    if f.choices is not None or f.ref is not None:
        allowed = f.choices if f.choices is not None else context[f.ref]
        values = set(column)
        if not values <= (allowed.union(to_default) if to_default else allowed):
            return None
        fill = not values.isdisjoint(to_default)
    elif f.nonblank and not to_default:
        # str.strip raises TypeError for anything but a string.
        values = column
        fill = False
    else:
        # Only the types: hashing every note would cost more than the check.
        types = set(map(type, column))
        if types - ({str, _NONE} if to_default else {str}):
            return None
        values = column
        fill = _NONE in types or ("" in to_default and "" in column)
    if f.nonblank and not all(map(str.strip, values)):
        return None
    return [f.default if v in to_default else v for v in column] if fill else column


def _optional_text(f: Field, column: Column, context: Mapping[str, Any]) -> Column | None:
    if f.ref is not None:
        sound = set(column) <= context[f.ref] | {None}
    else:
        sound = not set(map(type, column)) - {str, _NONE}
    return column if sound else None


def _number(f: Field, column: Column, context: Mapping[str, Any]) -> Sequence[Any] | None:
    types = set(map(type, column))
    if types - {int, float, _NONE}:
        return None
    values = [v for v in column if v is not None] if _NONE in types else column
    # Within the limit, and a score within the scale too (whose bounds may
    # be beyond the limit: the careful reader reports those and reads on).
    lo, hi = f.bounds if f.bounds is not None else (-SCORE_LIMIT, SCORE_LIMIT)
    if f.in_scale:
        lo, hi = max(lo, context[SCALE].min), min(hi, context[SCALE].max)
    if float in types:
        # Comparisons are False for NaN, and infinities lie outside the limit.
        if not all(lo <= v <= hi for v in values):
            return None
    elif values and not (lo <= min(values) and max(values) <= hi):
        return None
    if f.default is not None and _NONE in types:
        return [f.default if v is None else v for v in column]
    return column


def _boolean(f: Field, column: Column, context: Mapping[str, Any]) -> Column | None:
    return None if set(map(type, column)) - {bool} else column


def _text_list(f: Field, column: Column, context: Mapping[str, Any]) -> Sequence[Any] | None:
    types = set(map(type, column))
    if types - {list, _NONE}:
        return None
    # Most lists are empty: filter(None, ...) passes over them in C.
    items = list(chain.from_iterable(filter(None, column)))
    if set(map(type, items)) - {str}:
        return None
    if f.item_problem and any(map(f.item_problem, items)):
        return None
    if _NONE in types:
        return [list(f.default) if v is None else v for v in column]
    return column


def _date(f: Field, column: Column, context: Mapping[str, Any]) -> Sequence[Any] | None:
    dates: dict[Any, dt.date | None] = {None: f.default}
    for text in set(column) - {None}:
        if type(text) is not str or not DATE_PATTERN.match(text):
            return None
        try:
            dates[text] = dt.date.fromisoformat(text)
        except ValueError:
            return None
    return list(map(dates.__getitem__, column)) if len(dates) > 1 else column


def _position(f: Field, column: Column, context: Mapping[str, Any]) -> Sequence[Any] | None:
    if column.count(None) == len(column):
        return column
    values = []
    for value in column:
        if value is not None:
            if type(value) is not dict:
                return None
            x, y = value.get("x"), value.get("y")
            if not (is_within(x, POSITION_LIMIT) and is_within(y, POSITION_LIMIT)):
                return None
            value = (x, y)
        values.append(value)
    return values


_CHECKS: dict[Type, Check] = {
    TEXT: _text,
    OPTIONAL_TEXT: _optional_text,
    NUMBER: _number,
    BOOL: _boolean,
    TEXT_LIST: _text_list,
    DATE: _date,
    POSITION: _position,
}
