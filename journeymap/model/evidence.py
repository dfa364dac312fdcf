"""How sure is a gap?  Student-t intervals and evidence levels.

Small-sample fieldwork (five to thirty observations) reports an interval,
not a bare mean.  This module holds the arithmetic behind the ``ci_low``,
``ci_high`` and ``evidence`` numbers of :mod:`journeymap.model.analysis`.

The Student-t quantile is computed here rather than taken from scipy, which
would add a second or so to every ``journeymap gaps``: for up to
:data:`EXACT_DF` degrees of freedom it solves the exact closed form of the
t distribution (Abramowitz & Stegun 26.7.3 and 26.7.4) by Newton's method,
beyond that it uses the Cornish-Fisher expansion (A&S 26.7.5), whose error
there is far below 1e-9.  Tests compare both with ``scipy.stats.t.ppf``.
"""

from __future__ import annotations

import functools
import math

#: The confidence of the intervals: 95%, two-sided.
CONFIDENCE = 0.95

#: Up to this many degrees of freedom the quantile is solved exactly.
EXACT_DF = 1000

#: Evidence levels, weakest first.
EVIDENCE_LEVELS = ("none", "weak", "moderate", "strong")

#: "strong" needs at least this many paired observations ...
STRONG_N = 8
#: ... from at least this many methods and this many observers.
STRONG_METHODS = 2
STRONG_OBSERVERS = 2
#: Up to this many paired observations the evidence is "weak".
WEAK_N = 2


def normal_quantile(p: float) -> float:
    """The standard normal quantile, by Newton's method on ``math.erfc``."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability must lie strictly between 0 and 1, not {p!r}")
    if p < 0.5:
        return -normal_quantile(1.0 - p)
    # A start within a few hundredths (Tukey's lambda approximation), then
    # Newton steps; each one squares the error.
    x = 4.91 * (p**0.14 - (1.0 - p) ** 0.14)
    for _ in range(50):
        upper = 0.5 * math.erfc(x / math.sqrt(2.0))  # 1 - Phi(x), accurate in the tail
        step = (upper - (1.0 - p)) / (math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi))
        x += step
        if abs(step) <= 1e-15 * max(1.0, abs(x)):
            break
    return x


def _central(theta: float, df: int) -> float:
    """P(|T| < sqrt(df)·tan(theta)) for T with ``df`` degrees of freedom (A&S 26.7.3-4)."""
    s, c = math.sin(theta), math.cos(theta)
    c2 = c * c
    if df % 2:
        if df == 1:
            return 2.0 * theta / math.pi
        term = total = c
        for k in range(1, (df - 1) // 2):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        return 2.0 / math.pi * (theta + s * total)
    term = total = 1.0
    for k in range(1, df // 2):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return s * total


def _cornish_fisher(x: float, df: int) -> float:
    """The t quantile from the normal quantile ``x``, to the fourth order (A&S 26.7.5)."""
    x2 = x * x
    g1 = (x2 + 1) * x / 4
    g2 = ((5 * x2 + 16) * x2 + 3) * x / 96
    g3 = (((3 * x2 + 19) * x2 + 17) * x2 - 15) * x / 384
    g4 = ((((79 * x2 + 776) * x2 + 1482) * x2 - 1920) * x2 - 945) * x / 92160
    v = float(df)
    return x + g1 / v + g2 / v**2 + g3 / v**3 + g4 / v**4


@functools.lru_cache(maxsize=512)
def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile of Student's t with ``df`` (a whole number >= 1) degrees of freedom.

    Agrees with ``scipy.stats.t.ppf(p, df)`` to well within 1e-9.
    """
    if isinstance(df, bool) or not isinstance(df, int) or df < 1:
        raise ValueError(f"degrees of freedom must be a whole number >= 1, not {df!r}")
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability must lie strictly between 0 and 1, not {p!r}")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    z = normal_quantile(p)
    if df > EXACT_DF:
        return _cornish_fisher(z, df)
    # In theta = atan(t / sqrt(df)) the central probability A rises from 0 to
    # 1 on [0, pi/2) with slope 2·k·cos^(df-1)(theta): increasing and concave.
    # Newton's method started left of the root (the normal quantile is
    # always below the t quantile) therefore climbs to it without overshoot.
    target = 2.0 * p - 1.0
    k = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(math.pi)
    theta = math.atan(z / math.sqrt(df))
    for _ in range(100):
        slope = 2.0 * k * math.cos(theta) ** (df - 1)
        if slope <= 0.0:  # theta reached pi/2: p is 1 to within rounding
            break
        step = (target - _central(theta, df)) / slope
        theta = min(theta + step, math.pi / 2)
        # Convergence is quadratic: after a step this small the error left
        # is far below rounding, and further steps only chase float noise.
        if abs(step) <= 1e-10 * theta:
            break
    return math.sqrt(df) * math.tan(theta)


def interval(gap: float, spread: float | None, n: int) -> tuple[float | None, float | None]:
    """The 95% two-sided Student-t interval of a mean gap: gap ± t(0.975, n-1)·spread/√n.

    ``(None, None)`` below two observations, where there is no spread.
    """
    if n < 2 or spread is None:
        return None, None
    half = t_quantile(0.5 + CONFIDENCE / 2, n - 1) * spread / math.sqrt(n)
    return gap - half, gap + half


def evidence_level(n: int, methods: int, observers: int) -> str:
    """How much stands behind a gap, in one word.

    "none" without a paired observation, "weak" with one or two, "strong"
    with at least eight from at least two methods and two observers,
    otherwise "moderate".
    """
    if n == 0:
        return "none"
    if n <= WEAK_N:
        return "weak"
    if n >= STRONG_N and methods >= STRONG_METHODS and observers >= STRONG_OBSERVERS:
        return "strong"
    return "moderate"
