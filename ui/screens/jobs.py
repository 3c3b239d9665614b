"""My jobs: the signed-in user's recent jobs with their state; resend or delete a failed one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QScroller

from ui import words
from ui.screens.base import Screen, button, header, label, set_text
from ui.screens.delivery import FINAL_FAILED, state_text


class JobsScreen(Screen):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.title = label("title")
        self.back = button()
        self.root.addLayout(header(self.title, self.back))
        self.note = label("muted")
        self.root.addWidget(self.note)
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        QScroller.grabGesture(self.list.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.root.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.resend = button("primary", expand=True)
        self.delete = button("danger", expand=True)
        row.addWidget(self.resend)
        row.addWidget(self.delete)
        self.root.addLayout(row)
        self.back.clicked.connect(panel.back_to_processes)
        self.resend.clicked.connect(lambda: self.panel.resend_job(self.selected()))
        self.delete.clicked.connect(self._ask_delete)
        self.list.currentRowChanged.connect(lambda _row: self._buttons())
        self.jobs: list[Any] = []
        self.loading = False
        self.retranslate()

    def set_loading(self) -> None:
        self.loading = True
        self.set_jobs([])
        self.loading = True
        self.retranslate()

    def set_jobs(self, jobs: list[Any]) -> None:
        self.loading = False
        self.jobs = list(jobs)
        self.list.clear()
        for _job in self.jobs:
            item = QListWidgetItem()
            self.list.addItem(item)
        self.retranslate()

    def selected(self) -> Any:
        row = self.list.currentRow()
        return self.jobs[row] if 0 <= row < len(self.jobs) else None

    def on_event(self, event: Any) -> None:
        for job in self.jobs:
            if getattr(job, "job_id", None) == getattr(event, "job_id", object()):
                self.panel.refresh_jobs()
                return

    def _ask_delete(self) -> None:
        job = self.selected()
        if job is None:
            return
        self.panel.confirm(
            lambda: (
                self.tr("Delete the job %1? Its scanned pages are gone for good.").replace("%1", job.name),
                self.tr("Delete"),
                self.tr("Keep it"),
            ),
            lambda: self.panel.delete_job(job),
        )

    def _buttons(self) -> None:
        job = self.selected()
        failed = job is not None and job.state in FINAL_FAILED
        waiting = job is not None and getattr(job, "waiting", False)
        self.resend.setEnabled(failed)
        self.delete.setEnabled(failed or waiting)

    def retranslate(self) -> None:
        set_text(self.title, self.tr("My jobs"))
        set_text(self.back, self.tr("Back"))
        set_text(self.resend, self.tr("Resend"))
        set_text(self.delete, self.tr("Delete"))
        if self.loading:
            set_text(self.note, self.tr("Loading…"))
        elif not self.jobs:
            set_text(self.note, self.tr("You have no recent jobs."))
        else:
            set_text(self.note, self.tr("Touch a failed or waiting job to resend or delete it."))
        self.list.setAccessibleName(self.tr("My jobs"))
        locale = QLocale()
        for i, job in enumerate(self.jobs):
            when = getattr(job, "created", None)
            when_text = (
                locale.toString(when.astimezone().replace(tzinfo=None), QLocale.FormatType.ShortFormat)
                if when is not None
                else ""
            )
            pages = getattr(job, "pages", 0)
            reasons = words.reasons_text(getattr(job, "reasons", ()) or ())
            count = self.tr("1 page") if pages == 1 else self.tr("%1 pages").replace("%1", str(pages))
            text = f"{when_text}  {getattr(job, 'name', '')} · {count} · {state_text(job)}"
            text += f"\n{reasons}" if reasons else ""
            item = self.list.item(i)
            item.setText(text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        self._buttons()

    def clear(self) -> None:
        self.set_jobs([])
