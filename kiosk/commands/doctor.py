"""`dsm-kiosk doctor`: what an installer checks when the panel does not come up, one line each.

Checks the configuration, the scanner, the directory servers (reachable, TLS certificate and its
expiry, clock skew from the RootDSE's currentTime), the configured scan servers (reachable, TLS,
expiry) and the spool/state folders (writable, free space). Every check ends in a verdict: ok,
warn (works, but look at it), fail (the kiosk cannot work like this) or skip (not applicable).
The exit status is 1 when any check failed. `--json` prints the same as one object.

`configuration_problems(settings)` is also what the panel asks before it starts: a kiosk with
problems shows the "not configured yet" screen instead of failing at every sign-in.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import ssl
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk import config as config_mod
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.jobs.spool import free_mb as spool_free_mb

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
#: A certificate that expires sooner than this is a warning.
EXPIRY_WARN_DAYS = 30
#: Kerberos refuses more than 5 minutes; a minute is already worth a look.
SKEW_FAIL_SECONDS = 300.0
SKEW_WARN_SECONDS = 60.0


@dataclass
class Check:
    name: str
    verdict: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


def configuration_problems(settings: Settings) -> list[str]:
    """Why this configuration cannot serve users yet (empty: it can). The shipped kiosk.toml names
    a standalone directory file that does not exist until the administrator writes it."""
    d = settings.directory
    problems = []
    if d.backend == "local":
        path = settings.resolve_path(d.local_file)
        if not path.is_file():
            problems.append(f'[directory] local_file {path} does not exist (or set backend = "ldap")')
    elif not d.uris and not d.domain:  # as LdapDirectory checks it: domain finds the DCs through DNS
        problems.append(
            '[directory] backend = "ldap" needs uris (e.g. ["ldaps://dc1.example.com"])'
            " or domain (DCs found through DNS)"
        )
    return problems


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("doctor", help="check configuration, scanner, directory, scan servers and spool")
    parser.add_argument("--no-scanner", action="store_true", help="skip the scanner (it is busy in the panel)")
    parser.set_defaults(func=run, needs_config=False)


def run(args: argparse.Namespace, _defaults: Settings) -> int:
    checks: list[Check] = []
    try:
        settings = config_mod.load(args.config)
    except KioskError as exc:
        checks.append(Check("config", FAIL, str(exc)))
        return report(checks, as_json=args.json)
    problems = configuration_problems(settings)
    source = settings.source or "(defaults)"
    checks.append(
        Check("config", FAIL if problems else OK, "; ".join(problems) or f"{source} loaded", {"file": source})
    )
    if args.no_scanner:
        checks.append(Check("scanner", SKIP, "--no-scanner"))
    else:
        checks.append(check_scanner(settings))
    checks.extend(check_directory(settings))
    checks.extend(check_scan_servers(settings))
    checks.extend(check_folders(settings))
    return report(checks, as_json=args.json)


def report(checks: list[Check], *, as_json: bool) -> int:
    failed = [c for c in checks if c.verdict == FAIL]
    if as_json:
        print(json.dumps({"ok": not failed, "checks": [asdict(c) for c in checks]}, indent=2))
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            print(f"{c.verdict.upper():<4}  {c.name:<{width}}  {c.detail}")
        warned = sum(c.verdict == WARN for c in checks)
        verdict = f"{len(failed)} problem(s)" if failed else "no problems"
        print(f"doctor: {verdict}" + (f", {warned} warning(s)" if warned else ""))
    return 1 if failed else 0


# -- scanner ----------------------------------------------------------------------------------------


def check_scanner(settings: Settings) -> Check:
    try:
        from kiosk.jobs.runtime import open_scanner  # the configured driver; kiosk/ never imports hardware/

        scanner = open_scanner(settings)
        try:
            caps = scanner.capabilities()
        finally:
            scanner.close()
    except (KioskError, OSError, ImportError, RuntimeError) as exc:
        return Check("scanner", FAIL, str(exc))
    if caps.resolutions:
        dpi = f"{min(caps.resolutions)}-{max(caps.resolutions)} dpi"
    elif caps.resolution_range:
        dpi = f"{caps.resolution_range[0]}-{caps.resolution_range[1]} dpi"
    else:
        dpi = "resolution unknown"
    name = " ".join(filter(None, (caps.vendor, caps.model))) or caps.device
    detail = f"{caps.device} ({name}): {', '.join(caps.sources)}; {dpi}"
    data = {"device": caps.device, "sources": list(caps.sources), "resolutions": list(caps.resolutions)}
    return Check("scanner", OK, detail, data)


# -- TLS helpers ----------------------------------------------------------------------------------


def _expiry(cert: dict[str, Any], now: float) -> tuple[str, str, dict[str, Any]]:
    """Verdict, text and data for a verified peer certificate's notAfter."""
    not_after = ssl.cert_time_to_seconds(cert["notAfter"])
    days = (not_after - now) / 86400
    when = datetime.fromtimestamp(not_after, UTC).strftime("%Y-%m-%d")
    data = {"not_after": when, "days_left": round(days, 1)}
    if days < 0:
        return FAIL, f"certificate expired on {when}", data
    if days < EXPIRY_WARN_DAYS:
        return WARN, f"certificate expires on {when} ({days:.0f} days)", data
    return OK, f"certificate valid until {when}", data


def _context(ca_file: str, verify: bool = True) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=ca_file or None)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


# -- directory ------------------------------------------------------------------------------------


def check_directory(settings: Settings) -> list[Check]:
    d = settings.directory
    if d.backend == "local":
        from kiosk.directory import open_directory

        path = settings.resolve_path(d.local_file)
        if not path.is_file():
            return [Check("directory", FAIL, f"{path}: no such file")]
        try:
            open_directory(settings)
        except KioskError as exc:
            return [Check("directory", FAIL, str(exc))]
        return [Check("directory", OK, f"standalone file {path}"), Check("clock", SKIP, "no directory server")]
    from kiosk.directory import open_directory

    try:
        probes = open_directory(settings).probe_servers()  # type: ignore[attr-defined]
    except KioskError as exc:  # a configuration the kiosk refuses, or no DC found
        return [Check("directory", FAIL, str(exc))]
    checks = [_ldap_check(probe, d.tls_verify) for probe in probes]
    skews = [c.data["skew_seconds"] for c in checks if "skew_seconds" in c.data]
    if not skews:
        checks.append(Check("clock", SKIP, "no directory server reported currentTime"))
    else:
        skew = max(skews, key=abs)
        verdict = FAIL if abs(skew) > SKEW_FAIL_SECONDS else WARN if abs(skew) > SKEW_WARN_SECONDS else OK
        text = f"{abs(skew):.1f} s {'behind' if skew > 0 else 'ahead of'} the directory"
        checks.append(Check("clock", verdict, text, {"skew_seconds": round(skew, 1)}))
    return checks


def _ldap_check(probe, tls_verify: bool) -> Check:
    """One directory server as the kiosk's own sign-in reached it (LdapDirectory.probe_servers)."""
    from ldap3.core.exceptions import LDAPCommunicationError

    name = f"directory {probe.name}"
    if probe.error is not None:
        reason = str(probe.error)
        if probe.tls_failed:
            return Check(name, FAIL, f"TLS failed: {reason}")
        if isinstance(probe.error, OSError | LDAPCommunicationError):  # socket errors, a dropped session
            return Check(name, FAIL, f"unreachable: {reason}")
        return Check(name, FAIL, f"{type(probe.error).__name__}: {reason}")
    data: dict[str, Any] = {}
    notes = []
    verdict = OK
    if probe.transport == "plain":
        verdict = WARN
        notes.append("no TLS: passwords cross the network in clear (use ldaps:// or start_tls)")
    elif probe.certificate:
        verdict, text, more = _expiry(probe.certificate, time.time())
        notes.append(text)
        data.update(more)
    elif not tls_verify:
        verdict = WARN
        notes.append("TLS without certificate verification (tls_verify = false)")
    if probe.current_time:
        theirs = _generalized_time(probe.current_time)
        if theirs is not None:
            data["skew_seconds"] = theirs - time.time()
    return Check(name, verdict, "reachable; " + "; ".join(notes), data)


def _generalized_time(raw: bytes) -> float | None:
    """AD's RootDSE currentTime, e.g. b"20261128041500.0Z"."""
    text = raw.decode("ascii", "replace").rstrip("Z").split(".")[0]
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


# -- scan servers -----------------------------------------------------------------------------------


def check_scan_servers(settings: Settings) -> list[Check]:
    s = settings.scan_server
    if not s.endpoints:
        return [
            Check(
                "scan servers",
                SKIP,
                "no [scan_server] endpoints: each is found by WS-Discovery (dsm-kiosk scan-server resolve NAME)",
            )
        ]
    ca_file = str(settings.resolve_path(s.ca_file)) if s.ca_file else ""
    return [_check_endpoint(name, url, ca_file, s) for name, url in sorted(s.endpoints.items())]


def _check_endpoint(name: str, url: str, ca_file: str, s: Any) -> Check:
    label = f"scan server {name}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Check(label, FAIL, f"{url}: not an http(s) URL")
    if ca_file and not Path(ca_file).is_file():
        return Check(label, FAIL, f"ca_file {ca_file}: no such file")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        sock = socket.create_connection((parts.hostname, port), timeout=s.connect_timeout)
    except OSError as exc:
        return Check(label, FAIL, f"{url}: unreachable: {exc}")
    with sock:
        if parts.scheme == "http":
            if not s.allow_http:
                return Check(label, FAIL, f"{url}: plain HTTP, refused while allow_http = false")
            return Check(label, WARN, f"{url}: reachable over plain HTTP (allow_http = true)")
        try:
            with _context(ca_file).wrap_socket(sock, server_hostname=parts.hostname) as tls:
                cert = tls.getpeercert()
        except ssl.SSLCertVerificationError as exc:
            return Check(label, FAIL, f"{url}: certificate not trusted: {exc.verify_message}")
        except (ssl.SSLError, OSError) as exc:
            return Check(label, FAIL, f"{url}: TLS failed: {exc}")
    if not cert:  # verified handshakes always have one; kept for the type checker
        return Check(label, WARN, f"{url}: reachable; no certificate details")
    verdict, text, data = _expiry(dict(cert), time.time())
    return Check(label, verdict, f"{url}: reachable; {text}", data)


# -- spool and state folders ------------------------------------------------------------------------


def check_folders(settings: Settings) -> list[Check]:
    checks = []
    spool = settings.spool
    for key, value in (("spool", spool.directory), ("state", spool.state_directory)):
        path = settings.resolve_path(value)
        if not path.is_dir():
            checks.append(Check(key, FAIL, f"{path}: no such folder"))
            continue
        try:
            with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
                pass
        except OSError as exc:
            checks.append(Check(key, FAIL, f"{path}: not writable by {_whoami()}: {exc.strerror}"))
            continue
        free_mb = spool_free_mb(path)  # the engine's own measure, so both agree on "too full"
        data = {"path": str(path), "free_mb": round(free_mb)}
        if key == "spool" and free_mb < spool.min_free_mb:
            checks.append(
                Check(key, FAIL, f"{path}: {free_mb:.0f} MB free, below min_free_mb {spool.min_free_mb}", data)
            )
        else:
            checks.append(Check(key, OK, f"{path}: writable, {free_mb:.0f} MB free", data))
    return checks


def _whoami() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return f"uid {os.geteuid()}"
