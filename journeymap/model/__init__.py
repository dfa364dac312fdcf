"""The journey model: records, the graph-backed :class:`JourneyMap`, analysis.

Nothing here imports Qt or matplotlib (an import-linter contract checks it),
so the command line and other tools can use the model headless.
"""

from journeymap.model.collection import Change, RecordCollection
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
from journeymap.model.journey import JourneyMap
from journeymap.model.kinds import KINDS, MapSummary, RemovedTouchPoint
from journeymap.model.validation import ModelError

__all__ = [
    "CHANNELS",
    "KINDS",
    "METHODS",
    "SCORE_FIELDS",
    "TRANSITION_KINDS",
    "Change",
    "JourneyMap",
    "MapSummary",
    "ModelError",
    "Observation",
    "Persona",
    "RecordCollection",
    "RemovedTouchPoint",
    "Scale",
    "Stage",
    "TouchPoint",
    "Transition",
]
