"""Plain data records of a journey map.

Each record keeps the keys this version of journeymap does not know in
``extra`` so that a file written by a newer tool, or edited by hand, loses
nothing when it is saved again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: Ways a customer meets the service at a touch point.
CHANNELS: tuple[str, ...] = (
    "in-person",
    "phone",
    "web",
    "app",
    "email",
    "chat",
    "signage",
    "print",
    "self-service",
    "social",
)

#: Research methods an observation can come from.  ``imported`` marks
#: scores that came from another tool (a Mermaid journey, say) rather than
#: from fieldwork.
METHODS: tuple[str, ...] = (
    "service-safari",
    "shadowing",
    "interview",
    "survey",
    "mystery-shopper",
    "cultural-probe",
    "feedback",
    "imported",
)

#: Kinds of transition between touch points.
TRANSITION_KINDS: tuple[str, ...] = ("main", "alternative", "failure", "loop")

#: Fields of an observation that hold a score on the map's scale.
SCORE_FIELDS: tuple[str, ...] = ("expectation", "reality", "minimum", "emotion")

#: No score and no bound of a scale lies further from zero than this.  Every
#: statistic of scores within it (means, gaps, spreads, which square the
#: differences, and the numbers of charts and exports) stays a finite float,
#: with digits to spare; see docs/file-format.md.
SCORE_LIMIT = 1_000_000
#: The least span of a scale: views divide by fractions of the span (the
#: colour of a gap is gap / (span / 2)), which must not round to zero.
MIN_SPAN = 1e-6
#: No coordinate of a card's position lies further from zero than this.
POSITION_LIMIT = 1_000_000


@dataclass(slots=True)
class Scale:
    """The range every score on the map lies in, for example 1 to 5."""

    min: float = 1
    max: float = 5
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def span(self) -> float:
        return self.max - self.min

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max


@dataclass(slots=True)
class Persona:
    """A kind of customer the map is drawn for."""

    id: str
    name: str
    goal: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Stage:
    """One column of the journey: Arrive, Find, Borrow, Leave..."""

    id: str
    name: str
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class TouchPoint:
    """A moment where the customer meets the service."""

    id: str
    name: str
    stage: str
    channel: str = "in-person"
    description: str = ""
    #: A moment of truth: done badly, it spoils the whole experience.
    critical: bool = False
    #: Where the user placed the card, or None for automatic layout.
    position: tuple[float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Transition:
    """A step from one touch point to the next."""

    source: str
    target: str
    label: str = ""
    kind: str = "main"
    extra: dict[str, Any] = field(default_factory=dict)
    #: The part of the customers at ``source`` who take this step, from 0 to
    #: 1, or None when not given.  The shares leaving one touch point sum to
    #: at most 1 (see docs/file-format.md).  Last, so that the positional
    #: arguments before it keep their meaning.
    share: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)


@dataclass(slots=True)
class Observation:
    """One thing seen or heard at a touch point during fieldwork."""

    id: str
    touchpoint: str
    method: str
    observer: str = ""
    date: dt.date | None = None
    persona: str | None = None
    expectation: float | None = None
    reality: float | None = None
    #: The lowest score the customer would accept (LibQUAL+ "minimum").
    minimum: float | None = None
    #: How the customer felt, on the map's scale.
    emotion: float | None = None
    note: str = ""
    quote: str = ""
    tags: list[str] = field(default_factory=list)
    #: Paths relative to the map file's folder.
    photos: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Expectation minus reality, or None unless both are scored."""
        if self.expectation is None or self.reality is None:
            return None
        return self.expectation - self.reality


# ---------------------------------------------------------------------------
# Decisions: what a team does about a gap (file format version 2).

#: What an action does at its touch point: the "stop doing" list and its kin.
ACTION_KINDS: tuple[str, ...] = ("start", "stop", "continue", "improve")
#: Where an action stands.
ACTION_STATUSES: tuple[str, ...] = ("proposed", "agreed", "doing", "done")
#: Stoplight rules: red nobody may override, yellow staff are unsure of,
#: green staff may bend.
RULE_COLORS: tuple[str, ...] = ("red", "yellow", "green")
#: The rows of the Customer Service Matrix.
IDEA_LEVELS: tuple[str, ...] = ("standard", "extended", "innovative")
#: The columns of the Customer Service Matrix.
IDEA_SCOPES: tuple[str, ...] = ("individual", "service", "community", "leadership")
#: What a word of the map's tone list is.
TONE_KINDS: tuple[str, ...] = ("jargon", "prohibitive")


@dataclass(slots=True)
class Action:
    """Something to start, stop, continue or improve at a touch point."""

    id: str
    touchpoint: str
    kind: str
    text: str
    owner: str = ""
    due: dt.date | None = None
    status: str = "proposed"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Rule:
    """A stoplight rule where policy meets the customer, with its intent.

    ``touchpoint`` is None for a rule that holds for the whole map.
    """

    id: str
    touchpoint: str | None
    color: str
    text: str
    intent: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Idea:
    """An idea placed on the Customer Service Matrix (level x scope).

    ``touchpoint`` is None for an idea about the whole service.
    """

    id: str
    touchpoint: str | None
    text: str
    level: str
    scope: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ToneTerm:
    """A word of the map's own tone list: jargon or a way of saying "no",
    with the wording to use instead.  Adds to (or overrides, by term) the
    built-in list."""

    term: str
    kind: str
    suggest: str
    extra: dict[str, Any] = field(default_factory=dict)
