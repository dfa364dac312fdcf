"""The action plan: what to start, stop, continue or improve, where it matters most.

One row per action, with its touch point's name, stage, gap and priority from
:func:`journeymap.model.insights.insights` (priority = reach x gap, so the
plan, ``journeymap insights`` and the window agree).  Order: the priority,
highest first; then the kind in the order stop, start, improve, continue (a
"stop doing" list leads); then file order.  Actions at touch points without a
priority (no gap yet) come last, in the same kind and file order.  No Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from journeymap.model.analysis import _TIE_DIGITS, ObservationFilter
from journeymap.model.insights import clean_number, insights
from journeymap.model.journey import JourneyMap

#: The order of kinds within one priority: the "stop doing" list first.
KIND_ORDER = ("stop", "start", "improve", "continue")

#: Keys of :func:`action_record`, in the order JSON and CSV use.
ACTION_RECORD_KEYS = (
    "action",
    "touchpoint",
    "stage",
    "name",
    "kind",
    "text",
    "owner",
    "due",
    "status",
    "gap",
    "priority",
)


class ActionRow(NamedTuple):
    """One action of the plan, with the numbers of its touch point."""

    action: str
    touchpoint: str
    stage: str
    name: str
    kind: str
    text: str
    owner: str
    due: dt.date | None
    status: str
    gap: float | None
    priority: float | None


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def action_rows(
    journey: JourneyMap,
    flt: ObservationFilter | None = None,
    statuses: Iterable[str] | None = None,
) -> list[ActionRow]:
    """The map's actions in plan order; only those with a status in ``statuses`` if given."""
    wanted = frozenset(statuses or ())
    by_tp = {row.touchpoint: row for row in insights(journey, flt).rows}
    keyed = []
    for index, action in enumerate(journey.actions):
        if wanted and action.status not in wanted:
            continue
        row = by_tp[action.touchpoint]
        if row.priority is None:
            first: tuple = (1, 0.0)
        else:
            first = (0, -round(row.priority, _TIE_DIGITS))
        key = (*first, _kind_rank(action.kind), index)
        keyed.append(
            (
                key,
                ActionRow(
                    action.id, action.touchpoint, row.stage, row.name, action.kind, action.text,
                    action.owner, action.due, action.status, row.gap, row.priority,
                ),
            )
        )  # fmt: skip
    keyed.sort(key=lambda pair: pair[0])
    return [row for _, row in keyed]


def action_record(row: ActionRow) -> dict[str, object]:
    """One row of the plan as plain data, for JSON and CSV; the date as YYYY-MM-DD."""
    return {
        "action": row.action,
        "touchpoint": row.touchpoint,
        "stage": row.stage,
        "name": row.name,
        "kind": row.kind,
        "text": row.text,
        "owner": row.owner,
        "due": None if row.due is None else row.due.isoformat(),
        "status": row.status,
        "gap": clean_number(row.gap),
        "priority": clean_number(row.priority),
    }
