"""Start the desktop application."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, QTimer
from PySide6.QtWidgets import QApplication

from journeymap import __version__
from journeymap.fileio.errors import JourneyFileError
from journeymap.fileio.jsonformat import load_map
from journeymap.ui import dialogs
from journeymap.ui.mainwindow import MainWindow
from journeymap.ui.recovery import Recoverable, find_recoverable, settle


def configure_application() -> None:
    QCoreApplication.setOrganizationName("journeymap")
    QCoreApplication.setApplicationName("journeymap")
    QCoreApplication.setApplicationVersion(__version__)


def offer_recovery(
    window: MainWindow, new_window: Callable[[], MainWindow] | None = None
) -> list[MainWindow]:
    """After a crash, offer every map left behind; the windows that got one.

    The first restored map goes into ``window``, each further one into
    ``new_window()`` (by default a new, shown MainWindow: keep the returned
    list, or it is garbage-collected).  What the user did not decide on
    stays on disk for the next start.
    """
    found = find_recoverable()
    if not found:
        return []
    choice = dialogs.ask_recovery(window, found)
    windows: list[MainWindow] = []

    def another() -> MainWindow:
        win = new_window() if new_window is not None else MainWindow(window.settings)
        if new_window is None:
            win.show()
            win.move(window.pos() + QPoint(40, 40) * len(windows))
        return win

    def restore(item: Recoverable) -> bool:
        try:
            journey = load_map(item.map_path)
        except JourneyFileError as exc:
            dialogs.show_error(
                window, "Cannot recover", f"The recovery file of {item.name} is damaged.",
                exc.message,
            )  # fmt: skip
            return False  # kept: nothing else has its content
        target = another() if windows else window
        target.restore(journey, item.original)
        windows.append(target)
        # Safe to delete once the window shows the file's own content, or
        # its own autosave holds the recovered work.
        return not target.editor.is_modified() or target.autosave() is not None

    settle(found, choice, restore)
    return windows


def quit_on_signals(app: QApplication, windows: list[MainWindow]) -> None:
    """SIGTERM or Ctrl+C: keep unsaved work for recovery, then quit without asking."""

    def handler(signum: int, frame: object) -> None:
        for window in windows:
            window.shutdown()
        # exit(), not quit(): quit() would close the windows, and a modified
        # one would ask about saving, with nobody there to answer.
        app.exit(0)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    # Python runs signal handlers only when it has control; a light timer
    # hands it control a few times a second while Qt's loop runs.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)


def main(argv: Sequence[str]) -> int:
    """``journeymap [MAP]``: open the window, on MAP if given."""
    configure_application()
    app = QApplication.instance() or QApplication([sys.argv[0], *argv[1:]])
    window = MainWindow()
    # Every window start-up opens; the list keeps them from being collected.
    windows = [window]
    quit_on_signals(app, windows)
    window.show()

    def new_window() -> MainWindow:
        win = MainWindow(window.settings)
        win.show()
        win.move(window.pos() + QPoint(40, 40) * len(windows))
        windows.append(win)
        return win

    restored = offer_recovery(window, new_window)
    if len(argv) > 0 and argv[0]:
        path = Path(argv[0])
        if not any(w.editor.path is not None and _same_file(w.editor.path, path)
                   for w in restored):  # fmt: skip
            (new_window() if restored else window).open_path(path, ask=False)
    for win in windows:
        QTimer.singleShot(0, win.view.fit)
    return app.exec()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
