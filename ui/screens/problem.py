"""Problems: full-screen guidance for each fault, with what to do next."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout

from ui.screens.base import Screen, button, label, set_text

#: The problem kinds, each with its own title and advice.
KINDS = ("jam", "feeder_empty", "cover_open", "busy", "missing", "server", "directory", "other")


class ProblemScreen(Screen):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        top = QHBoxLayout()
        self.symbol = label("symbol", wrap=False)
        self.symbol.setText("⚠")
        self.symbol.setAccessibleName(self.symbol.text())
        self.title = label("big")
        top.addWidget(self.symbol)
        top.addWidget(self.title, 1)
        self.root.addLayout(top)
        self.advice = label()
        self.detail = label("muted")
        for widget in (self.advice, self.detail):
            self.root.addWidget(widget)
        self.root.addStretch(1)
        row = QHBoxLayout()
        self.retry = button("primary", expand=True)
        self.leave = button(expand=True)
        row.addWidget(self.retry)
        row.addWidget(self.leave)
        self.root.addLayout(row)
        self.retry.clicked.connect(lambda: self._retry() if self._retry else None)
        self.leave.clicked.connect(lambda: self._leave() if self._leave else None)
        self.kind = "other"
        self._detail: str | Callable[[], str] = ""
        self._retry: Callable[[], None] | None = None
        self._leave: Callable[[], None] | None = None
        self._leave_is_sign_out = False
        self.retranslate()

    def show_problem(
        self,
        kind: str,
        detail: str | Callable[[], str],
        *,
        retry: Callable[[], None] | None,
        leave: Callable[[], None],
        leave_is_sign_out: bool,
    ) -> None:
        assert kind in KINDS, kind
        # A callable gives the detail in the language of the moment (asked again on a change).
        self.kind, self._detail = kind, detail
        self._retry, self._leave, self._leave_is_sign_out = retry, leave, leave_is_sign_out
        self.retranslate()

    def retranslate(self) -> None:
        titles = {
            "jam": self.tr("Paper jam"),
            "feeder_empty": self.tr("The feeder is empty"),
            "cover_open": self.tr("The cover is open"),
            "busy": self.tr("The scanner is busy"),
            "missing": self.tr("The scanner is not available"),
            "server": self.tr("The scan server cannot be reached"),
            "directory": self.tr("Signing in is not possible right now"),
            "other": self.tr("Something went wrong"),
        }
        advice = {
            "jam": self.tr(
                "Open the scanner, take out the jammed paper and close it again. Put the "
                "pages that were not scanned back in, then touch Try again. Pages already "
                "scanned are kept."
            ),
            "feeder_empty": self.tr("Put the pages face up in the feeder, then touch Try again."),
            "cover_open": self.tr("Close the scanner's cover, then touch Try again."),
            "busy": self.tr("The scanner is working on something else. Wait a moment, then touch Try again."),
            "missing": self.tr(
                "Check that the scanner is switched on and connected. If this goes on, call your administrator."
            ),
            "server": self.tr(
                "Your documents are kept on this device and sent as soon as the server answers. You may leave now."
            ),
            "directory": self.tr("Try again in a few minutes. If this goes on, call your administrator."),
            "other": self.tr("Try again. If this goes on, call your administrator."),
        }
        if self._retry is None:
            # No Try again button: the advice must not promise one.
            advice["other"] = self.tr("Go back and try again. If this goes on, call your administrator.")
            advice["busy"] = self.tr("The scanner is working on something else. Wait a moment, then go back.")
            advice["jam"] = self.tr(
                "Open the scanner, take out the jammed paper and close it again. Pages already scanned are kept."
            )
            advice["feeder_empty"] = self.tr("Put the pages face up in the feeder.")
            advice["cover_open"] = self.tr("Close the scanner's cover.")
        set_text(self.title, titles[self.kind])
        set_text(self.advice, advice[self.kind])
        # Only the generic problem needs the error's own sentence; the others would repeat the title.
        detail = self._detail() if callable(self._detail) else self._detail
        set_text(self.detail, detail if self.kind == "other" else "")
        self.detail.setVisible(self.kind == "other" and bool(detail))
        set_text(self.retry, self.tr("Try again"))
        set_text(self.leave, self.tr("Sign out") if self._leave_is_sign_out else self.tr("Back"))
        self.retry.setVisible(self._retry is not None)

    def clear(self) -> None:
        self.kind, self._detail, self._retry, self._leave = "other", "", None, None
        self.retranslate()
