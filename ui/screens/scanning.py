"""Scanning: live page count, thumbnails as pages arrive, Cancel; after each load of paper,
"Scan more pages" or "Finish"."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QListView, QListWidget, QListWidgetItem, QProgressBar, QScroller

from ui.screens.base import Screen, button, label, set_text
from ui.thumbnails import THUMB


class ScanningScreen(Screen):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.title = label("title")
        self.count = label("big")
        self.hint = label("muted")
        self.strip = QListWidget()
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setFlow(QListView.Flow.LeftToRight)
        self.strip.setWrapping(True)  # rows of pages; a swipe scrolls them
        self.strip.setIconSize(panel.theme.scale * THUMB)
        self.strip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # A swipe scrolls the strip (it never drags a page out of it); the scroll bar is finger-wide.
        self.strip.setMovement(QListView.Movement.Static)
        self.strip.setDragEnabled(False)
        self.strip.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.strip.setHorizontalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        QScroller.grabGesture(self.strip.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.strip.installEventFilter(self)
        # Moves between Scan and the first page (the scanner warms up, the feeder pulls paper).
        self.activity = QProgressBar()
        self.activity.setRange(0, 0)
        self.activity.setTextVisible(False)
        self.activity.setMaximumHeight(panel.theme.px(12))
        for widget in (self.title, self.count, self.activity, self.hint):
            self.root.addWidget(widget)
        self.root.addWidget(self.strip, 1)
        row = QHBoxLayout()
        self.cancel = button("danger", expand=True)
        self.more = button(expand=True)
        self.finish = button("primary", expand=True)
        for control in (self.cancel, self.more, self.finish):
            row.addWidget(control)
        self.root.addLayout(row)
        self.cancel.clicked.connect(panel.ask_cancel_scan)
        self.more.clicked.connect(panel.scan_more)
        self.finish.clicked.connect(panel.finish_scan)
        self.pages = 0
        self.name = ""
        self.glass = False
        self.notes: list[str] = []
        self.loading = False
        self.cancelling = False
        self.retranslate()

    def start(self, name: str, *, glass: bool = False, notes: list[str] | None = None) -> None:
        self.clear()
        self.name = name
        self.glass = glass
        self.notes = list(notes or [])
        self.load_started()

    def load_started(self) -> None:
        self.loading = True
        self.cancelling = False
        self.retranslate()

    def load_finished(self) -> None:
        self.loading = False
        self.retranslate()

    def add_page(self) -> int:
        """Count a page at once; its thumbnail follows (set_thumbnail). Returns its number."""
        self.pages += 1
        item = QListWidgetItem(str(self.pages))
        item.setSizeHint(self.strip.iconSize() + QSize(8, 24))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, self.tr("Page %1").replace("%1", str(self.pages)))
        self.strip.addItem(item)
        self.strip.scrollToItem(item)
        self.retranslate()
        return self.pages

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if watched is self.strip and event.type() == QEvent.Type.Resize:
            self._fit_thumbnails()
        return False

    def _fit_thumbnails(self) -> None:
        """As many rows of thumbnails as fit pages at least 100 px tall (with their number), so a
        long job shows a dozen pages or more at once, not five."""
        room = self.strip.height() - 16
        rows = max(1, room // (100 + 24 + 8))
        height = max(60, min(self.panel.theme.scale * THUMB.height(), room // rows - 24 - 8))
        size = QSize(int(height * THUMB.width() / THUMB.height()), int(height))
        if size != self.strip.iconSize():
            self.strip.setIconSize(size)
            for row in range(self.strip.count()):
                self.strip.item(row).setSizeHint(size + QSize(8, 24))

    def set_thumbnail(self, number: int, image: QImage) -> None:
        item = self.strip.item(number - 1)
        if item is not None and not image.isNull():
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def set_cancelling(self) -> None:
        self.cancelling = True
        self.retranslate()

    def retranslate(self) -> None:
        set_text(self.title, self.tr("Scanning: %1").replace("%1", self.name) if self.loading else self.name)
        set_text(
            self.count, self.tr("%1 pages").replace("%1", str(self.pages)) if self.pages != 1 else self.tr("1 page")
        )
        if self.cancelling:
            hint = self.tr("Stopping…")
        elif self.loading:
            hint = self.tr("The pages appear here as they are scanned.")
        elif self.glass:
            hint = self.tr("Put the next page on the glass and touch Scan more pages, or touch Finish to send.")
        else:
            hint = self.tr("Load more paper and touch Scan more pages, or touch Finish to send.")
        set_text(self.hint, "\n".join([hint, *self.notes]))
        self.strip.setAccessibleName(self.tr("Scanned pages"))
        set_text(self.cancel, self.tr("Cancel"))
        set_text(self.more, self.tr("Scan more pages"))
        set_text(self.finish, self.tr("Finish"))
        self.activity.setVisible(self.loading and not self.cancelling)
        self.activity.setAccessibleName(self.tr("Scanning…"))
        self.cancel.setEnabled(not self.cancelling)
        self.more.setVisible(not self.loading)
        self.finish.setVisible(not self.loading)
        self.finish.setEnabled(self.pages > 0)

    def clear(self) -> None:
        self.strip.clear()
        self.pages = 0
        self.name = ""
        self.glass = False
        self.notes = []
        self.loading = False
        self.cancelling = False
        self.retranslate()
