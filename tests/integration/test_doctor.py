"""`dsm-kiosk doctor` against the real parts: slapd with LDAPS, the reference scan server over
HTTPS, SANE's test device, real folders. One subprocess each, as an installer runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hardware import sane_test_device
from tests.fixtures.scan_server import ScanServer, ServerTls, free_port
from tests.fixtures.tls import make_pki


def doctor(conf: Path, *extra: str) -> tuple[int, dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(conf), "--json", "doctor", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, json.loads(proc.stdout)


def write_config(tmp_path: Path, uris: list[str], ca_file: Path, endpoint: str, scan_ca: Path) -> Path:
    for name in ("spool", "state"):
        (tmp_path / name).mkdir(exist_ok=True)
    sane_dir = sane_test_device.write_config(tmp_path / "sane")
    conf = tmp_path / "kiosk.toml"
    conf.write_text(
        "[directory]\n"
        'backend = "ldap"\n'
        f"uris = {json.dumps(uris)}\n"
        f'ca_file = "{ca_file}"\n'
        "connect_timeout = 2.0\n"
        "[scanner]\n"
        'device = "test:0"\n'
        f'sane_config_dir = "{sane_dir}"\n'
        "[scan_server]\n"
        f'ca_file = "{scan_ca}"\n'
        "[scan_server.endpoints]\n"
        f'"localhost" = "{endpoint}"\n'
        "[spool]\n"
        f'directory = "{tmp_path / "spool"}"\n'
        f'state_directory = "{tmp_path / "state"}"\n'
        "min_free_mb = 1\n"
    )
    return conf


def test_doctor_passes_a_working_kiosk_and_names_each_part(tls_slapd, tmp_path):
    pki = make_pki(tmp_path / "pki")
    server = ScanServer(tmp_path / "server", tls=ServerTls(pki.server_cert, pki.server_key)).start()
    try:
        conf = write_config(tmp_path, [tls_slapd.ldaps_uri], tls_slapd.tls.ca, server.endpoint, pki.ca)
        status, out = doctor(conf)
    finally:
        server.stop()
    checks = {c["name"]: c for c in out["checks"]}
    assert status == 0 and out["ok"] is True, out
    assert checks["config"]["verdict"] == "ok"
    assert checks["scanner"]["verdict"] == "ok" and checks["scanner"]["data"]["device"] == "test:0"
    assert "ADF" in checks["scanner"]["data"]["sources"]
    # The test PKI's certificates expire in a day: reachable and trusted, with an expiry warning.
    ldap = checks[f"directory {tls_slapd.ldaps_uri}"]
    assert ldap["verdict"] == "warn" and "certificate expires on" in ldap["detail"], ldap
    assert 0 < ldap["data"]["days_left"] <= 1
    # OpenLDAP publishes no currentTime in its RootDSE (AD does): no skew to report.
    assert checks["clock"]["verdict"] == "skip"
    scan = checks["scan server localhost"]
    assert scan["verdict"] == "warn" and scan["detail"].startswith(server.endpoint + ": reachable"), scan
    assert 0 < scan["data"]["days_left"] <= 1
    assert checks["spool"]["verdict"] == "ok" and checks["state"]["verdict"] == "ok"


def test_doctor_fails_on_an_untrusted_or_unreachable_server(tls_slapd, tmp_path):
    pki = make_pki(tmp_path / "pki")
    other = make_pki(tmp_path / "other", ca_name="some other CA")
    server = ScanServer(tmp_path / "server", tls=ServerTls(pki.server_cert, pki.server_key)).start()
    dead = f"ldap://127.0.0.1:{free_port()}"
    try:
        # The scan server's certificate is checked against a CA that did not sign it.
        conf = write_config(tmp_path, [tls_slapd.ldaps_uri, dead], tls_slapd.tls.ca, server.endpoint, other.ca)
        status, out = doctor(conf, "--no-scanner")
    finally:
        server.stop()
    checks = {c["name"]: c for c in out["checks"]}
    assert status == 1 and out["ok"] is False
    assert checks["scanner"]["verdict"] == "skip"
    assert checks[f"directory {tls_slapd.ldaps_uri}"]["verdict"] == "warn"
    assert checks[f"directory {dead}"]["verdict"] == "fail" and "unreachable" in checks[f"directory {dead}"]["detail"]
    scan = checks["scan server localhost"]
    assert scan["verdict"] == "fail" and "not trusted" in scan["detail"], scan


def test_doctor_text_output_has_a_verdict_per_line(tmp_path):
    conf = tmp_path / "kiosk.toml"
    conf.write_text(f'[directory]\nlocal_file = "{tmp_path / "nobody.toml"}"\n[spool]\ndirectory = "{tmp_path}"\n')
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(conf), "doctor", "--no-scanner"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1
    assert lines[0].startswith("FAIL") and "nobody.toml" in lines[0]
    assert all(line.split()[0] in {"OK", "WARN", "FAIL", "SKIP"} for line in lines[:-1])
    assert lines[-1].startswith("doctor: ") and "problem" in lines[-1]
