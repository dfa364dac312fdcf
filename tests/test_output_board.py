"""Board-ready output: the map PDF on paper, even PNG margins, a debrief report PDF
whose map, tables and charts fit and read well on A4."""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pytest
from matplotlib.text import Text
from PIL import Image
from pypdf import PdfReader

from journeymap.fileio import load_map
from journeymap.model import JourneyMap, Observation, Scale, Stage, TouchPoint
from journeymap.render.exporting import export_file
from tests.test_cli import assert_clean_failure, run

PT = 72  # points per inch
HEADINGS = {"Summary", "The map", "Widest gaps", "Stages", "Charts"}
GAP_HEADER = "# Touch point Stage n Expectation Reality Gap Behind it"


def _words(text: str) -> str:
    return " ".join(text.split())


def _size(page) -> tuple[float, float]:
    box = page.mediabox
    return round(float(box.width)), round(float(box.height))


def _inked_box(image: Image.Image, tolerance: int = 8) -> tuple[int, int, int, int]:
    """Left, top, right, bottom margins: blank pixels between the picture and each edge."""
    rgb = np.asarray(image.convert("RGB")).astype(int)
    inked = (255 - rgb).max(axis=2) > tolerance
    rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    height, width = inked.shape
    return cols[0], rows[0], width - 1 - cols[-1], height - 1 - rows[-1]


def _render(pdf, page: int, dpi: int = 50) -> Image.Image:
    """One page of a PDF as poppler draws it."""
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf)],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    return Image.open(io.BytesIO(png))


def _one_card_map() -> JourneyMap:
    journey = JourneyMap("One", Scale(1, 5))
    journey.add_stage(Stage("s", "Only"))
    journey.add_touchpoint(TouchPoint("t", "Alone", "s", "web"))
    return journey


# The map as a PDF on paper ------------------------------------------------------------


@pytest.mark.parametrize(
    "paper, orientation, size",
    [
        ("a4", None, (842, 595)),  # the library map is wider than tall: landscape
        ("a4", "portrait", (595, 842)),
        ("a4", "landscape", (842, 595)),
        ("letter", None, (792, 612)),
        ("letter", "portrait", (612, 792)),
        ("a3", None, (1191, 842)),
        ("a3", "portrait", (842, 1191)),
    ],
)
def test_map_pdf_on_paper(tmp_path, qapp, library_path, paper, orientation, size):
    out = export_file(
        load_map(library_path), tmp_path / "map.pdf", paper=paper, orientation=orientation
    )
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert _size(reader.pages[0]) == size
    text = _words(reader.pages[0].extract_text())
    assert "Ask at the desk" in text and "Leave" in text  # the whole map, as text


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_map_on_paper_is_fitted_and_centred(tmp_path, qapp, library_path, orientation):
    out = export_file(load_map(library_path), tmp_path / "map.pdf", paper="a4",
                      orientation=orientation)  # fmt: skip
    page = _render(out, 1, dpi=40)
    left, top, right, bottom = _inked_box(page)
    assert abs(left - right) <= 2 and left >= 12 * 40 / 25.4 - 2  # inside the 12 mm margin
    # Fitted: the map touches the margins on the side that limits it, centred on the other.
    assert abs(top - bottom) <= 2
    assert min(left, top) <= 12 * 40 / 25.4 + 14  # the legend/column edge sits at the margin


def test_map_pdf_without_paper_is_the_map_size(tmp_path, qapp, library_path):
    journey = load_map(library_path)
    pdf = PdfReader(export_file(journey, tmp_path / "map.pdf"))
    with Image.open(export_file(journey, tmp_path / "map.png")) as png:
        assert _size(pdf.pages[0]) == png.size  # one point a pixel, as before


def test_paper_options_are_for_pdf_only(tmp_path, library_path):
    transparent = run("export", str(library_path), "-o", str(tmp_path / "m.svg"), "--transparent")
    result = run("export", str(library_path), "-o", str(tmp_path / "m.png"), "--paper", "a4")
    assert_clean_failure(result, "--paper and --orientation are for .pdf only")
    assert result.returncode == transparent.returncode  # the same kind of error, the same status
    result = run("export", str(library_path), "-o", str(tmp_path / "m.svg"),
                 "--orientation", "portrait")  # fmt: skip
    assert_clean_failure(result, "are for .pdf only")
    result = run("export", str(library_path), "-o", str(tmp_path / "m.pdf"),
                 "--orientation", "portrait")  # fmt: skip
    assert_clean_failure(result, "--orientation needs --paper")
    assert run("export", str(library_path), "-o", str(tmp_path / "m.pdf"), "--paper", "b5"
               ).returncode == 2  # fmt: skip
    assert not list(tmp_path.glob("m.*"))
    ok = run("export", str(library_path), "-o", str(tmp_path / "m.pdf"),
             "--paper", "letter", "--orientation", "portrait")  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert _size(PdfReader(tmp_path / "m.pdf").pages[0]) == (612, 792)
    with pytest.raises(ValueError, match=r"for \.pdf only"):
        export_file(load_map(library_path), tmp_path / "x.svg", paper="a4")


# PNG margins -----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["one card", "small", "library"])
def test_png_margins_are_even(tmp_path, qapp, small_map, library_path, which):
    journey = {"one card": _one_card_map(), "small": small_map}.get(which)
    journey = journey or load_map(library_path)
    with Image.open(export_file(journey, tmp_path / "map.png")) as image:
        margins = _inked_box(image)
    assert max(margins) - min(margins) <= 2, margins
    assert 20 <= min(margins) <= 26


# The debrief report as a PDF --------------------------------------------------------------


@pytest.fixture(scope="module")
def library_report(tmp_path_factory, qapp):
    from journeymap.render.report import write_report
    from tests.conftest import SAMPLES

    out = tmp_path_factory.mktemp("report") / "report.pdf"
    write_report(load_map(SAMPLES / "library_visit.journey.json"), out)
    reader = PdfReader(out)
    # pypdf puts tabs between some words: one space, line breaks kept.
    return out, reader, [page.extract_text().replace("\t", " ") for page in reader.pages]


def test_report_map_fits_its_page(library_report):
    path, reader, texts = library_report
    (index,) = [i for i, text in enumerate(texts) if "The map" in text]
    width, height = _size(reader.pages[index])
    assert width > height  # a wide map gets a landscape page of its own
    text = _words(texts[index])
    for stage in ("Plan the visit", "Arrive", "Find", "Borrow", "Take part", "Leave"):
        assert stage in text  # the map is drawn as text: its right column is there
    assert "Walk out through the security gates" in text
    page = _render(path, index + 1, dpi=40)
    left, _, right, _ = _inked_box(page)
    margin = 15 * 40 / 25.4
    assert right >= margin - 2 and left >= margin - 2  # nothing runs past the margins


def test_report_tables_repeat_their_header_and_keep_their_heading(library_report):
    _, reader, texts = library_report
    assert all(_size(page) in {(595, 842), (842, 595)} for page in reader.pages)
    pages = [_words(text) for text in texts]
    first = next(i for i, t in enumerate(pages) if "Widest gaps" in t)
    stages = next(i for i, t in enumerate(texts) if "Stages" in t.split("\n"))
    charts = next(i for i, t in enumerate(texts) if "Charts" in t.split("\n"))
    assert first < stages <= charts
    # Every page the ten widest gaps are on starts with the table's header...
    gap_pages = [i for i in range(first, stages + 1) if pages[i].split("Stages Stage")[0]]
    assert len(gap_pages) >= 2  # ...and they take more than one page.
    for index in gap_pages:
        assert pages[index].startswith(GAP_HEADER) or pages[index].startswith(
            "Widest gaps " + GAP_HEADER
        ), index
    for index in range(stages, charts + 1):
        if pages[index].split("Charts")[0]:
            assert "Stage Touch points n Expectation Reality Gap" in pages[index], index
    for index, text in enumerate(texts):
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        assert lines[-1] not in HEADINGS, f"page {index + 1} ends with a heading"


def test_a_row_taller_than_a_page_is_split_under_repeated_headers(tmp_path, qapp, small_map):
    from journeymap.render.report import write_report

    for n in range(6):
        note = f"Long note {n}: " + "the queue went round the block again " * 40
        small_map.add_observation(Observation(f"long{n}", "t-sign", "shadowing", "Jo",
                                              None, None, 5, 1, None, note=note))  # fmt: skip
    reader = PdfReader(write_report(small_map, tmp_path / "report.pdf"))
    texts = [_words(page.extract_text()) for page in reader.pages]
    pages = [i for i, t in enumerate(texts) if "Long note" in t]
    assert len(pages) >= 2  # one row over two pages
    for index in pages:
        assert GAP_HEADER in texts[index]
    assert "Long note 3" in " ".join(texts)  # nothing is lost at a cut


# Charts at print size ------------------------------------------------------------------


def _visible_texts(figure) -> list[Text]:
    figure.draw_without_rendering()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_report_chart_text_is_at_least_8pt_printed(qapp, library_path):
    from journeymap.render.report import chart_figures

    figures = chart_figures(load_map(library_path), None)
    page_width_in = (210 - 2 * 15) / 25.4  # A4 less the report's margins
    for kind, figure in figures.items():
        width_in = figure.get_size_inches()[0]
        # The report draws a chart as many inches wide as the figure (reportpdf.draw_charts)
        # unless the page is narrower; then it shrinks, and so does its text.
        printed_in = min(width_in, page_width_in)
        scale = printed_in / width_in
        texts = _visible_texts(figure)
        assert len(texts) > 20, kind
        small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() * scale < 8]
        assert not small, (kind, small)


@pytest.mark.parametrize("kind", ["gaps", "emotion", "methods"])
def test_chart_files_have_no_text_under_8pt(library_path, kind):
    from journeymap.charts.journeycharts import draw_chart

    texts = _visible_texts(draw_chart(kind, load_map(library_path)))
    assert min(t.get_fontsize() for t in texts) >= 8


def test_chart_names_are_wrapped_not_cut(library_path):
    from journeymap.charts.journeycharts import chart_size, draw_chart

    journey = load_map(library_path)
    long = "Ask the librarian where the interlibrary loan form went"
    journey.update_touchpoint("t-desk", name=long)
    for kind in ("emotion", "gaps", "methods"):
        figure = draw_chart(kind, journey, None, chart_size(kind, journey, None, 7.0))
        (axes,) = figure.axes
        ticks = axes.get_xticklabels() if kind == "emotion" else axes.get_yticklabels()
        labels = [t.get_text() for t in ticks]
        assert not any("\u2026" in label for label in labels), kind
        names = {" ".join(label.split()) for label in labels}
        assert long in names, (kind, labels)
        wrapped = next(label for label in labels if " ".join(label.split()) == long)
        assert "\n" in wrapped and max(len(line) for line in wrapped.split("\n")) <= 28
        assert "Walk out through the security gates" in names


@pytest.mark.parametrize("what", ["table", "charts"])
def test_a_heading_near_the_foot_of_a_page_moves_on_with_what_follows(
    tmp_path, qapp, small_map, what
):
    from journeymap.render.report import STAGE_COLUMNS, stage_rows
    from journeymap.render.reportpdf import Pages, draw_charts, draw_table, rich

    pages = Pages(tmp_path / "part.pdf", "part")
    pages.draw(rich("<p>Filler</p>", pages.width))
    pages.y = pages.height - 60  # room for a heading, not for what follows it
    if what == "table":
        draw_table(pages, "Stages", STAGE_COLUMNS, stage_rows(small_map, None))
    else:
        draw_charts(pages, small_map, None)
    pages.finish()
    texts = [_words(page.extract_text()) for page in PdfReader(tmp_path / "part.pdf").pages]
    assert texts[0] == "Filler"
    heading = "Stages Stage Touch points n" if what == "table" else "Charts"
    assert texts[1].startswith(heading)
    assert "Arrive" in texts[1] or what == "charts"
