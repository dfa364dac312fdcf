"""The emotion curve and the method comparison (service safari against shadowing)."""

from __future__ import annotations

import math

from matplotlib import transforms
from matplotlib.figure import Figure

from journeymap.charts.gapchart import (
    DELIGHT,
    EXPECTATION,
    MIN_FONT,
    SHORTFALL,
    draw_gap_chart,
    say_empty,
    wrap_label,
)
from journeymap.model import palette
from journeymap.model.analysis import ObservationFilter, statistics
from journeymap.model.comparisons import blind_spot_rows, emotion_curve
from journeymap.model.journey import JourneyMap

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
    # Room per touch point, in characters of 8 pt text (about 0.075 in each), for
    # wrapping stage names over their columns and naming every k-th touch point.
    slot_in = max(0.1, figure.get_size_inches()[0] - 1.0) / len(names)
    ends = [start for start, _ in stage_starts[1:]] + [len(names)]
    above = transforms.blended_transform_factory(axes.transData, axes.transAxes)
    lines = 1
    for index, ((start, stage_name), end) in enumerate(zip(stage_starts, ends, strict=True)):
        if index:
            axes.axvline(start - 0.5, color="#dddddd", linewidth=1)
        label = wrap_label(stage_name, max(4, int((end - start) * slot_in / 0.075)), False)
        lines = max(lines, label.count("\n") + 1)
        axes.text(start - 0.4, 1.01, label, transform=above, fontsize=MIN_FONT, va="bottom",
                  ha="left", color="#374151", fontweight="bold", parse_math=False)  # fmt: skip
    # Upright names, each wrapped onto two lines of 8 pt (0.27 in side by side):
    # as many as fit the width are named, the rest every k-th.
    step = max(1, math.ceil(len(names) * 0.27 / (slot_in * len(names))))
    positions = list(range(0, len(names), step))
    axes.set_xticks(positions, [wrap_label(names[i], 22) for i in positions], rotation=90,
                    ha="center", va="top", multialignment="right", fontsize=MIN_FONT,
                    parse_math=False)  # fmt: skip
    axes.set_xlim(-0.6, len(names) - 0.4)
    axes.set_ylim(journey.scale.min - 0.2, journey.scale.max + 0.3)
    axes.set_ylabel("how it felt", fontsize=MIN_FONT)
    axes.set_title("Emotion curve across the journey", fontsize=10, pad=8 + 11 * lines)
    axes.legend(fontsize=MIN_FONT, frameon=False, loc="lower left")
    return figure


def draw_methods_chart(
    journey: JourneyMap, figure: Figure | None = None, flt: ObservationFilter | None = None
) -> Figure:
    """Gap per touch point as seen on service safari (staff) and by shadowing (customers).

    Rows in journey order; "blind spot" marks the rows :func:`blind_spot_rows` calls
    one: staff, using the service themselves, saw a gap at least half the wide-gap
    threshold smaller than the customers they watched.
    """
    figure = figure if figure is not None else Figure(figsize=(8, 5), layout="constrained")
    figure.clear()
    axes = figure.add_subplot()
    position = {tp.id: index for index, tp in enumerate(journey.journey_order())}
    compared = sorted(blind_spot_rows(journey, flt), key=lambda r: position[r.touchpoint])
    rows = [(r.name, r.safari_gap, r.shadowing_gap) for r in compared]
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
        axes.text(right * 1.02, y, "blind spot", va="center", fontsize=MIN_FONT, color=DELIGHT,
                  fontweight="bold")  # fmt: skip
    step = max(1, math.ceil(len(rows) / 45))
    axes.set_yticks(ys[::step], [wrap_label(r[0]) for r in rows[::step]], fontsize=MIN_FONT,
                    parse_math=False)  # fmt: skip
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.axvline(0, color="#555555", linewidth=1)
    # Room on the left for negative gaps (delight) too, not only the labels' margin.
    lowest = min([v for _, a, b in rows for v in (a, b) if v is not None] + [0.0])
    axes.set_xlim(min(lowest * 1.1, -right * 0.2) - 0.1, right * 1.25)
    axes.set_xlabel("gap (expectation \u2212 reality)", fontsize=MIN_FONT)
    axes.set_title("Staff on safari against customers observed", fontsize=10)
    axes.legend(fontsize=MIN_FONT, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1),
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


def chart_size(
    kind: str,
    journey: JourneyMap,
    flt: ObservationFilter | None = None,
    width: float | None = None,
) -> tuple[float, float]:
    """The figure size in inches for chart ``kind``: ``width`` (default the file
    size) by a height that leaves each named row room for a wrapped name."""
    if kind not in _DRAW:
        raise ValueError(f"unknown chart kind {kind!r}; expected one of {', '.join(CHART_KINDS)}")
    default_w, default_h = _SIZES[kind]
    if width is None:
        return default_w, default_h
    if kind == "emotion":
        return width, default_h + 0.8
    rows = (
        len(blind_spot_rows(journey, flt))
        if kind == "methods"
        else len(
            [tp for tp in journey.journey_order() if statistics(journey).touchpoint(tp.id, flt).n]
        )
    )
    named = min(rows, 45)
    # Two lines of 8 pt text a row, plus the title, axis and legend.
    return width, min(9.0, max(3.2, 1.6 + 0.3 * named))


def draw_chart(
    kind: str,
    journey: JourneyMap,
    flt: ObservationFilter | None = None,
    size: tuple[float, float] | None = None,
) -> Figure:
    """A new figure of chart ``kind``, sized for a file, or ``size`` inches for a page.

    Text is :data:`MIN_FONT` points or more at the figure's size, so printed at that
    size (not shrunk) every label stays legible.
    """
    if kind not in _DRAW:
        raise ValueError(f"unknown chart kind {kind!r}; expected one of {', '.join(CHART_KINDS)}")
    figure = Figure(figsize=size or _SIZES[kind], layout="constrained")
    return draw_into(kind, journey, figure, flt)
