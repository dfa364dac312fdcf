"""One evented, ordered, id-indexed collection for every kind of record.

Personas, stages, touch points, transitions and observations are each a
:class:`RecordCollection`.  A collection validates what it is given, keeps
its records in order with an index by key, and reports every change as one
:class:`Change` to a single callback (the map's), which keeps derived
indexes and emits the map's one ``changed`` signal.  Adding a record kind is
then: its dataclass, its spec, and its view.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from journeymap.model.validation import ModelError, Problems, raise_if

R = TypeVar("R")

#: Operations a :class:`Change` can report.
ADD, REMOVE, UPDATE, MOVE = "add", "remove", "update", "move"

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Change:
    """What happened to one record.

    ``index`` is the record's position after an add, update or move and its
    former position after a remove.  ``fields`` names what an update
    changed, ``old`` holds their values before; a move carries the former
    position in ``old_index``.
    """

    kind: str
    op: str
    record: Any
    index: int
    fields: tuple[str, ...] = ()
    old: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    old_index: int | None = None


@dataclass(frozen=True)
class KindSpec(Generic[R]):
    """How the model handles one kind of record."""

    #: Singular name used in changes and messages, e.g. "touchpoint".
    name: str
    #: Words for messages, e.g. "touch point".
    label: str
    #: The name of the map's keyword in ``from_records`` and of the file's array.
    plural: str
    record_type: type[R]
    key: Callable[[R], Hashable]
    #: The problems of a record in its map (the map is the first argument).
    check: Callable[[Any, R], Problems]
    #: Raises ModelError while other records of the map still depend on one.
    guard_remove: Callable[[Any, R], None] | None = None
    #: Fields that identify a record; changing one is a remove and an add.
    identity: tuple[str, ...] = ("id",)


class RecordCollection(Generic[R]):
    """An ordered list of records with an index by key and one change callback.

    ``check`` returns the problems of a record in its map's context;
    ``guard_remove`` raises :class:`ModelError` when other records still
    depend on one.  Records are handed out by reference: treat them as
    read-only and change them through :meth:`update`.
    """

    def __init__(
        self,
        spec: KindSpec[R],
        notify: Callable[[Change], None],
        check: Callable[[R], Problems],
        guard_remove: Callable[[R], None] | None = None,
    ) -> None:
        self.spec = spec
        self._notify = notify
        self._check = check
        self._guard_remove = guard_remove
        self._items: list[R] = []
        self._by_key: dict[Hashable, R] = {}
        self._field_names = frozenset(f.name for f in dataclasses.fields(spec.record_type))

    # ----------------------------------------------------------------- reading

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[R]:
        return iter(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, index: int) -> R:
        return self._items[index]

    def items(self) -> tuple[R, ...]:
        return tuple(self._items)

    def get(self, key: Hashable) -> R:
        """The record with this key; ``KeyError`` when there is none."""
        return self._by_key[key]

    def keys(self) -> Iterable[Hashable]:
        return self._by_key.keys()

    def index_of(self, key: Hashable) -> int:
        record = self._by_key.get(key)
        if record is not None:
            for i in range(len(self._items) - 1, -1, -1):
                if self._items[i] is record:
                    return i
        raise KeyError(key)

    # ---------------------------------------------------------------- changing

    def reset(self, records: Iterable[R]) -> None:
        """Replace everything without checks or events (for a loader that checked)."""
        self._items = list(records)
        key = self.spec.key
        self._by_key = {key(r): r for r in self._items}

    def add(self, record: R, index: int | None = None) -> int:
        spec = self.spec
        what = f"{spec.label} {_describe(spec.key(record))}"
        raise_if(self._check(record), what)
        key = spec.key(record)
        if key in self._by_key:
            if isinstance(key, tuple):
                raise ModelError(f"a {spec.label} {_describe(key)} already exists")
            raise ModelError(f"{spec.label} id {key!r} is already used")
        index = _check_index(index, len(self._items))
        self._items.insert(index, record)
        self._by_key[key] = record
        self._notify(Change(spec.name, ADD, record, index))
        return index

    def remove(self, key: Hashable) -> tuple[R, int]:
        """Remove a record; returns it and where it was, for undo."""
        index = self._index_or_error(key)
        record = self._items[index]
        if self._guard_remove is not None:
            self._guard_remove(record)
        del self._items[index]
        del self._by_key[key]
        self._notify(Change(self.spec.name, REMOVE, record, index))
        return record, index

    def update(self, key: Hashable, /, **changes: Any) -> dict[str, Any]:
        """Change fields of a record; returns the old values of what changed."""
        spec = self.spec
        record = self._record_or_error(key)
        unknown = set(changes) - self._field_names
        if unknown:
            raise ModelError(f"{spec.label} has no field {sorted(unknown)[0]!r}")
        fixed = set(spec.identity) & set(changes)
        if fixed:
            raise ModelError(
                f"{spec.label} {sorted(fixed)[0]!r} cannot be changed; remove and add instead"
            )
        candidate = dataclasses.replace(record, **changes)
        raise_if(self._check(candidate), spec.label)
        old: dict[str, Any] = {}
        for name, value in changes.items():
            if getattr(record, name) != value:
                old[name] = getattr(record, name)
                setattr(record, name, value)
        if old:
            self._notify(
                Change(spec.name, UPDATE, record, self.index_of(key), tuple(old), dict(old))
            )
        return old

    def move(self, key: Hashable, index: int) -> int:
        """Move a record to ``index`` in the order; returns where it was."""
        old = self._index_or_error(key)
        if not 0 <= index < len(self._items):
            raise ModelError(f"position {index} is outside 0-{len(self._items) - 1}")
        if old != index:
            record = self._items.pop(old)
            self._items.insert(index, record)
            self._notify(Change(self.spec.name, MOVE, record, index, old_index=old))
        return old

    def _record_or_error(self, key: Hashable) -> R:
        try:
            return self._by_key[key]
        except KeyError:
            raise ModelError(f"no {self.spec.label} {_describe(key)}") from None

    def _index_or_error(self, key: Hashable) -> int:
        self._record_or_error(key)
        return self.index_of(key)


def _describe(key: Hashable) -> str:
    if isinstance(key, tuple):
        return " -> ".join(repr(k) for k in key)
    return repr(key)


def _check_index(index: int | None, length: int) -> int:
    if index is None:
        return length
    if not 0 <= index <= length:
        raise ModelError(f"position {index} is outside 0-{length}")
    return index
