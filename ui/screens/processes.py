"""Scan processes: one large tile per process, with its name and a one-line summary."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.psp.model import ProcessList, ScanProcess
from ui import texts
from ui.screens.base import Screen, button, header, label, set_text


class ProcessTile(QPushButton):
    def __init__(self, process: ScanProcess) -> None:
        super().__init__()
        self.process = process
        self.setObjectName("tile")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)  # a row's tiles match
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        inner = QVBoxLayout(self)
        self.name = label("title")
        self.line = label("muted")
        for widget in (self.name, self.line):
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            inner.addWidget(widget)
        inner.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.name.setText(self.process.display_name)
        self.line.setText(texts.summary(self.process))
        self.setAccessibleName(self.process.display_name)
        self.setAccessibleDescription(self.line.text())
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self):  # noqa: N802 (Qt name)
        return self.layout().sizeHint()


class ProcessesScreen(Screen):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.title = label("title")
        self.my_jobs = button()
        self.sign_out = button()
        self.root.addLayout(header(self.title, self.my_jobs, self.sign_out))
        self.note = label("muted")
        self.root.addWidget(self.note)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.root.addWidget(self.area, 1)
        self.tiles: list[ProcessTile] = []
        self._processes = ProcessList()
        self._name = ""
        self._loading = False
        self.my_jobs.clicked.connect(panel.open_jobs)
        self.sign_out.clicked.connect(panel.sign_out)
        self._rebuild()
        self.retranslate()

    def retranslate(self) -> None:
        set_text(
            self.title, self.tr("Hello, %1").replace("%1", self._name) if self._name else self.tr("Scan processes")
        )
        set_text(self.my_jobs, self.tr("My jobs"))
        set_text(self.sign_out, self.tr("Sign out"))
        for tile in self.tiles:
            tile.retranslate()
        self._note()

    def _note(self) -> None:
        skipped = len(self._processes.skipped)
        if self._loading:
            text = self.tr("Loading your scan processes…")
        elif not self._processes.ok:
            text = self.tr(
                "You have no scan processes yet. Ask your administrator to give you one "
                "in Scan Management, then sign in again."
            )
        elif skipped:
            text = self.tr("Scan processes that could not be read: %1. Please tell your administrator.").replace(
                "%1", str(skipped)
            )
        else:
            text = self.tr("Choose what to scan.")
        set_text(self.note, text)

    def set_user(self, display_name: str) -> None:
        self._name = display_name
        self.retranslate()

    def set_loading(self) -> None:
        self._loading = True
        self._processes = ProcessList()
        self._rebuild()
        self._note()

    def set_processes(self, processes: ProcessList) -> None:
        self._loading = False
        self._processes = processes
        self._rebuild()
        self._note()

    def _rebuild(self) -> None:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.tiles = []
        columns = 2
        for i, process in enumerate(self._processes.ok):
            tile = ProcessTile(process)
            tile.clicked.connect(lambda _=False, p=process: self.panel.choose_process(p))
            grid.addWidget(tile, i // columns, i % columns)
            self.tiles.append(tile)
        grid.setRowStretch((len(self.tiles) + columns - 1) // columns, 1)  # spare height stays below the tiles
        self.area.setWidget(holder)  # the old holder and its tiles are deleted

    def clear(self) -> None:
        self._name = ""
        self._loading = False
        self._processes = ProcessList()
        self._rebuild()
        self.retranslate()
