"""Server health checks against real parts: an SMTP server on loopback, a certificate, share folders."""

from __future__ import annotations

import datetime as dt

from aiosmtpd.controller import Controller

from dsm_server import config as server_config
from dsm_server.console import health
from tests.fixtures.slapd import free_port
from tests.fixtures.tls import make_server_tls


class Inbox:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        return "250 OK"


def test_mail_server_reachable_and_not(tmp_path):
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        up = health.mail(server_config.parse({"smtp": {"host": "127.0.0.1", "port": controller.port}}))
    finally:
        controller.stop()
    assert up.ok and up.detail.startswith("220")
    down = health.mail(server_config.parse({"smtp": {"host": "127.0.0.1", "port": free_port()}}), timeout=1)
    assert not down.ok and "not reachable" in down.detail


def test_certificate_expiry_warns_a_month_ahead(tmp_path):
    tls = make_server_tls(tmp_path / "pki")
    cfg = server_config.parse({"tls": {"cert": str(tls.cert), "key": str(tls.key)}})
    today = health.certificate(cfg)
    assert "expires" in today.detail
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    months_before = health.certificate(cfg, now=expires - dt.timedelta(days=60))
    assert months_before.ok
    assert not health.certificate(cfg, now=expires - dt.timedelta(days=10)).ok
    assert not health.certificate(server_config.parse({})).ok


def test_shares_must_exist_and_be_writable(tmp_path):
    (tmp_path / "ok").mkdir()
    cfg = server_config.parse(
        {"shares": {r"\\f\ok": str(tmp_path / "ok"), r"\\f\gone": str(tmp_path / "gone")}, "state_dir": str(tmp_path)}
    )
    checks = {c.name: c for c in health.shares(cfg)}
    assert checks[r"Share \\f\ok"].ok and not checks[r"Share \\f\gone"].ok
    assert "GiB free" in health.disk(cfg).detail
