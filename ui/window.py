"""The panel window: a stack of screens, the flow between them, idle sign-out, badge sign-in,
the kiosk lock and the delivery cue.

It talks to kiosk/ through one backend object (ui.backend.PanelBackend over
kiosk.session.Session, or a fake in screen tests), only through the Bridge, so no directory, SANE
or SOAP call runs on the UI thread. What it uses:

    sign_in(username, password) -> User          read_badge(text) -> BadgeRead(login, user | None)
    sign_out()                                   scan_processes() -> ProcessList
    scanner_state() -> ScannerState              start(process, ticket, extra_addresses) -> ScanJob
    page_thumbnail(path) -> QImage
    history() -> [JobSummary]    job_reasons(job_id)    resend(job_id)    delete(job_id)
    subscribe(callback) for kiosk.jobs.JobEvent  service_status() -> (rows, log lines)
    watch_buttons(callback) for hardware.buttons.ButtonEvent
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QSize, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import UiSettings
from kiosk.errors import DeliveryError, DirectoryError, KioskError, ScannerError
from kiosk.panel_flow import PanelFlow, Step
from ui import cue, words
from ui.backend import PAPER_SENSORS
from ui.badge import BadgeListener
from ui.bridge import Bridge
from ui.i18n import Translations
from ui.idle import IdleWatcher
from ui.screens.base import button, label, set_text
from ui.screens.delivery import FINAL_FAILED, FINAL_OK, DeliveryScreen
from ui.screens.jobs import JobsScreen
from ui.screens.prepare import PrepareScreen
from ui.screens.problem import ProblemScreen
from ui.screens.processes import ProcessesScreen
from ui.screens.scanning import ScanningScreen
from ui.screens.service import ServiceScreen
from ui.screens.signin import SignInScreen
from ui.theme import Theme

log = logging.getLogger(__name__)

#: Exit status asking the service manager to start the panel again (systemd: RestartForceExitStatus).
RESTART_EXIT_CODE = 75
#: How long the delivered/failed cue stays on screen.
CUE_MS = 6000

#: Scanner error codes (kiosk.scanner) → problem screen; others show their own message.
_SCANNER_KINDS = {
    "scanner.jammed": "jam",
    "scanner.feeder_empty": "feeder_empty",
    "scanner.cover_open": "cover_open",
    "scanner.busy": "busy",
    "scanner.gone": "missing",
    "scanner.access_denied": "missing",
    "scanner.io_error": "missing",
}
#: Directory error codes (kiosk.directory.errors) that mean nobody can sign in right now.
_DIRECTORY_DOWN = ("directory_unavailable", "directory_tls", "directory_config")


def problem_kind(error: BaseException) -> str | None:
    """The problem screen for an error, or None when it belongs on the screen that asked."""
    kind = _SCANNER_KINDS.get(getattr(error, "code", ""))
    if kind is not None:
        return kind
    if isinstance(error, ScannerError):
        return "other"
    if isinstance(error, DeliveryError):
        return "server"
    if isinstance(error, DirectoryError):
        return "directory" if error.code in _DIRECTORY_DOWN else None
    return "other"


def user_message(error: BaseException) -> str:
    """The panel's translated sentence for an error (by its code); the core's English texts are
    for the log and the CLI only."""
    return words.error_text(error) if isinstance(error, KioskError) else ""


class PanelWindow(QWidget):
    #: Emitted after every change of screen, with the screen's name.
    screen_changed = Signal(str)

    def __init__(
        self,
        session: Any,
        settings: UiSettings,
        theme: Theme,
        *,
        bridge: Bridge | None = None,
        idle: IdleWatcher | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.theme = theme
        self.bridge = bridge or Bridge()
        self.translations = Translations(settings.language)
        self.translations.use(settings.language)
        self.idle = idle or IdleWatcher(settings.idle_timeout_seconds)
        self.badges = BadgeListener()
        app = QApplication.instance()
        app.installEventFilter(self.idle)
        app.installEventFilter(self.badges)
        self.setObjectName("panel")
        self.setStyleSheet(theme.style_sheet())
        # Placeholders follow the palette where a Qt's style sheets lack placeholder-text-color.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(theme.palette.muted))
        self.setPalette(palette)
        self.setWindowTitle("dsm-kiosk")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner_text = label()
        QHBoxLayout(self.banner).addWidget(self.banner_text)
        self.banner.hide()
        self.cue = QFrame()
        self.cue.setObjectName("cue_ok")
        self.cue_text = label()
        QHBoxLayout(self.cue).addWidget(self.cue_text)
        self.cue.hide()
        self.stack = QStackedWidget()
        # The countdown and the cue take their own row above the screen: nothing of it is hidden.
        outer.addWidget(self.banner)
        outer.addWidget(self.cue)
        outer.addWidget(self.stack, 1)
        # A question that needs a second touch (cancel a scan, delete a job, leave kiosk mode)
        # covers the whole window, so nothing else can be touched meanwhile.
        self.question = QFrame(self)
        self.question.setObjectName("question")
        ask = QVBoxLayout(self.question)
        margin = theme.px(24)
        ask.setContentsMargins(margin, margin, margin, margin)
        self.question_text = label("title")
        ask.addStretch(1)
        ask.addWidget(self.question_text)
        ask.addStretch(1)
        answers = QHBoxLayout()
        self.question_no = button(expand=True)
        self.question_yes = button("danger", expand=True)
        answers.addWidget(self.question_no)
        answers.addWidget(self.question_yes)
        ask.addLayout(answers)
        self.question.hide()
        self._on_yes: Any = None
        self._question_texts: Any = None
        self._cue_text: Any = None
        self.question_no.clicked.connect(self._answer_no)
        self.question_yes.clicked.connect(self._answer_yes)

        self.screens: dict[str, Any] = {}
        for name, cls in [
            ("signin", SignInScreen),
            ("processes", ProcessesScreen),
            ("prepare", PrepareScreen),
            ("scanning", ScanningScreen),
            ("delivery", DeliveryScreen),
            ("jobs", JobsScreen),
            ("problem", ProblemScreen),
            ("service", ServiceScreen),
        ]:
            screen = cls(self)
            screen.setObjectName(name)
            self.screens[name] = screen
            self.stack.addWidget(screen)
        self.screens["signin"].service.setVisible(bool(settings.admin_pin))

        #: The flow (kiosk.panel_flow): the screens present it, the window drives it.
        self.flow = PanelFlow(
            admin_pin=settings.admin_pin,
            pin_attempts=settings.admin_pin_attempts,
            pin_lock_seconds=settings.admin_pin_lock_seconds,
            pin_max_lock_seconds=settings.admin_pin_max_lock_seconds,
        )
        self.flow.subscribe(lambda step: self.go(step.value))
        self._unlocked = False
        self._jobs_request = 0
        self._chosen_language: str | None = None
        self._cue_timer = QTimer(self)
        self._cue_timer.setSingleShot(True)
        self._cue_timer.timeout.connect(self.cue.hide)

        self.idle.countdown.connect(self._countdown)
        self.idle.expired.connect(self._idle_expired)
        self.badges.badge.connect(self.sign_in_badge)
        self.bridge.job_event.connect(self._job_event)
        self.bridge.button.connect(self._button)
        session.subscribe(self.bridge.publish)
        session.watch_buttons(self.bridge.press)
        self.go(self.flow.step.value)

    # -- what the flow holds ----------------------------------------------------------------------
    @property
    def user(self) -> Any:
        return self.flow.user

    @property
    def job(self) -> Any:
        return self.flow.scan.job if self.flow.scan is not None else None

    @property
    def my_jobs(self) -> set[Any]:
        return self.flow.my_jobs

    # -- questions ------------------------------------------------------------------------------
    def confirm(self, texts: Any, on_yes: Any) -> None:
        """Ask before doing something that cannot be undone; `on_yes()` runs only after Yes.
        `texts()` gives (question, yes, no) in the current language (called again on a change)."""
        self._question_texts = texts
        self._show_question()
        self._on_yes = on_yes
        self.question.setGeometry(self.rect())
        self.question.show()
        self.question.raise_()

    def _show_question(self) -> None:
        question, yes, no = self._question_texts()
        set_text(self.question_text, question)
        set_text(self.question_yes, yes)
        set_text(self.question_no, no)

    def _answer_no(self) -> None:
        self._on_yes = None
        self.question.hide()

    def _answer_yes(self) -> None:
        action, self._on_yes = self._on_yes, None
        self.question.hide()
        if action is not None:
            action()

    # -- navigation -----------------------------------------------------------------------------
    def current(self) -> str:
        return self.stack.currentWidget().objectName()

    def go(self, name: str) -> None:
        """Show a screen (the flow's listener; tests also use it to look at a screen)."""
        self.stack.setCurrentWidget(self.screens[name])
        self.screen_changed.emit(name)

    def show_problem(self, error: BaseException, *, retry=None, return_to: Step | None = None) -> None:
        """The problem screen for `error`; its Back leads to `return_to` (default: the screen that
        asked), or to sign-in when nobody is signed in."""
        kind = problem_kind(error) or "other"
        log.warning("problem screen %s: %s", kind, error)
        self.flow.problem(return_to)
        self.screens["problem"].show_problem(
            kind,
            lambda: user_message(error),
            retry=retry,
            leave=self.leave_problem,
            leave_is_sign_out=self.flow.problem_return is Step.SIGNED_OUT and self.user is not None,
        )

    def leave_problem(self) -> None:
        if self.flow.problem_return is Step.SIGNED_OUT and self.user is not None:
            self.sign_out()
        else:
            self.flow.leave_problem()

    # -- sign-in and sign-out -------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> None:
        self.screens["signin"].set_busy(True)
        self.bridge.call(self.session.sign_in, username, password, done=self._signed_in, failed=self._sign_in_failed)

    def sign_in_badge(self, text: str) -> None:
        screen = self.screens["signin"]
        if self.user is not None or self.current() != "signin":
            return
        screen.take_back_badge_text()
        screen.set_busy(True)
        self.bridge.call(self.session.read_badge, text, done=self._badge_read, failed=self._sign_in_failed)

    def _badge_read(self, badge: Any) -> None:
        if badge.user is not None:
            self._signed_in(badge.user)
        else:
            self.screens["signin"].badge_recognised(badge.login)

    def _sign_in_failed(self, error: BaseException) -> None:
        screen = self.screens["signin"]
        screen.set_busy(False)
        if problem_kind(error) == "directory":
            self.show_problem(error, retry=self.leave_problem, return_to=Step.SIGNED_OUT)
        else:
            screen.show_error(user_message(error) or screen.tr("Signing in failed."))

    def _signed_in(self, user: Any) -> None:
        self.screens["signin"].clear()
        # A language chosen on the sign-in screen wins over the directory's for this visit.
        self._use_language(self._chosen_language or getattr(user, "language", None))
        self.idle.arm()
        processes = self.screens["processes"]
        processes.set_user(getattr(user, "display_name", "") or getattr(user, "login", ""))
        self.load_processes()
        self.flow.signed_in_as(user)

    def load_processes(self) -> None:
        processes = self.screens["processes"]
        processes.set_loading()
        self.bridge.call(
            self.session.scan_processes,
            done=processes.set_processes,
            failed=lambda e: self.show_problem(e, retry=self._reload_processes, return_to=Step.SIGNED_OUT),
        )

    def _reload_processes(self) -> None:
        self.flow.back()
        self.load_processes()

    def sign_out(self) -> None:
        """Clear every trace of the user: widgets, thumbnails, jobs, language; late answers dropped."""
        signed_in = self.user is not None
        scan = self.flow.sign_out()
        if scan is not None:
            # Nothing scanned is ever lost: pages of an unfinished job are sent; an empty job is dropped.
            self.bridge.call(scan.job.finish if scan.pages else scan.job.cancel)
        self.bridge.new_generation()
        self.idle.disarm()
        if signed_in:
            self.bridge.call(self.session.sign_out)
        self.cue.hide()
        self.banner.hide()
        self._answer_no()
        for screen in self.screens.values():
            screen.clear()
        self._chosen_language = None
        self._use_language(None)
        self.screens["signin"].retranslate()

    def choose_language(self, language: str) -> None:
        """The sign-in screen's language choice: for this visit only."""
        self._chosen_language = language
        self._use_language(language)
        self.screens["signin"].retranslate()
        if language != self.translations.default:
            self.watch_idle()

    def _use_language(self, tag: str | None) -> None:
        """Texts follow through LanguageChange events; the touch keyboards' layouts at once."""
        language = self.translations.use(tag)
        for screen in ("signin", "prepare"):
            self.screens[screen].keyboard.set_language(language)

    def _idle_expired(self) -> None:
        if self.user is None:
            log.info("idle: the sign-in screen, language and service screen are cleared")
        self.sign_out()

    def watch_idle(self) -> None:
        """Nobody signed in, but something is left on screen (a half-typed sign-in, another
        language, the service screen): clear it after the idle time too."""
        if self.user is None and not self.idle.armed:
            self.idle.arm()

    def _countdown(self, seconds: int) -> None:
        if seconds < 0:
            self.banner.hide()
            return
        text = (
            self.tr("Signing out in %1 s. Touch the screen to stay.")
            if self.user is not None
            else self.tr("Clearing the screen in %1 s. Touch the screen to keep it.")
        )
        set_text(self.banner_text, text.replace("%1", str(seconds)))
        self.banner.show()

    # -- choosing and scanning ------------------------------------------------------------------
    def back_to_processes(self) -> None:
        self.flow.back()

    def choose_process(self, process: Any) -> None:
        self.bridge.call(
            self.session.scanner_state,
            done=lambda state: self._prepare(process, state),
            failed=lambda e: self.show_problem(e, retry=lambda: self._retry_choose(process)),
        )

    def _retry_choose(self, process: Any) -> None:
        self.flow.leave_problem()
        self.choose_process(process)

    def _prepare(self, process: Any, state: Any) -> None:
        self.screens["prepare"].show_process(process, state)
        if self.flow.step is Step.PROBLEM:
            self.flow.leave_problem()
        self.flow.choose()

    def start_scan(self, process: Any, ticket: Any, addresses: tuple[str, ...]) -> None:
        self.bridge.call(
            self.session.start,
            process,
            ticket,
            addresses,
            done=lambda job: self._scan_started(job, process.display_name),
            failed=lambda e: self._start_failed(e, process, ticket, addresses),
        )

    def _start_failed(self, error: BaseException, process: Any, ticket: Any, addresses: tuple[str, ...]) -> None:
        self.screens["prepare"].set_starting(False)
        self.show_problem(error, retry=lambda: self._retry_start(process, ticket, addresses), return_to=Step.PREPARE)

    def _retry_start(self, process: Any, ticket: Any, addresses: tuple[str, ...]) -> None:
        self.flow.leave_problem()
        self.start_scan(process, ticket, addresses)

    def _scan_started(self, job: Any, name: str) -> None:
        prepare = self.screens["prepare"]
        prepare.set_starting(False)
        if self.flow.step is not Step.PREPARE:
            # The user left the settings (Back) while the job was being made: nothing is scanned yet.
            self.bridge.call(job.cancel)
            return
        self.screens["scanning"].start(name, glass=prepare.source() == "Platen", notes=prepare.unhonoured_settings())
        self.flow.scan_started(job, name)
        self._load()

    def _load(self) -> None:
        self.flow.load_started()
        self.screens["scanning"].load_started()
        self.idle.disarm()  # pages arriving is activity, even with nobody touching the screen
        self.bridge.call(self.job.scan_load, done=self._load_done, failed=self._load_failed)

    def _page_scanned(self, event: Any) -> None:
        """A page_scanned event of the job on screen: count it now, draw it when decoded."""
        self.flow.page_scanned(event.job_id)
        number = self.screens["scanning"].add_page()
        path = (getattr(event, "data", None) or {}).get("path")
        if path:
            self.bridge.call(
                self.session.page_thumbnail,
                path,
                done=lambda image: self.screens["scanning"].set_thumbnail(number, image),
            )

    def _load_done(self, _count: int) -> None:
        self.idle.arm()
        self.screens["scanning"].load_finished()
        self.flow.load_finished()

    def _load_failed(self, error: BaseException) -> None:
        self.idle.arm()
        self.screens["scanning"].load_finished()
        cancelled = self.flow.scan is not None and self.flow.scan.cancelling
        self.flow.load_finished()
        if not cancelled:
            self.show_problem(error, retry=self._load, return_to=Step.SCANNING)

    def _button(self, event: Any) -> None:
        """The scanner's own button does what the on-screen Scan / Scan more pages button does."""
        if event.name in PAPER_SENSORS or "cover" in event.name:
            return  # a sensor changing, not a person pressing a button
        if self.current() == "prepare" and self.screens["prepare"].process is not None:
            self.screens["prepare"].start()
        elif self.current() == "scanning" and self.flow.scan is not None and not self.flow.scan.loading:
            self.scan_more()

    def scan_more(self) -> None:
        self._load()

    def ask_cancel_scan(self) -> None:
        scan = self.flow.scan
        if scan is None:
            return
        if scan.pages == 0 and not scan.loading:
            self.cancel_scan()
            return
        self.confirm(
            lambda: (
                self.tr("Cancel this scan? The pages scanned so far are discarded."),
                self.tr("Cancel the scan"),
                self.tr("Keep scanning"),
            ),
            self.cancel_scan,
        )

    def cancel_scan(self) -> None:
        if self.flow.scan is None:
            return
        self.screens["scanning"].set_cancelling()
        job, _loading = self.flow.cancel()
        self.bridge.call(job.cancel)  # while loading, the load's stream ends (load_finished)
        self.show_notice(self.tr("The scan was cancelled. Nothing was sent."))
        self._cue_text = lambda: self.tr("The scan was cancelled. Nothing was sent.")

    def finish_scan(self) -> None:
        delivery = self.screens["delivery"]
        scan = self.flow.scan
        if scan is None or scan.pages == 0 or scan.loading:
            return  # a second touch on Finish, or one before any page: nothing to finish
        delivery.follow(scan.job.job_id, scan.name)
        self.flow.finish()
        self.bridge.call(scan.job.finish, failed=lambda e: self.show_problem(e))

    # -- jobs -----------------------------------------------------------------------------------
    def open_jobs(self) -> None:
        self.screens["jobs"].set_loading()
        self.flow.open_jobs()
        self.refresh_jobs()

    def refresh_jobs(self) -> None:
        # Answers can overtake each other on the worker pool: only the newest request's is shown.
        self._jobs_request += 1
        request = self._jobs_request

        def show(jobs: list[Any]) -> None:
            if request == self._jobs_request:
                self.screens["jobs"].set_jobs(jobs)

        self.bridge.call(self.session.history, done=show, failed=self.show_problem)

    def resend_job(self, job: Any) -> None:
        if job is not None:
            self.flow.resend(job.job_id)
            self.bridge.call(
                self.session.resend, job.job_id, done=lambda _r: self.refresh_jobs(), failed=self.show_problem
            )

    def delete_job(self, job: Any) -> None:
        if job is not None:
            self.bridge.call(
                self.session.delete, job.job_id, done=lambda _r: self.refresh_jobs(), failed=self.show_problem
            )

    def _job_event(self, event: Any) -> None:
        job_id = getattr(event, "job_id", None)
        if not self.flow.owns(job_id):
            return  # another user's job: not theirs to see
        if event.kind == "page_scanned":
            if self.job is not None and job_id == self.job.job_id:
                self._page_scanned(event)
            return
        delivery = self.screens["delivery"]
        delivery.on_event(event)
        if self.current() == "jobs":
            self.screens["jobs"].on_event(event)
        if event.state in FINAL_OK + FINAL_FAILED and event.kind in ("state", "error"):
            failed = event.state in FINAL_FAILED
            if failed and job_id == delivery.job_id:
                self.bridge.call(self.session.job_reasons, job_id, done=delivery.set_reasons)
            self.signal_cue(not failed, delivery.name if job_id == delivery.job_id else "")

    def show_notice(self, text: str) -> None:
        """A short note in the cue's place, without sound (e.g. a cancelled scan)."""
        self._restyle(self.cue, "cue_info")
        self._cue_text = None
        set_text(self.cue_text, text)
        self.cue.show()
        self._cue_timer.start(CUE_MS)

    @staticmethod
    def _restyle(widget: QWidget, name: str) -> None:
        widget.setObjectName(name)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        for child in widget.findChildren(QWidget):
            child.style().unpolish(child)
            child.style().polish(child)

    def signal_cue(self, ok: bool, name: str) -> None:
        """Audible and visual cue: people walk away from scanners while a job is delivered."""
        self._restyle(self.cue, "cue_ok" if ok else "cue_failed")
        self._cue_text = lambda: (
            self.tr("Delivered: %1") if ok else self.tr("Delivery failed: %1. See My jobs.")
        ).replace("%1", name)
        set_text(self.cue_text, self._cue_text())
        self.cue.show()
        self._cue_timer.start(CUE_MS)
        if self.settings.sounds:
            cue.play(ok)

    # -- service and the kiosk lock -------------------------------------------------------------
    def open_service(self) -> None:
        if not self.settings.admin_pin:
            return
        self.screens["service"].ask_pin()
        self.flow.open_service()
        self.watch_idle()  # an unlocked service screen locks again when left alone

    def check_pin(self, pin: str) -> Any:
        """The flow's PinAnswer (ok, locked_for)."""
        answer = self.flow.enter_pin(pin)
        if answer.ok:
            self.screens["service"].unlocked()
            self.refresh_service()
        return answer

    def refresh_service(self) -> None:
        self.bridge.call(
            self.session.service_status,
            done=self.screens["service"].set_status,
            failed=lambda e: self.screens["service"].set_status(([("error", user_message(e))], [str(e)])),
        )

    def close_service(self) -> None:
        self.screens["service"].clear()
        self.flow.close_service()

    def ask_restart_panel(self) -> None:
        self.confirm(
            lambda: (
                self.tr("Restart the panel now? Anyone using it is signed out."),
                self.tr("Restart"),
                self.tr("Stay"),
            ),
            self.restart_panel,
        )

    def ask_leave_kiosk(self) -> None:
        self.confirm(
            lambda: (
                self.tr("Leave kiosk mode? The panel closes until it is started again."),
                self.tr("Leave kiosk mode"),
                self.tr("Stay"),
            ),
            self.leave_kiosk,
        )

    def restart_panel(self) -> None:
        self._unlocked = True
        QApplication.instance().exit(RESTART_EXIT_CODE)

    def leave_kiosk(self) -> None:
        self._unlocked = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if self.settings.kiosk and not self._unlocked:
            event.ignore()  # only the PIN leads out of kiosk mode
            self.open_service()
            return
        self.sign_out()
        app = QApplication.instance()
        app.removeEventFilter(self.idle)
        app.removeEventFilter(self.badges)
        self.bridge.shutdown()
        event.accept()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.LanguageChange:
            if self.banner.isVisible():
                self._countdown(max(0, int(self.idle.remaining() + 0.999)))
            if self.question.isVisible() and self._question_texts is not None:
                self._show_question()
            if self.cue.isVisible() and self._cue_text is not None:
                set_text(self.cue_text, self._cue_text())
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.question.setGeometry(self.rect())
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(self.settings.width, self.settings.height)
