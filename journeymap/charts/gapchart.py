"""The dumbbell chart: expectation against reality per touch point, in journey order."""

from __future__ import annotations

from matplotlib.figure import Figure

from journeymap.model.analysis import ObservationFilter, gap_stats, wide_gap_threshold
from journeymap.model.journey import JourneyMap

SHORTFALL = "#b2182b"  # ColorBrewer RdBu ends: colour-blind safe, print safe
DELIGHT = "#2166ac"
EXPECTATION = "#404040"


def draw_gap_chart(
    journey: JourneyMap, figure: Figure | None = None, flt: ObservationFilter | None = None
) -> Figure:
    """Draw (or redraw into ``figure``) a dumbbell per touch point with scores.

    The expectation is a hollow dot, reality a filled one; the bar between
    them is shaded red where reality fell short and blue where it exceeded
    expectation.  Wide gaps are marked with a triangle.
    """
    figure = figure if figure is not None else Figure(figsize=(8, 4), layout="constrained")
    figure.clear()
    axes = figure.add_subplot()
    threshold = wide_gap_threshold(journey.scale)
    names, rows = [], []
    for tp in journey.journey_order():
        observations = journey.observations_for(tp.id)
        if flt is not None:
            observations = tuple(o for o in observations if flt.accepts(o))
        stats = gap_stats(observations, threshold)
        if stats.n:
            names.append(tp.name)
            rows.append(stats)
    if not rows:
        axes.text(0.5, 0.5, "No touch point has both scores yet", ha="center", va="center",
                  transform=axes.transAxes, color="#606060")  # fmt: skip
        axes.set_axis_off()
        return figure
    positions = range(len(rows))
    for y, stats in zip(positions, rows, strict=True):
        colour = SHORTFALL if stats.gap > 0 else DELIGHT
        axes.plot([stats.expectation, stats.reality], [y, y], color=colour, linewidth=6,
                  alpha=0.35, solid_capstyle="round")  # fmt: skip
        if stats.wide:
            axes.plot(journey.scale.max + 0.15, y, marker="<", color=SHORTFALL, clip_on=False)
    axes.scatter([s.expectation for s in rows], positions, facecolors="white",
                 edgecolors=EXPECTATION, linewidths=1.5, zorder=3, label="expectation")  # fmt: skip
    axes.scatter([s.reality for s in rows], positions, color=EXPECTATION, zorder=3,
                 label="reality")  # fmt: skip
    axes.set_yticks(list(positions), [_short(n) for n in names], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(journey.scale.min - 0.2, journey.scale.max + 0.3)
    axes.set_xlabel(f"mean score ({journey.scale.min:g}-{journey.scale.max:g})")
    axes.grid(axis="x", color="#e0e0e0")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8,
                frameon=False)  # fmt: skip
    axes.set_title("Expectation vs reality in journey order (\u25c0 wide gap)", fontsize=9)
    axes.tick_params(axis="x", labelsize=8)
    axes.xaxis.label.set_size(8)
    return figure


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "\u2026"
