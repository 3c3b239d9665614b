"""Before scanning: the settings the process lets the user change, limited to what the scanner
can do; extra e-mail recipients when the process allows them; where to put the paper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.psp import overrides
from kiosk.psp.model import EmailConfig, ScanProcess
from ui import texts
from ui.keyboard import TouchKeyboard
from ui.screens.base import FlowLayout, Screen, button, header, label, set_text

_WORDS: dict[str, Callable[[Any], str]] = {
    "input_source": texts.source,
    "color_processing": texts.colour,
    "resolution": texts.resolution,
    "format": texts.file_format,
}


class PrepareScreen(Screen):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.pages = QStackedWidget()
        self.root.addWidget(self.pages)

        # page 0: settings and the paper prompt
        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(0, 0, 0, 0)
        self.title = label("title")
        self.back = button()
        column.addLayout(header(self.title, self.back))
        body = QHBoxLayout()
        body.setSpacing(panel.theme.px(20))
        # Settings scroll when a process offers more than the screen holds.
        holder = QWidget()
        self.settings_box = QVBoxLayout(holder)
        self.settings_box.setContentsMargins(0, 0, 0, 0)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(holder)
        QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        body.addWidget(area, 3)
        side = QVBoxLayout()
        self.paper = label("strong")
        self.feeder = label("muted")
        #: What the scanner cannot do of what the process asks (and does instead).
        self.unhonoured = label()
        self.recipients = label("muted")
        self.add_recipient = button()
        self.scan = button("primary")
        self.scan.setMinimumHeight(panel.theme.touch * 2)
        for widget in (self.paper, self.feeder, self.unhonoured, self.recipients, self.add_recipient):
            side.addWidget(widget)
        side.addStretch(1)
        side.addWidget(self.scan)
        body.addLayout(side, 2)
        column.addLayout(body, 1)
        self.pages.addWidget(main)

        # page 1: add an e-mail recipient on the touch keyboard
        mail = QWidget()
        mail_column = QVBoxLayout(mail)
        mail_column.setContentsMargins(0, 0, 0, 0)
        self.mail_title = label("title")
        self.mail_done = button()
        mail_column.addLayout(header(self.mail_title, self.mail_done))
        row = QHBoxLayout()
        self.address = QLineEdit()
        self.add = button("primary")
        row.addWidget(self.address, 3)
        row.addWidget(self.add, 1)
        mail_column.addLayout(row)
        self.mail_message = label("muted")
        mail_column.addWidget(self.mail_message)
        self.keyboard = TouchKeyboard()
        self.keyboard.set_target(self.address)
        mail_column.addWidget(self.keyboard, 1)
        self.pages.addWidget(mail)

        self.back.clicked.connect(panel.back_to_processes)
        self.scan.clicked.connect(self.start)
        self.add_recipient.clicked.connect(self._open_mail)
        self.mail_done.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.add.clicked.connect(self._add_address)
        self.keyboard.enter.connect(self._add_address)
        self.address.returnPressed.connect(self._add_address)

        self.process: ScanProcess | None = None
        self.state: Any = None
        self.choices: dict[str, Any] = {}
        self.options: dict[str, list[Any]] = {}
        self.groups: dict[str, QButtonGroup] = {}
        self.group_titles: dict[str, Any] = {}
        self.addresses: list[str] = []
        self._mail_error = False
        self.retranslate()

    # -- content --------------------------------------------------------------------------------
    def show_process(self, process: ScanProcess, state: Any) -> None:
        """`state`: the scanner's ScannerState (sources, colour modes, resolutions, formats, feeder)."""
        self.set_starting(False)
        self.process, self.state = process, state
        self.choices = {}
        self.addresses = []
        self.options = {}
        for name, value in overrides.changeable(process.ticket).items():
            supported = list(getattr(state, _STATE_FIELD[name]))
            choices = [v for v in supported if v != value]
            # Only offer what the device can do (all of it: the buttons wrap); a single choice is not a choice.
            if value in supported and choices:
                self.options[name] = [value, *choices]
                self.options[name].sort(key=supported.index)
        self._build_settings()
        self.pages.setCurrentIndex(0)
        self.retranslate()

    def _build_settings(self) -> None:
        while self.settings_box.count():
            item = self.settings_box.takeAt(0)
            layout = item.layout()
            if layout is not None:
                while layout.count():
                    widget = layout.takeAt(0).widget()
                    if widget:
                        widget.deleteLater()
            elif item.widget():
                item.widget().deleteLater()
        self.groups, self.group_titles = {}, {}
        for name, values in self.options.items():
            title = label("muted")
            self.group_titles[name] = title
            self.settings_box.addWidget(title)
            holder = QWidget()
            row = FlowLayout(holder, self.panel.theme.px(6))
            group = QButtonGroup(self)
            current = overrides.changeable(self.process.ticket)[name]
            for i, value in enumerate(values):
                choice = button()
                choice.setCheckable(True)
                choice.setChecked(value == current)
                group.addButton(choice, i)
                row.addWidget(choice)
            group.idClicked.connect(lambda i, n=name: self._choose(n, i))
            self.groups[name] = group
            self.settings_box.addWidget(holder)
        self.settings_box.addStretch(1)

    def _choose(self, name: str, index: int) -> None:
        value = self.options[name][index]
        if value == overrides.changeable(self.process.ticket)[name]:
            self.choices.pop(name, None)
        else:
            self.choices[name] = value
        self._paper_prompt()

    def source(self) -> str | None:
        if "input_source" in self.choices:
            return self.choices["input_source"]
        setting = self.process.ticket.input_source if self.process else None
        return setting.value if setting else None

    # -- e-mail ---------------------------------------------------------------------------------
    def can_add_addresses(self) -> bool:
        return self.process is not None and any(
            isinstance(f.config, EmailConfig) and f.config.can_add_addresses for f in self.process.instructions.filters
        )

    def _open_mail(self) -> None:
        self.address.clear()
        self._mail_error = False
        self.retranslate()
        self.pages.setCurrentIndex(1)
        self.address.setFocus()

    def _add_address(self) -> None:
        text = self.address.text().strip()
        if not overrides.valid_address(text):
            self._mail_error = True
        else:
            self._mail_error = False
            if text.lower() not in (a.lower() for a in self.addresses):
                self.addresses.append(text)
            self.address.clear()
        self.retranslate()

    # -- text -----------------------------------------------------------------------------------
    def _paper_prompt(self) -> None:
        source = self.source()
        if source == "Platen":
            set_text(self.paper, self.tr("Put the page face down on the glass."))
        else:
            set_text(self.paper, self.tr("Put the pages face up in the feeder."))
        loaded = getattr(self.state, "feeder_loaded", None)
        if source in ("ADF", "ADFDuplex") and loaded is not None:
            set_text(self.feeder, self.tr("The feeder has paper.") if loaded else self.tr("The feeder is empty."))
        else:
            set_text(self.feeder, "")

    def unhonoured_settings(self) -> list[str]:
        """Sentences for what the process asks and this scanner cannot do (the scan goes ahead
        with the nearest it can, since the process does not insist)."""
        if self.process is None or self.state is None:
            return []
        notes = []
        asked = overrides.changeable(self.process.ticket)
        for name, value in asked.items():
            if value in getattr(self.state, _STATE_FIELD[name]) or name in self.choices:
                continue
            if name == "input_source" and value == "ADFDuplex":
                notes.append(self.tr("Scanned one-sided: this scanner has no two-sided feeder."))
            elif name == "input_source":
                notes.append(
                    self.tr("This scanner has no %1: it scans from what it has.").replace(
                        "%1", texts.source(value).lower()
                    )
                )
            elif name == "color_processing":
                notes.append(
                    self.tr("This scanner cannot scan in %1: it uses the nearest colour setting.").replace(
                        "%1", texts.colour(value)
                    )
                )
            elif name == "resolution":
                notes.append(
                    self.tr("This scanner cannot scan at %1: it uses the nearest resolution.").replace(
                        "%1", texts.resolution(value)
                    )
                )
        return notes

    def retranslate(self) -> None:
        set_text(self.title, self.process.display_name if self.process else "")
        notes = self.unhonoured_settings()
        set_text(self.unhonoured, "\n".join(notes))
        self.unhonoured.setVisible(bool(notes))
        set_text(self.back, self.tr("Back"))
        set_text(self.scan, self.tr("Scan") if self.scan.isEnabled() else self.tr("Starting…"))
        titles = {
            "input_source": self.tr("Paper from"),
            "color_processing": self.tr("Colour"),
            "resolution": self.tr("Resolution"),
            "format": self.tr("File type"),
        }
        for name, title in self.group_titles.items():
            set_text(title, titles[name])
            for i, choice in enumerate(self.groups[name].buttons()):
                set_text(
                    choice,
                    _WORDS[name](self.options[name][i]),
                    f"{titles[name]}: {_WORDS[name](self.options[name][i])}",
                )
        self.add_recipient.setVisible(self.can_add_addresses())
        self.recipients.setVisible(bool(self.addresses))
        set_text(self.add_recipient, self.tr("Add e-mail recipient"))
        set_text(self.recipients, self.tr("Also to: %1").replace("%1", ", ".join(self.addresses)))
        set_text(self.mail_title, self.tr("Add e-mail recipient"))
        set_text(self.mail_done, self.tr("Done"))
        set_text(self.add, self.tr("Add"))
        self.address.setPlaceholderText(self.tr("name@example.com"))
        self.address.setAccessibleName(self.tr("E-mail address"))
        if self._mail_error:
            set_text(self.mail_message, self.tr("That is not an e-mail address. Check it and try again."))
        elif self.addresses:
            set_text(self.mail_message, self.tr("Added: %1").replace("%1", ", ".join(self.addresses)))
        else:
            set_text(self.mail_message, self.tr("Type an address and touch Add."))
        if self.process:
            self._paper_prompt()

    def set_starting(self, starting: bool) -> None:
        """Between the touch on Scan and the scanning screen: no second job from a second touch."""
        self.scan.setEnabled(not starting)
        set_text(self.scan, self.tr("Starting…") if starting else self.tr("Scan"))

    def start(self) -> None:
        if not self.scan.isEnabled():
            return
        self.set_starting(True)
        self.panel.start_scan(self.process, overrides.apply(self.process.ticket, self.choices), tuple(self.addresses))

    def clear(self) -> None:
        self.set_starting(False)
        self.process, self.state = None, None
        self.choices, self.options, self.addresses = {}, {}, []
        self.address.clear()
        self._build_settings()
        self.retranslate()


#: Which field of the scanner state lists the supported values of each setting.
_STATE_FIELD = {
    "input_source": "sources",
    "color_processing": "color_modes",
    "resolution": "resolutions",
    "format": "formats",
}
