"""Checks on single records, shared by the file loader and the model.

Each function returns a list of ``(field, message)`` pairs; an empty list
means the record is sound.  The loader prefixes the field with the record's
place in the file, the model raises :class:`ModelError` with the messages.

Values quoted in a message go through :func:`quoted`, so that a message stays
short whatever the value (the file layer re-exports it for every reader).
"""

from __future__ import annotations

import posixpath
import re
import sys
from collections.abc import Container, Iterable

from journeymap.model.entities import (
    ACTION_KINDS,
    ACTION_STATUSES,
    CHANNELS,
    IDEA_LEVELS,
    IDEA_SCOPES,
    METHODS,
    MIN_SPAN,
    POSITION_LIMIT,
    RULE_COLORS,
    SCORE_FIELDS,
    SCORE_LIMIT,
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

Problems = list[tuple[str, str]]

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_FLOAT_MAX = sys.float_info.max

#: Characters of a value quoted in a message, the cut marked with ``…``.
MAX_QUOTED = 80
#: How messages give the limits.
SCORE_RANGE = f"between {-SCORE_LIMIT} and {SCORE_LIMIT}"
POSITION_RANGE = f"between {-POSITION_LIMIT} and {POSITION_LIMIT}"


class ModelError(ValueError):
    """An edit that would leave the map inconsistent."""


def _require_text(problems: Problems, name: str, value: str) -> None:
    if not value.strip():
        problems.append((name, "must not be empty"))


def quoted(value: object, limit: int = MAX_QUOTED) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters; ``…`` marks a cut.

    A cut string keeps its closing quote (``'abc…'``).  Only the start of a
    long string is looked at, so quoting 400 MB costs nothing.
    """
    if isinstance(value, str):
        text = repr(value[: limit + 1])
        if len(value) <= limit and len(text) <= limit:
            return text
        return text[: limit - 2] + "…" + text[-1]
    try:
        text = repr(value)
    except ValueError:  # an integer with more digits than str() gives
        text = f"<a whole number of more than {sys.get_int_max_str_digits()} digits>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number_text(value: object) -> str:
    """A number for a message: ``6``, ``2.5``, ``1e+308``; cut like :func:`quoted`."""
    if type(value) is float:
        return f"{value:.15g}"
    return quoted(value)


def is_finite_number(value: object) -> bool:
    """An int or a float that is a finite float (NaN fails every comparison).

    Compared, not converted: ``math.isfinite(10**400)`` raises OverflowError.
    """
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and -_FLOAT_MAX <= value <= _FLOAT_MAX
    )


def is_within(value: object, limit: float) -> bool:
    """An int or a float from ``-limit`` to ``limit`` (so not NaN, not a bool)."""
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and -limit <= value <= limit
    )


def number_problem(value: object) -> str | None:
    """Why ``value`` cannot be a score or a bound of a scale, or None.

    Scores and bounds lie within ±:data:`SCORE_LIMIT`, so that every statistic
    of them is finite.
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return f"must be a number, not {quoted(value)}"
    if isinstance(value, float) and not is_finite_number(value):
        return f"must be a finite number, not {value}"
    if not -SCORE_LIMIT <= value <= SCORE_LIMIT:
        return f"must be {SCORE_RANGE}, not {number_text(value)}"
    return None


def scale_problems(scale: Scale) -> Problems:
    problems: Problems = []
    for name in ("min", "max"):
        problem = number_problem(getattr(scale, name))
        if problem:
            problems.append((name, problem))
    if not problems and scale.min >= scale.max:
        problems.append(("max", f"must be greater than min ({number_text(scale.min)})"))
    elif not problems and scale.max - scale.min < MIN_SPAN:
        problems.append(
            ("max", f"must be at least {MIN_SPAN:f} above min ({number_text(scale.min)})")
        )
    return problems


def persona_problems(persona: Persona) -> Problems:
    problems: Problems = []
    _require_text(problems, "id", persona.id)
    _require_text(problems, "name", persona.name)
    return problems


def stage_problems(stage: Stage) -> Problems:
    problems: Problems = []
    _require_text(problems, "id", stage.id)
    _require_text(problems, "name", stage.name)
    return problems


def touchpoint_problems(tp: TouchPoint, stages: Container[str]) -> Problems:
    problems: Problems = []
    _require_text(problems, "id", tp.id)
    _require_text(problems, "name", tp.name)
    if tp.stage not in stages:
        problems.append(("stage", f"unknown stage {quoted(tp.stage)}"))
    if tp.channel not in CHANNELS:
        expected = ", ".join(CHANNELS)
        problems.append(
            ("channel", f"unknown channel {quoted(tp.channel)}; expected one of {expected}")
        )
    if tp.position is not None and not all(is_within(v, POSITION_LIMIT) for v in tp.position):
        problems.append(("position", f"x and y must be numbers {POSITION_RANGE}"))
    return problems


def transition_problems(tr: Transition, touchpoints: Container[str]) -> Problems:
    problems: Problems = []
    for name in ("source", "target"):
        ref = getattr(tr, name)
        if ref not in touchpoints:
            problems.append((name, f"unknown touch point {quoted(ref)}"))
    if tr.kind not in TRANSITION_KINDS:
        expected = ", ".join(TRANSITION_KINDS)
        problems.append(("kind", f"unknown kind {quoted(tr.kind)}; expected one of {expected}"))
    problem = share_problem(tr.share)
    if problem:
        problems.append(("share", problem))
    return problems


#: How far the shares leaving a touch point may sum above 1 (rounding).
SHARE_TOLERANCE = 1e-9


def share_problem(value: object) -> str | None:
    """Why ``value`` cannot be a transition's share, or None (None is "not given")."""
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        return f"must be a number from 0 to 1, or null, not {quoted(value)}"
    if not 0 <= value <= 1:  # False for NaN too
        return f"must be from 0 to 1 (a part of the customers), not {number_text(value)}"
    return None


def share_total_problem(source: str, total: float) -> str | None:
    """Why shares summing to ``total`` cannot leave ``source``, or None."""
    if total <= 1 + SHARE_TOLERANCE:
        return None
    return f"the shares of the transitions leaving {quoted(source)} sum to {total:.6g}, more than 1"


def share_total_problems(transitions: Iterable[Transition]) -> list[tuple[int, str, str]]:
    """The transitions whose share takes the shares leaving their source above 1.

    Returns ``(position, "share", message)`` for the first such transition
    of each source, in the order given; shares that are themselves refused
    (:func:`share_problem`) are left out of the sums.
    """
    totals: dict[str, float] = {}
    found: list[tuple[int, str, str]] = []
    reported: set[str] = set()
    for i, tr in enumerate(transitions):
        share = tr.share
        if share is None or share_problem(share) is not None:
            continue
        total = totals[tr.source] = totals.get(tr.source, 0) + share
        problem = share_total_problem(tr.source, total)
        if problem and tr.source not in reported:
            reported.add(tr.source)
            found.append((i, "share", problem))
    return found


def photo_path_problem(path: str) -> str | None:
    """Why a photo path is unsafe, or None.

    Photos live beside the map, so a shared folder carries them along; a path
    that leaves the folder would point at someone else's disk.
    """
    if not path.strip():
        return "must not be empty"
    normal = path.replace("\\", "/")
    if normal.startswith("/") or _WINDOWS_DRIVE.match(normal):
        return f"{quoted(path)} must be relative to the map's folder"
    collapsed = posixpath.normpath(normal)
    if collapsed == ".." or collapsed.startswith("../"):
        return f"{quoted(path)} points outside the map's folder"
    return None


#: What separates tags where they share one text (a table's ``tags`` cell).
TAG_SEPARATOR = ";"


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` cannot be a tag, or None.

    Tables write an observation's tags in one cell joined by ``"; "`` and read
    them back split at ``;`` and trimmed, so a tag that is blank, holds a
    ``;`` or has spaces around it would come back changed: the model refuses
    it rather than let an export split it silently.
    """
    if not tag.strip():
        return "must not be empty"
    if TAG_SEPARATOR in tag:
        return f"{quoted(tag)} holds {TAG_SEPARATOR!r}, which separates tags; use one tag each"
    if tag != tag.strip():
        return f"{quoted(tag)} starts or ends with a space"
    return None


def observation_problems(
    obs: Observation,
    touchpoints: Container[str],
    personas: Container[str],
    scale: Scale,
) -> Problems:
    problems: Problems = []
    _require_text(problems, "id", obs.id)
    if obs.touchpoint not in touchpoints:
        problems.append(("touchpoint", f"unknown touch point {quoted(obs.touchpoint)}"))
    if obs.method not in METHODS:
        problems.append(
            ("method", f"unknown method {quoted(obs.method)}; expected one of {', '.join(METHODS)}")
        )
    if obs.persona is not None and obs.persona not in personas:
        problems.append(("persona", f"unknown persona {quoted(obs.persona)}"))
    for name in SCORE_FIELDS:
        value = getattr(obs, name)
        if value is None:
            continue
        problem = number_problem(value)
        if problem:
            problems.append((name, problem))
        elif not scale.contains(value):
            shown = f"{number_text(scale.min)}-{number_text(scale.max)}"
            problems.append((name, f"{number_text(value)} is outside the scale {shown}"))
    for i, tag in enumerate(obs.tags):
        problem = tag_problem(tag)
        if problem:
            problems.append((f"tags[{i}]", problem))
    for i, photo in enumerate(obs.photos):
        problem = photo_path_problem(photo)
        if problem:
            problems.append((f"photos[{i}]", problem))
    return problems


def _choice(problems: Problems, name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        expected = ", ".join(allowed)
        problems.append((name, f"unknown {name} {quoted(value)}; expected one of {expected}"))


def _touchpoint_ref(
    problems: Problems, ref: str | None, touchpoints: Container[str], optional: bool
) -> None:
    if ref is None and optional:
        return
    if ref not in touchpoints:
        problems.append(("touchpoint", f"unknown touch point {quoted(ref)}"))


def action_problems(action: Action, touchpoints: Container[str]) -> Problems:
    problems: Problems = []
    _require_text(problems, "id", action.id)
    _touchpoint_ref(problems, action.touchpoint, touchpoints, optional=False)
    _choice(problems, "kind", action.kind, ACTION_KINDS)
    _require_text(problems, "text", action.text)
    _choice(problems, "status", action.status, ACTION_STATUSES)
    return problems


def rule_problems(rule: Rule, touchpoints: Container[str]) -> Problems:
    """A rule's problems; its touch point may be None (the whole map)."""
    problems: Problems = []
    _require_text(problems, "id", rule.id)
    _touchpoint_ref(problems, rule.touchpoint, touchpoints, optional=True)
    _choice(problems, "color", rule.color, RULE_COLORS)
    _require_text(problems, "text", rule.text)
    return problems


def idea_problems(idea: Idea, touchpoints: Container[str]) -> Problems:
    """An idea's problems; its touch point may be None (the whole service)."""
    problems: Problems = []
    _require_text(problems, "id", idea.id)
    _touchpoint_ref(problems, idea.touchpoint, touchpoints, optional=True)
    _require_text(problems, "text", idea.text)
    _choice(problems, "level", idea.level, IDEA_LEVELS)
    _choice(problems, "scope", idea.scope, IDEA_SCOPES)
    return problems


def tone_problems(term: ToneTerm) -> Problems:
    problems: Problems = []
    _require_text(problems, "term", term.term)
    _choice(problems, "kind", term.kind, TONE_KINDS)
    return problems


def raise_if(problems: Problems, what: str) -> None:
    """Raise :class:`ModelError` naming every problem, if there are any."""
    if problems:
        detail = "; ".join(f"{name}: {message}" for name, message in problems)
        raise ModelError(f"{what}: {detail}")
