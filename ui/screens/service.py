"""Service, behind the administrator PIN: checks of scanner, directory and scan server,
certificate expiry, spool usage, version, log tail; restart the panel or leave kiosk mode."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.screens.base import Screen, button, header, label, set_text


class ServiceScreen(Screen):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.pages = QStackedWidget()
        self.root.addWidget(self.pages)

        # page 0: the PIN pad
        pin_page = QWidget()
        pin_column = QVBoxLayout(pin_page)
        pin_column.setContentsMargins(0, 0, 0, 0)
        self.pin_title = label("title")
        self.pin_back = button()
        pin_column.addLayout(header(self.pin_title, self.pin_back))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setReadOnly(True)  # typed on the pad only
        self.pin_message = label("muted")
        pin_column.addWidget(self.pin)
        pin_column.addWidget(self.pin_message)
        pad = QGridLayout()
        self.digits = []
        for i, key in enumerate("123456789⌫0✓"):
            key_button = button("key")
            key_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            pad.addWidget(key_button, i // 3, i % 3)
            key_button.clicked.connect(lambda _=False, k=key: self._pad(k))
            self.digits.append((key, key_button))
        pin_column.addLayout(pad, 1)
        self.pages.addWidget(pin_page)

        # page 1: the service information
        info_page = QWidget()
        info = QVBoxLayout(info_page)
        info.setContentsMargins(0, 0, 0, 0)
        self.title = label("title")
        self.back = button()
        info.addLayout(header(self.title, self.back))
        self.checks = label()
        info.addWidget(self.checks)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        info.addWidget(self.log, 1)
        row = QHBoxLayout()
        self.refresh = button(expand=True)
        self.restart = button(expand=True)
        self.quit = button("danger", expand=True)
        for widget in (self.refresh, self.restart, self.quit):
            row.addWidget(widget)
        info.addLayout(row)
        self.pages.addWidget(info_page)

        self.pin_back.clicked.connect(panel.close_service)
        self.back.clicked.connect(panel.close_service)
        self.refresh.clicked.connect(panel.refresh_service)
        self.restart.clicked.connect(panel.ask_restart_panel)
        self.quit.clicked.connect(panel.ask_leave_kiosk)
        self.status: list[tuple[str, str]] = []
        self.log_lines: list[str] = []
        self.wrong_pin = False
        self.locked_for = 0
        self.loading = False
        self.retranslate()

    def ask_pin(self) -> None:
        self.pin.clear()
        self.wrong_pin = False
        self.pages.setCurrentIndex(0)
        self.retranslate()

    def unlocked(self) -> None:
        self.pin.clear()
        self.loading = True
        self.pages.setCurrentIndex(1)
        self.retranslate()

    def _pad(self, key: str) -> None:
        if key == "⌫":
            self.pin.backspace()
        elif key == "✓":
            pin, self.wrong_pin = self.pin.text(), False
            self.pin.clear()
            answer = self.panel.check_pin(pin)
            if not answer.ok:
                self.wrong_pin = True
                self.locked_for = int(answer.locked_for + 0.999)
                self.retranslate()
        else:
            self.pin.insert(key)

    def set_status(self, status: Any) -> None:
        """status: (rows of (label, value), log lines)."""
        self.loading = False
        self.status, self.log_lines = list(status[0]), list(status[1])
        self.retranslate()

    def retranslate(self) -> None:
        set_text(self.pin_title, self.tr("Service: administrator PIN"))
        set_text(self.pin_back, self.tr("Back"))
        self.pin.setAccessibleName(self.tr("PIN"))
        if self.wrong_pin and self.locked_for:
            message = self.tr("Wrong PIN too often. Try again in %1 s.").replace("%1", str(self.locked_for))
        elif self.wrong_pin:
            message = self.tr("Wrong PIN.")
        else:
            message = self.tr("Enter the PIN on the pad.")
        set_text(self.pin_message, message)
        for key, key_button in self.digits:
            name = {"⌫": self.tr("Backspace"), "✓": self.tr("OK")}.get(key, key)
            set_text(key_button, key, name)
        set_text(self.title, self.tr("Service"))
        set_text(self.back, self.tr("Back"))
        set_text(self.refresh, self.tr("Check again"))
        set_text(self.restart, self.tr("Restart panel"))
        set_text(self.quit, self.tr("Leave kiosk mode"))
        if self.loading:
            set_text(self.checks, self.tr("Checking…"))
        else:
            names = {
                "Version": self.tr("Version"),
                "Scanner": self.tr("Scanner"),
                "Directory": self.tr("Directory"),
                "Scan server": self.tr("Scan server"),
                "Delivery": self.tr("Delivery"),
                "Spool": self.tr("Queue"),
                "Directory CA": self.tr("Directory CA"),
                "Scan server CA": self.tr("Scan server CA"),
                "Client certificate": self.tr("Client certificate"),
                "error": self.tr("Error"),
            }
            set_text(
                self.checks, "\n".join(f"{names.get(name, name)}: {self._value(value)}" for name, value in self.status)
            )
        self.log.setPlainText("\n".join(self.log_lines))
        self.log.setAccessibleName(self.tr("Log"))

    def _value(self, value: str) -> str:
        """The backend's check results in the panel's language; addresses, paths and the
        system's own error text stay as they are (the administrator may need them verbatim)."""
        words = [
            (r"NOT reachable", self.tr("NOT reachable")),
            (r"\breachable\b", self.tr("reachable")),
            (r": present$", ": " + self.tr("present")),
            (r": MISSING$", ": " + self.tr("MISSING")),
            (r"^local file ", self.tr("local file") + " "),
            (r"^this panel$", self.tr("this panel")),
            (r"^another process \(run-worker\)$", self.tr("another process (run-worker)")),
            (r"^problem: ", self.tr("problem") + ": "),
            (r"\bEXPIRED\b", self.tr("EXPIRED")),
        ]
        for pattern, text in words:
            value = re.sub(pattern, text.replace("\\", "\\\\"), value)
        value = re.sub(
            r"^(\d+) job\(s\) waiting, (\d+) MB free of (\d+) MB$",
            lambda m: (
                self.tr("%1 job(s) waiting, %2 MB free of %3 MB")
                .replace("%1", m[1])
                .replace("%2", m[2])
                .replace("%3", m[3])
            ),
            value,
        )
        value = re.sub(
            r"expires (\S+) \((\d+) days left\)",
            lambda m: self.tr("expires %1 (%2 days left)").replace("%1", m[1]).replace("%2", m[2]),
            value,
        )
        return value

    def clear(self) -> None:
        self.pin.clear()
        self.wrong_pin, self.locked_for, self.loading = False, 0, False
        self.status, self.log_lines = [], []
        self.pages.setCurrentIndex(0)
        self.retranslate()
