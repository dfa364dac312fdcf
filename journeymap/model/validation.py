"""Checks on single records, shared by the file loader and the model.

Each function returns a list of ``(field, message)`` pairs; an empty list
means the record is sound.  The loader prefixes the field with the record's
place in the file, the model raises :class:`ModelError` with the messages.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Container

from journeymap.model.entities import (
    CHANNELS,
    METHODS,
    SCORE_FIELDS,
    TRANSITION_KINDS,
    Observation,
    Persona,
    Scale,
    Stage,
    TouchPoint,
    Transition,
)

Problems = list[tuple[str, str]]

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


class ModelError(ValueError):
    """An edit that would leave the map inconsistent."""


def _require_text(problems: Problems, name: str, value: str) -> None:
    if not value.strip():
        problems.append((name, "must not be empty"))


def is_finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def scale_problems(scale: Scale) -> Problems:
    problems: Problems = []
    for name in ("min", "max"):
        if not is_finite_number(getattr(scale, name)):
            problems.append((name, "must be a finite number"))
    if not problems and scale.min >= scale.max:
        problems.append(("max", f"must be greater than min ({scale.min:g})"))
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
        problems.append(("stage", f"unknown stage {tp.stage!r}"))
    if tp.channel not in CHANNELS:
        problems.append(
            ("channel", f"unknown channel {tp.channel!r}; expected one of {', '.join(CHANNELS)}")
        )
    if tp.position is not None and not all(is_finite_number(v) for v in tp.position):
        problems.append(("position", "x and y must be finite numbers"))
    return problems


def transition_problems(tr: Transition, touchpoints: Container[str]) -> Problems:
    problems: Problems = []
    for name in ("source", "target"):
        ref = getattr(tr, name)
        if ref not in touchpoints:
            problems.append((name, f"unknown touch point {ref!r}"))
    if tr.kind not in TRANSITION_KINDS:
        problems.append(
            ("kind", f"unknown kind {tr.kind!r}; expected one of {', '.join(TRANSITION_KINDS)}")
        )
    return problems


def photo_path_problem(path: str) -> str | None:
    """Why a photo path is unsafe, or None.

    Photos live beside the map, so a shared folder carries them along; a path
    that leaves the folder would point at someone else's disk.
    """
    if not path.strip():
        return "must not be empty"
    normal = path.replace("\\", "/")
    if normal.startswith("/") or _WINDOWS_DRIVE.match(normal):
        return f"{path!r} must be relative to the map's folder"
    collapsed = posixpath.normpath(normal)
    if collapsed == ".." or collapsed.startswith("../"):
        return f"{path!r} points outside the map's folder"
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
        problems.append(("touchpoint", f"unknown touch point {obs.touchpoint!r}"))
    if obs.method not in METHODS:
        problems.append(
            ("method", f"unknown method {obs.method!r}; expected one of {', '.join(METHODS)}")
        )
    if obs.persona is not None and obs.persona not in personas:
        problems.append(("persona", f"unknown persona {obs.persona!r}"))
    for name in SCORE_FIELDS:
        value = getattr(obs, name)
        if value is None:
            continue
        if not is_finite_number(value):
            problems.append((name, f"must be a finite number, not {value!r}"))
        elif not scale.contains(value):
            problems.append((name, f"{value:g} is outside the scale {scale.min:g}-{scale.max:g}"))
    for i, photo in enumerate(obs.photos):
        problem = photo_path_problem(photo)
        if problem:
            problems.append((f"photos[{i}]", problem))
    return problems


def raise_if(problems: Problems, what: str) -> None:
    """Raise :class:`ModelError` naming every problem, if there are any."""
    if problems:
        detail = "; ".join(f"{name}: {message}" for name, message in problems)
        raise ModelError(f"{what}: {detail}")
