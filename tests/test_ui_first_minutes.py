"""The first minutes with journeymap: the empty-map hint, templates, help,
a dark palette, and a Mermaid import that shows its scores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

from journeymap.canvas import colors
from journeymap.fileio.jsonformat import load_map
from journeymap.resources import resource_path
from journeymap.ui import helpdialogs, hints, palette, templates
from journeymap.ui.hints import NO_EXPECTATIONS

SHOTS = Path(os.environ.get("JOURNEYMAP_SHOTS", "/tmp/firstmin"))
SAMPLES = Path(__file__).resolve().parent.parent / "sample_maps"

MERMAID = """journey
    title Saturday coffee
    section Arrive
      Queue at the counter: 2: Me, Friend
      Read the menu board: 4: Me
    section Order
      Order at the till: 5: Me
      Wait for the drinks: 1: Friend
"""


def save_shot(widget, name: str) -> QImage:
    image = widget.grab().toImage()
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.save(str(SHOTS / f"{name}.png"))
    return image


def mean_brightness(image: QImage) -> float:
    """Mean lightness of a grid of pixels (0 black to 255 white)."""
    step = 8
    values = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    ]
    return sum(values) / len(values)


def region_has_ink(image: QImage, rect) -> bool:
    """True when the region holds dark text pixels (the hint's words)."""
    dark = 0
    rect = QRectF(rect).intersected(QRectF(image.rect()))  # the view may have shrunk
    for x in range(int(rect.left()), int(rect.right()), 2):
        for y in range(int(rect.top()), int(rect.bottom()), 2):
            if image.pixelColor(x, y).lightness() < 80:
                dark += 1
    return dark > 50


# ------------------------------------------------------------ empty hint


def test_new_map_shows_the_hint_until_a_touch_point_is_added(window, qtbot):
    assert window.new_map()
    view = window.view
    assert view.shows_hint()
    qtbot.waitUntil(lambda: view._hint_shown)
    box = view.hint_rect()
    before = save_shot(view.viewport(), "hint-empty")
    assert region_has_ink(before, box)
    # The hint names the keys of shortcuts.py as this platform writes them.
    texts = [text for text, _ in view._hint_lines]
    keys = [key for _, key in view._hint_lines]
    assert any("Add Touch Point" in t for t in texts)
    assert hints.key_text(window_shortcut("ADD_TOUCHPOINT")) in keys
    assert QKeySequence("Ctrl+T").toString(QKeySequence.SequenceFormat.NativeText) in keys

    stage = window.editor.journey.stages[0].id
    window.editor.add_touchpoint(stage, "Front door")
    assert not view.shows_hint()
    qtbot.waitUntil(lambda: not view._hint_shown)
    after = save_shot(view.viewport(), "hint-gone")
    assert not region_has_ink(after, box)
    window.editor.undo_stack.undo()  # empty again: the hint comes back
    assert view.shows_hint()
    qtbot.waitUntil(lambda: view._hint_shown)


def test_sample_map_shows_no_hint(window):
    assert not window.view.shows_hint()


def window_shortcut(name: str):
    from journeymap.ui import shortcuts

    return getattr(shortcuts, name)


# -------------------------------------------------------------- templates


def test_templates_are_shipped_with_blank_first():
    found = templates.templates()
    keys = [t.key for t in found]
    assert keys[0] == "blank"
    assert set(keys) == {"blank", "library_visit", "cafe_order", "store_visit"}
    for template in found:
        assert template.path == resource_path(f"templates/{template.key}.journey.json")
    # The sample maps and their template copies are the same maps.
    for key in ("library_visit", "cafe_order", "store_visit"):
        assert load_map(templates.template_path(key)) == load_map(SAMPLES / f"{key}.journey.json")


def test_package_data_ships_the_templates():
    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert '"resources" = "journeymap/resources"' in text


@pytest.mark.parametrize("key", ["blank", "library_visit", "cafe_order", "store_visit"])
def test_new_from_template_opens_an_unsaved_unmodified_map(window, answers, key, qtbot):
    menu_actions = {a.text(): a for a in window.template_menu.actions()}
    label = next(t.label for t in templates.templates() if t.key == key)
    window.editor.update_touchpoint(window.editor.journey.touchpoints[0].id, name="Edited")
    answers.asked.clear()
    menu_actions[label].trigger()
    assert answers.asked == [("save_changes", "library_visit.journey.json")]
    expected = load_map(templates.template_path(key))
    assert window.editor.journey == expected
    assert window.editor.path is None and window.editor.source is None
    assert not window.editor.is_modified() and not window.isWindowModified()
    assert window.windowTitle().startswith("Untitled")
    assert window.editor.scene.legend.title == expected.title
    assert window.view.shows_hint() == (not expected.touchpoints)
    save_shot(window, f"template-{key}")


def test_template_menu_sits_after_new(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("New from &Template") == texts.index("&New") + 1


# -------------------------------------------------------------- shortcuts


def test_f1_opens_the_shortcuts_dialog_listing_every_constant(window, qtbot):
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    dialog = getattr(window, "shortcuts_dialog", None)
    assert dialog is not None and dialog.isVisible()
    listed = " | ".join(dialog.listed())
    constants = helpdialogs.constants()
    assert {"NEW", "HELP", "QUICK_CAPTURE", "ADD_STAGE", "CONNECT"} <= set(constants)
    for name, sequences in constants.items():
        for sequence in helpdialogs.typed(sequences):
            text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            assert text in listed, f"{name} ({text}) is not in the shortcuts dialog"
    rows = helpdialogs.shortcut_rows(window)
    by_command = {command: (keys, where) for keys, command, where, _ in rows}
    assert by_command["Keyboard Shortcuts"][:2] == ("F1", "Help")  # no XF86 "Help" key
    assert by_command["Save"][0] == "Ctrl+S"
    assert by_command["Add Touch Point"][1] == "Map"
    save_shot(dialog, "shortcuts")


def test_a_new_action_appears_in_the_shortcuts_dialog(window):
    action = QAction("Count &Sheep", window)
    action.setShortcut(QKeySequence("Ctrl+Alt+F12"))
    window.addAction(action)
    dialog = helpdialogs.show_shortcuts(window)
    keys = QKeySequence("Ctrl+Alt+F12").toString(QKeySequence.SequenceFormat.NativeText)
    assert keys in dialog.listed()


# ----------------------------------------------------------- reading help


def test_reading_the_map_draws_real_examples(window):
    window.help_action.trigger()
    dialog = window.reading_dialog
    assert dialog.isVisible()
    scene = dialog.scene
    cards = scene.cards
    assert set(cards) == {"wide", "delight", "none", "reality", "critical"}
    assert cards["wide"].stats.wide and cards["wide"].stats.gap > 0
    assert cards["delight"].stats.gap < 0
    assert cards["none"].stats.gap is None and cards["none"].reality_only is None
    assert cards["reality"].reality_only is not None
    assert cards["critical"].tp.critical
    assert set(scene.arrows) == {"main", "alternative", "failure", "loop"}
    styles = {kind: arrow.pen().style() for kind, arrow in scene.arrows.items()}
    assert len(set(styles.values())) == 4  # four kinds, four looks
    save_shot(dialog, "reading")
    # The example cards are painted in their colours (not an empty dialog).
    view = dialog.view
    for key, colour in (
        ("wide", colors.gap_color(2.5, cards["wide"].scale)),
        ("none", QColor(colors.NO_DATA)),
    ):
        # The dialog fits the (small) screen and scrolls: bring the card into view.
        view.centerOn(cards[key])
        image = save_shot(dialog, f"reading-{key}")
        centre = view.mapFromScene(cards[key].sceneBoundingRect().center())
        point = view.viewport().mapTo(dialog, centre)
        # Some text may cross the centre; look at a point in the card's left margin.
        pixel = image.pixelColor(point.x() - 95, point.y() - 8)
        assert abs(pixel.lightness() - colour.lightness()) < 12, key
    texts = " ".join(i.toPlainText() for i in scene.items() if hasattr(i, "toPlainText"))
    for word in ("wide gap", "delight", "not observed yet", "moment of truth", "Loop"):
        assert word.lower() in texts.lower()


# ----------------------------------------------------------- dark palette


@pytest.fixture
def dark_palette(qapp):
    original = QPalette(qapp.palette())
    qapp.setPalette(QPalette(QColor("#2b2b2b")))
    yield
    qapp.setPalette(original)


def test_dark_palette_darkens_the_canvas_and_charts(window, qtbot, dark_palette):
    view = window.view
    assert palette.is_dark()
    qtbot.waitUntil(lambda: window.editor.scene.theme is colors.DARK)
    dark = save_shot(view.viewport(), "dark-canvas")
    assert mean_brightness(dark) < 90
    # The legend's words follow: light ink on the dark background.
    assert colors.theme_of(window.editor.scene.legend).ink == colors.DARK.ink
    # A new map keeps the dark theme, and the hint is drawn dark too.
    window.new_map()
    qtbot.wait(10)
    assert mean_brightness(save_shot(view.viewport(), "dark-hint")) < 90
    # The Gaps dock's chart is dark too.
    window.open_path(SAMPLES / "library_visit.journey.json", ask=False)
    window.gaps.redraw_chart()
    assert lightness(window.gaps.figure.get_facecolor()) < 60
    save_shot(window, "dark-window")


def lightness(rgba) -> int:
    return QColor.fromRgbF(*rgba).lightness()


def test_charts_dock_draws_dark_charts_on_a_dark_palette(qtbot, small_map, qapp):
    from matplotlib.colors import to_rgba

    from journeymap.ui.docks.charts import ChartsDock
    from journeymap.ui.viewstate import ViewState

    state = ViewState()
    dock = ChartsDock(small_map, state)
    qtbot.addWidget(dock)
    dock.resize(700, 450)
    dock.show()
    dock.redraw()
    assert lightness(dock.figure.get_facecolor()) > 240
    original = QPalette(qapp.palette())
    try:
        qapp.setPalette(QPalette(QColor("#2b2b2b")))
        for index in range(dock.kind.count()):
            dock.kind.setCurrentIndex(index)
            dock.redraw()
            axes = dock.figure.axes[0]
            assert lightness(dock.figure.get_facecolor()) < 60
            assert lightness(axes.get_facecolor()) < 60
            # Tick labels are light: readable on the dark axes.
            label = axes.get_yticklabels()[0] if axes.get_yticklabels() else axes.title
            assert lightness(to_rgba(label.get_color())) > 180
            qtbot.waitUntil(dock.canvas.isVisible)  # the layout shows it from the event loop
            dock.canvas.draw()
            save_shot(dock, f"dark-chart-{dock.current_kind()}")
    finally:
        qapp.setPalette(original)
    dock.redraw()
    assert lightness(dock.figure.get_facecolor()) > 240  # light again


def test_light_palette_keeps_a_white_canvas(window, qtbot):
    assert not palette.is_dark()
    assert getattr(window.editor.scene, "theme", colors.LIGHT) is colors.LIGHT
    assert mean_brightness(save_shot(window.view.viewport(), "light-canvas")) > 180


def test_palette_change_goes_back_to_light(window, qtbot, qapp):
    original = QPalette(qapp.palette())
    qapp.setPalette(QPalette(QColor("#202020")))
    qtbot.waitUntil(lambda: window.editor.scene.theme is colors.DARK)
    qapp.setPalette(original)
    qtbot.waitUntil(lambda: window.editor.scene.theme is colors.LIGHT)
    assert window.editor.scene.backgroundBrush().color() == QColor(colors.LIGHT.background)


def test_exports_stay_light_under_a_dark_palette(tmp_path, dark_palette):
    from journeymap.render.mapimage import export_map

    out = export_map(load_map(SAMPLES / "cafe_order.journey.json"), tmp_path / "map.png")
    assert mean_brightness(QImage(str(out))) > 180


# --------------------------------------------------------- Mermaid import


def test_mermaid_import_colours_cards_by_reality_and_hints_at_expectations(window, tmp_path, qtbot):
    path = tmp_path / "coffee.mmd"
    path.write_text(MERMAID, encoding="utf-8")
    assert window.import_mermaid(path)
    scene = window.editor.scene
    grey = QColor(colors.NO_DATA)
    fills = {}
    for card in scene.cards.values():
        assert card.stats.gap is None
        assert card.reality_only is not None
        fill = colors.satisfaction_color(card.reality_only, card.scale)
        assert fill != grey
        fills[card.tp.name] = fill
        assert "no expectation yet" in card.toolTip()
    # Satisfied is blue, unhappy is red: 5 is cooler than 1.
    assert fills["Order at the till"].blue() > fills["Order at the till"].red()
    assert fills["Wait for the drinks"].red() > fills["Wait for the drinks"].blue()
    # What is painted is that colour, not the grey of "no scores".
    card = next(c for c in scene.cards.values() if c.tp.name == "Order at the till")
    window.view.centerOn(card)
    qtbot.wait(10)
    shot = save_shot(window.view.viewport(), "mermaid-canvas")
    point = window.view.mapFromScene(card.mapToScene(8, 40))
    painted = shot.pixelColor(point)
    assert painted != grey and painted.blue() > painted.red()
    assert NO_EXPECTATIONS in window.gaps.scope.text()
    save_shot(window, "mermaid-window")
    # Add an expectation: the card shows its gap, and the hint goes.
    obs = window.editor.journey.observations_for(card.tp_id)[0]
    window.editor.update("observation", obs.id, {"expectation": 4.0}, "Expectation")
    assert card.stats.gap is not None and card.reality_only is None
    assert NO_EXPECTATIONS not in window.gaps.scope.text()


def test_no_hint_for_a_map_with_gaps(window):
    assert NO_EXPECTATIONS not in window.gaps.scope.text()


def test_reality_only_mean_ignores_paired_observations(small_map):
    assert colors.reality_only_mean(small_map.observations_for("t-exit")) == 4
    assert colors.reality_only_mean(small_map.observations_for("t-desk")) is None
    assert not hints.needs_expectations(small_map)


def test_app_palette_is_light_by_default():
    assert QApplication.instance() is not None
