"""Delivery: the job's state as it moves; the user may leave at any time, delivery continues."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout

from ui import words
from ui.screens.base import Screen, button, label, set_text

#: Job states (kiosk.jobs.spool) that end a job, and which of them is a success.
FINAL_OK = ("Completed",)
FINAL_FAILED = ("Failed", "Aborted")


def state_text(event: Any) -> str:
    """A JobEvent's (or job record's) state in words."""
    state = getattr(event, "state", "")
    sent, total = getattr(event, "documents_sent", 0) or 0, getattr(event, "documents", 0) or 0
    if getattr(event, "kind", "") == "retry" or getattr(event, "waiting", False):
        return QCoreApplication.translate("JobState", "Waiting for the scan server: will retry")
    if state == "Queued" and total:
        return (
            QCoreApplication.translate("JobState", "Sending %1 of %2")
            .replace("%1", str(min(sent + 1, total)))
            .replace("%2", str(total))
        )
    words = {
        "Scanning": QCoreApplication.translate("JobState", "Scanning"),
        "Queued": QCoreApplication.translate("JobState", "Waiting to send"),
        "Ending": QCoreApplication.translate("JobState", "Processing on the scan server"),
        "Processing": QCoreApplication.translate("JobState", "Processing on the scan server"),
        "Completed": QCoreApplication.translate("JobState", "Delivered"),
        "Failed": QCoreApplication.translate("JobState", "Failed"),
        "Aborted": QCoreApplication.translate("JobState", "Failed"),
        "Canceled": QCoreApplication.translate("JobState", "Cancelled"),
    }
    return words.get(state, state)


class DeliveryScreen(Screen):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.title = label("title")
        self.state = label("big")
        self.reasons = label("error")
        self.note = label("muted")
        for widget in (self.title, self.state, self.reasons, self.note):
            self.root.addWidget(widget)
        self.root.addStretch(1)
        row = QHBoxLayout()
        self.another = button("primary", expand=True)
        self.my_jobs = button(expand=True)
        self.sign_out = button(expand=True)
        for control in (self.another, self.my_jobs, self.sign_out):
            row.addWidget(control)
        self.root.addLayout(row)
        self.another.clicked.connect(panel.back_to_processes)
        self.my_jobs.clicked.connect(panel.open_jobs)
        self.sign_out.clicked.connect(panel.sign_out)
        self.job_id: Any = None
        self.name = ""
        self.event: Any = None
        self.reasons_list: list[str] = []
        self.retranslate()

    def follow(self, job_id: Any, name: str) -> None:
        self.job_id, self.name, self.event, self.reasons_list = job_id, name, None, []
        self.retranslate()

    def set_reasons(self, reasons: list[str]) -> None:
        self.reasons_list = list(reasons)
        self.retranslate()

    def on_event(self, event: Any) -> None:
        if self.job_id is not None and getattr(event, "job_id", None) == self.job_id:
            self.event = event
            self.retranslate()

    def retranslate(self) -> None:
        set_text(self.title, self.name)
        set_text(
            self.state,
            state_text(self.event) if self.event else QCoreApplication.translate("JobState", "Waiting to send"),
        )
        set_text(self.reasons, words.reasons_text(self.reasons_list))
        self.reasons.setVisible(bool(self.reasons_list))
        final = self.event is not None and self.event.state in (*FINAL_OK, *FINAL_FAILED, "Canceled")
        if self.event is not None and self.event.kind == "retry":
            set_text(
                self.note,
                self.tr(
                    "Your documents are kept on this device and sent as soon as the server answers. You may leave now."
                ),
            )
        elif final and self.event.state in FINAL_FAILED:
            set_text(self.note, self.tr("The scanned pages are kept: resend or delete the job in My jobs."))
        elif final:
            set_text(self.note, "")
        else:
            set_text(self.note, self.tr("You can leave now: your documents are sent even after you sign out."))
        set_text(self.another, self.tr("Scan something else"))
        set_text(self.my_jobs, self.tr("My jobs"))
        set_text(self.sign_out, self.tr("Sign out"))

    def clear(self) -> None:
        self.job_id, self.name, self.event, self.reasons_list = None, "", None, []
        self.retranslate()
