"""Arrows stay readable: routed around cards and headers, labels in free places.

Measured from the items' own geometry (scene bounding rectangles, the label
rectangle each arrow exposes, the arrow's stroked path), on the three samples
and on a synthetic map of 60 touch points with many labelled branches.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPainterPathStroker

from journeymap.canvas.items import CARD_H, CARD_W, HEADER_H
from journeymap.canvas.legend import ARROW_CAPTIONS
from journeymap.canvas.scene import MapScene
from journeymap.fileio import load_map
from journeymap.model import JourneyMap, Stage, TouchPoint, Transition
from journeymap.model.entities import TRANSITION_KINDS

SAMPLES = Path(__file__).resolve().parent.parent / "sample_maps"
SAMPLE_NAMES = ("library_visit", "cafe_order", "store_visit")
LABELS = (
    "not on the shelf: search again",
    "account blocked",
    "machine refuses the card",
    "still lost",
    "first visit",
    "can't make sense of the results",
    "remade",
    "price worry",
    "queue too long, comes back later",
    "no staff around",
)


def synthetic_map(seed: int = 7) -> JourneyMap:
    """60 touch points over 6 stages: a main path and many labelled branches,
    failures and loops, within a stage and across stages, forwards and back."""
    rng = random.Random(seed)
    stages = [Stage(f"s{i}", f"Stage {i + 1}") for i in range(6)]
    tps = [TouchPoint(f"t{i}", f"Touch point {i + 1}", f"s{i // 10}", "web") for i in range(60)]
    transitions = {(f"t{i}", f"t{i + 1}"): "main" for i in range(59)}
    edges = [Transition(f"t{i}", f"t{i + 1}") for i in range(59)]
    for i in range(60):
        for _ in range(rng.choice((0, 1, 1, 2))):
            j = min(59, max(0, i + rng.choice((-13, -4, -3, -2, 2, 3, 5, 11, 14))))
            key = (f"t{i}", f"t{j}")
            if j == i or key in transitions:
                continue
            kind = "loop" if j < i else rng.choice(("alternative", "failure"))
            transitions[key] = kind
            edges.append(Transition(*key, rng.choice(LABELS), kind))
    return JourneyMap.from_records(
        title="Synthetic: 60 touch points",
        scale=JourneyMap().scale,
        personas=[],
        stages=stages,
        touchpoints=tps,
        transitions=edges,
        observations=[],
        validate=False,
    )


def _stroke(path: QPainterPath, width: float) -> QPainterPath:
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    return stroker.createStroke(path)


def _overlap(a: QRectF, b: QRectF) -> bool:
    common = a.intersected(b)
    return common.width() > 0 and common.height() > 0


def measure(scene: MapScene) -> dict[str, int]:
    """Count what makes arrows unreadable, from the items' geometry.

    label-label: two labels overlap; label-card: a label covers a card (its
    bounding rectangle) or a stage header; arrow-header: an arrow's line runs
    through a stage header; arrow-card: an arrow runs behind a card other than
    its own two; label-own-arrow: a label covers its own arrow.
    """
    headers = [
        QRectF(c.scenePos().x(), c.scenePos().y(), c.boundingRect().width(), HEADER_H)
        for c in scene.columns.values()
    ]
    bodies = {
        tp_id: card.mapRectToScene(QRectF(0, 0, CARD_W, CARD_H))
        for tp_id, card in scene.cards.items()
    }
    cards = [card.sceneBoundingRect() for card in scene.cards.values()]
    labels = []
    counts = dict.fromkeys(
        ("label-label", "label-card", "arrow-header", "arrow-card", "label-own-arrow"), 0
    )
    for edge in scene.edges.values():
        line = _stroke(edge.mapToScene(edge.path()), edge.pen().widthF())
        counts["arrow-header"] += sum(line.intersects(h) for h in headers)
        counts["arrow-card"] += sum(
            line.intersects(body)
            for tp_id, body in bodies.items()
            if tp_id not in (edge.source.tp_id, edge.target.tp_id)
        )
        item = edge.label_item
        if item.isVisible():
            rect = item.sceneBoundingRect()
            assert edge.label_rect is not None and rect == edge.label_rect
            labels.append(rect)
            counts["label-card"] += sum(_overlap(rect, c) for c in cards + headers)
            counts["label-own-arrow"] += line.intersects(rect)
    for i, a in enumerate(labels):
        counts["label-label"] += sum(_overlap(a, b) for b in labels[i + 1 :])
    return counts


def _labels_shown(scene: MapScene) -> tuple[int, int]:
    """(labels drawn whole, labels of the map)."""
    labelled = [e for e in scene.edges.values() if e.tr.label]
    whole = [e for e in labelled if e.label_item.isVisible() and e.label_text == e.tr.label]
    return len(whole), len(labelled)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_arrows_cross_nothing_and_labels_overlap_nothing(qapp, name):
    scene = MapScene(load_map(SAMPLES / f"{name}.journey.json"))
    assert measure(scene) == dict.fromkeys(measure(scene), 0)
    # Every label of a sample finds a place, and nearly all are shown whole.
    whole, labelled = _labels_shown(scene)
    assert all(e.label_item.isVisible() for e in scene.edges.values() if e.tr.label)
    assert whole >= labelled - 2
    scene.unbind()


def test_a_crowded_map_keeps_arrows_and_labels_apart(qapp, tmp_path):
    journey = synthetic_map()
    labelled = sum(1 for t in journey.transitions if t.label)
    assert len(journey.touchpoints) == 60 and labelled >= 40
    scene = MapScene(journey)
    assert measure(scene) == dict.fromkeys(measure(scene), 0)
    shown = sum(1 for e in scene.edges.values() if e.tr.label and e.label_item.isVisible())
    assert shown >= labelled * 0.9
    _grab(scene, tmp_path / "synthetic.png")
    scene.unbind()


def test_arrows_reroute_when_a_card_moves_onto_them(qapp):
    journey = load_map(SAMPLES / "library_visit.journey.json")
    scene = MapScene(journey)
    # Drop "Get a library card" into the middle of the Find column's arrows.
    kiosk = scene.cards["t-kiosk"]
    journey.update_touchpoint("t-card", position=(kiosk.x() + 40, kiosk.y() + 50))
    counts = measure(scene)
    assert counts["label-label"] == 0 and counts["label-card"] == 0
    assert counts["arrow-header"] == 0
    scene.unbind()


def test_the_legend_shows_the_four_arrow_styles(qapp, tmp_path):
    scene = MapScene(load_map(SAMPLES / "library_visit.journey.json"))
    legend = scene.legend
    entries = legend.arrow_entries()
    assert [kind for kind, _, _ in entries] == list(TRANSITION_KINDS)
    assert [caption for _, caption, _ in entries] == [ARROW_CAPTIONS[k] for k in TRANSITION_KINDS]
    image = _grab_item(scene, legend.sceneBoundingRect(), tmp_path / "legend.png")
    for kind, _, box in entries:
        # The sample line of each style is drawn in its colour.
        color = QColor(legend_colour(kind))
        spot = legend.mapRectToScene(box).translated(-legend.sceneBoundingRect().topLeft())
        found = any(
            _near(QColor(image.pixel(x, y)), color)
            for x in range(int(spot.left()), int(spot.left()) + 40)
            for y in range(int(spot.top()), int(spot.bottom()))
        )
        assert found, kind
        assert legend.boundingRect().contains(box)
    scene.unbind()


def legend_colour(kind: str) -> str:
    from journeymap.canvas.arrows import EDGE_STYLES

    return EDGE_STYLES[kind][0].name()


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 30


def _grab_item(scene: MapScene, source: QRectF, path: Path) -> QImage:
    image = QImage(int(source.width()), int(source.height()), QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), source)
    painter.end()
    image.save(str(path))
    return image


def _grab(scene: MapScene, path: Path) -> QImage:
    return _grab_item(scene, scene.itemsBoundingRect().adjusted(-20, -20, 20, 20), path)
