"""The panel's flow as a small state machine, without Qt: which screen is showing, who is signed
in, which job is being scanned, where Back and a problem's way out lead, and the service PIN's
lockout. ui/ presents it (ui.window.PanelWindow drives it and shows the screen it names); tests
drive it without widgets.

    signin ─► processes ─► prepare ─► scanning ─► delivery
       │          ▲  │                    │            │
       │          └──┴──── jobs ◄─────────┴────────────┘
       └─► service                problem (from anywhere, back to where it came from)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class Step(StrEnum):
    """The screens of the flow (their values are the UI's screen names)."""

    SIGNED_OUT = "signin"
    PROCESSES = "processes"
    PREPARE = "prepare"
    SCANNING = "scanning"
    DELIVERY = "delivery"
    JOBS = "jobs"
    PROBLEM = "problem"
    SERVICE = "service"


_SIGNED_IN = {Step.PROCESSES, Step.PREPARE, Step.SCANNING, Step.DELIVERY, Step.JOBS}

#: Where each step may lead (sign-out, the problem screen and "Back" are handled apart).
_NEXT: dict[Step, frozenset[Step]] = {
    Step.SIGNED_OUT: frozenset({Step.PROCESSES, Step.SERVICE}),
    Step.PROCESSES: frozenset({Step.PREPARE, Step.JOBS}),
    Step.PREPARE: frozenset({Step.SCANNING, Step.PROCESSES}),
    Step.SCANNING: frozenset({Step.DELIVERY, Step.PROCESSES}),
    Step.DELIVERY: frozenset({Step.PROCESSES, Step.JOBS}),
    Step.JOBS: frozenset({Step.PROCESSES}),
    Step.PROBLEM: frozenset(Step),
    Step.SERVICE: frozenset(Step),
}


class FlowError(RuntimeError):
    """A step the flow does not allow from where it is (a bug in the caller, never the user's)."""


@dataclass
class ScanInProgress:
    """The job on the scanning screen."""

    job: Any
    name: str
    pages: int = 0
    #: A load of paper is being scanned right now.
    loading: bool = False
    #: The user confirmed Cancel: the job is being cancelled.
    cancelling: bool = False


@dataclass(frozen=True)
class PinAnswer:
    ok: bool
    #: Seconds until the next attempt is accepted (0: now).
    locked_for: float = 0.0


@dataclass
class PinGuard:
    """The administrator PIN with an attempt limit: after `free_attempts` wrong PINs each further
    wrong one locks the pad for a delay that doubles, up to `max_delay` seconds; a right PIN during
    the lockout is refused too (else guessing only has to wait). Every failure is logged."""

    pin: str
    free_attempts: int = 3
    first_delay: float = 30.0
    max_delay: float = 15 * 60.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    _locked_until: float = field(default=0.0, repr=False)

    def locked_for(self) -> float:
        return max(0.0, self._locked_until - self.clock())

    def check(self, entered: str) -> PinAnswer:
        import hmac

        wait = self.locked_for()
        if wait > 0:
            log.warning("administrator PIN entered during a lockout (%.0f s left): refused", wait)
            return PinAnswer(False, wait)
        if self.pin and hmac.compare_digest(entered.encode(), self.pin.encode()):
            self.failures = 0
            return PinAnswer(True)
        self.failures += 1
        over = self.failures - self.free_attempts
        if over >= 0:
            delay = min(self.max_delay, self.first_delay * 2**over)
            self._locked_until = self.clock() + delay
            log.warning("wrong administrator PIN (%d in a row): pad locked for %.0f s", self.failures, delay)
            return PinAnswer(False, delay)
        log.warning("wrong administrator PIN (%d in a row)", self.failures)
        return PinAnswer(False)


class PanelFlow:
    """Where the panel is and what it holds for the signed-in user. Every change calls the
    listeners with the new step."""

    def __init__(
        self,
        *,
        admin_pin: str = "",
        pin_attempts: int = 3,
        pin_lock_seconds: float = 30.0,
        pin_max_lock_seconds: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.step = Step.SIGNED_OUT
        self.user: Any = None
        self.scan: ScanInProgress | None = None
        #: Job ids of this user's session: only their events reach the screens.
        self.my_jobs: set[Any] = set()
        self.pin = PinGuard(
            admin_pin,
            free_attempts=pin_attempts,
            first_delay=pin_lock_seconds,
            max_delay=max(pin_lock_seconds, pin_max_lock_seconds),
            clock=clock,
        )
        self.service_unlocked = False
        self._problem_return = Step.SIGNED_OUT
        self._service_return = Step.SIGNED_OUT
        self._listeners: list[Callable[[Step], None]] = []

    # -- observing ------------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Step], None]) -> None:
        self._listeners.append(listener)

    def _go(self, step: Step) -> Step:
        if step not in _NEXT[self.step] and step != self.step:
            raise FlowError(f"the panel cannot go from {self.step} to {step}")
        if step in _SIGNED_IN and self.user is None:
            raise FlowError(f"{step} needs a signed-in user")
        return self._set(step)

    def _set(self, step: Step) -> Step:
        self.step = step
        for listener in list(self._listeners):
            listener(step)
        return step

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    def home(self) -> Step:
        """Where Back leads when there is nowhere more specific: the processes, or sign-in."""
        return Step.PROCESSES if self.user is not None else Step.SIGNED_OUT

    # -- people ---------------------------------------------------------------------------------
    def signed_in_as(self, user: Any) -> Step:
        if self.step is not Step.SIGNED_OUT and self.step is not Step.PROBLEM:
            raise FlowError(f"sign-in finished on {self.step}")
        self.user = user
        return self._go(Step.PROCESSES)

    def sign_out(self) -> ScanInProgress | None:
        """Forget the user; returns the scan that was in progress, for the caller to send what it
        holds (nothing scanned is lost) or drop it when it holds no page."""
        scan = self.scan
        self.user, self.scan = None, None
        self.my_jobs.clear()
        self.service_unlocked = False
        self._problem_return = Step.SIGNED_OUT
        self._set(Step.SIGNED_OUT)
        return scan

    def back(self) -> Step:
        """Back from prepare, jobs or delivery."""
        if self.step is Step.SCANNING:
            raise FlowError("scanning ends with Finish or Cancel, not Back")
        if self.user is None:
            return self._reset_to_sign_in()
        return self._go(Step.PROCESSES)

    def _reset_to_sign_in(self) -> Step:
        return self._set(Step.SIGNED_OUT)

    # -- choosing and scanning ------------------------------------------------------------------
    def choose(self) -> Step:
        return self._go(Step.PREPARE)

    def scan_started(self, job: Any, name: str) -> Step:
        self.scan = ScanInProgress(job, name)
        self.my_jobs.add(job.job_id)
        return self._go(Step.SCANNING)

    def load_started(self) -> None:
        if self.scan is None:
            raise FlowError("no scan to load paper for")
        self.scan.loading, self.scan.cancelling = True, False
        if self.step is Step.PROBLEM:  # "Try again" after a jam
            self._go(Step.SCANNING)

    def load_finished(self) -> Step:
        """A load of paper ended; a cancelled scan leads back to the processes."""
        scan = self.scan
        if scan is None:
            return self.step
        scan.loading = False
        if scan.cancelling:
            self.scan = None
            return self._go(self.home())
        return self.step

    def page_scanned(self, job_id: Any) -> int | None:
        """Count a page of the job on screen; returns its number, None for another job's page."""
        if self.scan is None or getattr(self.scan.job, "job_id", None) != job_id:
            return None
        self.scan.pages += 1
        return self.scan.pages

    def cancel(self) -> tuple[Any, bool]:
        """The user confirmed Cancel. Returns (job, still_loading): while a load runs, the load's
        end brings the panel back; otherwise it goes back at once."""
        if self.scan is None:
            raise FlowError("nothing to cancel")
        self.scan.cancelling = True
        job, loading = self.scan.job, self.scan.loading
        if not loading:
            self.scan = None
            self._go(self.home())
        return job, loading

    def finish(self) -> ScanInProgress:
        if self.scan is None or self.scan.pages == 0:
            raise FlowError("Finish needs a scanned page")
        scan, self.scan = self.scan, None
        self._go(Step.DELIVERY)
        return scan

    # -- jobs -----------------------------------------------------------------------------------
    def open_jobs(self) -> Step:
        return self._go(Step.JOBS)

    def owns(self, job_id: Any) -> bool:
        return job_id in self.my_jobs

    def resend(self, job_id: Any) -> None:
        self.my_jobs.add(job_id)

    # -- problems -------------------------------------------------------------------------------
    def problem(self, return_to: Step | None = None) -> Step:
        """Show a problem; Back on it leads to `return_to` (default: the screen that failed, or
        the processes when that screen cannot be shown again)."""
        here = self.step if self.step is not Step.PROBLEM else self._problem_return
        target = return_to or here
        if target in _SIGNED_IN and self.user is None:
            target = Step.SIGNED_OUT
        self._problem_return = target
        self._set(Step.PROBLEM)
        return self.step

    @property
    def problem_return(self) -> Step:
        return self._problem_return

    def leave_problem(self) -> Step:
        if self.step is not Step.PROBLEM:
            return self.step
        return self._go(self._problem_return)

    # -- service --------------------------------------------------------------------------------
    def open_service(self) -> Step:
        if self.step is not Step.SERVICE:
            self._service_return = self.step
        self.service_unlocked = False
        self._set(Step.SERVICE)
        return self.step

    def enter_pin(self, pin: str) -> PinAnswer:
        if self.step is not Step.SERVICE:
            raise FlowError("no PIN asked")
        answer = self.pin.check(pin)
        self.service_unlocked = answer.ok
        return answer

    def lock_service(self) -> None:
        """Idle or leaving: the next visit asks for the PIN again."""
        self.service_unlocked = False

    def close_service(self) -> Step:
        """Back to where the service screen was opened from (sign-in, or the kiosk lock's close)."""
        self.service_unlocked = False
        target = self._service_return
        if target in _SIGNED_IN and self.user is None or target is Step.SERVICE:
            target = Step.SIGNED_OUT
        return self._go(target)
