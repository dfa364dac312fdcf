"""The emotion curve and the method comparison (service safari against shadowing)."""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from journeymap.charts.gapchart import (
    DELIGHT,
    EXPECTATION,
    SHORTFALL,
    _short,
    draw_gap_chart,
    say_empty,
)
from journeymap.model import palette
from journeymap.model.analysis import ObservationFilter
from journeymap.model.comparisons import emotion_curve, method_gaps
from journeymap.model.journey import JourneyMap
from journeymap.textsafety import chart_text

CHART_KINDS = ("gaps", "emotion", "methods")


def draw_emotion_chart(
    journey: JourneyMap, figure: Figure | None = None, flt: ObservationFilter | None = None
) -> Figure:
    """The journey map's emotion curve: mean emotion (or reality) per touch point in
    journey order, with a band of one standard deviation and the stages marked."""
    figure = figure if figure is not None else Figure(figsize=(10, 4), layout="constrained")
    figure.clear()
    axes = figure.add_subplot()
    xs, means, spreads, names, stage_starts = [], [], [], [], []
    last_stage = None
    for point in emotion_curve(journey, flt):
        if point.stage != last_stage:
            stage_starts.append((len(names), journey.stage(point.stage).name))
            last_stage = point.stage
        names.append(point.name)
        if point.mean is not None:
            xs.append(len(names) - 1)
            means.append(point.mean)
            spreads.append(point.spread)
    if not xs:
        return say_empty(figure, axes, "No reality or emotion scores yet")
    low = [m - s for m, s in zip(means, spreads, strict=True)]
    high = [m + s for m, s in zip(means, spreads, strict=True)]
    axes.fill_between(xs, low, high, color=palette.BAND, alpha=0.35, label="\u00b1 1 SD")
    axes.plot(xs, means, color=EXPECTATION, marker="o", linewidth=2, label="mean emotion / reality")
    midpoint = (journey.scale.min + journey.scale.max) / 2
    axes.axhline(midpoint, color="#bbbbbb", linewidth=1, linestyle="--")
    for index, (start, stage_name) in enumerate(stage_starts):
        if index:
            axes.axvline(start - 0.5, color="#dddddd", linewidth=1)
        axes.text(start - 0.4, journey.scale.max + 0.05, chart_text(stage_name), fontsize=8,
                  va="bottom", color="#374151", fontweight="bold", parse_math=False)  # fmt: skip
    step = max(1, math.ceil(len(names) / 40))
    positions = list(range(0, len(names), step))
    axes.set_xticks(positions, [_short(names[i], 22) for i in positions], rotation=40,
                    ha="right", fontsize=7, parse_math=False)  # fmt: skip
    axes.set_xlim(-0.6, len(names) - 0.4)
    axes.set_ylim(journey.scale.min - 0.2, journey.scale.max + 0.4)
    axes.set_ylabel("how it felt", fontsize=8)
    axes.set_title("Emotion curve across the journey", fontsize=10, pad=18)
    axes.legend(fontsize=8, frameon=False, loc="lower left")
    return figure


def draw_methods_chart(
    journey: JourneyMap, figure: Figure | None = None, flt: ObservationFilter | None = None
) -> Figure:
    """Gap per touch point as seen on service safari (staff) and by shadowing (customers).

    A touch point whose safari gap is smaller than its shadowing gap is a
    blind spot: staff, using the service themselves, rate it better than the
    customers they watched.
    """
    figure = figure if figure is not None else Figure(figsize=(8, 5), layout="constrained")
    figure.clear()
    axes = figure.add_subplot()
    compared = method_gaps(journey, flt)
    rows = [(r.name, r.safari, r.shadowing) for r in compared]
    if not rows:
        return say_empty(figure, axes, "No service-safari or shadowing scores yet")
    ys = list(range(len(rows)))
    height = 0.38
    axes.barh([y - height / 2 for y in ys], [r[1] or 0 for r in rows], height=height,
              color=palette.SAFARI, label="service safari (staff)")  # fmt: skip
    axes.barh([y + height / 2 for y in ys], [r[2] or 0 for r in rows], height=height,
              color=SHORTFALL, label="shadowing (customers)")  # fmt: skip
    blind = [y for y, row in enumerate(compared) if row.blind_spot]
    right = max([abs(v) for _, a, b in rows for v in (a, b) if v is not None] + [1.0])
    for y in blind:
        axes.text(right * 1.02, y, "blind spot", va="center", fontsize=7, color=DELIGHT,
                  fontweight="bold")  # fmt: skip
    step = max(1, math.ceil(len(rows) / 45))
    axes.set_yticks(ys[::step], [_short(r[0]) for r in rows[::step]], fontsize=8,
                    parse_math=False)  # fmt: skip
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.axvline(0, color="#555555", linewidth=1)
    axes.set_xlim(min(0, -right * 0.2) - 0.1, right * 1.25)
    axes.set_xlabel("gap (expectation \u2212 reality)", fontsize=8)
    axes.set_title("Staff on safari against customers observed", fontsize=10)
    axes.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                ncol=2)  # fmt: skip
    return figure


_DRAW = {"gaps": draw_gap_chart, "emotion": draw_emotion_chart, "methods": draw_methods_chart}
_SIZES = {"gaps": (8, 5), "emotion": (10, 4), "methods": (8, 5)}


def draw_into(
    kind: str, journey: JourneyMap, figure: Figure, flt: ObservationFilter | None = None
) -> Figure:
    """Draw chart ``kind`` into an existing figure (the window's)."""
    if kind not in _DRAW:
        raise ValueError(f"unknown chart kind {kind!r}; expected one of {', '.join(CHART_KINDS)}")
    return _DRAW[kind](journey, figure, flt)


def draw_chart(kind: str, journey: JourneyMap, flt: ObservationFilter | None = None) -> Figure:
    """A new figure of chart ``kind``, sized for a report or a file."""
    if kind not in _DRAW:
        raise ValueError(f"unknown chart kind {kind!r}; expected one of {', '.join(CHART_KINDS)}")
    return draw_into(kind, journey, Figure(figsize=_SIZES[kind], layout="constrained"), flt)
