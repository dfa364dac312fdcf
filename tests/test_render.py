"""Pictures of the map: PNG, SVG and PDF, headless, from the command line."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from journeymap.fileio import load_map, save_map
from journeymap.model import TouchPoint, Transition
from journeymap.render.mapimage import PictureTooLarge, check_png_size
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


def test_a_png_too_large_to_draw_is_refused_and_other_formats_still_work(tmp_path, small_map, qapp):
    # A card a million units away (the loader's bound): a PNG 1e6 pixels wide.
    small_map.update_touchpoint("t-desk", position=(1_000_000.0, 0.0))
    source = tmp_path / "far.journey.json"
    save_map(small_map, source)
    old = tmp_path / "map.png"
    old.write_bytes(b"old picture")
    result = run("export", str(source), "-o", str(old))
    assert_clean_failure(result, "over the limit of 32,767 a side", "export SVG or PDF")
    assert old.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["far.journey.json", "map.png"]
    # At a smaller scale it fits in a side, but the area limit still holds.
    with pytest.raises(PictureTooLarge, match="million pixels"):
        check_png_size(30_000, 30_000)
    check_png_size(32_767, 7_000)  # within both limits
    for suffix in (".svg", ".pdf"):
        assert run("export", str(source), "-o", str(tmp_path / f"map{suffix}")).returncode == 0
    # The report says why the map is missing instead of failing.
    report = tmp_path / "report.html"
    assert run("report", str(source), "-o", str(report)).returncode == 0
    assert "too large for a picture here" in report.read_text(encoding="utf-8")


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


# ---------------------------------------------------------------- hostile text

#: Characters XML 1.0 forbids: C0 controls (not tab, LF, CR), U+FFFE, U+FFFF.
FORBIDDEN = "\x01\x0b\x1f\ufffe\uffff"


def hostile_map():
    from tests.conftest import make_small_map

    journey = make_small_map()
    journey.set_title("Title\x01 <b>&amp;</b>")
    journey.update_stage("s-arrive", name="Ar\x03rive")
    journey.update_touchpoint("t-sign", name="Sign\x0b\x1f \ufffe $5 <i>x</i>")
    journey.update_touchpoint("t-desk", name="Desk\r\nline\rtwo\ttab")
    journey.update_transition("t-sign", "t-desk", label="lab\x02el")
    return journey


def xml_forbidden(text: str) -> set[str]:
    return {c for c in text if c in FORBIDDEN or ("\x00" <= c < " " and c not in "\t\n\r")}


def test_map_svg_pdf_and_png_replace_what_xml_forbids(tmp_path, qapp):
    from PySide6.QtGui import QImage

    from journeymap.render.exporting import export_file

    journey = hostile_map()
    svg = export_file(journey, tmp_path / "map.svg")
    assert not xml_forbidden(svg.read_text(encoding="utf-8"))
    root = ET.parse(svg).getroot()  # expat: strict XML 1.0
    texts = " ".join(" ".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
    assert "Ar\ufffdrive" in texts and "lab\ufffdel" in texts and "Title\ufffd" in texts
    assert "$5 <i>x</i>" in texts  # markup in a name is text, escaped by the generator
    title = [e.text for e in root.iter() if e.tag.endswith("title")]
    assert title == ["Title\ufffd <b>&amp;</b>"]
    # The PDF draws the same text: U+FFFD where a control character was.
    pdf = PdfReader(export_file(journey, tmp_path / "map.pdf"))
    text = pdf.pages[0].extract_text()
    assert "Ar\ufffdrive" in text and "lab\ufffdel" in text
    assert "\x00" not in text and not xml_forbidden(text)
    assert pdf.metadata.title == "Title\ufffd <b>&amp;</b>"
    png = export_file(journey, tmp_path / "map.png")
    assert QImage(str(png)).text("Title") == "Title\ufffd <b>&amp;</b>"


def test_svg_is_made_xml_safe_after_drawing(tmp_path):
    """The last line of defence: whatever reaches the SVG file, it parses."""
    from journeymap.render.mapimage import _make_svg_xml_safe

    path = tmp_path / "x.svg"
    path.write_bytes("<svg><text>a\x01b\ufffe c\x0b".encode() + b"\xff</text></svg>")
    _make_svg_xml_safe(path)
    assert ET.parse(path).getroot().findtext("text") == "a\ufffdb\ufffd c\ufffd\ufffd"


def test_graphml_parses_and_keeps_carriage_returns(tmp_path):
    import networkx as nx

    from journeymap.render.exporting import export_file
    from tests.conftest import make_small_map

    journey = hostile_map()
    graph = nx.read_graphml(export_file(journey, tmp_path / "map.graphml"))
    assert graph.graph["title"] == "Title\ufffd <b>&amp;</b>"
    assert graph.nodes["t-sign"]["name"] == "Sign\ufffd\ufffd \ufffd $5 <i>x</i>"
    assert graph.nodes["t-sign"]["stage_name"] == "Ar\ufffdrive"
    # An XML parser turns a literal CR into LF; written as &#13; it comes back.
    assert graph.nodes["t-desk"]["name"] == "Desk\r\nline\rtwo\ttab"
    assert graph.edges["t-sign", "t-desk"]["label"] == "lab\ufffdel"
    # Ids that only differ in what XML forbids stay apart.
    clash = make_small_map()
    clash.add_touchpoint(TouchPoint("a\x01", "one", "s-find"))
    clash.add_touchpoint(TouchPoint("a\x02", "two", "s-find"))
    clash.add_touchpoint(TouchPoint("a\r\n", "three", "s-find"))
    clash.add_transition(Transition("a\x01", "a\x02"))
    graph = nx.read_graphml(export_file(clash, tmp_path / "clash.graphml"))
    names = {data["name"]: node for node, data in graph.nodes(data=True)}
    assert names["one"] == "a\ufffd" and names["two"] == "a\ufffd~2"
    assert names["three"] == "a\r\n"
    assert ("a\ufffd", "a\ufffd~2") in graph.edges
    assert graph.number_of_nodes() == len(clash.touchpoints)


# ------------------------------------------------------- plain text in widgets

MARKUP = "<b>x</b><img src=y>"


def shown_as(text: str) -> str:
    """What Qt shows for a tooltip or an automatic-format label: it guesses rich
    text from the first line, exactly as QToolTip does."""
    from PySide6.QtGui import Qt, QTextDocument

    document = QTextDocument()
    if Qt.mightBeRichText(text):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText()


def test_user_text_in_tooltips_and_labels_shows_literally(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from journeymap.interop.tables import read_table
    from journeymap.ui.importdialog import ImportObservationsDialog

    editor = window.editor
    tp = editor.journey.touchpoints[0]
    target = next(tr for tr in editor.journey.transitions if tr.source == tp.id)
    editor.update_touchpoint(tp.id, name=MARKUP)
    editor.update_transition(target.source, target.target, label=MARKUP)
    # The card's and the arrow's tooltips.
    card = editor.scene.cards[tp.id]
    assert shown_as(card.toolTip()).splitlines()[0] == MARKUP
    assert "<b>" not in card.toolTip() and "<img" not in card.toolTip()
    arrow = next(e for e in card.edges if e.key == (target.source, target.target))
    assert shown_as(arrow.toolTip()) == f"{target.kind}: {MARKUP}"
    # The gap table's tooltip on the name.
    model = window.gaps.model
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data(Qt.ItemDataRole.UserRole) == tp.id)  # fmt: skip
    tip = model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert shown_as(tip).startswith(f"{MARKUP} ({tp.id})")
    # The observations table's tooltip on a note.
    obs = editor.add_observation(tp.id, "shadowing", note=MARKUP + "\nsecond line")
    observations = window.observations.model
    window.observations.model.show_touchpoint(None)
    r = next(i for i in range(observations.rowCount()) if observations.observation_at(i) is obs)
    column = next(c for c in range(observations.columnCount())
                  if observations.headerData(c, Qt.Orientation.Horizontal) == "Note")  # fmt: skip
    tip = observations.index(r, column).data(Qt.ItemDataRole.ToolTipRole)
    assert shown_as(tip) == MARKUP + "\nsecond line"
    # Quick capture's message quotes the name typed.
    assert window.observations.capture.message.textFormat() == Qt.TextFormat.PlainText
    # The inspector's arrow title.
    window.inspector.show_selection([], [(target.source, target.target)])
    assert window.inspector.edge_title.textFormat() == Qt.TextFormat.PlainText
    assert MARKUP in window.inspector.edge_title.text()
    # The import dialog's column headers.
    path = tmp_path / "debrief.csv"
    path.write_text(f"touchpoint,{MARKUP}\nAsk at the desk,1\n", encoding="utf-8")
    dialog = ImportObservationsDialog(read_table(path, strict=False), editor.journey, window)
    qtbot.addWidget(dialog)
    headers = [label for label in dialog.findChildren(QLabel) if label.text() == MARKUP]
    assert headers and all(h.textFormat() == Qt.TextFormat.PlainText for h in headers)


def test_message_boxes_show_names_and_messages_as_typed(qapp, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from journeymap.ui import dialogs

    formats = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: formats.append(box.textFormat()) or 0)
    dialogs.show_error(None, "Cannot import", f"{MARKUP} cannot be read.", MARKUP)
    dialogs.ask_save_changes(None, MARKUP)
    assert formats == [Qt.TextFormat.PlainText] * 2


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_missing_folder_is_one_line_before_any_drawing(tmp_path, library_path, command):
    out = tmp_path / "no-such-folder" / "x.pdf"
    result = run(command, str(library_path), "-o", str(out))
    assert_clean_failure(result, "cannot write: no folder")
    assert len(result.stderr.strip().splitlines()) == 1  # no Qt painter warnings
