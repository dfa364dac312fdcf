"""The dumbbell chart: expectation against reality per touch point, in journey order."""

from __future__ import annotations

import math
import textwrap

from matplotlib.figure import Figure

from journeymap.model.analysis import ObservationFilter, statistics
from journeymap.model.journey import JourneyMap
from journeymap.model.palette import DELIGHT, EXPECTATION, SHORTFALL
from journeymap.textsafety import chart_text

#: More rows than this and only every k-th touch point is named.
MAX_LABELS = 45
#: The smallest text on a chart, in points at the figure's own size: drawn at its
#: size (as the report and `journeymap chart` do), no label is printed smaller.
MIN_FONT = 8
#: Names longer than this are not names but pasted text: only they are shortened,
#: so a label never takes over the chart.  Real names are wrapped, never cut.
LONGEST_LABEL = 160
#: The LibQUAL+ zone of tolerance: from the minimum customers accept to what they expect.
ZONE = "#8fbf8f"


def draw_gap_chart(
    journey: JourneyMap, figure: Figure | None = None, flt: ObservationFilter | None = None
) -> Figure:
    """Draw (or redraw into ``figure``) a dumbbell per touch point with scores.

    The expectation is a hollow dot, reality a filled one; the bar between
    them is red where reality fell short and blue where it went beyond
    expectation.  Wide gaps are marked with a triangle at the right.  A
    whisker around reality shows the gap's 95% interval, read from the
    expectation (reality lies, 95% sure, between expectation - ci_high and
    expectation - ci_low).  Where observations carry a minimum, a green band
    runs from the mean minimum to the expectation: the zone of tolerance
    (LibQUAL+), with the reality dot inside or outside it.  Each
    kind of mark is one collection, so a map of a thousand touch points
    draws in a fraction of a second.
    """
    figure = figure if figure is not None else Figure(figsize=(8, 4), layout="constrained")
    figure.clear()
    axes = figure.add_subplot()
    source = statistics(journey)
    names, rows = [], []
    for tp in journey.journey_order():
        stats = source.touchpoint(tp.id, flt)
        if stats.n:
            names.append(tp.name)
            rows.append(stats)
    if not rows:
        return say_empty(figure, axes, "No touch point has both scores yet")
    ys = list(range(len(rows)))
    dense = len(rows) > MAX_LABELS
    axes.hlines(
        ys,
        [s.expectation for s in rows],
        [s.reality for s in rows],
        colors=[SHORTFALL if s.gap > 0 else DELIGHT for s in rows],
        linewidth=1.5 if dense else 6,
        alpha=0.45,
    )
    zoned = [(y, s) for y, s in zip(ys, rows, strict=True) if s.minimum is not None]
    if zoned:
        axes.barh([y for y, _ in zoned], [s.expectation - s.minimum for _, s in zoned],
                  left=[s.minimum for _, s in zoned], height=0.3 if dense else 0.7, color=ZONE,
                  alpha=0.35, zorder=1, gid="zone", label="zone of tolerance")  # fmt: skip
    sure = [(y, s) for y, s in zip(ys, rows, strict=True) if s.ci_low is not None]
    if sure:
        draw_whiskers(axes, journey, sure, dense)
    size = 6 if dense else 30
    axes.scatter([s.expectation for s in rows], ys, s=size, facecolors="white",
                 edgecolors=EXPECTATION, linewidths=1.0, zorder=3, label="expectation")  # fmt: skip
    axes.scatter([s.reality for s in rows], ys, s=size, color=EXPECTATION, zorder=3,
                 label="reality")  # fmt: skip
    wide = [y for y, s in zip(ys, rows, strict=True) if s.wide]
    if wide:
        axes.scatter([journey.scale.max + 0.15] * len(wide), wide, marker="<", color=SHORTFALL,
                     s=size, clip_on=False, label="wide gap")  # fmt: skip
    step = max(1, math.ceil(len(rows) / MAX_LABELS))
    # User text is shown as typed: no mathtext, so "$5" or "a_b" are not formulas.
    # Wrapped names need two lines a row; a small figure (the Gaps dock) gives
    # each row less, so names stay on one line there, cut in the middle.
    shown = names[::step]
    row_points = figure.get_figheight() * 72 * 0.8 / max(1, len(shown))
    fit = wrap_label if row_points >= 2.6 * MIN_FONT else one_line_label
    axes.set_yticks(ys[::step], [fit(n) for n in shown], fontsize=MIN_FONT,
                    parse_math=False)  # fmt: skip
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_xlim(journey.scale.min - 0.2, journey.scale.max + 0.3)
    axes.set_xlabel(f"mean score ({journey.scale.min:g}-{journey.scale.max:g})", fontsize=MIN_FONT)
    axes.tick_params(axis="x", labelsize=MIN_FONT)
    axes.grid(axis="x", color="#e0e0e0")
    entries = len(axes.get_legend_handles_labels()[1])
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(entries, 3),
                fontsize=MIN_FONT, frameon=False)  # fmt: skip
    title = "Expectation vs reality"
    if step > 1:
        title += f", every {step}th name shown"
    axes.set_title(title, fontsize=MIN_FONT + 2)
    return figure


def draw_whiskers(axes, journey: JourneyMap, sure: list, dense: bool) -> None:
    """The 95% interval of each gap as a whisker around reality.

    gap = expectation - reality, so its interval [low, high] puts reality between
    expectation - high and expectation - low.  A whisker stops at the ends of the
    scale; only an end inside the scale gets a cap, so an open end reads as
    "could be further still".
    """
    lo, hi = journey.scale.min, journey.scale.max
    starts = [s.expectation - s.ci_high for _, s in sure]
    ends = [s.expectation - s.ci_low for _, s in sure]
    ys = [y for y, _ in sure]
    axes.hlines(ys, [max(lo, x) for x in starts], [min(hi, x) for x in ends],
                colors="#4b5563", linewidth=0.8 if dense else 1.2, zorder=2, gid="interval",
                label="95% interval")  # fmt: skip
    caps = [(x, y) for x, y in zip(starts + ends, ys + ys, strict=True) if lo <= x <= hi]
    if caps and not dense:
        axes.scatter([x for x, _ in caps], [y for _, y in caps], marker="|", s=40,
                     color="#4b5563", linewidths=1.2, zorder=2, gid="interval-caps")  # fmt: skip


def say_empty(figure: Figure, axes, message: str) -> Figure:
    """A chart with nothing to draw says so, instead of showing empty axes."""
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes,
              color="#606060")  # fmt: skip
    axes.set_axis_off()
    return figure


def one_line_label(name: str, width: int = 28) -> str:
    """A user's name on one line of at most ``width`` characters, cut in the middle
    (both ends of a name tell most); for charts too small to wrap names."""
    name = " ".join(chart_text(name).split())
    if len(name) <= width:
        return name
    head = (width - 1) // 2
    return name[:head] + "\u2026" + name[len(name) - (width - 1 - head) :]


def wrap_label(name: str, width: int = 28, break_words: bool = True) -> str:
    """A user's name as a chart label: XML-safe, wrapped onto lines of at most
    ``width`` characters (a longer word is split, unless ``break_words`` is false),
    never cut.

    Only text over :data:`LONGEST_LABEL` characters is shortened.  Draw it with
    ``parse_math=False`` so ``$``, ``_``, ``^`` and ``\\`` print as typed.
    """
    name = chart_text(name)
    if len(name) > LONGEST_LABEL:
        name = name[: LONGEST_LABEL - 1] + "\u2026"
    lines = [
        wrapped
        for line in name.split("\n")
        for wrapped in (textwrap.wrap(line, width, break_long_words=break_words) or [""])
    ]
    return "\n".join(lines)
