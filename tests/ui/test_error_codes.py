"""Errors reach their screens by their stable `.code`, and a failure nobody handles is logged
where it can be seen."""

from __future__ import annotations

import logging

import pytest

from kiosk import scanner as sc
from ui.bridge import Bridge
from ui.window import problem_kind


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sc.PaperJam("x"), "jam"),
        (sc.FeederEmpty("x"), "feeder_empty"),
        (sc.CoverOpen("x"), "cover_open"),
        (sc.DeviceBusy("x"), "busy"),
        (sc.DeviceGone("x"), "missing"),
        (sc.AccessDenied("x"), "missing"),
        (sc.ScannerIOError("x"), "missing"),
        (sc.ScanCancelled("x"), "other"),
    ],
)
def test_scanner_errors_map_by_code(error, kind):
    assert problem_kind(error) == kind


def test_a_renamed_subclass_keeps_its_screen():
    class VendorJam(sc.PaperJam):  # another name, the same code
        pass

    assert problem_kind(VendorJam("x")) == "jam"


def test_a_failed_call_without_a_failed_callback_is_a_warning(qtbot, caplog):
    bridge = Bridge(workers=1)

    def broken():
        raise ValueError("boom")

    with caplog.at_level(logging.WARNING, logger="ui.bridge"):
        bridge.call(broken)
        qtbot.waitUntil(lambda: "boom" in caplog.text, timeout=5000)
    bridge.shutdown()
    assert any(r.levelno == logging.WARNING and "broken" in r.getMessage() for r in caplog.records)
