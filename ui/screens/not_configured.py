"""The screen of a kiosk that is not configured yet (the shipped /etc/dsm-kiosk/kiosk.toml, or a
file that does not load): it says what is missing and where to fix it, instead of the panel dying
and the service manager restarting it in a loop. It watches the configuration file and leaves
with exit status 75 once the file changes, so the service starts the panel again with it."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.config import Settings
from ui.i18n import Translations
from ui.screens.base import label
from ui.theme import theme_for

#: The exit status the service restarts the panel on (same as the service screen's restart).
RESTART_STATUS = 75
POLL_MS = 500


class NotConfiguredScreen(QWidget):
    """`problems`: one line each, for the administrator (file names and keys, not for users)."""

    def __init__(self, problems: Sequence[str], config_path: str | None) -> None:
        super().__init__()
        self.setObjectName("not_configured")
        self.problems = list(problems)
        layout = QVBoxLayout(self)
        self.title = label("title")
        self.body = label()
        self.details = label("muted")
        self.hint = label("muted")
        for widget in (self.title, self.body, self.details, self.hint):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.title.setText(self.tr("This scanner is not configured yet"))
        self.body.setText(self.tr("Scanning is not available. Please ask your administrator to set it up."))
        self.details.setText("\n".join(self.problems))
        where = config_path or "/etc/dsm-kiosk/kiosk.toml"
        self.hint.setText(self.tr("Administrator: edit {path}, then run `dsm-kiosk doctor`.").format(path=where))
        for widget in (self.title, self.body, self.details, self.hint):
            widget.setAccessibleName(widget.text())


def _stamp(path: str | None) -> tuple[int, int] | None:
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def run(
    problems: Sequence[str],
    settings: Settings,
    config_path: str | None,
    *,
    kiosk: bool | None = None,
    ready: Callable[[], None] | None = None,
) -> int:
    """Show the screen until the configuration file changes (75) or SIGTERM/SIGINT (0)."""
    from ui.app import application

    app = application()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: app.exit(0))
    full_screen = settings.ui.kiosk if kiosk is None else kiosk
    screen = app.primaryScreen()
    if full_screen and screen is not None:
        width, height = screen.size().width(), screen.size().height()
    else:
        width, height = settings.ui.width, settings.ui.height
    theme = theme_for(width, height, high_contrast=settings.ui.high_contrast)
    Translations(settings.ui.language).reset()  # the panel's language, as the working panel would speak
    window = NotConfiguredScreen(problems, config_path)
    window.setStyleSheet(theme.style_sheet())
    margin = theme.px(24)
    window.layout().setContentsMargins(margin, margin, margin, margin)
    first = _stamp(config_path)

    def check() -> None:  # also gives Python control back so SIGTERM is handled promptly
        if _stamp(config_path) != first:
            app.exit(RESTART_STATUS)

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(POLL_MS)
    if full_screen:
        window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        window.showFullScreen()
    else:
        window.resize(width, height)
        window.show()
    if ready is not None:
        QTimer.singleShot(0, ready)
    status = app.exec()
    timer.stop()
    window.close()
    return status
