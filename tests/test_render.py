"""Pictures of the map: PNG, SVG and PDF, headless, from the command line."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from journeymap.fileio import load_map
from tests.test_cli import assert_clean_failure, run


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_is_not_blank_and_scale_doubles_it(tmp_path, library_path, qapp):
    from PySide6.QtGui import QImage

    one, two = tmp_path / "map.png", tmp_path / "map2.png"
    assert run("export", str(library_path), "-o", str(one)).returncode == 0
    assert run("export", str(library_path), "-o", str(two), "--scale", "2").returncode == 0
    width, height = png_size(one)
    assert width > 1000 and height > 500
    assert png_size(two) == (width * 2, height * 2)
    image = QImage(str(one))
    colours = {image.pixel(x, y) for x in range(0, width, 9) for y in range(0, height, 9)}
    assert len(colours) > 100
    assert image.pixelColor(2, 2).name() == "#ffffff"  # white background by default
    clear = tmp_path / "clear.png"
    assert run("export", str(library_path), "-o", str(clear), "--transparent").returncode == 0
    assert QImage(str(clear)).pixelColor(2, 2).alpha() == 0


def test_svg_is_xml_with_every_name_as_text(tmp_path, library_path):
    out = tmp_path / "map.svg"
    assert run("export", str(library_path), "-o", str(out)).returncode == 0
    root = ET.parse(out).getroot()
    texts = " ".join(
        " ".join(element.itertext()) for element in root.iter() if element.tag.endswith("text")
    )
    texts = " ".join(texts.split())
    for tp in load_map(library_path).touchpoints:
        first_line = tp.name.split()[0]
        assert first_line in texts, tp.name
    assert "Ask at the desk" in texts
    assert "exported" in texts and "Gap = expectation" in texts


def test_pdf_has_one_page_with_the_names_and_the_filter(tmp_path, library_path):
    out = tmp_path / "map.pdf"
    result = run("export", str(library_path), "-o", str(out), "--method", "shadowing")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for name in ("Ask at the desk", "Find the entrance", "Storytime for"):
        assert name in text
    assert "Public library visit" in text and "method shadowing" in text


@pytest.mark.parametrize("args, needle", [
    (["--scale", "0"], "must be between"),
    (["--transparent", "-o", "x.svg"], "--transparent is for .png only"),
])  # fmt: skip
def test_picture_errors(tmp_path, library_path, args, needle):
    out = ["-o", str(tmp_path / "map.png")] if "-o" not in args else []
    if "-o" in args:
        args = [a if a != "x.svg" else str(tmp_path / "x.svg") for a in args]
    result = run("export", str(library_path), *out, *args)
    assert result.returncode != 0 and needle in result.stderr and "Traceback" not in result.stderr


def test_unwritable_picture_leaves_nothing(tmp_path, library_path):
    out = tmp_path / "no-such-folder" / "map.png"
    assert_clean_failure(run("export", str(library_path), "-o", str(out)), "cannot write")
    assert list(tmp_path.iterdir()) == []


def test_export_replaces_a_file_whole(tmp_path, library_path):
    out = tmp_path / "map.png"
    out.write_bytes(b"old")
    assert run("export", str(library_path), "-o", str(out)).returncode == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]


def test_a_map_of_a_thousand_touch_points_exports_to_every_format(tmp_path):
    import sys

    from tests.conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic import write_synthetic
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    path = write_synthetic(tmp_path, 1000)
    for suffix in ("png", "svg", "pdf"):
        out = tmp_path / f"big.{suffix}"
        result = run("export", str(path), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 10_000
    ET.parse(tmp_path / "big.svg")
    assert len(PdfReader(tmp_path / "big.pdf").pages) == 1
