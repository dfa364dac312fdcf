"""Fuzz every exporter with hostile text: each one writes, and what it writes parses.

Maps are small (a few stages, touch points, arrows and observations) and
every text in them (title, ids, names, descriptions, labels, observers,
notes, quotes, tags, persona names and goals) is built from pieces that
broke a format once: control characters, ``$`` and ``\\`` (mathtext), markup,
``&``, Mermaid directives, CSV formulas, line and paragraph separators, RTL
marks, emoji, non-characters.  Each map goes through the file format first
(``dumps`` then ``loads``), so it is a map the loader accepts.

Budget: ``FUZZ_EXAMPLES`` cases per test (a few in ``make test``, 10,000 in
``make fuzz``); PNG and PDF rendering is slow, so those tests take a tenth.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.fileio import JourneyFileError, dumps, loads
from journeymap.model import (
    CHANNELS,
    METHODS,
    TRANSITION_KINDS,
    JourneyMap,
    ModelError,
    Observation,
    Persona,
    Scale,
    Stage,
    TouchPoint,
    Transition,
)
from journeymap.textsafety import chart_text, html_safe, xml_safe
from tests.fuzzbudget import FUZZ_EXAMPLES

pytestmark = pytest.mark.fuzz

#: Cases for the tests that draw PNG or PDF (the slow ones).
SLOW_EXAMPLES = max(5, FUZZ_EXAMPLES // 10)

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW_FUZZ = settings(FUZZ, max_examples=SLOW_EXAMPLES)

PIECES = [
    # mathtext and TeX
    "$", "$5", "Costs $5 (50% off $10)", "$x^2$", "a_b", "^", "\\", "\\alpha", "\\n", "%",
    # markup, XML and HTML
    "<", ">", "&", "&amp;", "&#1;", "<b>x</b>", "<img src=y>", "<script>alert(1)</script>",
    "]]>", "<!--", "-->", "<?xml ?>", '"', "'",
    # Mermaid directives and statements, CSV formulas
    "%%{init: {'theme': 'dark'}}%%", "%%", "{", "}", ":", "section x", "accTitle: y",
    "=cmd|' /C calc'!A0", "=1+1", "+", "-", "@", ";", ",",
    # line breaks, tabs and control characters
    "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029",
    "\x00", "\x01", "\x08", "\x1b", "\x1f", "\x7f", "\x9f",
    # invisible and directional marks, non-characters, emoji, combining marks
    "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff", "\ufffe", "\uffff",
    "\ufdd0", "\ufffd", "\U0001f600", "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\U0010fffe", "e\u0301", "\u0645\u0631\u062d\u0628\u0627", "\U0001d54f", " ", "  ",
]  # fmt: skip

# Lone surrogates are not in this alphabet: the loader refuses them (see
# test_the_loader_refuses_lone_surrogates), so no map holds one.
text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=5).map("".join)
# Names and ids must not be blank.
name = text.map(lambda s: s if s.strip() else s + "n")
# A tag is one cell item in CSV, joined by ";" (model.validation.tag_problem):
# none there, no spaces around.  Anything else the model refuses is dropped below.
tag = text.map(lambda s: s.replace(";", ",").strip() or "t")


@st.composite
def hostile_maps(draw) -> JourneyMap:
    scale = draw(st.sampled_from([Scale(1, 5), Scale(0, 10), Scale(-3, 3)]))
    journey = JourneyMap(draw(name), scale)
    # Hostile ids, distinct by a number at the end.
    ids = [f"{draw(text)}#{i}" for i in range(14)]
    personas = []
    for _ in range(draw(st.integers(0, 2))):
        personas.append(Persona(ids.pop(), draw(name), draw(text)))
        journey.add_persona(personas[-1])
    stages = []
    for _ in range(draw(st.integers(1, 3))):
        stages.append(Stage(ids.pop(), draw(name), draw(text)))
        journey.add_stage(stages[-1])
    tps = []
    for _ in range(draw(st.integers(1, 4))):
        stage = draw(st.sampled_from(stages)).id
        channel = draw(st.sampled_from(CHANNELS))
        tp = TouchPoint(ids.pop(), draw(name), stage, channel, draw(text), draw(st.booleans()))
        journey.add_touchpoint(tp)
        tps.append(tp)
    pairs = draw(st.lists(st.tuples(st.sampled_from(tps), st.sampled_from(tps)), max_size=5))
    for source, target in dict.fromkeys((s.id, t.id) for s, t in pairs):
        kind = draw(st.sampled_from(TRANSITION_KINDS))
        journey.add_transition(Transition(source, target, draw(text), kind))
    score = st.one_of(st.none(), st.integers(int(scale.min), int(scale.max)).map(float))
    for number in range(draw(st.integers(0, 6))):
        obs = Observation(
            f"{ids[0]}-{number}",
            draw(st.sampled_from(tps)).id,
            draw(st.sampled_from(METHODS)),
            observer=draw(text),
            persona=draw(st.sampled_from([None, *[p.id for p in personas]])),
            expectation=draw(score),
            reality=draw(score),
            minimum=draw(score),
            emotion=draw(score),
            note=draw(text),
            quote=draw(text),
            tags=draw(st.lists(tag, max_size=3, unique=True)),
        )
        try:
            journey.add_observation(obs)
        except ModelError:  # tags the model cannot hold are refused, not split
            obs.tags = []
            journey.add_observation(obs)
    # Through the file format: only maps the loader accepts.
    return loads(dumps(journey))


def forbidden_in_xml(text: str) -> list[str]:
    return sorted({c for c in text if xml_safe(c) != c})


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


#: A character no font has is drawn as a box; matplotlib also warns, which this
#: suite (warnings are errors) would take for a failure.
quiet_glyphs = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")


def test_the_loader_refuses_lone_surrogates():
    from tests.conftest import make_small_map

    doc = json.loads(dumps(make_small_map()))
    doc["touchpoints"][0]["name"] = "half \ud800 a pair"
    raw = json.dumps(doc)  # ASCII: the surrogate is written as the escape \ud800
    assert "\\ud800" in raw
    with pytest.raises(JourneyFileError, match="surrogate"):
        loads(raw)


@FUZZ
@given(journey=hostile_maps())
def test_graphml_parses_and_keeps_every_name(out, journey):
    from journeymap.render.exporting import export_file

    path = export_file(journey, out / "map.graphml")
    graph = nx.read_graphml(path)
    assert graph.graph["title"] == xml_safe(journey.title)
    names = sorted(data["name"] for _, data in graph.nodes(data=True))
    # Exactly, carriage returns included; only what XML cannot hold is U+FFFD.
    assert names == sorted(xml_safe(tp.name) for tp in journey.touchpoints)
    assert graph.number_of_nodes() == len(journey.touchpoints)
    assert graph.number_of_edges() == len(journey.transitions)
    labels = sorted(data["label"] for *_, data in graph.edges(data=True))
    assert labels == sorted(xml_safe(tr.label) for tr in journey.transitions)


@FUZZ
@given(journey=hostile_maps())
def test_svg_of_the_map_parses(qapp, out, journey):
    from journeymap.render.exporting import export_file

    path = export_file(journey, out / "map.svg")
    text = path.read_text(encoding="utf-8")
    assert not forbidden_in_xml(text)
    root = ET.fromstring(path.read_bytes())
    assert root.tag.endswith("svg")


@SLOW_FUZZ
@given(journey=hostile_maps())
def test_png_of_the_map_loads(qapp, out, journey):
    from PySide6.QtGui import QImage

    from journeymap.render.exporting import export_file

    path = export_file(journey, out / "map.png")
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 100
    # The title travels as PNG text; Qt drops a leading byte-order mark reading it.
    assert image.text("Title") == xml_safe(journey.title).removeprefix("\ufeff")


@SLOW_FUZZ
@given(journey=hostile_maps())
def test_pdf_of_the_map_parses(qapp, out, journey):
    from pypdf import PdfReader

    from journeymap.render.exporting import export_file

    path = export_file(journey, out / "map.pdf")
    reader = PdfReader(path, strict=True)
    assert len(reader.pages) == 1
    assert not forbidden_in_xml((reader.metadata and reader.metadata.title) or "")
    # Text extraction works (a glyph without a Unicode name, such as a
    # zero-width mark, comes out as "\x00": that is pypdf's, not the file's).
    reader.pages[0].extract_text()


@FUZZ
@given(journey=hostile_maps())
def test_csv_parses_into_one_record_per_observation(out, journey):
    from journeymap.render.exporting import export_file

    path = export_file(journey, out / "observations.csv")
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream, strict=True))
    assert len(rows) == len(journey.observations) + 1
    assert {len(row) for row in rows} == {len(rows[0])}


@FUZZ
@given(journey=hostile_maps())
def test_mermaid_parses(out, journey):
    from journeymap.interop.mermaid import parse_mermaid
    from journeymap.render.exporting import export_file

    path = export_file(journey, out / "journey.mmd")
    parse_mermaid(path.read_text(encoding="utf-8"), str(path))


@quiet_glyphs
@FUZZ
@given(journey=hostile_maps(), kind=st.sampled_from(["gaps", "emotion", "methods"]))
def test_charts_draw_user_text_literally_and_save_as_svg(journey, kind):
    from matplotlib.text import Text

    from journeymap.charts.journeycharts import draw_chart

    figure = draw_chart(kind, journey)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    assert not forbidden_in_xml(buffer.getvalue().decode("utf-8"))
    ET.fromstring(buffer.getvalue())
    names = {chart_text(tp.name) for tp in journey.touchpoints}
    names |= {chart_text(s.name) for s in journey.stages}
    for label in figure.findobj(Text):
        # A name such as "0" also reads as a number on the score axis: skip those.
        if label.get_text() in names and not _is_number(label.get_text()):
            assert not label.get_parse_math(), label.get_text()


def _is_number(text: str) -> bool:
    try:
        float(text.replace("\u2212", "-"))
    except ValueError:
        return False
    return True


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.text.append(data)


#: Every tag the report writes itself: anything else came from user text.
REPORT_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "ul", "ol",
               "li", "b", "img", "br", "span", "table", "thead", "tr", "th", "td", "div",
               "blockquote"}  # fmt: skip


@quiet_glyphs
@SLOW_FUZZ
@given(journey=hostile_maps())
def test_html_report_parses_and_carries_no_markup_or_controls(qapp, out, journey):
    from journeymap.render.report import write_report

    path = write_report(journey, out / "report.html")
    text = path.read_bytes().decode("utf-8")  # line breaks as written
    assert html_safe(text) == text
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert parser.tags <= REPORT_TAGS
    assert "<script" not in text.lower()
    shown = "".join(parser.text)
    assert html_safe(journey.title) in shown


@quiet_glyphs
@SLOW_FUZZ
@given(journey=hostile_maps())
def test_pdf_report_parses(qapp, out, journey):
    from pypdf import PdfReader

    from journeymap.render.report import write_report

    path = write_report(journey, out / "report.pdf")
    reader = PdfReader(path, strict=True)
    assert len(reader.pages) >= 1
    assert not forbidden_in_xml((reader.metadata and reader.metadata.title) or "")
    for page in reader.pages:
        page.extract_text()


def test_report_tags_are_the_ones_the_report_writes():
    """The allowed list above is not wider than the report's own markup."""
    from journeymap.render import report

    with open(report.__file__, encoding="utf-8") as stream:
        source = stream.read()
    written = set(re.findall(r"<([a-z][a-z0-9]*)[\s>]", source))
    assert written >= REPORT_TAGS
