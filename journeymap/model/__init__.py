"""The journey model: records, the graph-backed :class:`JourneyMap`, analysis.

Nothing here imports Qt or matplotlib (an import-linter contract checks it),
so the command line and other tools can use the model headless.
"""

from journeymap.model.collection import Change, RecordCollection
from journeymap.model.entities import (
    ACTION_KINDS,
    ACTION_STATUSES,
    CHANNELS,
    IDEA_LEVELS,
    IDEA_SCOPES,
    METHODS,
    RULE_COLORS,
    SCORE_FIELDS,
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
from journeymap.model.journey import JourneyMap
from journeymap.model.kinds import KINDS, MapSummary, RemovedTouchPoint
from journeymap.model.validation import ModelError

__all__ = [
    "ACTION_KINDS",
    "ACTION_STATUSES",
    "CHANNELS",
    "IDEA_LEVELS",
    "IDEA_SCOPES",
    "KINDS",
    "METHODS",
    "RULE_COLORS",
    "SCORE_FIELDS",
    "TONE_KINDS",
    "TRANSITION_KINDS",
    "Action",
    "Change",
    "Idea",
    "JourneyMap",
    "MapSummary",
    "ModelError",
    "Observation",
    "Persona",
    "RecordCollection",
    "RemovedTouchPoint",
    "Rule",
    "Scale",
    "Stage",
    "ToneTerm",
    "TouchPoint",
    "Transition",
]
