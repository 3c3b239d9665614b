"""Server health for the console: disk space, shares, the mail server, the TLS certificate."""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from dsm_server.config import ServerConfig

#: Warn when less than this share of the state directory's disk is free.
MIN_FREE_FRACTION = 0.05
#: Warn this many days before the certificate expires.
CERT_WARN_DAYS = 30


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def disk(config: ServerConfig) -> Check:
    folder = config.path(config.state_dir)
    try:
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return Check(f"Disk space ({folder})", False, exc.strerror or str(exc))
    free = usage.free / usage.total if usage.total else 0
    detail = f"{usage.free / 2**30:.1f} GiB free of {usage.total / 2**30:.1f} GiB ({free:.0%})"
    return Check(f"Disk space ({folder})", free >= MIN_FREE_FRACTION, detail)


def shares(config: ServerConfig) -> list[Check]:
    checks = []
    mapped = dict(config.shares)
    if config.default_share_root:
        mapped["(any other share)"] = config.default_share_root
    for unc, local in mapped.items():
        path = config.path(local)
        if not path.is_dir():
            checks.append(Check(f"Share {unc}", False, f"{path} does not exist"))
        elif not os.access(path, os.W_OK | os.X_OK):
            checks.append(Check(f"Share {unc}", False, f"{path} is not writable by the server"))
        else:
            checks.append(Check(f"Share {unc}", True, f"{path} is writable"))
    return checks


def mail(config: ServerConfig, timeout: float = 3.0) -> Check | None:
    smtp = config.smtp
    if not smtp.host:
        return Check("Mail server", False, "no [smtp] host: the e-mail filter cannot send")
    try:
        with socket.create_connection((smtp.host, smtp.port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            banner = sock.recv(512).decode("ascii", "replace").strip()
    except OSError as exc:
        return Check(f"Mail server {smtp.host}:{smtp.port}", False, f"not reachable: {exc}")
    ok = banner.startswith("220")
    return Check(f"Mail server {smtp.host}:{smtp.port}", ok, banner[:120] or "no greeting")


def certificate(config: ServerConfig, now: datetime | None = None) -> Check | None:
    if not config.tls.cert:
        return Check("TLS certificate", False, "none: the scan server speaks plain HTTP")
    from cryptography import x509

    path = config.path(config.tls.cert)
    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        return Check(f"TLS certificate {path}", False, f"cannot be read: {exc}")
    expires = cert.not_valid_after_utc
    days = (expires - (now or datetime.now(UTC))).days
    detail = f"{cert.subject.rfc4514_string()}, expires {expires:%Y-%m-%d} (in {days} days)"
    return Check(f"TLS certificate {path.name}", days >= CERT_WARN_DAYS, detail)


def run_all(config: ServerConfig) -> list[Check]:
    checks = [disk(config), *shares(config), mail(config), certificate(config)]
    return [c for c in checks if c is not None]
