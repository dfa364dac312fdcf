"""Orthogonal routes for transition arrows, and free places for their labels.

Arrows leave a card from a side (or its top or bottom), run along the gutters
between columns and the lanes between or below the cards, and enter the target
card: never through a stage header or behind a card, where they would be
hidden.  Each label is put beside a straight stretch of its own arrow, where
it covers no card, header, other label or (if it can help it) other arrow.

Everything here is plain float geometry, no Qt: the router is called for every
arrow of a map of thousands of touch points and must stay fast.  Rectangles
are ``(x1, y1, x2, y2)`` tuples in scene coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from journeymap.canvas.spatial import (
    HALF,
    Grid,
    Point,
    Rect,
    grow,
    is_vertical,
    overlaps,
    segment_rect,
)

#: How far a line keeps from a card's bounding rectangle or a header.
CLEAR = 3.0
#: Distance from a line's centre to the label put beside it.
LABEL_GAP = 4.0
#: Headers reach this far down as obstacles: a lane hugging a header reads as part of it.
HEADER_CLEAR = 8.0
#: Offsets of parallel tracks in a gutter or lane, so arrows sharing one stay apart.
TRACKS = (0.0, 6.0, -6.0, 12.0, -12.0, 18.0, -18.0)
#: Where ports sit along a side (from its centre), in order of preference.
SIDE_PORTS = (0.0, -16.0, 16.0, -32.0, 32.0)
END_PORTS = (0.0, -40.0, 40.0, -70.0, 70.0)
#: A labelled arrow leaving from the bottom leaves near the left, so its label
#: finds room on the right of it.
LABELLED_END_PORTS = (-70.0, -40.0, 70.0, 0.0, 40.0)
#: Lines in a row gap run near one edge, leaving the rest for a label.
GAP_LANES = (26.0, 6.0)
BEND_COST, CROSS_COST = 25.0, 60.0
#: Candidates looked at per arrow before settling for the best seen.
MAX_CANDIDATES = 160


@dataclass
class Route:
    """A chosen route: its corner points, its label's place and the ports it holds."""

    points: list[Point]
    label: Rect | None = None
    #: Which of the offered label sizes fitted (-1: none, the tooltip shows it).
    size_index: int = -1
    ports: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def bounds(self) -> Rect:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        r = (min(xs), min(ys), max(xs), max(ys))
        if self.label is not None:
            r = (
                min(r[0], self.label[0]),
                min(r[1], self.label[1]),
                max(r[2], self.label[2]),
                max(r[3], self.label[3]),
            )
        return r


@dataclass
class _Candidate:
    points: list[Point]
    ports: list[tuple[str, str, float]]
    cost: float = 0.0


class Router:
    """Routes arrows around the cards and headers it is told about.

    Routes and labels are placed greedily, one arrow at a time, against what
    is already placed; :meth:`route` replaces an arrow's previous route.
    """

    def __init__(self, column_w: float, column_gap: float, row_gap: float) -> None:
        self.column_w, self.column_gap, self.row_gap = column_w, column_gap, row_gap
        #: x of the first column's left edge.
        self.origin = 0.0
        self.cards: dict[str, Rect] = {}
        self.obstacles = Grid()
        self.lines = Grid()
        self.labels = Grid()
        self.routes: dict[Hashable, Route] = {}
        self._ports: dict[tuple[str, str], dict[float, Hashable]] = {}
        self._columns: dict[int, set[str]] = {}
        self._headers = 0

    # ------------------------------------------------------------ obstacles

    def set_headers(self, rects: list[Rect]) -> None:
        for i in range(self._headers):
            self.obstacles.remove(("header", i))
        for i, r in enumerate(rects):
            self.obstacles.add(("header", i), [(r[0], r[1], r[2], r[3] + HEADER_CLEAR)])
        self._headers = len(rects)

    def set_card(self, card_id: str, rect: Rect) -> None:
        """Card ``card_id`` now covers ``rect`` (its bounding rectangle)."""
        self.remove_card(card_id)
        self.cards[card_id] = rect
        self.obstacles.add(("card", card_id), [rect])
        self._columns.setdefault(self.column_of(rect), set()).add(card_id)

    def remove_card(self, card_id: str) -> None:
        old = self.cards.pop(card_id, None)
        if old is not None:
            self.obstacles.remove(("card", card_id))
            self._columns.get(self.column_of(old), set()).discard(card_id)

    def clear_cards(self) -> None:
        for card_id in list(self.cards):
            self.remove_card(card_id)

    def clear_routes(self) -> None:
        self.lines.clear()
        self.labels.clear()
        self.routes.clear()
        self._ports.clear()

    def column_of(self, r: Rect) -> int:
        return math.floor(((r[0] + r[2]) / 2 - self.origin) / self.column_w)

    def gutter(self, column: int, side: str) -> float:
        """The x of the middle of the gap left or right of ``column``."""
        left = self.origin + column * self.column_w - self.column_gap / 2
        return left + self.column_w if side == "right" else left

    def edges_meeting(self, r: Rect) -> set[Hashable]:
        """Arrows whose line or label meets ``r``: they must move when a card lands there."""
        return {key for key, _ in self.lines.hits(r)} | {key for key, _ in self.labels.hits(r)}

    # --------------------------------------------------------------- routes

    def release(self, key: Hashable) -> None:
        route = self.routes.pop(key, None)
        if route is None:
            return
        self.lines.remove(key)
        self.labels.remove(key)
        for card_id, side, offset in route.ports:
            slots = self._ports.get((card_id, side), {})
            if slots.get(offset) == key:
                del slots[offset]

    def route(
        self, key: Hashable, source: str, target: str, sizes: list[tuple[float, float]]
    ) -> Route:
        """Route arrow ``key`` and place its label, trying ``sizes`` (w, h) in order.

        The first tier asks for a route that crosses no card, header or label and
        shares no stretch with another arrow; the second lets it share and cross
        labels; the last resort is the shortest route whatever it crosses.
        """
        self.release(key)
        s, t = self.cards[source], self.cards[target]
        seen: list[_Candidate] = []
        valid: list[_Candidate] = []
        chosen: Route | None = None
        for cand in self._candidates(source, target, s, t, bool(sizes)):
            seen.append(cand)
            if len(seen) > MAX_CANDIDATES:
                break
            if not self._fit(cand, source, target, strict=True):
                continue
            valid.append(cand)
            if sizes:
                spot = self._label_spot(cand.points, *sizes[0], strict=True)
                if spot is not None:
                    chosen = Route(cand.points, spot, 0, cand.ports)
                    break
            elif len(valid) >= 3 or cand.cost <= _length(cand.points):
                break  # a straight run crossing nothing cannot be beaten
        if chosen is None and valid:
            chosen = self._with_label(valid, sizes)
        if chosen is None:
            valid = [c for c in seen if self._fit(c, source, target, strict=False)]
            if valid:
                chosen = self._with_label(valid, sizes)
        if chosen is None:
            # Nothing clear of every card: the fewest cards crossed.
            best = min(seen, key=lambda c: self._damage(c, source, target))
            chosen = Route(best.points, ports=best.ports)
        self._commit(key, chosen)
        return chosen

    def _with_label(self, valid: list[_Candidate], sizes: list[tuple[float, float]]) -> Route:
        if not sizes:
            best = min(valid, key=lambda c: c.cost)
            return Route(best.points, ports=best.ports)
        for strict in (True, False):
            for index, (w, h) in enumerate(sizes):
                for cand in valid:
                    spot = self._label_spot(cand.points, w, h, strict)
                    if spot is not None:
                        return Route(cand.points, spot, index, cand.ports)
        # No room anywhere near: the arrow is drawn, its label lives in the tooltip.
        return Route(valid[0].points, ports=valid[0].ports)

    def _commit(self, key: Hashable, route: Route) -> None:
        pts = route.points
        self.lines.add(key, [segment_rect(a, b) for a, b in pairwise(pts)])
        if route.label is not None:
            self.labels.add(key, [route.label])
        for card_id, side, offset in route.ports:
            self._ports.setdefault((card_id, side), {})[offset] = key
        self.routes[key] = route

    # ----------------------------------------------------------- candidates

    def _port(self, card_id: str, side: str, prefs: tuple[float, ...], taken=()) -> float:
        slots = self._ports.get((card_id, side), {})
        for offset in prefs:
            if offset not in slots and offset not in taken:
                return offset
        return prefs[0]

    def _candidates(
        self, source: str, target: str, s: Rect, t: Rect, labelled: bool
    ) -> Iterator[_Candidate]:
        sb, tb = grow(s, -4), grow(t, -4)  # the cards as drawn
        cs, ct = self.column_of(s), self.column_of(t)
        ends = LABELLED_END_PORTS if labelled else END_PORTS
        if source != target and cs == ct and min(sb[2], tb[2]) - max(sb[0], tb[0]) > 100:
            # Stacked cards: straight down (or up) between them.
            x0 = max(sb[0], tb[0]) + (min(sb[2], tb[2]) - max(sb[0], tb[0])) / 2
            down = tb[1] >= sb[3] + 8
            if down or sb[1] >= tb[3] + 8:
                leave, enter = ("bottom", "top") if down else ("top", "bottom")
                y1, y2 = (sb[3], tb[1]) if down else (sb[1], tb[3])
                # A port free on both cards: the other arrows between them keep theirs.
                slots = {
                    **self._ports.get((source, leave), {}),
                    **self._ports.get((target, enter), {}),
                }
                for off in [o for o in (ends if down else [-e for e in ends]) if o not in slots]:
                    ports = [(source, leave, off), (target, enter, off)]
                    yield _Candidate([(x0 + off, y1), (x0 + off, y2)], ports)
        if cs == ct:
            pairs = [("right", "right"), ("left", "left")]
        elif ct > cs:
            pairs = [("right", "left")]
        else:
            pairs = [("left", "right")]
        families = [("side", "side"), ("bottom", "side"), ("side", "top"), ("bottom", "top")]
        families += [("top", "side"), ("side", "bottom"), ("top", "bottom"), ("bottom", "bottom")]
        gaps = [
            self.cards[card][3] + lane - 4
            for col in {cs, ct}
            for card in self._columns.get(col, ())
            for lane in GAP_LANES
        ]
        lo, hi = min(cs, ct), max(cs, ct)
        floor = max(
            (self.cards[c][3] for col in range(lo, hi + 1) for c in self._columns.get(col, ())),
            default=max(s[3], t[3]),
        )
        lanes = (gaps, floor)
        for sside, tside in pairs:
            g1, g2 = self.gutter(cs, sside), self.gutter(ct, tside)
            for first, last in families:
                for start, y1, start_ports in self._starts(source, sb, sside, first, ends):
                    taken = tuple(o for c, sd, o in start_ports if c == target and sd == tside)
                    for end, y2, end_ports in self._ends(target, tb, tside, last, ends, taken):
                        for mid in self._middles(g1, g2, y1, y2, lanes):
                            points = _simplify([*start, *mid, *end])
                            if len(points) >= 2:
                                yield _Candidate(points, start_ports + end_ports)

    def _starts(self, card: str, b: Rect, side: str, how: str, ends: tuple[float, ...]):
        if how == "side":
            off = self._port(card, side, SIDE_PORTS)
            y = (b[1] + b[3]) / 2 + off
            yield [(b[2] if side == "right" else b[0], y)], y, [(card, side, off)]
            return
        off = self._port(card, how, ends)
        x = (b[0] + b[2]) / 2 + off
        edge = b[3] if how == "bottom" else b[1]
        sign = 1 if how == "bottom" else -1
        for lane in GAP_LANES:
            y = edge + sign * lane
            yield [(x, edge), (x, y)], y, [(card, how, off)]

    def _ends(self, card: str, b: Rect, side: str, how: str, ends, taken):
        for start, y, ports in self._starts(card, b, side, how, ends):
            if how == "side" and ports[0][2] in taken:
                off = self._port(card, side, SIDE_PORTS, taken)
                y = (b[1] + b[3]) / 2 + off
                start, ports = [(start[0][0], y)], [(card, side, off)]
            yield list(reversed(start)), y, ports

    def _middles(self, g1: float, g2: float, y1: float, y2: float, lanes):
        """Runs from the source's gutter at y1 to the target's gutter at y2."""
        if abs(g1 - g2) < 1:
            x = self._track_x(g1, y1, y2)
            yield [(x, y1), (x, y2)]
            return
        for y in self._lanes(g1, g2, y1, y2, *lanes):
            x1 = self._track_x(g1, y1, y)
            x2 = self._track_x(g2, y, y2)
            yield [(x1, y1), (x1, y), (x2, y), (x2, y2)]

    def _track_x(self, g: float, y1: float, y2: float) -> float:
        """The first track of gutter ``g`` no other arrow runs along between y1 and y2."""
        for off in TRACKS:
            x = g + off
            r = (x - 3.5, min(y1, y2), x + 3.5, max(y1, y2))
            if not any(is_vertical(o) for _, o in self.lines.hits(r)):
                return x
        return g

    def _lanes(self, g1, g2, y1, y2, gaps: list[float], floor: float) -> Iterator[float]:
        """Heights for the run between two gutters: level with an end, a row gap, or below all."""
        x1, x2 = min(g1, g2), max(g1, g2)
        mid = (y1 + y2) / 2
        ys = [y1, y2, *sorted(gaps, key=lambda y: abs(y - mid))[:8]]
        ys += [floor + 10 + 8 * i for i in range(4)]
        for y in ys:
            r = (x1, y - 3.5, x2, y + 3.5)
            if not any(not is_vertical(o) for _, o in self.lines.hits(r)):
                yield y

    # ----------------------------------------------------------- validation

    def _fit(self, cand: _Candidate, source: str, target: str, strict: bool) -> bool:
        pts = cand.points
        last = len(pts) - 2
        crossings = 0
        length = 0.0
        for i, (a, b) in enumerate(pairwise(pts)):
            r = segment_rect(a, b)
            skip = []
            if i == 0:
                skip.append(("card", source))
            if i == last:
                skip.append(("card", target))
            for _ in self.obstacles.hits(grow(r, CLEAR), tuple(skip)):
                return False
            if strict:
                for _ in self.labels.hits(grow(r, 1.0)):
                    return False
            vertical = a[0] == b[0]
            for _, other in self.lines.hits(grow(r, 2.0)):
                if is_vertical(other) == vertical and strict:
                    return False  # running along another arrow: the two would read as one
                crossings += 1
            length += abs(a[0] - b[0]) + abs(a[1] - b[1])
        cand.cost = length + BEND_COST * (len(pts) - 2) + CROSS_COST * crossings
        return True

    def _damage(self, cand: _Candidate, source: str, target: str) -> float:
        pts = cand.points
        hits = 0
        for a, b in pairwise(pts):
            skip = (("card", source), ("card", target))
            hits += sum(1 for _ in self.obstacles.hits(segment_rect(a, b), skip))
        return hits * 10_000 + _length(pts)

    # --------------------------------------------------------------- labels

    def _label_spot(self, pts: list[Point], w: float, h: float, strict: bool) -> Rect | None:
        own = [segment_rect(a, b, HALF + 1.0) for a, b in pairwise(pts)]
        segments = sorted(
            pairwise(pts),
            key=lambda s: (s[0][1] != s[1][1], -abs(s[0][0] - s[1][0]) - abs(s[0][1] - s[1][1])),
        )
        for a, b in segments:
            for spot in _spots_beside(a, b, w, h):
                if any(overlaps(spot, r) for r in own):
                    continue
                if next(self.obstacles.hits(spot), None) is not None:
                    continue
                if next(self.labels.hits(grow(spot, 2.0)), None) is not None:
                    continue
                if strict and next(self.lines.hits(spot), None) is not None:
                    continue
                return spot
        return None


def _spots_beside(a: Point, b: Point, w: float, h: float) -> Iterator[Rect]:
    """Places for a w x h label along segment a-b, nearest its middle first."""
    margin = 6.0
    if a[1] == b[1]:  # horizontal: above or below
        lo, hi, y = min(a[0], b[0]), max(a[0], b[0]), a[1]
        lefts = _slide(lo + margin, hi - margin - w, (lo + hi - w) / 2, 16.0)
        for left in lefts:
            yield (left, y - LABEL_GAP - h, left + w, y - LABEL_GAP)
            yield (left, y + LABEL_GAP, left + w, y + LABEL_GAP + h)
    else:  # vertical: right or left
        lo, hi, x = min(a[1], b[1]), max(a[1], b[1]), a[0]
        tops = _slide(lo + margin, hi - margin - h, (lo + hi - h) / 2, 8.0)
        for top in tops:
            yield (x + LABEL_GAP, top, x + LABEL_GAP + w, top + h)
            yield (x - LABEL_GAP - w, top, x - LABEL_GAP, top + h)


def _slide(lo: float, hi: float, middle: float, step: float) -> list[float]:
    if hi < lo:
        return [middle]
    step = max(step, (hi - lo) / 8)
    out = [min(max(middle, lo), hi)]
    k = 1
    while True:
        added = False
        for value in (out[0] - k * step, out[0] + k * step):
            if lo <= value <= hi:
                out.append(value)
                added = True
        if not added:
            break
        k += 1
    return out


def _length(points: list[Point]) -> float:
    return sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in pairwise(points))


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and the middle of straight runs; [] for a route
    that doubles back on itself (part of the arrow would hide the rest)."""
    out: list[Point] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 0.01 and abs(out[-1][1] - p[1]) < 0.01:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (a[0] == b[0] == p[0]) or (a[1] == b[1] == p[1]):
                if (b[0] - a[0]) * (p[0] - b[0]) + (b[1] - a[1]) * (p[1] - b[1]) < 0:
                    return []
                out[-1] = p
                continue
        out.append(p)
    return out
