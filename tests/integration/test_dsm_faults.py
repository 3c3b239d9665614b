"""Every failure the reference server can produce maps to the right typed, retryable-or-not error."""

from __future__ import annotations

import os
import time

import pytest

from kiosk.dsm.client import WsdspClient
from kiosk.dsm.errors import (
    InvalidArgs,
    OperationFailed,
    ProtocolError,
    ScanServerBusy,
    ScanServerUnreachable,
    ServerInternalError,
)
from kiosk.errors import DeliveryError
from tests.fixtures.scan_server import scan_server_settings
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions


def client_for(server, **settings) -> WsdspClient:
    return WsdspClient(server.endpoint, scan_server_settings(server, **settings))


def test_temporary_error_on_create_is_retryable(scan_server):
    scan_server.restart(fail_creates=2)
    with client_for(scan_server) as c:
        for _ in range(2):
            with pytest.raises(ScanServerBusy) as err:
                c.create_post_scan_job(SID, PSP_ID, instructions())
            assert err.value.retryable and "busy" in err.value.reason
        assert c.create_post_scan_job(SID, PSP_ID, instructions())
    assert len(scan_server.records()) == 1


def test_http_503_is_retryable(scan_server):
    scan_server.restart(http_503_fraction=0.5)
    outcomes = []
    with client_for(scan_server) as c:
        for _ in range(4):
            try:
                c.create_post_scan_job(SID, PSP_ID, instructions())
                outcomes.append("ok")
            except ScanServerBusy as exc:
                assert exc.retryable and "503" in str(exc)
                outcomes.append("503")
    assert outcomes == ["ok", "503", "ok", "503"]  # every second request, deterministically


def test_connection_cut_during_send_image_is_retryable_and_a_resend_lands_once(scan_server, tmp_path):
    scan_server.restart(close_after_bytes=200_000)
    doc = tmp_path / "big.pdf"
    doc.write_bytes(b"%PDF-1.7\n" + os.urandom(1_000_000))
    with client_for(scan_server) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        with pytest.raises(ScanServerUnreachable) as err:
            c.send_image(token, 1, "pdf-a", doc)
        assert err.value.retryable
        c.send_image(token, 1, "pdf-a", doc)
        c.send_image(token, 1, "pdf-a", doc)  # a repeat after a lost reply is acknowledged again
    docs = scan_server.record(token)["documents"]
    assert [(d["document_id"], d["size"]) for d in docs] == [(1, doc.stat().st_size)]


def test_read_timeout_is_retryable(scan_server):
    scan_server.restart(delay_seconds=1.5)
    with client_for(scan_server, read_timeout=0.3) as c:
        with pytest.raises(ScanServerUnreachable) as err:
            c.create_post_scan_job(SID, PSP_ID, instructions())
    assert err.value.retryable and "timed out" in str(err.value).lower()


def test_connection_refused_is_retryable(scan_server):
    with client_for(scan_server) as c:
        scan_server.stop()
        with pytest.raises(ScanServerUnreachable) as err:
            c.create_post_scan_job(SID, PSP_ID, instructions())
    assert err.value.retryable


@pytest.mark.parametrize(
    "subcode, error",
    [
        ("ServerErrorInternalError", ServerInternalError),
        ("OperationFailed", OperationFailed),
        ("InvalidArgs", InvalidArgs),
    ],
)
def test_permanent_faults(scan_server, subcode, error):
    scan_server.restart(fault_on={"EndPostScanJob": subcode})
    with client_for(scan_server) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        with pytest.raises(error) as err:
            c.end_post_scan_job(token)
    assert not err.value.retryable and err.value.subcode == subcode and "injected" in err.value.reason


def test_invalid_arguments_are_refused_with_the_reason(scan_server_settings, scan_server):
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        with pytest.raises(InvalidArgs) as err:
            c.create_post_scan_job("alice", PSP_ID, instructions())
    assert "SID" in err.value.reason and "UserIdentifier" in str(err.value) and not err.value.retryable


def test_a_reply_to_another_message_is_refused(scan_server):
    scan_server.restart(bad_relates_to=True)
    with client_for(scan_server) as c:
        with pytest.raises(ProtocolError) as err:
            c.create_post_scan_job(SID, PSP_ID, instructions())
    assert "RelatesTo" in str(err.value) and isinstance(err.value, DeliveryError)


def test_slow_link_still_delivers_intact(scan_server, tmp_path):
    scan_server.restart(read_rate=400_000)
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF-1.7\n" + os.urandom(600_000))
    with client_for(scan_server) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
        started = time.monotonic()
        c.send_image(token, 1, "pdf-a", doc)
        elapsed = time.monotonic() - started
    # The knob works: the body cannot arrive faster than the configured rate allows.
    assert elapsed >= 0.5 * doc.stat().st_size / 400_000
    assert scan_server.record(token)["documents"][0]["size"] == doc.stat().st_size
