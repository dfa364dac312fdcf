"""How sure a gap is, in words: the interval and the evidence behind a touch point.

The numbers come from :mod:`journeymap.model.analysis` (``GapStats``); this
module only words them, so the cards, the Inspector, the Gaps dock and the
report say the same thing the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymap.model.analysis import GapStats

#: The interval cell where there is none (fewer than two paired observations).
NO_INTERVAL = "\u2014"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def interval_text(stats: GapStats) -> str | None:
    """The interval as "+1.93 to +3.07", or None when the interval is undefined (n < 2)."""
    low, high = stats.ci_low, stats.ci_high
    if low is None or high is None:
        return None
    return f"{low:+.2f} to {high:+.2f}"


def interval_cell(stats: GapStats) -> str:
    """The interval as a table cell: a dash when there is none."""
    return interval_text(stats) or NO_INTERVAL


def evidence_words(stats: GapStats) -> str:
    """e.g. "strong evidence: 6 observations, 3 methods, 4 observers"."""
    if stats.n == 0 or stats.evidence == "none":
        return "no evidence: not observed yet"
    methods = len(stats.methods)
    observers = stats.observers
    who = _count(observers, "observer") if observers else "no observer named"
    return (
        f"{stats.evidence} evidence: {_count(stats.n, 'observation')}, "
        f"{_count(methods, 'method')}, {who}"
    )


def interval_words(stats: GapStats) -> str:
    """The interval in words, "95% interval +1.93 to +3.07", or why there is none."""
    text = interval_text(stats)
    if text is not None:
        return f"95% interval {text}"
    if stats.n == 1:
        return "no interval from a single observation"
    return "no interval yet"


def gap_sentence(stats: GapStats) -> str:
    """The gap with how sure it is, e.g.
    "+2.50, 95% interval +1.93 to +3.07, strong evidence: 6 observations, 3 methods, 4 observers".
    """
    if stats.gap is None:
        return evidence_words(stats)
    return f"{stats.gap:+.2f}, {interval_words(stats)}, {evidence_words(stats)}"


def weak_warning(stats: GapStats) -> str:
    """A caution for a gap resting on weak evidence, or "" when it needs none."""
    if stats.evidence != "weak":
        return ""
    return (
        f"only {_count(stats.n, 'observation')} behind it: weak evidence,"
        " a lead to check rather than a finding"
    )
