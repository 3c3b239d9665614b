"""`dsm-kiosk doctor`'s verdicts and the "not configured yet" rule, without services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk import config as config_mod
from kiosk.cli import main
from kiosk.commands import doctor

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "packaging" / "etc" / "kiosk.toml"


def test_the_shipped_conffile_loads_and_is_not_configured_yet():
    settings = config_mod.load(SHIPPED)
    assert settings.ui.kiosk and settings.log.destination == "journald"
    (problem,) = doctor.configuration_problems(settings)
    assert "/etc/dsm-kiosk/directory.toml" in problem and "does not exist" in problem


def test_a_local_directory_file_or_ldap_uris_make_it_configured(tmp_path):
    (tmp_path / "directory.toml").write_text('domain = "SHOP"\n')
    conf = tmp_path / "kiosk.toml"
    conf.write_text('[directory]\nlocal_file = "directory.toml"\n')
    assert doctor.configuration_problems(config_mod.load(conf)) == []
    conf.write_text('[directory]\nbackend = "ldap"\n')
    assert "needs uris" in doctor.configuration_problems(config_mod.load(conf))[0]
    conf.write_text('[directory]\nbackend = "ldap"\nuris = ["ldaps://dc1.example.com"]\n')
    assert doctor.configuration_problems(config_mod.load(conf)) == []
    conf.write_text('[directory]\nbackend = "ldap"\ndomain = "example.com"\n')  # the DC locator
    assert doctor.configuration_problems(config_mod.load(conf)) == []


def test_a_config_that_does_not_load_is_one_failed_check(tmp_path, capsys):
    conf = tmp_path / "kiosk.toml"
    conf.write_text("[directory]\nno_such_key = 1\n")
    assert main(["--config", str(conf), "--json", "doctor"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False
    (check,) = out["checks"]
    assert check["name"] == "config" and check["verdict"] == "fail" and "no_such_key" in check["detail"]


def test_folders_writable_with_free_space_pass_and_a_missing_one_fails(tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    settings = config_mod.parse(
        {"spool": {"directory": str(spool), "state_directory": str(tmp_path / "missing"), "min_free_mb": 1}}
    )
    by_name = {c.name: c for c in doctor.check_folders(settings)}
    assert by_name["spool"].verdict == "ok" and by_name["spool"].data["free_mb"] >= 1
    assert by_name["state"].verdict == "fail" and "no such folder" in by_name["state"].detail
    full = settings.model_copy(update={"spool": settings.spool.model_copy(update={"min_free_mb": 10**12})})
    assert doctor.check_folders(full)[0].verdict == "fail"


def test_doctor_measures_free_space_as_the_engine_does(tmp_path):
    """In MiB, the unit of min_free_mb: a decimal MB would let doctor pass a spool the engine
    refuses to scan into (the two differ by ~5 %)."""
    from kiosk.jobs.spool import Spool

    spool = tmp_path / "spool"
    spool.mkdir()
    settings = config_mod.parse({"spool": {"directory": str(spool), "state_directory": str(spool), "min_free_mb": 1}})
    reported = {c.name: c for c in doctor.check_folders(settings)}["spool"].data["free_mb"]
    engine = Spool(spool).free_mb()
    assert abs(reported - engine) <= max(2, engine * 0.01)  # other writers may change it meanwhile


@pytest.mark.parametrize(("days", "verdict"), [(400, "ok"), (10, "warn"), (-1, "fail")])
def test_certificate_expiry_verdicts(days, verdict):
    import ssl
    import time

    now = time.time()
    stamp = time.strftime("%b %d %H:%M:%S %Y GMT", time.gmtime(now + days * 86400))
    assert ssl.cert_time_to_seconds(stamp)
    got, text, data = doctor._expiry({"notAfter": stamp}, now)
    assert got == verdict and data["not_after"] in text


def test_generalized_time_of_the_root_dse():
    assert doctor._generalized_time(b"20261128041500.0Z") == 1795839300.0
    assert doctor._generalized_time(b"garbage") is None


def test_report_prints_one_line_per_check_and_fails_on_any_failure(capsys):
    checks = [doctor.Check("config", "ok", "fine"), doctor.Check("scanner", "fail", "gone")]
    assert doctor.report(checks, as_json=False) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("OK") and "config" in lines[0]
    assert lines[1].startswith("FAIL") and lines[1].endswith("gone")
    assert lines[-1] == "doctor: 1 problem(s)"
    assert doctor.report([doctor.Check("config", "warn", "look")], as_json=False) == 0


@pytest.mark.parametrize(
    ("error", "unreachable"),
    [
        ("LDAPSocketOpenError", True),
        ("LDAPSessionTerminatedByServerError", True),  # no "socket" in its name: missed before
        ("LDAPSocketReceiveError", True),
        ("LDAPOperationsErrorResult", False),
        ("LDAPInvalidServerError", False),
    ],
)
def test_a_server_is_called_unreachable_only_for_communication_errors(error, unreachable):
    from ldap3.core import exceptions

    from kiosk.directory.ldap import ServerProbe

    probe = ServerProbe("ldaps://dc1.example.com", "", None, None, error=getattr(exceptions, error)("no"))
    check = doctor._ldap_check(probe, tls_verify=True)
    assert check.verdict == "fail"
    assert check.detail.startswith("unreachable") == unreachable, check.detail
