"""What each record kind looks like in a ``.journey.json`` file, as one table.

One :class:`RecordSpec` a kind lists its keys (:class:`Field`) in the order
they are written, with their types and constraints.  The same table drives
the careful reader (:mod:`journeymap.fileio.reader`), the bulk fast path
(:mod:`journeymap.fileio.fastpath`), the writer
(:func:`journeymap.fileio.jsonformat.map_to_document`) and the loader's
property tests.  Adding a field to a kind is: the field in its dataclass
(``model/entities.py``) and one :class:`Field` line below.

A field's default is the dataclass's: it is taken from there when the spec
is built (a default written in the table must be the same), so that the
fast path (which lets the dataclass fill absent keys) and the careful reader
(which fills them from the spec) cannot disagree.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from collections.abc import Callable, Hashable
from operator import attrgetter
from typing import Any

from journeymap.model.entities import (
    ACTION_KINDS,
    ACTION_STATUSES,
    CHANNELS,
    IDEA_LEVELS,
    IDEA_SCOPES,
    METHODS,
    RULE_COLORS,
    TONE_KINDS,
    TRANSITION_KINDS,
    Action,
    Idea,
    Observation,
    Persona,
    Rule,
    Scale,
    Stage,
    ToneTerm,
    TouchPoint,
    Transition,
)
from journeymap.model.validation import (
    Problems,
    action_problems,
    idea_problems,
    observation_problems,
    persona_problems,
    photo_path_problem,
    rule_problems,
    scale_problems,
    share_total_problems,
    stage_problems,
    tag_problem,
    tone_problems,
    touchpoint_problems,
    transition_problems,
)

#: The attribute every record keeps the keys this version does not know in.
EXTRA = "extra"
#: The context name of the map's scale (the other names are arrays' names).
SCALE = "scale"


class Type(enum.Enum):
    """How a value is written in the file."""

    #: A string; absent, null or "" mean the default.
    TEXT = "text"
    #: A string or null (null is kept as None).
    OPTIONAL_TEXT = "optional text"
    #: A finite number within ±``SCORE_LIMIT`` (a million), or null.
    NUMBER = "number"
    #: true or false; absent means the default, null is an error.
    BOOL = "bool"
    #: An array of strings, or null for none.
    TEXT_LIST = "text list"
    #: A "YYYY-MM-DD" string, or null.
    DATE = "date"
    #: {"x": number, "y": number} (finite floats), or null.
    POSITION = "position"


TEXT, OPTIONAL_TEXT, NUMBER, BOOL, TEXT_LIST, DATE, POSITION = Type

_UNSET: Any = object()


@dataclasses.dataclass(frozen=True, slots=True)
class Field:
    """One key of a record.

    The constraints (``nonblank``, ``choices``, ``ref``, ``in_scale``,
    ``item_problem``) restate, for the fast path, what the kind's semantic
    validator checks; the careful reader relies on the validator itself.
    """

    #: The key in the file.
    key: str
    type: Type
    #: An absent or null value is reported as missing.
    required: bool = False
    #: Written even when empty; optional fields are otherwise left out when
    #: None, "" or [].  Required fields are always written.
    always: bool = False
    #: Must hold more than white space.
    nonblank: bool = False
    #: The values allowed (besides absent, null or "" for the default).
    choices: frozenset[str] | None = None
    #: Must be an id of the records of this array ("stages", ...).
    ref: str | None = None
    #: A score: within the map's scale.
    in_scale: bool = False
    #: For a number: the least and the greatest value allowed (instead of
    #: the score limit); the kind's validator says why another is refused.
    bounds: tuple[float, float] | None = None
    #: For a list of texts: why an item is refused, or None (the model's own rule).
    item_problem: Callable[[str], str | None] | None = None
    #: The record's attribute, when it is not named like the key.
    attr: str = ""
    #: For absent or null values (and "" in text): the dataclass's default,
    #: filled in when the spec is built.
    default: Any = _UNSET

    @property
    def written_always(self) -> bool:
        return self.required or self.always


@dataclasses.dataclass(frozen=True)
class RecordSpec:
    """One kind of record: its array, class, keys, identity and checks."""

    #: The file's key for the array of these records, and the keyword of
    #: ``JourneyMap.from_records``.
    array: str
    record: type
    fields: tuple[Field, ...]
    #: The attributes no two records of the array may share.
    identity: tuple[str, ...] = ("id",)
    #: What a repeated record is called, formatted with its identity's values
    #: quoted: "touch point id {}" gives "duplicate touch point id 't1'".
    duplicate: str = ""
    #: The semantic validator, called as ``check(record, *context)``.
    check: Callable[..., Problems] | None = None
    #: What ``check`` needs after the record: arrays' names (their ids)
    #: or ``SCALE``.
    check_with: tuple[str, ...] = ()
    #: The problems of the records together (the shares leaving a touch
    #: point), called with the sound records in file order; each problem is
    #: ``(position in that list, attribute, message)``.
    check_all: Callable[[list[Any]], list[tuple[int, str, str]]] | None = None
    #: The known keys, in the order they are written (derived).
    keys: tuple[str, ...] = ()
    #: The key of each attribute, for attributes named otherwise (derived).
    key_of: dict[str, str] = dataclasses.field(default_factory=dict)
    #: The array is written only when it holds records (the map's tone list).
    optional: bool = False

    def __post_init__(self) -> None:
        declared = {f.name: f for f in dataclasses.fields(self.record)}
        fields = tuple(_resolve(self.record, declared, f) for f in self.fields)
        attrs = [f.attr for f in fields]
        if sorted(attrs) != sorted(set(declared) - {EXTRA}) or EXTRA not in declared:
            raise TypeError(
                f"the file spec of {self.record.__name__} lists {attrs}; "
                f"the dataclass has {sorted(declared)}"
            )
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "keys", tuple(f.key for f in fields))
        object.__setattr__(self, "key_of", {f.attr: f.key for f in fields if f.attr != f.key})

    @functools.cached_property
    def identify(self) -> Callable[[Any], Hashable]:
        """The identity of a record: its id, or a tuple such as (source, target)."""
        return attrgetter(*self.identity)


def _resolve(record: type, declared: dict[str, dataclasses.Field], f: Field) -> Field:
    """The field with its attribute and the dataclass's default filled in."""
    name = f"{record.__name__}.{f.attr or f.key}"
    field = declared.get(f.attr or f.key)
    if field is None:
        raise TypeError(f"{name}: not a field of the class")
    if f.required != (field.default is field.default_factory is dataclasses.MISSING):
        # Absent keys must mean the same to the fast path (the class's
        # defaults) as to the careful reader (the spec's).
        raise TypeError(f"{name}: required in the file spec exactly when the class has no default")
    if field.default is not dataclasses.MISSING:
        default = field.default
    elif field.default_factory is not dataclasses.MISSING:
        default = field.default_factory()
    else:
        default = "" if f.type is TEXT else None  # what the reader gives a missing value
    if f.default is not _UNSET and f.default != default:
        raise TypeError(f"{name}: the default is the class's, {default!r}")
    if f.type is OPTIONAL_TEXT and default is not None:
        raise TypeError(f"{name}: an optional text defaults to None")
    return dataclasses.replace(f, attr=field.name, default=default)


# ---------------------------------------------------------------------------
# The tables.  Keys are written in the order listed.

SCALE_SPEC = RecordSpec(
    SCALE, Scale,
    (
        Field("min", NUMBER, always=True, default=1),
        Field("max", NUMBER, always=True, default=5),
    ),
    identity=(), check=scale_problems,
)  # fmt: skip

PERSONAS = RecordSpec(
    "personas", Persona,
    (
        Field("id", TEXT, required=True, nonblank=True),
        Field("name", TEXT, required=True, nonblank=True),
        Field("goal", TEXT),
    ),
    duplicate="persona id {}", check=persona_problems,
)  # fmt: skip

STAGES = RecordSpec(
    "stages", Stage,
    (
        Field("id", TEXT, required=True, nonblank=True),
        Field("name", TEXT, required=True, nonblank=True),
        Field("description", TEXT),
    ),
    duplicate="stage id {}", check=stage_problems,
)  # fmt: skip

TOUCHPOINTS = RecordSpec(
    "touchpoints", TouchPoint,
    (
        Field("id", TEXT, required=True, nonblank=True),
        Field("name", TEXT, required=True, nonblank=True),
        Field("stage", TEXT, required=True, ref="stages"),
        Field("channel", TEXT, always=True, choices=frozenset(CHANNELS), default="in-person"),
        Field("description", TEXT),
        Field("critical", BOOL, always=True, default=False),
        Field("position", POSITION),
    ),
    duplicate="touch point id {}", check=touchpoint_problems, check_with=("stages",),
)  # fmt: skip

TRANSITIONS = RecordSpec(
    "transitions", Transition,
    (
        Field("source", TEXT, required=True, ref="touchpoints"),
        Field("target", TEXT, required=True, ref="touchpoints"),
        Field("label", TEXT, always=True),
        Field("kind", TEXT, always=True, choices=frozenset(TRANSITION_KINDS), default="main"),
        Field("share", NUMBER, bounds=(0, 1)),
    ),
    identity=("source", "target"), duplicate="transition {} -> {}",
    check=transition_problems, check_with=("touchpoints",),
    check_all=share_total_problems,
)  # fmt: skip

OBSERVATIONS = RecordSpec(
    "observations", Observation,
    (
        Field("id", TEXT, required=True, nonblank=True),
        Field("touchpoint", TEXT, required=True, ref="touchpoints"),
        Field("method", TEXT, required=True, choices=frozenset(METHODS)),
        Field("observer", TEXT),
        Field("date", DATE),
        Field("persona", OPTIONAL_TEXT, ref="personas"),
        Field("expectation", NUMBER, in_scale=True),
        Field("reality", NUMBER, in_scale=True),
        Field("minimum", NUMBER, in_scale=True),
        Field("emotion", NUMBER, in_scale=True),
        Field("note", TEXT),
        Field("quote", TEXT),
        Field("tags", TEXT_LIST, item_problem=tag_problem),
        Field("photos", TEXT_LIST, item_problem=photo_path_problem),
    ),
    duplicate="observation id {}", check=observation_problems,
    check_with=("touchpoints", "personas", SCALE),
)  # fmt: skip

# Decisions (format version 2).  A rule or an idea with a null touch point
# holds for the whole map.  Its ``touchpoint`` is "required" only because the
# class takes it without a default: an optional text is never reported
# missing (absent reads as null), and the key is written always, null included.

ACTIONS = RecordSpec(
    "actions", Action,
    (
        Field("id", TEXT, required=True, nonblank=True),
        Field("touchpoint", TEXT, required=True, ref="touchpoints"),
        Field("kind", TEXT, required=True, choices=frozenset(ACTION_KINDS)),
        Field("text", TEXT, required=True, nonblank=True),
        Field("owner", TEXT),
        Field("due", DATE),
        Field("status", TEXT, always=True, choices=frozenset(ACTION_STATUSES),
              default="proposed"),
    ),
    duplicate="action id {}", check=action_problems, check_with=("touchpoints",),
)  # fmt: skip

RULES = RecordSpec(
    "rules", Rule,
    (
        Field("id", TEXT, required=True, nonblank=True),
        Field("touchpoint", OPTIONAL_TEXT, required=True, ref="touchpoints"),
        Field("color", TEXT, required=True, choices=frozenset(RULE_COLORS)),
        Field("text", TEXT, required=True, nonblank=True),
        Field("intent", TEXT),
    ),
    duplicate="rule id {}", check=rule_problems, check_with=("touchpoints",),
)  # fmt: skip

IDEAS = RecordSpec(
    "ideas", Idea,
    (
        Field("id", TEXT, required=True, nonblank=True),
        Field("touchpoint", OPTIONAL_TEXT, required=True, ref="touchpoints"),
        Field("text", TEXT, required=True, nonblank=True),
        Field("level", TEXT, required=True, choices=frozenset(IDEA_LEVELS)),
        Field("scope", TEXT, required=True, choices=frozenset(IDEA_SCOPES)),
    ),
    duplicate="idea id {}", check=idea_problems, check_with=("touchpoints",),
)  # fmt: skip

TONE = RecordSpec(
    "tone", ToneTerm,
    (
        Field("term", TEXT, required=True, nonblank=True),
        Field("kind", TEXT, required=True, choices=frozenset(TONE_KINDS)),
        Field("suggest", TEXT, required=True),
    ),
    identity=("term",), duplicate="tone term {}", check=tone_problems, optional=True,
)  # fmt: skip

#: The arrays of records, in the order files hold them and they are read:
#: a kind may refer only to kinds before it.
RECORDS: tuple[RecordSpec, ...] = (
    PERSONAS, STAGES, TOUCHPOINTS, TRANSITIONS, OBSERVATIONS, ACTIONS, RULES, IDEAS, TONE
)  # fmt: skip

#: The known keys of the top level, in the order they are written.
TOP_KEYS: tuple[str, ...] = (
    "format", "version", "title", SCALE, *(spec.array for spec in RECORDS)
)  # fmt: skip
