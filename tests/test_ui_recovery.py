"""Crash recovery: every map a crash left is offered, nothing is lost, live windows are left alone.

A "crash" is real: a child process opens a MainWindow, edits, autosaves and
ends with ``os._exit`` (no clean-up), so its QLockFile is left behind with the
pid of a process that is gone.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile, Qt
from PySide6.QtWidgets import QMessageBox

from journeymap.fileio import load_map
from journeymap.ui.app import offer_recovery
from journeymap.ui.mainwindow import MainWindow
from journeymap.ui.recovery import (
    DISCARD,
    RESTORE,
    Autosaver,
    find_recoverable,
    recovery_folder,
    settle,
)
from journeymap.ui.recoverydialog import RecoveryDialog
from tests.conftest import ROOT, SAMPLES
from tests.test_mermaid import DOCS_EXAMPLE

LIBRARY = SAMPLES / "library_visit.journey.json"
STORE = SAMPLES / "store_visit.journey.json"

# argv: recovery folder, map, new title ("" = no edit), then "crash" or "live".
CHILD = r"""
import os, sys
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from journeymap.ui import recovery
folder, source, title, how = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
recovery.recovery_folder = lambda: folder
from journeymap.ui.mainwindow import MainWindow
app = QApplication([])
window = MainWindow(QSettings(str(folder / "child.ini"), QSettings.Format.IniFormat))
assert window.open_path(source, ask=False)
if title:
    tp = window.editor.journey.touchpoints[0]
    window.editor.update_touchpoint(tp.id, name=title)
else:
    window.editor.undo_stack.resetClean()  # "modified", yet the same as the file
assert window.autosave() is not None
print(window.autosaver.key, flush=True)
(folder / "child.ini").unlink(missing_ok=True)
if how == "live":
    sys.stdin.readline()
os._exit(1)
"""


def _child(folder: Path, source: Path, title: str, how: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), str(source), title, how],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def crash(folder: Path, source: Path, title: str = "") -> str:
    """A window that autosaved ``source`` (first card renamed ``title``) and crashed."""
    child = _child(folder, source, title, "crash")
    key = child.stdout.readline().strip()
    child.communicate()
    assert key and child.returncode == 1
    return key


@pytest.fixture(scope="module")
def crashed(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Recovery files of three crashed windows, each in a folder of its own."""
    made = {}
    for name, source, title in [
        ("library", LIBRARY, "Ask for help"),
        ("store", STORE, "Look at phones"),
        ("library-unchanged", LIBRARY, ""),
    ]:
        folder = tmp_path_factory.mktemp(name)
        made[name] = (folder, crash(folder, source, title))
    return made


@pytest.fixture
def left_behind(isolated_qt, crashed):
    """Put crashed windows' files into the test's recovery folder: {name: key}."""

    def put(*names: str) -> dict[str, str]:
        keys = {}
        for name in names:
            folder, key = crashed[name]
            for path in folder.glob(f"{key}.*"):
                shutil.copy2(path, recovery_folder() / path.name)
            assert (recovery_folder() / f"{key}.lock").exists()  # left by the crash
            keys[name] = key
        return keys

    return put


def files() -> set[str]:
    return {p.name for p in recovery_folder().iterdir()}


def files_of(key: str) -> set[str]:
    return {f"{key}.journey.json", f"{key}.meta.json", f"{key}.lock"}


@pytest.fixture
def new_windows(qtbot, isolated_qt, answers):
    made: list[MainWindow] = []

    def make() -> MainWindow:
        win = MainWindow(isolated_qt)
        qtbot.addWidget(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.editor.undo_stack.setClean()
        win.autosaver.discard()


@pytest.fixture
def first(new_windows):
    return new_windows()


# ------------------------------------------------------- what is offered


def test_two_crashed_windows_are_both_offered(left_behind, first, new_windows, answers):
    keys = left_behind("library", "store")
    answers.restore_choice = "later"
    assert offer_recovery(first, new_windows) == []
    ((question, descriptions),) = answers.asked
    assert question == "restore" and len(descriptions) == 2
    assert any(d.startswith("library_visit.journey.json \u2014 'Public library visit") and
               " \u2014 autosaved 20" in d for d in descriptions)  # fmt: skip
    assert any(d.startswith("store_visit.journey.json") for d in descriptions)
    assert {r.key for r in find_recoverable()} == set(keys.values())


def test_restore_one_and_discard_the_other(left_behind, first, new_windows, answers):
    keys = left_behind("library", "store")
    answers.restore_choice = {"library_visit.journey.json": RESTORE,
                              "store_visit.journey.json": DISCARD}  # fmt: skip
    (window,) = offer_recovery(first, new_windows)
    assert window is first
    assert window.editor.journey.touchpoints[0].name == "Ask for help"
    assert window.editor.path == LIBRARY and window.isWindowModified()
    # The restored work lives on under the window's own key; both old sets are gone.
    assert files() == files_of(window.autosaver.key)
    assert load_map(window.autosaver.map_path).touchpoints[0].name == "Ask for help"
    assert not files() & (files_of(keys["library"]) | files_of(keys["store"]))


def test_restore_one_later_the_other(left_behind, first, new_windows, answers):
    keys = left_behind("library", "store")
    answers.restore_choice = {"store_visit.journey.json": RESTORE}
    (window,) = offer_recovery(first, new_windows)
    assert window.editor.path == STORE
    store_map = files_of(keys["store"]) - {f"{keys['store']}.lock"}
    library_map = files_of(keys["library"]) - {f"{keys['library']}.lock"}
    assert not files() & store_map
    assert library_map <= files()  # undecided: kept, and offered next time
    (again,) = find_recoverable()
    assert again.key == keys["library"]


def test_restore_all_opens_a_window_each(left_behind, first, new_windows, answers):
    keys = left_behind("library", "store")
    answers.restore = True  # the old yes/no answer still means "restore all"
    windows = offer_recovery(first, new_windows)
    assert len(windows) == 2 and windows[0] is first and windows[1] is not first
    by_path = {w.editor.path: w for w in windows}
    assert by_path[LIBRARY].editor.journey.touchpoints[0].name == "Ask for help"
    assert by_path[STORE].editor.journey.touchpoints[0].name == "Look at phones"
    assert all(w.isWindowModified() for w in windows)
    assert windows[0].autosaver.key != windows[1].autosaver.key
    assert files() == files_of(windows[0].autosaver.key) | files_of(windows[1].autosaver.key)
    assert not files() & (files_of(keys["library"]) | files_of(keys["store"]))


def test_later_deletes_nothing(left_behind, first, new_windows, answers):
    keys = left_behind("library", "store")
    before = {p.name: p.read_bytes() for p in recovery_folder().glob("*.json")}
    answers.restore_choice = "later"
    assert offer_recovery(first, new_windows) == []
    assert {p.name: p.read_bytes() for p in recovery_folder().glob("*.json")} == before
    assert not first.isWindowModified() and first.editor.path is None
    # Still there for the next start.
    assert {r.key for r in find_recoverable()} == set(keys.values())


def test_discard_all_deletes_all(left_behind, first, new_windows, answers):
    left_behind("library", "store")
    answers.restore = False
    assert offer_recovery(first, new_windows) == []
    assert files() == set()


def test_a_running_window_is_not_offered(isolated_qt, first, new_windows, answers):
    folder = recovery_folder()
    child = _child(folder, LIBRARY, "Ask for help", "live")
    try:
        key = child.stdout.readline().strip()
        assert key and child.poll() is None
        assert find_recoverable() == []
        answers.restore = False  # even "discard all" must not touch it
        assert offer_recovery(first, new_windows) == []
        assert answers.asked == []
        assert files_of(key) <= files()
    finally:
        child.communicate("\n")  # it "crashes" now
    (found,) = find_recoverable()
    assert found.key == key and found.original == LIBRARY


def test_a_window_of_this_process_is_not_offered(first, new_windows, answers):
    """Two windows of one process, same file: own recovery files, neither offered."""
    second = new_windows()
    for win in (first, second):
        assert win.open_path(LIBRARY, ask=False)
        win.editor.update_touchpoint("t-desk", name="Ask for help")
        assert win.autosave() is not None
    assert first.autosaver.map_path != second.autosaver.map_path
    assert files() == files_of(first.autosaver.key) | files_of(second.autosaver.key)
    assert find_recoverable() == []
    third = new_windows()
    assert offer_recovery(third, new_windows) == []
    assert answers.asked == []


def test_a_lock_held_elsewhere_keeps_the_file(isolated_qt, first, new_windows, answers):
    saver = Autosaver()
    saver.save(load_map(LIBRARY))
    other = QLockFile(str(saver.lock_path))  # a live owner, as far as anyone can tell
    saver._lock.unlock()
    saver._lock = None
    assert other.tryLock(0)
    answers.restore = False
    assert offer_recovery(first, new_windows) == []
    assert {saver.map_path.name, saver.meta_path.name} <= files()
    other.unlock()
    assert [r.key for r in find_recoverable()] == [saver.key]


def test_settle_deletes_only_what_is_safe_elsewhere(left_behind):
    keys = left_behind("library", "store")
    found = find_recoverable()
    outcome = settle(found, {k: RESTORE for k in keys.values()}, lambda item: False)
    assert outcome.restored == [] and len(outcome.kept) == 2  # restoring failed: kept
    assert len(find_recoverable()) == 2


def test_a_damaged_recovery_file_is_kept(left_behind, first, new_windows, answers):
    keys = left_behind("library")
    (recovery_folder() / f"{keys['library']}.journey.json").write_text("{", encoding="utf-8")
    assert offer_recovery(first, new_windows) == []
    assert answers.errors[-1][0] == "Cannot recover"
    assert [r.key for r in find_recoverable()] == [keys["library"]]


TERM_CHILD = r"""
import os, sys
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from journeymap.ui import recovery
folder, ini, sources = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
recovery.recovery_folder = lambda: folder
from journeymap.ui.app import quit_on_signals
from journeymap.ui.mainwindow import MainWindow
app = QApplication([])
windows = []
for source in sources:
    window = MainWindow(QSettings(ini, QSettings.Format.IniFormat))
    window.show()
    assert window.open_path(source, ask=False)
    tp = window.editor.journey.touchpoints[0]
    window.editor.update_touchpoint(tp.id, name="Edited " + tp.name)
    windows.append(window)
quit_on_signals(app, windows)
QTimer.singleShot(0, lambda: print("ready", flush=True))
sys.exit(app.exec())
"""


def test_sigterm_keeps_the_work_of_every_window(isolated_qt, tmp_path):
    """The system ends the program: no question asked, each window's work kept."""
    child = subprocess.Popen(
        [sys.executable, "-c", TERM_CHILD, str(recovery_folder()), str(tmp_path / "child.ini"),
         str(LIBRARY), str(STORE)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout.readline().strip() == "ready"
        assert find_recoverable() == []  # running: not offered
        child.send_signal(signal.SIGTERM)
        child.communicate(timeout=30)
        assert child.returncode == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    found = find_recoverable()
    assert {r.original for r in found} == {LIBRARY, STORE}
    for item in found:
        assert load_map(item.map_path).touchpoints[0].name.startswith("Edited ")
        item.release()


# ------------------------------------------------------------- modified


def test_restored_map_equal_to_its_file_is_not_modified(left_behind, first, new_windows,
                                                        answers):  # fmt: skip
    keys = left_behind("library-unchanged")
    (window,) = offer_recovery(first, new_windows)
    assert window.editor.path == LIBRARY
    assert not window.editor.is_modified() and not window.isWindowModified()
    assert "*" not in window.windowTitle().replace("[*]", "")
    assert files() == set()  # nothing unsaved: nothing kept
    assert keys


def test_restored_map_that_differs_is_modified(left_behind, first, new_windows, answers):
    left_behind("library")
    (window,) = offer_recovery(first, new_windows)
    assert window.editor.is_modified() and window.isWindowModified()


def test_restored_map_whose_file_is_gone_is_modified(first, tmp_path):
    gone = tmp_path / "gone.journey.json"
    first.restore(load_map(LIBRARY), gone)
    assert first.editor.is_modified() and first.editor.path == gone


def test_autosave_of_a_clean_map_leaves_no_recovery_file(first):
    assert first.open_path(LIBRARY, ask=False)
    assert first.autosave() is None and files() == set()
    first.editor.update_touchpoint("t-desk", name="Ask for help")
    assert first.autosave() is not None
    first.editor.undo_stack.undo()
    assert first.autosave() is None
    assert files() == set()


def test_mermaid_import_is_not_modified(first, tmp_path, answers):
    path = tmp_path / "day.mmd"
    path.write_text(DOCS_EXAMPLE, encoding="utf-8")
    assert first.import_mermaid(path)
    assert first.editor.journey.title == "My working day"
    assert not first.editor.is_modified() and not first.isWindowModified()
    assert first.windowTitle().startswith("day.mmd")
    first.editor.update_stage(first.editor.journey.stages[0].id, name="Morning")
    assert first.isWindowModified()
    # There is no journey file yet: Save asks where.
    answers.save_path = tmp_path / "day.journey.json"
    assert first.save()
    assert load_map(answers.save_path).stages[0].name == "Morning"
    assert first.windowTitle().startswith("day.journey.json")


# --------------------------------------------------------------- dialog


def test_the_dialog_lists_checkable_rows_and_answers(qtbot, left_behind, monkeypatch):
    keys = left_behind("library", "store")
    found = find_recoverable()
    dialog = RecoveryDialog(found)
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    assert len(rows) == 2
    assert all(row.checkState(0) == Qt.CheckState.Checked for row in rows)
    assert {row.text(0) for row in rows} == {LIBRARY.name, STORE.name}
    assert all(row.text(2).startswith("20") for row in rows)
    # Untick the library map, discard the rest, then restore the library map.
    (row,) = [row for row in rows if row.data(0, Qt.ItemDataRole.UserRole) == keys["library"]]
    row.setCheckState(0, Qt.CheckState.Unchecked)
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)  # fmt: skip
    dialog.discard_selected.click()
    assert len(dialog.rows()) == 1 and not dialog.isVisible()  # never shown here
    assert "1 map will be discarded" in dialog.status.text()
    dialog.restore_all.click()
    assert dialog.choice == {keys["store"]: DISCARD, keys["library"]: RESTORE}
    for item in found:
        item.release()


def test_the_dialog_restores_only_the_ticked_rows(qtbot, left_behind):
    keys = left_behind("library", "store")
    found = find_recoverable()
    dialog = RecoveryDialog(found)
    qtbot.addWidget(dialog)
    dialog.rows()[0].setCheckState(0, Qt.CheckState.Unchecked)
    dialog.restore_selected.click()
    ticked = dialog.rows()[1].data(0, Qt.ItemDataRole.UserRole)
    assert dialog.choice == {ticked: RESTORE} and ticked in keys.values()
    for item in found:
        item.release()


def test_screenshot_of_the_recovery_list(qtbot, left_behind, tmp_path):
    left_behind("library", "store")
    found = find_recoverable()
    dialog = RecoveryDialog(found)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    picture = dialog.grab()
    assert picture.width() >= 600
    picture.save(str(os.environ.get("RECOVERY_PNG") or tmp_path / "recovery.png"))
    for item in found:
        item.release()
