"""Qt application set-up for the panel: one QApplication, the theme for the screen, the window
windowed (development, `[ui] width`×`height`) or full screen with no decorations (`--kiosk`)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.config import Settings
from ui.theme import theme_for
from ui.window import PanelWindow


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        # Worker threads run Python too (SANE reads, encoding, SOAP): a 1 ms GIL switch interval
        # instead of 5 ms keeps the UI thread's waits for the GIL short (bench_ui: the longest
        # stall of a 10-page job drops from ~45 ms to ~20 ms).
        sys.setswitchinterval(0.001)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("dsm-kiosk")
        app.setDesktopFileName("dsm-kiosk")
    return cast(QApplication, app)  # the panel only ever creates a QApplication


def build_window(session: Any, settings: Settings, *, kiosk: bool | None = None) -> PanelWindow:
    """The panel for `session`; kiosk mode from the argument, else from `[ui] kiosk`."""
    app = application()
    ui = settings.ui
    if kiosk is not None and kiosk != ui.kiosk:
        ui = ui.model_copy(update={"kiosk": kiosk})
    if ui.kiosk and app.primaryScreen() is not None:
        size = app.primaryScreen().size()
        width, height = size.width(), size.height()
    else:
        width, height = ui.width, ui.height
    window = PanelWindow(session, ui, theme_for(width, height, high_contrast=ui.high_contrast))
    if ui.kiosk:
        window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)  # fingers, not a mouse
    else:
        window.resize(width, height)
    return window


def run(session: Any, settings: Settings, *, kiosk: bool | None = None, ready: Callable[[], None] | None = None) -> int:
    """Show the panel and run the event loop; returns the exit status. `ready()` is called once
    the window is shown."""
    app = application()
    # SIGTERM (systemd stop) and Ctrl+C end the loop without the kiosk lock's close round.
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: app.exit(0))
    window = build_window(session, settings, kiosk=kiosk)
    wake = QTimer()  # Python runs signal handlers only when it gets control back from Qt
    wake.timeout.connect(lambda: None)
    wake.start(250)
    if window.settings.kiosk:
        window.showFullScreen()
    else:
        window.show()
    if ready is not None:
        QTimer.singleShot(0, ready)
    status = app.exec()
    window.sign_out()
    window.bridge.shutdown()
    return status
