"""Window timings on a large map (run by benchmarks/run.py, offscreen).

``first-paint MAP``: run as a child process; prints PAINTED once the map
view has painted its first frame.  ``edits MAP``: prints the median time of
100 observation edits and 100 card moves, each including the repaint and the
gap table's update.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _window(path: str):
    from PySide6.QtCore import QEvent, QObject, QSettings, QStandardPaths
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)
    from journeymap.ui.app import configure_application
    from journeymap.ui.mainwindow import MainWindow

    configure_application()
    app = QApplication([])
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(1600, 1000)

    class PaintSpy(QObject):
        painted = False

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    spy = PaintSpy()
    window.view.viewport().installEventFilter(spy)
    window.open_path(path, ask=False)
    window.show()
    return app, window, spy


def wait_for_paint(app, spy, limit: float = 5.0) -> None:
    deadline = time.perf_counter() + limit
    while not spy.painted:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("the view did not repaint")


def first_paint(path: str) -> None:
    app, window, spy = _window(path)
    wait_for_paint(app, spy, 60)
    print("PAINTED", flush=True)
    window.editor.undo_stack.setClean()
    window.autosave_timer.stop()


def edits(path: str) -> None:
    app, window, spy = _window(path)
    wait_for_paint(app, spy, 60)
    editor = window.editor
    tps = [tp.id for tp in editor.journey.touchpoints]
    add_times, move_times = [], []
    for i in range(100):
        tp_id = tps[(i * 37) % len(tps)]
        window.view.centerOn(editor.scene.cards[tp_id])
        app.processEvents()
        spy.painted = False
        start = time.perf_counter()
        editor.add_observation(tp_id, "shadowing", expectation=5, reality=1)
        wait_for_paint(app, spy)
        add_times.append(time.perf_counter() - start)
    for i in range(100):
        tp = editor.journey.touchpoint(tps[(i * 53) % len(tps)])
        card = editor.scene.cards[tp.id]
        window.view.centerOn(card)
        app.processEvents()
        spy.painted = False
        start = time.perf_counter()
        editor.move_cards({tp.id: {"position": (card.x() + 15.0, card.y() + 9.0)}})
        wait_for_paint(app, spy)
        move_times.append(time.perf_counter() - start)
    print(f"ADD {statistics.median(add_times) * 1000:.2f}")
    print(f"MOVE {statistics.median(move_times) * 1000:.2f}")
    editor.undo_stack.setClean()
    window.autosave_timer.stop()


if __name__ == "__main__":
    {"first-paint": first_paint, "edits": edits}[sys.argv[1]](sys.argv[2])
