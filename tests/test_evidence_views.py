"""Evidence you can see: intervals, evidence levels and the zone of tolerance in
the Gaps dock, the dumbbell chart, the cards, the Inspector and the report.

Numbers on the small map (tests/conftest.py), worked out by hand, with
t(0.975, 1) = 12.706205, t(0.975, 2) = 4.302653, t(0.975, 7) = 2.364624:

- t-sign: gaps 2, 3: gap 2.5, spread 0.7071, se 0.5, half width 6.3531:
  -3.85 to +8.85; 2 methods, 2 observers, weak.  Minimum 3 (o1 only), adequacy 2 - 3 = -1.
- t-desk: gaps 2, 1, 3: gap 2, spread 1, se 0.57735, half width 2.48414:
  -0.48 to +4.48; 2 methods, 2 observers, moderate.  Minimum (2 + 4) / 2 = 3,
  adequacy (3 + 3) / 2 - 3 = 0.
- t-kiosk: gaps 2, 2: spread 0, interval 2 to 2 (+2.00 to +2.00), weak.
- t-web: one gap of -1: no interval, weak.  t-exit: reality only, n = 0: none.

Confident ranking (ci_low first, then the rest in gap order): kiosk, desk, sign, web, exit.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QGraphicsScene

from journeymap.model import JourneyMap, Observation, Scale, Stage, TouchPoint
from journeymap.model.analysis import statistics

T1, T2, T7 = 12.706204736, 4.302652730, 2.364624252


def plain(tooltip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def strong_map() -> JourneyMap:
    """One touch point with eight paired observations: gaps 2, 3, 2, 3, ... by two
    observers with two methods.  Gap 2.5, spread sqrt(2/7) = 0.534522, se 0.188982,
    half width 0.446870: +2.05 to +2.95, strong."""
    jm = JourneyMap("Strong", Scale(1, 5))
    jm.add_stage(Stage("s", "Visit"))
    jm.add_touchpoint(TouchPoint("t-desk", "Ask at the desk", "s", "in-person"))
    for i in range(8):
        method, who = ("shadowing", "Jo") if i % 2 else ("service-safari", "Ana")
        jm.add_observation(Observation(f"o{i}", "t-desk", method, who, dt.date(2026, 10, 1),
                                       None, 5, 3 if i % 2 == 0 else 2, None))  # fmt: skip
    return jm


def test_the_hand_worked_numbers_hold(small_map):
    """The analysis layer gives what the views below are checked against."""
    source = statistics(small_map)
    desk = source.touchpoint("t-desk")
    assert desk.ci_low == pytest.approx(2 - T2 / 3**0.5, abs=1e-9)
    assert desk.evidence == "moderate" and desk.observers == 2
    assert source.touchpoint("t-sign").ci_high == pytest.approx(2.5 + T1 * 0.5, abs=1e-9)
    strong = statistics(strong_map()).touchpoint("t-desk")
    assert strong.evidence == "strong"
    assert strong.ci_low == pytest.approx(2.5 - T7 * (2 / 7) ** 0.5 / 8**0.5, abs=1e-9)


# ------------------------------------------------------------------ Gaps dock


@pytest.fixture
def dock(qtbot, small_map):
    from journeymap.ui.docks.gaps import GapsDock
    from journeymap.ui.viewstate import ViewState

    state = ViewState()
    widget = GapsDock(small_map, state)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    yield widget
    widget._chart_timer.stop()


def _column(dock, heading: str) -> list[str]:
    from journeymap.ui.docks.gaps import COLUMNS

    model = dock.model
    return [model.index(r, COLUMNS.index(heading)).data() for r in range(model.rowCount())]


def _order(dock) -> list[str]:
    return [dock.model.touchpoint_at(r) for r in range(dock.model.rowCount())]


def test_gaps_dock_switches_between_widest_and_most_certain(dock):
    assert dock.ranking.currentText() == "widest gap"
    assert _order(dock) == ["t-sign", "t-desk", "t-kiosk", "t-web", "t-exit"]
    dock.ranking.setCurrentIndex(dock.ranking.findText("most certain"))
    assert _order(dock) == ["t-kiosk", "t-desk", "t-sign", "t-web", "t-exit"]
    # The row headings are the ranks of the chosen ranking.
    assert dock.model.headerData(0, Qt.Orientation.Vertical) == 1
    dock.ranking.setCurrentIndex(dock.ranking.findText("widest gap"))
    assert _order(dock) == ["t-sign", "t-desk", "t-kiosk", "t-web", "t-exit"]


def test_gaps_dock_shows_interval_evidence_minimum_and_adequacy(dock):
    assert _column(dock, "95% interval") == [
        "-3.85 to +8.85", "-0.48 to +4.48", "+2.00 to +2.00", "\u2014", "\u2014"]  # fmt: skip
    assert _column(dock, "Evidence") == ["weak", "moderate", "weak", "weak", "none"]
    assert _column(dock, "Minimum") == ["3.00", "3.00", "-", "-", "-"]
    assert _column(dock, "Adequacy") == ["-1.00", "+0.00", "-", "-", "-"]
    from journeymap.ui.docks.gaps import ADEQUACY, EVIDENCE, MINIMUM

    assert not dock.table.isColumnHidden(MINIMUM) and not dock.table.isColumnHidden(ADEQUACY)
    tip = plain(dock.model.index(1, EVIDENCE).data(Qt.ItemDataRole.ToolTipRole))
    assert "moderate evidence: 3 observations, 2 methods, 2 observers" in tip


def test_minimum_columns_show_only_when_a_minimum_was_recorded(qtbot, dock):
    from journeymap.ui.docks.gaps import ADEQUACY, MINIMUM

    journey = strong_map()  # no minimum anywhere
    dock.set_journey(journey)
    assert dock.table.isColumnHidden(MINIMUM) and dock.table.isColumnHidden(ADEQUACY)
    assert _column(dock, "Evidence") == ["strong"]
    assert _column(dock, "95% interval") == ["+2.05 to +2.95"]


# ---------------------------------------------------------------------- chart


def test_chart_draws_interval_whiskers_and_the_zone_of_tolerance(small_map):
    from journeymap.charts.gapchart import draw_gap_chart

    figure = draw_gap_chart(small_map)
    axes = figure.axes[0]
    zone = [p for p in axes.patches if p.get_gid() == "zone"]
    # t-sign: minimum 3 to expectation 4.5; t-desk: 3 to 14/3.
    spans = sorted((round(p.get_x(), 4), round(p.get_width(), 4)) for p in zone)
    assert spans == [(3.0, 1.5), (3.0, round(14 / 3 - 3, 4))]
    whiskers = [c for c in axes.collections if c.get_gid() == "interval"]
    assert len(whiskers) == 1
    # Around reality, stopped at the scale's ends (1 and 5): t-sign (reality 2)
    # +-6.3531 and t-desk (8/3) +-2.48414 run off both ends; t-kiosk (1.5) +-0.
    spans = sorted((round(min(s[:, 0]), 3), round(max(s[:, 0]), 3))
                   for s in whiskers[0].get_segments())  # fmt: skip
    assert spans == [(1.0, 5.0), (1.0, 5.0), (1.5, 1.5)]
    caps = [c for c in axes.collections if c.get_gid() == "interval-caps"]
    assert sorted(x for x, _ in caps[0].get_offsets()) == [1.5, 1.5]  # open ends: no cap
    labels = axes.get_legend_handles_labels()[1]
    assert "95% interval" in labels and "zone of tolerance" in labels


def test_chart_whisker_of_a_strong_gap_has_both_caps():
    from journeymap.charts.gapchart import draw_gap_chart

    axes = draw_gap_chart(strong_map()).axes[0]
    (whisker,) = [c for c in axes.collections if c.get_gid() == "interval"]
    # Reality 2.5, half width 0.446870: 2.053 to 2.947.
    (segment,) = whisker.get_segments()
    assert sorted(segment[:, 0]) == pytest.approx([2.05313, 2.94687], abs=1e-5)
    (caps,) = [c for c in axes.collections if c.get_gid() == "interval-caps"]
    assert sorted(x for x, _ in caps.get_offsets()) == pytest.approx([2.05313, 2.94687], abs=1e-5)


def test_chart_without_minimum_has_no_zone(small_map):
    from journeymap.charts.gapchart import draw_gap_chart

    for obs in list(small_map.observations):
        if obs.minimum is not None:
            small_map.update_observation(obs.id, minimum=None)
    axes = draw_gap_chart(small_map).axes[0]
    assert not [p for p in axes.patches if p.get_gid() == "zone"]


# ---------------------------------------------------------------------- cards


def render_card(card) -> QImage:
    scene = QGraphicsScene()
    scene.addItem(card)
    source = card.sceneBoundingRect()
    image = QImage(int(source.width()), int(source.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    scene.removeItem(card)
    return image


def card_for(journey, tp_id):
    from journeymap.canvas.items import CardItem

    card = CardItem(journey.touchpoint(tp_id), journey.scale)
    card.set_stats(statistics(journey).touchpoint(tp_id))
    return card


def _gaps_in_top_edge(image: QImage) -> int:
    """Near-white pixels along the card's top edge (row 3, the edge is at 3.4 to 4.6):
    the breaks of a dashed line."""
    return sum(image.pixelColor(x, 3).lightness() >= 230 for x in range(30, 180))


def test_an_unobserved_card_is_drawn_as_assumed(qapp, small_map):
    small_map.add_touchpoint(TouchPoint("t-new", "Returns chute", "s-leave", "in-person"))
    assumed = card_for(small_map, "t-new")
    observed = card_for(small_map, "t-desk")
    assert assumed.assumed and not observed.assumed
    assert assumed.outline_pen().style() == Qt.PenStyle.DashLine
    assert observed.outline_pen().style() == Qt.PenStyle.SolidLine
    # Painted: the dashed outline leaves gaps along the edge, the solid one none.
    assert _gaps_in_top_edge(render_card(assumed)) > 10
    assert _gaps_in_top_edge(render_card(card_for(small_map, "t-web"))) == 0
    assert "assumed, not observed yet" in plain(assumed.toolTip())


def test_a_weak_card_carries_a_few_mark(qapp, small_map):
    weak = card_for(small_map, "t-kiosk")
    assert weak.weak
    same_but_moderate = card_for(small_map, "t-kiosk")
    same_but_moderate.set_stats(weak.stats._replace(evidence="moderate"))
    assert not same_but_moderate.weak
    a, b = render_card(weak), render_card(same_but_moderate)
    # The mark sits right, just above the gap badge (card y 48-63, x 170-200; +4 margin).
    differ = [(x, y) for x in range(a.width()) for y in range(a.height())
              if a.pixel(x, y) != b.pixel(x, y)]  # fmt: skip
    assert differ
    assert all(170 <= x <= 206 and 50 <= y <= 69 for x, y in differ), differ[:5]


def test_card_tooltip_states_interval_and_evidence(qapp, small_map):
    tip = plain(card_for(small_map, "t-desk").toolTip())
    assert "95% interval -0.48 to +4.48" in tip
    assert "moderate evidence: 3 observations, 2 methods, 2 observers" in tip
    web = plain(card_for(small_map, "t-web").toolTip())
    assert "no interval from a single observation" in web
    assert "weak evidence: 1 observation, 1 method, 1 observer" in web


def test_inspector_states_interval_and_evidence(window):
    from journeymap.model.evidencetext import evidence_words, interval_words

    inspector = window.inspector
    inspector.show_selection(["t-desk"], [])
    stats = statistics(window.editor.journey).touchpoint("t-desk")
    text = inspector.stats.text()
    assert interval_words(stats) in text and evidence_words(stats) in text
    assert "95% interval " in text and " evidence: " in text


# --------------------------------------------------------------------- report


def test_report_sentences_state_interval_and_evidence(small_map):
    from journeymap.render.report import gap_rows, intro_html

    intro = intro_html(strong_map(), None)
    assert ("+2.50, 95% interval +2.05 to +2.95, strong evidence: 8 observations, "
            "2 methods, 2 observers") in intro  # fmt: skip
    assert "weak evidence" not in intro
    intro = intro_html(small_map, None)
    bullets = intro.split("<li>")[1:]
    assert "Find the entrance" in bullets[0]
    # The widest gap rests on two observations: the sentence says so.
    assert "+2.50, 95% interval -3.85 to +8.85, weak evidence: 2 observations" in bullets[0]
    assert "a lead to check rather than a finding" in bullets[0]
    assert "moderate evidence: 3 observations, 2 methods, 2 observers" in bullets[1]
    assert "a lead to check" not in bullets[1]
    rows = gap_rows(small_map, None)
    behind = {row[1][1]: row[-1][1] for row in rows}
    assert "a lead to check" in behind["Find the entrance \u2605"]
    assert "95% interval -0.48 to +4.48; moderate evidence" in behind["Ask at the desk"]
    assert "a lead to check" not in behind["Ask at the desk"]
    assert "no interval from a single observation" in behind["Website"]


def test_pdf_report_states_interval_and_evidence(tmp_path, qapp, small_map):
    from pypdf import PdfReader

    from journeymap.render.report import write_report

    out = write_report(small_map, tmp_path / "report.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "95% interval -0.48 to +4.48" in text
    assert "a lead to check rather than a" in text  # "finding": a ligature
