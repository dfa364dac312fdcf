"""Charts and the debrief report, from the command line."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from journeymap.charts.journeycharts import draw_chart
from journeymap.fileio import load_map, save_map
from tests.test_cli import assert_clean_failure, run


@pytest.mark.parametrize("kind", ["gaps", "emotion", "methods"])
def test_each_chart_kind(tmp_path, library_path, kind):
    png, svg = tmp_path / f"{kind}.png", tmp_path / f"{kind}.svg"
    assert run("chart", str(library_path), "-o", str(png), "--kind", kind).returncode == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    width, height = struct.unpack(">II", png.read_bytes()[16:24])
    assert width > 600 and height > 300
    assert run("chart", str(library_path), "-o", str(svg), "--kind", kind).returncode == 0
    ET.parse(svg)  # well-formed


def test_charts_are_built_without_pyplot(library_path):
    import sys

    figure = draw_chart("methods", load_map(library_path))
    assert "matplotlib.pyplot" not in sys.modules
    texts = [t.get_text() for t in figure.axes[0].texts]
    # Staff on safari rated "Ask at the desk" better than the customers watched.
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
