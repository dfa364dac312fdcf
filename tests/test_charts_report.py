"""Charts and the debrief report, from the command line."""

from __future__ import annotations

import re
import struct
import textwrap
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from journeymap.charts.gapchart import one_line_label
from journeymap.charts.journeycharts import draw_chart
from journeymap.fileio import load_map, save_map
from journeymap.model import JourneyMap, Observation, Scale, Stage, TouchPoint
from tests.test_cli import assert_clean_failure, run


def _short(name: str, limit: int) -> str:
    """A chart label: wrapped onto lines of ``limit`` characters, never cut."""
    return "\n".join(textwrap.wrap(name, limit))


def _mean(values):
    return sum(values) / len(values)


def _library_numbers(journey):
    """What each chart should show, worked out from the observations themselves."""
    pairs, feelings, methods = {}, {}, {}
    for tp in journey.journey_order():
        obs = journey.observations_for(tp.id)
        both = [o for o in obs if o.expectation is not None and o.reality is not None]
        if both:
            pairs[tp.name] = (_mean([o.expectation for o in both]),
                              _mean([o.reality for o in both]))  # fmt: skip
        felt = [o.emotion for o in obs if o.emotion is not None] or [
            o.reality for o in obs if o.reality is not None
        ]
        if felt:
            feelings[tp.name] = _mean(felt)
        by_method = {
            m: [o.expectation - o.reality for o in both if o.method == m]
            for m in ("service-safari", "shadowing")
        }
        if any(by_method.values()):
            methods[tp.name] = {m: _mean(g) if g else None for m, g in by_method.items()}
    return pairs, feelings, methods


def _texts(axes):
    return [t.get_text() for t in axes.texts]


EMPTY_MESSAGES = {
    "gaps": "No touch point has both scores yet",
    "emotion": "No reality or emotion scores yet",
    "methods": "No service-safari or shadowing scores yet",
}


def assert_draws_library(kind, figure, journey):
    """The chart shows the library's numbers, not an empty "nothing to draw" panel."""
    pairs, feelings, methods = _library_numbers(journey)
    (axes,) = figure.axes
    assert axes.axison
    assert not set(_texts(axes)) & set(EMPTY_MESSAGES.values())
    if kind == "gaps":
        assert len(pairs) == 17
        labels = [t.get_text() for t in axes.get_yticklabels()]
        # 17 rows in a 4-inch figure leave no room for two lines: one line each.
        assert labels == [one_line_label(name) for name in pairs]
        assert "Ask at the desk" in labels and "Self-checkout machine" in labels
        dots = {c.get_label(): c.get_offsets() for c in axes.collections}
        for column, label in enumerate(("expectation", "reality")):
            assert list(dots[label][:, 1]) == list(range(len(pairs)))
            assert list(dots[label][:, 0]) == pytest.approx([v[column] for v in pairs.values()])
        wide = [i for i, (e, r) in enumerate(pairs.values()) if e - r >= 1.0]
        assert list(dots["wide gap"][:, 1]) == wide and len(wide) == 11
    elif kind == "emotion":
        assert len(feelings) == 17
        (curve,) = [line for line in axes.lines if line.get_marker() == "o"]
        assert list(curve.get_xdata()) == list(range(len(feelings)))
        assert list(curve.get_ydata()) == pytest.approx(list(feelings.values()))
        labels = [t.get_text() for t in axes.get_xticklabels()]
        assert labels == [_short(name, 22) for name in feelings]
        assert [t.replace("\n", " ") for t in _texts(axes)] == [s.name for s in journey.stages]
    else:
        labels = [t.get_text() for t in axes.get_yticklabels()]
        assert labels == [_short(name, 28) for name in methods]
        names = list(methods)
        marked = {names[round(t.get_position()[1])] for t in axes.texts
                  if t.get_text() == "blind spot"}  # fmt: skip
        expected = {
            name for name, g in methods.items()
            # A blind spot: shadowing gap at least half the wide-gap threshold (0.5) wider.
            if None not in g.values() and g["shadowing"] - g["service-safari"] >= 0.5
        }  # fmt: skip
        # "Ask at the desk" is 0.17 wider in shadowing: under the margin, not a blind spot.
        assert "Self-checkout machine" in expected and "Ask at the desk" not in expected
        assert marked == expected
        assert _texts(axes).count("blind spot") == len(expected)
        bars = [(round(p.get_y() + p.get_height() / 2), p.get_width()) for p in axes.patches]
        assert len(bars) == 2 * len(methods)
        safari, shadowing = bars[: len(methods)], bars[len(methods) :]
        assert [w for _, w in safari] == pytest.approx(
            [g["service-safari"] or 0 for g in methods.values()]
        )
        assert [w for _, w in shadowing] == pytest.approx(
            [g["shadowing"] or 0 for g in methods.values()]
        )


@pytest.mark.parametrize("kind", ["gaps", "emotion", "methods"])
def test_each_chart_kind(tmp_path, library_path, kind):
    png, svg = tmp_path / f"{kind}.png", tmp_path / f"{kind}.svg"
    assert run("chart", str(library_path), "-o", str(png), "--kind", kind).returncode == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    width, height = struct.unpack(">II", png.read_bytes()[16:24])
    assert width > 600 and height > 300
    assert run("chart", str(library_path), "-o", str(svg), "--kind", kind).returncode == 0
    ET.parse(svg)  # well-formed
    # Text drawn as paths is named in a comment: the file shows the map, not "no scores yet".
    written = set(re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8")))
    assert EMPTY_MESSAGES[kind] not in written
    assert {"Ask at the desk", "Self-checkout machine"} <= written
    journey = load_map(library_path)
    assert_draws_library(kind, draw_chart(kind, journey), journey)


@pytest.mark.parametrize("kind", ["gaps", "emotion", "methods"])
def test_chart_of_a_map_without_scores_says_so(kind):
    journey = JourneyMap("Nothing yet", Scale(1, 5))
    journey.add_stage(Stage("s-1", "Arrive"))
    journey.add_touchpoint(TouchPoint("t-1", "Find the door", "s-1", "signage"))
    journey.add_observation(Observation("o1", "t-1", "shadowing", expectation=4))
    (axes,) = draw_chart(kind, journey).axes
    assert _texts(axes) == [EMPTY_MESSAGES[kind]]
    assert not axes.axison
    assert not (axes.lines or axes.collections or axes.patches)


def test_charts_are_built_without_pyplot(library_path):
    import sys

    figure = draw_chart("methods", load_map(library_path))
    assert "matplotlib.pyplot" not in sys.modules
    texts = [t.get_text() for t in figure.axes[0].texts]
    # Staff on safari rated "Self-checkout machine" 2 points better than customers showed.
    assert "blind spot" in texts


def test_chart_pdf_and_errors(tmp_path, library_path):
    out = tmp_path / "gaps.pdf"
    assert run("chart", str(library_path), "-o", str(out)).returncode == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert_clean_failure(run("chart", str(library_path), "-o", str(tmp_path / "x.gif")),
                         "unknown chart format .gif")  # fmt: skip
    result = run("chart", str(library_path), "-o", str(out), "--kind", "pie")
    assert result.returncode == 2


@pytest.fixture
def evil_map(tmp_path, small_map):
    small_map.update_observation("o2", quote="<script>alert('x')</script>", note="A & B <b>")
    small_map.update_touchpoint("t-sign", name="Entrance <i>sign</i>")
    path = tmp_path / "evil.journey.json"
    save_map(small_map, path)
    return path


def test_html_report_is_self_contained_and_escaped(tmp_path, evil_map):
    out = tmp_path / "report.html"
    result = run("report", str(evil_map), "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "Entrance &lt;i&gt;sign&lt;/i&gt;" in text and "A &amp; B &lt;b&gt;" in text
    images = re.findall(r"<img src='([^']*)'", text)
    assert len(images) == 4 and all(src.startswith("data:image/png;base64,") for src in images)
    assert "src='http" not in text and "href=" not in text
    for heading in ("Summary", "The map", "Widest gaps", "Stages", "Charts"):
        assert f">{heading}<" in text
    # The summary names the three widest gaps, one sentence each.
    assert text.count("customers expected") == 3


def test_pdf_report_has_selectable_text(tmp_path, library_path):
    out = tmp_path / "report.pdf"
    result = run("report", str(library_path), "-o", str(out), "--method", "shadowing")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    assert len(reader.pages) >= 2
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Public library visit" in text
    assert "Ask at the desk" in text and "Widest gaps" in text
    assert "method shadowing" in text
    assert "Circulation? Reference? I just have a question." in text.replace("\u201c", "")


def test_report_errors(tmp_path, library_path):
    assert_clean_failure(run("report", str(library_path), "-o", str(tmp_path / "r.docx")),
                         "a report is .html or .pdf")  # fmt: skip
    missing = tmp_path / "nope" / "r.html"
    assert_clean_failure(run("report", str(library_path), "-o", str(missing)), "cannot write")


# ---------------------------------------------------------------- hostile text

PRICE = "Costs $5 (50% off $10)"
TEX = "a_b^c \\alpha $x$"


@pytest.fixture
def priced_map(small_map):
    """The sample with a touch point and a stage whose names look like mathtext."""
    small_map.update_touchpoint("t-sign", name=PRICE)
    small_map.update_stage("s-arrive", name=TEX)
    small_map.update_touchpoint("t-desk", name="Desk\x01\x0b\ufffe")  # not XML
    small_map.update_stage("s-find", name="Find\x0c")
    return small_map


@pytest.mark.parametrize("kind", ["gaps", "emotion", "methods"])
def test_charts_show_dollars_and_backslashes_as_typed(priced_map, kind):
    import io

    figure = draw_chart(kind, priced_map)
    svg = io.BytesIO()
    figure.savefig(svg, format="svg")  # mathtext would raise a ParseException here
    ET.fromstring(svg.getvalue())
    (axes,) = figure.axes
    labels = axes.get_xticklabels() if kind == "emotion" else axes.get_yticklabels()
    (label,) = [t for t in labels if t.get_text() == PRICE]
    assert not label.get_parse_math()
    # Text drawn as paths is named in a comment: the name as typed, not a formula.
    written = set(re.findall(r"<!-- (.*?) -->", svg.getvalue().decode("utf-8")))
    assert PRICE in written and "Desk\ufffd\ufffd\ufffd" in written
    if kind == "emotion":
        (stage,) = [t for t in axes.texts if t.get_text() == TEX]
        assert not stage.get_parse_math() and TEX in written and "Find\ufffd" in written


def test_chart_and_report_commands_take_dollar_signs(tmp_path, priced_map):
    path = tmp_path / "priced.journey.json"
    save_map(priced_map, path)
    chart, report = tmp_path / "gaps.svg", tmp_path / "report.html"
    result = run("chart", str(path), "-o", str(chart))
    assert result.returncode == 0, result.stderr
    result = run("report", str(path), "-o", str(report))
    assert result.returncode == 0, result.stderr
    assert f"<b>{PRICE}</b>" in report.read_text(encoding="utf-8")


def test_report_replaces_what_xml_and_html_forbid(tmp_path, small_map, qapp):
    from html.parser import HTMLParser

    from journeymap.render.report import write_report

    small_map.set_title("Title\x01\x7f\x9f\ufdd0")
    small_map.update_touchpoint("t-sign", name="Sign\x0b\x1f\ufffe")
    small_map.update_observation("o2", note="note\x08", quote="quote\x00\uffff")
    html = write_report(small_map, tmp_path / "report.html").read_text(encoding="utf-8")
    controls = {c for c in html if (c < " " and c not in "\t\n\r") or "\x7f" <= c <= "\x9f"}
    assert not controls
    assert not {"\ufffe", "\uffff", "\ufdd0"} & set(html)
    HTMLParser().feed(html)
    assert "Title\ufffd\ufffd\ufffd\ufffd" in html and "Sign\ufffd\ufffd\ufffd" in html
    assert "note\ufffd" in html and "quote\ufffd\ufffd" in html
    pdf = PdfReader(write_report(small_map, tmp_path / "report.pdf"))
    assert pdf.metadata.title == "Title\ufffd\x7f\x9f\ufdd0"
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Sign\ufffd\ufffd\ufffd" in text and "\x0b" not in text
