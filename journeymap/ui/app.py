"""Start the desktop application."""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from journeymap import __version__
from journeymap.fileio.errors import JourneyFileError
from journeymap.fileio.jsonformat import load_map
from journeymap.ui import dialogs
from journeymap.ui.mainwindow import MainWindow
from journeymap.ui.recovery import find_recoverable


def configure_application() -> None:
    QCoreApplication.setOrganizationName("journeymap")
    QCoreApplication.setApplicationName("journeymap")
    QCoreApplication.setApplicationVersion(__version__)


def offer_recovery(window: MainWindow) -> bool:
    """After a crash, offer the newest autosaved work.  True if restored."""
    found = find_recoverable()
    if not found:
        return False
    newest = max(found, key=lambda r: r.saved_at)
    restored = False
    if dialogs.ask_restore(window, newest.describe()):
        try:
            journey = load_map(newest.map_path)
        except JourneyFileError as exc:
            dialogs.show_error(
                window, "Cannot recover", "The recovery file is damaged.", exc.message
            )
        else:
            window.restore(journey, newest.original)
            restored = True
    for item in found:
        item.map_path.unlink(missing_ok=True)
        item.meta_path.unlink(missing_ok=True)
    if restored:
        window.autosave()
    return restored


def quit_on_signals(app: QApplication, window: MainWindow) -> None:
    """SIGTERM or Ctrl+C: keep unsaved work for recovery, then quit without asking."""

    def handler(signum: int, frame: object) -> None:
        window.shutdown()
        app.quit()

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
    quit_on_signals(app, window)
    window.show()
    if not offer_recovery(window) and len(argv) > 0 and argv[0]:
        window.open_path(Path(argv[0]), ask=False)
    QTimer.singleShot(0, window.view.fit)
    return app.exec()
