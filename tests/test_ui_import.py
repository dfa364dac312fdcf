"""File ▸ Import and Export in the window; the import dialog's mapping and problems."""

from __future__ import annotations

import networkx as nx
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from journeymap.interop.mermaid import parse_mermaid
from journeymap.interop.tables import read_table
from journeymap.model.analysis import touchpoint_gaps
from journeymap.ui import dialogs
from journeymap.ui.importdialog import IGNORE, ImportObservationsDialog
from tests.test_mermaid import DOCS_EXAMPLE

CSV = (
    "Where,method,observer,expectation,reality,Room\n"
    "Ask at the desk,shadowing,Jo,5,1,B2\n"
    "Self-checkout machine,shadowing,Jo,4,2,B2\n"
    "Events noticeboard,interview,Dev,3,9,B2\n"
)


def ok_button(dialog: ImportObservationsDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_dialog_maps_columns_and_lists_problems(qtbot, window, tmp_path):
    path = tmp_path / "debrief.csv"
    path.write_text(CSV, encoding="utf-8")
    table = read_table(path, strict=False)
    dialog = ImportObservationsDialog(table, window.editor.journey, window)
    qtbot.addWidget(dialog)
    # "Where" is not a known column: nothing reads the touch point yet.
    assert dialog.mapping[0].currentText() == IGNORE
    assert not ok_button(dialog).isEnabled()
    assert "no column is read as 'touchpoint'" in dialog.problems.item(0).text()
    assert dialog.preview.rowCount() == 3
    assert dialog.preview.item(0, 0).text() == "Ask at the desk"
    # Map it: now the one bad row (line 4, reality 9) is listed.
    dialog.mapping[0].setCurrentText("touchpoint")
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert problems == [f"{path}:4: reality 9 is outside the scale 1-5"]
    assert not ok_button(dialog).isEnabled()
    # Ignoring the reality column makes every row sound.
    dialog.mapping[4].setCurrentText(IGNORE)
    assert dialog.problems.count() == 0
    assert ok_button(dialog).isEnabled()
    assert len(dialog.observations) == 3
    assert "2 column(s) ignored" in dialog.summary.text()


def test_dialog_counts_every_problem_but_lists_the_first_50(qtbot, window, tmp_path):
    path = tmp_path / "debrief.csv"
    path.write_text(
        "touchpoint,method,reality\n" + "Ask at the desk,shadowing,9\n" * 120, encoding="utf-8"
    )
    dialog = ImportObservationsDialog(read_table(path, strict=False), window.editor.journey, window)
    qtbot.addWidget(dialog)
    lines = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert len(lines) == 51
    assert lines[-1] == f"{path}: … and 70 more problems"
    assert dialog.summary.text().startswith("120 problem(s)")
    assert not ok_button(dialog).isEnabled()


def test_import_is_one_undo_step(window, tmp_path, monkeypatch):
    path = tmp_path / "debrief.csv"
    path.write_text(CSV.replace(",9,", ",2,").replace("Where", "touchpoint"), encoding="utf-8")
    shown = []

    def review(parent, table, journey):
        dialog = ImportObservationsDialog(table, journey, parent)
        shown.append(dialog)
        return dialog.observations

    monkeypatch.setattr(dialogs, "review_import", review)
    before = len(window.editor.journey.observations)
    assert window.import_observations(path)
    journey = window.editor.journey
    assert len(journey.observations) == before + 3
    assert window.editor.undo_stack.count() == 1
    assert window.editor.undo_stack.text(0) == "Import 3 observations from debrief.csv"
    window.editor.undo_stack.undo()
    assert len(journey.observations) == before


def test_cancelled_or_unreadable_import_changes_nothing(window, tmp_path, monkeypatch, answers):
    monkeypatch.setattr(dialogs, "review_import", lambda parent, table, journey: None)
    path = tmp_path / "debrief.csv"
    path.write_text(CSV, encoding="utf-8")
    assert not window.import_observations(path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"no")
    assert not window.import_observations(broken)
    assert answers.errors[-1][0] == "Cannot import"
    assert window.editor.undo_stack.count() == 0


def test_import_mermaid_opens_a_new_unsaved_map(window, tmp_path, answers, monkeypatch):
    from journeymap.ui import dialogs

    path = tmp_path / "day.mmd"
    path.write_text(DOCS_EXAMPLE, encoding="utf-8")
    assert window.import_mermaid(path)
    assert window.editor.journey.title == "My working day"
    # Like a foreign file opened: nothing unsaved yet, named after the file.
    assert window.editor.path is None and not window.isWindowModified()
    assert window.windowTitle().startswith("day.mmd (imported)")
    saved = []
    monkeypatch.setattr(dialogs, "save_path", lambda parent, suggestion: saved.append(suggestion))
    window.save()  # there is no journey file yet: Save asks where, beside the import
    assert saved == [str(tmp_path / "day.journey.json")]
    bad = tmp_path / "bad.mmd"
    bad.write_text("journey\nsection A\n  Tea\n", encoding="utf-8")
    answers.save_changes = "discard"
    assert not window.import_mermaid(bad)
    assert f"{bad}:3: task 'Tea' has no score" in answers.errors[-1][2]


def test_export_from_the_window(window, tmp_path):
    assert window.export_to(tmp_path / "map.mmd")
    journey = parse_mermaid((tmp_path / "map.mmd").read_text(encoding="utf-8"))
    assert len(journey.sections) == 6
    assert window.export_to(tmp_path / "obs.csv")
    exported = (tmp_path / "obs.csv").read_text(encoding="utf-8")
    assert exported.startswith('"touchpoint","method"')
    # GraphML: what the window holds, unsaved edit and all, not the file on disk.
    window.editor.update_touchpoint("t-desk", name="Ask a question")
    window.editor.update_transition("t-hours", "t-holds", label="then reserves")
    assert window.export_to(tmp_path / "map.graphml")
    graph = nx.read_graphml(tmp_path / "map.graphml")
    journey = window.editor.journey
    assert isinstance(graph, nx.DiGraph)
    assert set(graph.nodes) == {t.id for t in journey.touchpoints}
    assert len(graph) == 17
    assert set(graph.edges) == {t.key for t in journey.transitions}
    stage_names = {s.id: s.name for s in journey.stages}
    stats = {r.touchpoint: r.stats for r in touchpoint_gaps(journey)}
    for tp in journey.touchpoints:
        node, s = graph.nodes[tp.id], stats[tp.id]
        assert (node["name"], node["stage"], node["stage_name"]) == (
            tp.name, tp.stage, stage_names[tp.stage]
        )  # fmt: skip
        assert (node["channel"], node["critical"]) == (tp.channel, tp.critical)
        assert (node["n"], node["observations"], node["wide"]) == (s.n, s.observations, s.wide)
        if s.gap is None:
            assert "gap" not in node
        else:
            assert node["gap"] == pytest.approx(s.gap)
            assert node["expectation"] == pytest.approx(s.expectation)
            assert node["reality"] == pytest.approx(s.reality)
    assert graph.nodes["t-desk"]["name"] == "Ask a question"
    for tr in journey.transitions:
        assert graph.edges[tr.key] == {"kind": tr.kind, "label": tr.label}
    assert graph.edges["t-hours", "t-holds"]["label"] == "then reserves"


def test_pictures_and_report_from_the_window(window, tmp_path):
    from pypdf import PdfReader

    window.filter_bar.method.setCurrentIndex(window.filter_bar.method.findData("shadowing"))
    assert window.export_to(tmp_path / "map.png")
    assert (tmp_path / "map.png").read_bytes()[:4] == b"\x89PNG"
    assert window.export_to(tmp_path / "map.pdf")
    text = " ".join(PdfReader(tmp_path / "map.pdf").pages[0].extract_text().split())
    assert "method shadowing" in text and "Ask at the desk" in text
    assert window.write_report(tmp_path / "report.html")
    assert "Widest gaps" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_charts_dock_draws_each_kind(qtbot, window):
    dock = window.docks["charts"]
    assert not dock.isVisible()  # off by default: costs nothing at start-up
    dock.setFloating(True)
    dock.resize(700, 500)
    dock.show()
    for index in range(window.charts.kind.count()):
        window.charts.kind.setCurrentIndex(index)
        window.charts.redraw()
        assert window.charts.figure is not None and window.charts.figure.axes
        # A chart, not the "no scores yet" panel, which hides its axes.
        axes = window.charts.figure.axes[0]
        assert axes.axison and (axes.lines or axes.collections or axes.patches)
