"""The careful reader: parsed JSON to records, reporting every problem with its place.

One generic :meth:`Reader.record` reads any kind of record by walking its
:class:`~journeymap.fileio.specs.RecordSpec`; the field readers below, one
a :class:`~journeymap.fileio.specs.Type`, each return a usable value even
when they report a problem, so that one bad field does not hide the
problems after it.  Then the kind's semantic validator runs on the record.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from journeymap.fileio.errors import Problem
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

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MISSING = object()


class Reader:
    """Turns parsed JSON into records, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._reported: set[str] = set()

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))
        self._reported.add(where)

    def add_all(self, where: str, found: list[tuple[str, str]], key_of: Mapping[str, str]) -> None:
        """Add a record's semantic problems, except on fields already reported.

        The validator names attributes (``photos[0]``); ``key_of`` gives the
        file's key of those named otherwise.
        """
        for name, message in found:
            attr, bracket, rest = name.partition("[")
            place = f"{where}.{key_of.get(attr, attr)}{bracket}{rest}"
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
        if type(value) is int or (type(value) is float and math.isfinite(value)):
            return value
        if type(value) is float:
            self.add(where, f"must be a finite number, not {value}")
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
        self.add(where, f"must be a date written YYYY-MM-DD, not {short(value)}")
        return f.default

    def position(self, raw: dict, f: Field, where: str) -> tuple[float, float] | None:
        value = raw.get(f.key)
        if value is None:
            return f.default
        if isinstance(value, dict):
            x, y = value.get("x"), value.get("y")
            if is_finite(x) and is_finite(y):
                return (x, y)
        self.add(where, 'must be {"x": number, "y": number}')
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
                self.add(where, f"duplicate {spec.duplicate.format(record)}")
                continue
            seen.add(identity)
            out.append(record)
        return out, seen

    def extras(self, raw: dict, known: tuple[str, ...], where: str) -> dict[str, Any]:
        """The keys of ``raw`` this version does not know, kept as they are."""
        if len(raw) <= len(known) and all(k in known for k in raw):
            return {}
        extra = {k: v for k, v in raw.items() if k not in known}
        for key, value in extra.items():
            self.check_finite(value, f"{where}.{key}" if where else key)
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


_READERS: dict[Type, Callable[[Reader, dict, Field, str], Any]] = {
    TEXT: Reader.text,
    OPTIONAL_TEXT: Reader.optional_text,
    NUMBER: Reader.number,
    BOOL: Reader.boolean,
    TEXT_LIST: Reader.text_list,
    DATE: Reader.date,
    POSITION: Reader.position,
}


def is_finite(value: Any) -> bool:
    return (type(value) is int or type(value) is float) and math.isfinite(value)


def json_type(value: Any) -> str:
    """What a JSON value is, for messages: "the string 'x'", "an array"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {short(value)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
