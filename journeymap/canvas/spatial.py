"""Rectangles as float tuples and a spatial hash over them, for the router.

Plain floats, no Qt: the router asks thousands of questions per map.
Rectangles are ``(x1, y1, x2, y2)`` in scene coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator

Rect = tuple[float, float, float, float]
Point = tuple[float, float]

#: Grid cell of the spatial index: about half a column, so a query touches few cells.
CELL = 160.0
#: Half the thickness of a line as the index stores it.
HALF = 1.5


def overlaps(a: Rect, b: Rect) -> bool:
    """Whether two rectangles share area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def grow(r: Rect, d: float) -> Rect:
    return (r[0] - d, r[1] - d, r[2] + d, r[3] + d)


def segment_rect(a: Point, b: Point, half: float = HALF) -> Rect:
    return (
        min(a[0], b[0]) - half,
        min(a[1], b[1]) - half,
        max(a[0], b[0]) + half,
        max(a[1], b[1]) + half,
    )


def is_vertical(r: Rect) -> bool:
    return r[2] - r[0] < r[3] - r[1]


class Grid:
    """A spatial hash: which keyed rectangles meet a query rectangle."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], set[Hashable]] = {}
        self.rects: dict[Hashable, list[Rect]] = {}

    @staticmethod
    def _cells(r: Rect) -> Iterator[tuple[int, int]]:
        for cx in range(math.floor(r[0] / CELL), math.floor(r[2] / CELL) + 1):
            for cy in range(math.floor(r[1] / CELL), math.floor(r[3] / CELL) + 1):
                yield cx, cy

    def add(self, key: Hashable, rects: list[Rect]) -> None:
        self.remove(key)
        self.rects[key] = rects
        for r in rects:
            for cell in self._cells(r):
                self.cells.setdefault(cell, set()).add(key)

    def remove(self, key: Hashable) -> None:
        for r in self.rects.pop(key, ()):
            for cell in self._cells(r):
                keys = self.cells.get(cell)
                if keys is not None:
                    keys.discard(key)

    def hits(self, r: Rect, skip: tuple = ()) -> Iterator[tuple[Hashable, Rect]]:
        x1, y1 = math.floor(r[0] / CELL), math.floor(r[1] / CELL)
        x2, y2 = math.floor(r[2] / CELL), math.floor(r[3] / CELL)
        cells = self.cells
        if x1 == x2 and y1 == y2:
            # Most queries fall in one cell: no set to build.
            keys = cells.get((x1, y1), ())
        else:
            keys = set()
            for cx in range(x1, x2 + 1):
                for cy in range(y1, y2 + 1):
                    found = cells.get((cx, cy))
                    if found:
                        keys |= found
        for key in keys:
            if key in skip:
                continue
            for other in self.rects[key]:
                if r[0] < other[2] and other[0] < r[2] and r[1] < other[3] and other[1] < r[3]:
                    yield key, other

    def clear(self) -> None:
        self.cells.clear()
        self.rects.clear()
