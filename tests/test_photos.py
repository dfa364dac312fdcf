"""Photos as evidence: attached in the window, copied beside the map on save,
shown as thumbnails, on cards and in the report; a missing one is named."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from journeymap.fileio.jsonformat import load_map, save_map
from journeymap.fileio.photos import missing_photos, photos_folder_name, relative_photo_path
from journeymap.ui import photos as ui_photos


def make_image(path: Path, width: int = 40, height: int = 30, colour: str = "red") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


@pytest.fixture
def saved(window, tmp_path, library_path):
    """The window on a copy of the library sample in a folder of the test's own."""
    target = tmp_path / "maps" / "library_visit.journey.json"
    target.parent.mkdir()
    shutil.copy(library_path, target)
    assert window.open_path(target, ask=False)
    return target


def select_card(window, tp_id: str) -> None:
    window.view.center_on_touchpoint(tp_id)
    QApplication.processEvents()


def drop(widget, pos: QPoint, files: list[Path]) -> bool:
    """Drag files over ``widget`` and drop them at ``pos``, as a file manager would;
    True when the drop was taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(widget, QDragEnterEvent(pos, *args))
    QApplication.sendEvent(widget, QDragMoveEvent(pos, *args))
    event = QDropEvent(QPointF(pos), *args)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_folder_name_and_relative_paths(tmp_path):
    assert photos_folder_name(tmp_path / "library.journey.json") == "library.photos"
    assert photos_folder_name("visit.json") == "visit.photos"
    map_path = tmp_path / "maps" / "m.journey.json"
    inside = make_image(tmp_path / "maps" / "pics" / "a.png")
    outside = make_image(tmp_path / "elsewhere" / "desk.png").resolve()
    assert relative_photo_path(inside, map_path) == "pics/a.png"
    assert relative_photo_path(outside, map_path) == "m.photos/desk.png"
    taken = {"m.photos/desk.png"}
    assert relative_photo_path(outside, map_path, taken) == "m.photos/desk-2.png"


def test_attach_by_button_is_one_undo_step_with_thumbnail_and_viewer(
    window, saved, tmp_path, monkeypatch, qtbot
):
    photo = make_image(tmp_path / "camera" / "entrance.png", 120, 80)
    monkeypatch.setattr(ui_photos, "ask_photo_files", lambda parent: [photo])
    select_card(window, "t-entrance")
    dock = window.observations
    dock.table.selectRow(0)
    obs = dock.current_observation()
    steps = window.editor.undo_stack.count()
    qtbot.mouseClick(dock.attach_button, Qt.MouseButton.LeftButton)
    assert obs.photos == ["library_visit.photos/entrance.png"]
    assert window.editor.undo_stack.count() == steps + 1
    # Thumbnails in the dock and the Inspector, found where they wait to be copied.
    assert [t.photo for t in dock.photo_strip.thumbs] == obs.photos
    assert not dock.photo_strip.thumbs[0].missing
    assert [t.missing for t in window.inspector.photos.thumbs] == [False]
    # A camera on the card.
    assert window.editor.scene.cards["t-entrance"].photos == 1
    qtbot.mouseDClick(dock.photo_strip.thumbs[0], Qt.MouseButton.LeftButton)
    viewer = dock.photo_strip.viewer
    assert viewer is not None and viewer.isVisible() and not viewer.missing
    assert viewer.picture.pixmap().width() == 120
    viewer.close()
    window.editor.undo_stack.undo()
    assert obs.photos == []
    assert window.editor.scene.cards["t-entrance"].photos == 0
    window.editor.undo_stack.redo()
    assert obs.photos == ["library_visit.photos/entrance.png"]


def test_save_and_save_as_copy_the_photos(window, saved, tmp_path, monkeypatch, answers):
    photo = make_image(tmp_path / "camera" / "desk.png")
    select_card(window, "t-entrance")
    window.observations.table.selectRow(0)
    assert window.observations.attach_photos([photo])
    copied = saved.parent / "library_visit.photos" / "desk.png"
    assert not copied.exists()  # copied on save, not before
    assert window.save()
    assert copied.read_bytes() == photo.read_bytes()
    assert missing_photos(load_map(saved), saved) == []
    answers.save_path = tmp_path / "shared" / "copy.journey.json"
    answers.save_path.parent.mkdir()
    assert window.save_as()
    again = tmp_path / "shared" / "library_visit.photos" / "desk.png"
    assert again.read_bytes() == photo.read_bytes()
    assert missing_photos(load_map(answers.save_path), answers.save_path) == []


def test_untitled_map_is_saved_before_photos_are_attached(
    window, tmp_path, monkeypatch, answers, qtbot
):
    photo = make_image(tmp_path / "camera" / "kiosk.png")
    asked = []
    monkeypatch.setattr(ui_photos, "ask_save_first", lambda parent: asked.append(1) or True)
    monkeypatch.setattr(ui_photos, "ask_photo_files", lambda parent: [photo])
    window.new_map()
    answers.save_path = tmp_path / "maps" / "new.journey.json"
    answers.save_path.parent.mkdir()
    capture = window.observations.capture
    qtbot.mouseClick(capture.attach_button, Qt.MouseButton.LeftButton)
    assert asked == [1] and window.editor.path == answers.save_path
    assert capture.photo_files == [photo]
    stage = window.editor.add_stage("Find")
    tp = window.editor.add_touchpoint(stage.id, "Catalogue kiosk")
    capture.set_touchpoint(tp.name)
    capture.expectation.setText("4")
    capture.reality.setText("2")
    steps = window.editor.undo_stack.count()
    capture.submit()
    assert window.editor.undo_stack.count() == steps + 1  # observation and photo: one step
    obs = window.editor.journey.observations[-1]
    assert obs.photos == ["new.photos/kiosk.png"]
    assert capture.photo_files == []
    assert window.save()
    assert (tmp_path / "maps" / "new.photos" / "kiosk.png").is_file()


def test_drop_on_a_row_attaches_to_its_observation(window, saved, tmp_path):
    files = [make_image(tmp_path / "d" / "one.png"), make_image(tmp_path / "d" / "two.jpg")]
    select_card(window, "t-entrance")
    table = window.observations.table
    rows = window.observations.model.rows
    steps = window.editor.undo_stack.count()
    accepted = drop(table.viewport(), table.visualRect(table.model().index(1, 2)).center(), files)
    assert accepted
    assert rows[1].photos == ["library_visit.photos/one.png", "library_visit.photos/two.jpg"]
    assert rows[0].photos == []
    assert window.editor.undo_stack.count() == steps + 1
    # Not an image: refused, nothing attached.
    text = tmp_path / "d" / "notes.txt"
    text.write_text("x")
    accepted = drop(table.viewport(), table.visualRect(table.model().index(0, 2)).center(), [text])
    assert not accepted and rows[0].photos == []


def test_drop_on_a_card_attaches_to_its_last_observation(window, saved, tmp_path):
    photo = make_image(tmp_path / "d" / "welcome.png")
    select_card(window, "t-entrance")  # the dock shows another card's rows
    card = window.editor.scene.cards["t-welcome"]
    view = window.view
    pos = view.mapFromScene(card.sceneBoundingRect().center())
    drop(view.viewport(), pos, [photo])
    last = window.editor.journey.observations_for("t-welcome")[-1]
    assert last.photos == ["library_visit.photos/welcome.png"]
    assert card.photos == 1


def test_missing_photo_shows_as_missing_in_the_inspector(window, saved):
    obs = window.editor.journey.observations_for("t-entrance")[0]
    window.editor.update("observation", obs.id, {"photos": ["gone/lost.jpg"]}, "photos")
    select_card(window, "t-entrance")
    thumbs = window.inspector.photos.thumbs
    assert [(t.photo, t.missing) for t in thumbs] == [("gone/lost.jpg", True)]
    assert "missing" in thumbs[0].text()


def _report_map(small_map, tmp_path) -> Path:
    """The small map saved with a 1600x1200 photo at the desk and a missing one at the sign."""
    map_path = tmp_path / "small.journey.json"
    make_image(tmp_path / "small.photos" / "desk.png", 1600, 1200, "navy")
    small_map.update_observation("o3", photos=["small.photos/desk.png"])
    small_map.update_observation("o1", photos=["small.photos/sign.jpg"])
    save_map(small_map, map_path)
    return map_path


def test_html_report_embeds_photos_and_names_missing_ones(small_map, tmp_path):
    from journeymap.render.report import write_report

    map_path = _report_map(small_map, tmp_path)
    out = write_report(small_map, tmp_path / "r.html", map_path=map_path)
    text = out.read_text(encoding="utf-8")
    assert "Missing photo: small.photos/sign.jpg" in text
    photos = re.findall(r"src='data:image/jpeg;base64,([^']+)'", text)
    assert len(photos) == 1
    image = QImage.fromData(base64.b64decode(photos[0]))
    assert max(image.width(), image.height()) <= 800
    assert (image.width(), image.height()) == (480, 360)


def test_pdf_report_includes_the_photo(small_map, tmp_path):
    from pypdf import PdfReader

    from journeymap.render.report import write_report

    map_path = _report_map(small_map, tmp_path)
    reader = PdfReader(write_report(small_map, tmp_path / "r.pdf", map_path=map_path))
    sizes = []
    for page in reader.pages:
        objects = page.get("/Resources", {}).get("/XObject", {})
        for ref in objects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                sizes.append((obj["/Width"], obj["/Height"]))
    assert (480, 360) in sizes
    text = "".join(page.extract_text() for page in reader.pages)
    assert "small.photos/sign.jpg" in text


def test_cli_report_finds_photos_beside_the_map(small_map, tmp_path):
    from tests.test_cli import run

    map_path = _report_map(small_map, tmp_path)
    (tmp_path / "small.photos" / "desk.png").unlink()  # missing now: named, never fatal
    result = run("report", str(map_path), "-o", str(tmp_path / "r.html"))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Missing photo: small.photos/desk.png" in text


def test_a_map_dragged_over_the_canvas_is_still_left_to_the_window(window, library_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(library_path))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window.view.viewport(), enter)
    assert enter.isAccepted()  # by the window, which opens it on drop


def test_missing_photos_take_no_picture_slot_and_are_all_named(small_map, tmp_path):
    from journeymap.render.reportphotos import PHOTOS_PER_GAP, photos_html

    map_path = tmp_path / "small.journey.json"
    found = [f"small.photos/p{i}.png" for i in range(PHOTOS_PER_GAP + 1)]
    for photo in found:
        make_image(tmp_path / photo, 40, 30, "navy")
    lost = ["small.photos/gone-1.jpg", "small.photos/gone-2.jpg"]
    small_map.update_observation("o3", photos=[lost[0], *found, lost[1]])
    save_map(small_map, map_path)
    html_text = photos_html(small_map, "t-desk", None, map_path)
    assert html_text.count("<img ") == PHOTOS_PER_GAP  # the missing first one took no slot
    for photo in lost:
        assert f"Missing photo: {photo}" in html_text  # after the third too
