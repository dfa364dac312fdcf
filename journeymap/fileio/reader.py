"""The careful reader: parsed JSON to records, reporting every problem with its place.

One generic :meth:`Reader.record` reads any kind of record by walking its
:class:`~journeymap.fileio.specs.RecordSpec`; the field readers below, one
a :class:`~journeymap.fileio.specs.Type`, each return a usable value even
when they report a problem, so that one bad field does not hide the
problems after it.  Then the kind's semantic validator runs on the record.

Values from the file are quoted in messages cut short (:func:`quoted`), and
keys in places too (:func:`member`), so a message stays short and plain text
whatever the file holds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from journeymap.fileio.errors import MAX_QUOTED, Problem, quoted
from journeymap.fileio.specs import (
    BOOL,
    DATE,
    EXTRA,
    NUMBER,
    OPTIONAL_TEXT,
    POSITION,
    TEXT,
    TEXT_LIST,
    Field,
    RecordSpec,
    Type,
)
from journeymap.model.entities import POSITION_LIMIT
from journeymap.model.validation import (
    POSITION_RANGE,
    SCORE_RANGE,
    is_finite_number,
    is_within,
    number_problem,
    number_text,
)

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MISSING = object()
#: Levels of arrays and objects a value of an unknown key may hold; deeper
#: ones could not be written back (the writer recurses).
MAX_NESTING = 64


@dataclass(frozen=True, slots=True)
class LongInteger:
    """An integer of more digits than Python reads (see ``sys.get_int_max_str_digits``).

    The parser gives one in its place, so that the reader reports it there.
    """

    text: str

    @property
    def digits(self) -> int:
        return len(self.text.lstrip("-"))

    def __repr__(self) -> str:
        return f"<a number of {self.digits} digits>"


class Reader:
    """Turns parsed JSON into records, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._reported: set[str] = set()

    def add(self, where: str, message: str) -> None:
        where = cut_place(where)
        self.problems.append(Problem(where, message))
        self._reported.add(where)

    def add_all(self, where: str, found: list[tuple[str, str]], key_of: Mapping[str, str]) -> None:
        """Add a record's semantic problems, except on fields already reported.

        The validator names attributes (``photos[0]``); ``key_of`` gives the
        file's key of those named otherwise.
        """
        for name, message in found:
            attr, bracket, rest = name.partition("[")
            place = cut_place(f"{where}.{key_of.get(attr, attr)}{bracket}{rest}")
            if place not in self._reported:
                self.add(place, message)

    # Field readers, one a field type.

    def text(self, raw: dict, f: Field, where: str) -> str:
        value = raw.get(f.key, _MISSING)
        if type(value) is str:
            return value or f.default
        if value is _MISSING or value is None:
            if f.required:
                self.add(where, "is missing")
        else:
            self.add(where, f"must be a string, not {json_type(value)}")
        return f.default

    def optional_text(self, raw: dict, f: Field, where: str) -> str | None:
        value = raw.get(f.key)
        if value is None or type(value) is str:
            return value
        self.add(where, f"must be a string or null, not {json_type(value)}")
        return None

    def number(self, raw: dict, f: Field, where: str) -> float | None:
        value = raw.get(f.key)
        if value is None:
            return f.default
        if f.bounds is not None and (type(value) in (int, float, LongInteger)):
            lo, hi = f.bounds
            if type(value) is not LongInteger and lo <= value <= hi:
                return value
            shown = json_type(value).removeprefix("the number ")
            self.add(where, f"must be from {number_text(lo)} to {number_text(hi)}, not {shown}")
            return f.default
        if type(value) is int or type(value) is float:
            problem = number_problem(value)
            if problem is None:
                return value
            self.add(where, problem)
            # A finite number beyond the limit is kept: scores are then
            # checked against the scale as written, not against the default.
            return value if is_finite_number(value) else f.default
        if type(value) is LongInteger:
            self.add(where, f"must be {SCORE_RANGE}, not {json_type(value)}")
        else:
            self.add(where, f"must be a number or null, not {json_type(value)}")
        return f.default

    def boolean(self, raw: dict, f: Field, where: str) -> bool:
        value = raw.get(f.key, f.default)
        if type(value) is bool:
            return value
        self.add(where, f"must be true or false, not {json_type(value)}")
        return f.default

    def text_list(self, raw: dict, f: Field, where: str) -> list[str]:
        value = raw.get(f.key)
        if value is None:
            return list(f.default)
        if type(value) is not list:
            self.add(where, f"must be a list of strings, not {json_type(value)}")
            return list(f.default)
        for i, item in enumerate(value):
            if type(item) is not str:
                self.add(f"{where}[{i}]", f"must be a string, not {json_type(item)}")
        return [item for item in value if type(item) is str]

    def date(self, raw: dict, f: Field, where: str) -> dt.date | None:
        value = raw.get(f.key)
        if value is None:
            return f.default
        if type(value) is str and DATE_PATTERN.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.add(where, f"must be a date written YYYY-MM-DD, not {quoted(value)}")
        return f.default

    def position(self, raw: dict, f: Field, where: str) -> tuple[float, float] | None:
        value = raw.get(f.key)
        if value is None:
            return f.default
        if isinstance(value, dict):
            x, y = value.get("x"), value.get("y")
            if is_within(x, POSITION_LIMIT) and is_within(y, POSITION_LIMIT):
                return (x, y)
        self.add(where, f'must be {{"x": number, "y": number}}, each {POSITION_RANGE}')
        return f.default

    # Records.

    def record(self, spec: RecordSpec, raw: dict, where: str, context: Mapping[str, Any]) -> Any:
        """Read one record of ``spec`` from the object ``raw`` found at ``where``."""
        values = {f.attr: _READERS[f.type](self, raw, f, f"{where}.{f.key}") for f in spec.fields}
        values[EXTRA] = self.extras(raw, spec.keys, where)
        record = spec.record(**values)
        if spec.check is not None:
            found = spec.check(record, *(context[name] for name in spec.check_with))
            self.add_all(where, found, spec.key_of)
        return record

    def records(
        self, raw: Any, spec: RecordSpec, context: Mapping[str, Any]
    ) -> tuple[list[Any], set]:
        """Read the array ``raw`` of ``spec``'s records; report repeated identities.

        Returns the records and the set of their identities (their ids).
        """
        out: list[Any] = []
        places: list[str] = []
        seen: set = set()
        if type(raw) is not list:
            self.add(spec.array, f"must be an array, not {json_type(raw)}")
            return out, seen
        identify = spec.identify
        for i, item in enumerate(raw):
            where = f"{spec.array}[{i}]"
            if type(item) is not dict:
                self.add(where, f"must be an object, not {json_type(item)}")
                continue
            record = self.record(spec, item, where, context)
            identity = identify(record)
            if identity in seen:
                shown = map(quoted, identity if len(spec.identity) > 1 else (identity,))
                self.add(where, f"duplicate {spec.duplicate.format(*shown)}")
                continue
            seen.add(identity)
            out.append(record)
            places.append(where)
        if spec.check_all is not None:
            for position, attr, message in spec.check_all(out):
                self.add_all(places[position], [(attr, message)], spec.key_of)
        return out, seen

    def extras(self, raw: dict, known: tuple[str, ...], where: str) -> dict[str, Any]:
        """The keys of ``raw`` this version does not know, kept as they are."""
        if len(raw) <= len(known) and all(k in known for k in raw):
            return {}
        extra = {k: v for k, v in raw.items() if k not in known}
        for key, value in extra.items():
            self.check_kept(value, member(where, key))
        return extra

    def check_kept(self, value: Any, where: str, depth: int = 0) -> None:
        """Report what in ``value``, kept as it is, could not be written back:
        NaN and Infinity (JSON has none), integers too long to read, and
        arrays and objects nested more than :data:`MAX_NESTING` deep."""
        if type(value) is float and not math.isfinite(value):
            self.add(where, f"must be a finite number, not {value}")
        elif type(value) is LongInteger:
            self.add(where, f"is {json_type(value)}, too long to read")
        elif (type(value) is dict or type(value) is list) and depth >= MAX_NESTING:
            self.add(where, f"nests arrays and objects more than {MAX_NESTING} levels deep")
        elif type(value) is dict:
            for k, v in value.items():
                self.check_kept(v, member(where, k), depth + 1)
        elif type(value) is list:
            for i, v in enumerate(value):
                self.check_kept(v, f"{where}[{i}]", depth + 1)


_READERS: dict[Type, Callable[[Reader, dict, Field, str], Any]] = {
    TEXT: Reader.text,
    OPTIONAL_TEXT: Reader.optional_text,
    NUMBER: Reader.number,
    BOOL: Reader.boolean,
    TEXT_LIST: Reader.text_list,
    DATE: Reader.date,
    POSITION: Reader.position,
}


def cut_place(where: str, limit: int = 2 * MAX_QUOTED) -> str:
    """A place of at most ``limit`` characters: deep in an unknown key's
    value, its start and its end, ``…`` between."""
    if len(where) <= limit:
        return where
    half = (limit - 1) // 2
    return where[:half] + "…" + where[-half:]


def member(where: str, key: str) -> str:
    """The place of ``key`` in the object at ``where``: ``where.key``, or
    ``where['key…']`` for a key that is long or not plain printable text."""
    if len(key) <= MAX_QUOTED and key.isprintable() and key.strip() == key and key:
        return f"{where}.{key}" if where else key
    return f"{where}[{quoted(key)}]"


def json_type(value: Any) -> str:
    """What a JSON value is, for messages: "the string 'x'", "an array"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {number_text(value)}"
    if isinstance(value, LongInteger):
        return f"a number of {value.digits} digits"
    if isinstance(value, str):
        return f"the string {quoted(value)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
