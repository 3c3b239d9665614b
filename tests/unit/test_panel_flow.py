"""The panel's flow without widgets (kiosk.panel_flow)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

from kiosk.panel_flow import FlowError, PanelFlow, PinGuard, Step


@dataclass
class Job:
    job_id: str


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def flow():
    steps: list[Step] = []
    flow = PanelFlow(admin_pin="2468", clock=Clock())
    flow.subscribe(steps.append)
    flow.seen = steps
    return flow


def test_a_whole_scan_walks_the_screens_in_order(flow):
    flow.signed_in_as("alice")
    flow.choose()
    flow.scan_started(Job("j1"), "Invoices")
    assert flow.scan.loading is False
    flow.load_started()
    assert flow.page_scanned("j1") == 1 and flow.page_scanned("other") is None
    flow.load_finished()
    scan = flow.finish()
    assert scan.pages == 1 and scan.name == "Invoices" and flow.scan is None
    flow.open_jobs()
    flow.back()
    assert flow.seen == [Step.PROCESSES, Step.PREPARE, Step.SCANNING, Step.DELIVERY, Step.JOBS, Step.PROCESSES]
    assert flow.owns("j1") and not flow.owns("j2")


def test_signed_in_screens_need_a_user(flow):
    with pytest.raises(FlowError):
        flow.choose()
    with pytest.raises(FlowError):
        flow.open_jobs()
    assert flow.step is Step.SIGNED_OUT and flow.seen == []


def test_finish_needs_a_page_and_back_is_not_a_way_out_of_scanning(flow):
    flow.signed_in_as("alice")
    flow.choose()
    flow.scan_started(Job("j1"), "x")
    with pytest.raises(FlowError):
        flow.finish()
    with pytest.raises(FlowError):
        flow.back()


def test_sign_out_hands_back_the_unfinished_scan_and_forgets_everything(flow):
    flow.signed_in_as("alice")
    flow.choose()
    flow.scan_started(Job("j1"), "x")
    flow.page_scanned("j1")
    scan = flow.sign_out()
    assert scan.job.job_id == "j1" and scan.pages == 1
    assert flow.user is None and flow.scan is None and not flow.my_jobs and flow.step is Step.SIGNED_OUT
    assert flow.sign_out() is None


def test_cancel_while_loading_waits_for_the_load_to_end(flow):
    flow.signed_in_as("alice")
    flow.choose()
    flow.scan_started(Job("j1"), "x")
    flow.load_started()
    job, loading = flow.cancel()
    assert job.job_id == "j1" and loading and flow.step is Step.SCANNING
    assert flow.load_finished() is Step.PROCESSES and flow.scan is None


def test_cancel_between_loads_goes_back_at_once(flow):
    flow.signed_in_as("alice")
    flow.choose()
    flow.scan_started(Job("j1"), "x")
    _job, loading = flow.cancel()
    assert not loading and flow.step is Step.PROCESSES and flow.scan is None


def test_a_problem_leads_back_to_the_screen_that_failed(flow):
    flow.signed_in_as("alice")
    flow.open_jobs()
    flow.problem()
    assert flow.step is Step.PROBLEM and flow.problem_return is Step.JOBS
    assert flow.leave_problem() is Step.JOBS


def test_a_jam_retried_goes_back_to_scanning_with_the_pages_kept(flow):
    flow.signed_in_as("alice")
    flow.choose()
    flow.scan_started(Job("j1"), "x")
    flow.load_started()
    flow.page_scanned("j1")
    flow.load_finished()
    flow.problem(Step.SCANNING)
    flow.load_started()
    assert flow.step is Step.SCANNING and flow.scan.pages == 1 and flow.scan.loading


def test_a_problem_before_sign_in_leads_back_to_sign_in(flow):
    flow.problem(Step.PROCESSES)
    assert flow.problem_return is Step.SIGNED_OUT
    assert flow.leave_problem() is Step.SIGNED_OUT


def test_service_returns_to_where_it_was_opened_and_relocks(flow):
    flow.open_service()
    assert not flow.enter_pin("1111").ok and not flow.service_unlocked
    assert flow.enter_pin("2468").ok and flow.service_unlocked
    flow.lock_service()
    assert not flow.service_unlocked
    assert flow.close_service() is Step.SIGNED_OUT


def test_pin_locks_out_with_growing_delays_and_logs(caplog):
    clock = Clock()
    guard = PinGuard("2468", free_attempts=3, first_delay=30, max_delay=100, clock=clock)
    with caplog.at_level(logging.WARNING, logger="kiosk.panel_flow"):
        assert [guard.check("0000").locked_for for _ in range(3)] == [0, 0, 30]
        assert guard.check("2468") == guard.check("2468")  # refused while locked, even when right
        assert not guard.check("2468").ok
        clock.now += 30
        assert guard.check("0000").locked_for == 60
        clock.now += 60
        assert guard.check("0000").locked_for == 100  # capped
        clock.now += 100
        assert guard.check("2468").ok and guard.failures == 0
    assert sum("wrong administrator PIN" in r.message for r in caplog.records) == 5
    assert any("lockout" in r.message for r in caplog.records)


def test_no_pin_configured_never_unlocks():
    assert not PinGuard("").check("").ok


def test_the_pin_lockout_follows_the_ui_settings():
    from kiosk.config import UiSettings

    ui = UiSettings(admin_pin="2468", admin_pin_attempts=1, admin_pin_lock_seconds=5, admin_pin_max_lock_seconds=7)
    clock = Clock()
    flow = PanelFlow(
        admin_pin=ui.admin_pin,
        pin_attempts=ui.admin_pin_attempts,
        pin_lock_seconds=ui.admin_pin_lock_seconds,
        pin_max_lock_seconds=ui.admin_pin_max_lock_seconds,
        clock=clock,
    )
    flow.open_service()
    assert flow.enter_pin("0000").locked_for == 5  # the first wrong PIN locks
    clock.now += 5
    assert flow.enter_pin("0000").locked_for == 7  # 10, capped at 7
