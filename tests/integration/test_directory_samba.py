"""The ldap backend against a real Active Directory (the Samba AD DC fixture): every directory
capability the OpenLDAP imitation covers, with AD's own schema, ACLs and error data."""

from __future__ import annotations

import json
import logging
import ssl
import subprocess
import uuid
from dataclasses import dataclass

import pytest

from kiosk.config import DirectorySettings, ScanServerSettings, Settings, SpoolSettings, parse
from kiosk.directory import open_directory
from kiosk.directory.errors import (
    AccountDisabled,
    AccountExpired,
    AccountLocked,
    DirectoryBindMethodRefused,
    DirectoryReadError,
    DirectoryTlsError,
    InvalidCredentials,
    PasswordExpired,
)
from kiosk.enterprise_roots import BUNDLE_NAME
from kiosk.psp.model import NS_FSF
from tests.fixtures.psp_samples import psp_xml
from tests.fixtures.samba import AdAccount
from tests.fixtures.tls import make_ca, make_pki


@dataclass
class Domain:
    dc: object
    anna: AdAccount
    ben: AdAccount
    carl: AdAccount
    service: AdAccount
    finance: AdAccount
    everyone_id: uuid.UUID


@pytest.fixture(scope="module")
def ad(samba_dc) -> Domain:
    """anna (Finance), ben, carl: who sees which process is decided by each process's DACL."""
    dc = samba_dc
    anna = dc.add_user("ds-anna", display_name="Anna Andersen", mail="anna@fabrikam.test")
    ben = dc.add_user("ds-ben", display_name="Ben Berg")
    carl = dc.add_user("ds-carl", display_name="Carl Cruz")
    service = dc.add_service_account("ds-svc")
    finance = dc.add_group("ds-finance", [anna])
    dc.set_attribute(anna.dn, "employeeID", ["B1001"])
    dc.set_attribute(ben.dn, "employeeID", ["B1002"])
    everyone = dc.add_scan_process(
        "DS everyone", psp_xml(repository="scan.fabrikam.test"), server_name="scan.fabrikam.test"
    )
    dc.add_scan_process("DS finance", psp_xml(job_name="Invoices"), readers=[finance])
    dc.add_scan_process("DS ben only", psp_xml(), readers=[ben])
    dc.add_scan_process("DS broken", "<psp:PostScanProcess", readers=[carl])
    return Domain(dc, anna, ben, carl, service, finance, everyone.identifier)


def settings(dc, **overrides) -> DirectorySettings:
    values = dict(
        backend="ldap",
        uris=[dc.ldaps_uri],
        ca_file=str(dc.ca),
        bind_mode="upn",
        connect_timeout=5.0,
        process_filter="(displayName=DS *)",
    )
    values.update(overrides)
    return DirectorySettings(**values)


def names(session) -> set[str]:
    return {p.display_name for p in session.scan_processes().ok}


def test_upn_over_ldaps_reads_the_user_and_acl_decides_the_processes(ad):
    directory = open_directory(settings(ad.dc))
    with directory.sign_in("ds-anna", ad.dc.PASSWORD) as anna:
        assert anna.user.sid == ad.anna.sid
        assert anna.user.sid.startswith(ad.dc.domain_sid + "-")
        assert anna.user.display_name == "Anna Andersen"
        assert anna.user.mail == "anna@fabrikam.test"
        assert anna.user.dn.lower() == ad.anna.dn.lower()
        assert names(anna) == {"DS everyone", "DS finance"}
    with directory.sign_in("ds-ben", ad.dc.PASSWORD) as ben:
        assert names(ben) == {"DS everyone", "DS ben only"}


def test_processes_carry_guid_server_and_ticket(ad):
    with open_directory(settings(ad.dc)).sign_in("ds-anna", ad.dc.PASSWORD) as session:
        (process,) = [p for p in session.scan_processes().ok if p.display_name == "DS everyone"]
        assert process.identifier.lower() == str(ad.everyone_id).lower()
        assert process.server_name == "scan.fabrikam.test"
        assert process.scan_repository == "scan.fabrikam.test"
        assert [f.dialect for f in process.instructions.filters] == [NS_FSF]


def test_a_broken_process_is_left_out_with_a_count(ad):
    with open_directory(settings(ad.dc)).sign_in("ds-carl", ad.dc.PASSWORD) as session:
        result = session.scan_processes()
        assert {p.display_name for p in result.ok} == {"DS everyone"}
        assert [s.name for s in result.skipped] == ["DS broken"]


def test_start_tls_and_the_base_dn_from_the_rootdse(ad):
    directory = open_directory(settings(ad.dc, uris=[ad.dc.ldap_uri], start_tls=True))
    with directory.sign_in("ds-ben", ad.dc.PASSWORD) as session:
        assert session.user.sid == ad.ben.sid
        assert session.psp_base == f"CN=PSPs,CN=System,{ad.dc.base_dn}"


def test_search_mode_with_a_service_account(ad):
    directory = open_directory(
        settings(ad.dc, bind_mode="search", service_dn=ad.service.dn, service_password=ad.dc.PASSWORD)
    )
    with directory.sign_in("ds-anna", ad.dc.PASSWORD) as session:
        assert session.user.sid == ad.anna.sid
        assert names(session) == {"DS everyone", "DS finance"}


def test_dn_template_mode(ad):
    directory = open_directory(
        settings(ad.dc, bind_mode="dn_template", dn_template=f"CN={{username}},CN=Users,{ad.dc.base_dn}")
    )
    with directory.sign_in("ds-ben", ad.dc.PASSWORD) as session:
        assert session.user.sid == ad.ben.sid


def test_badge_attribute_lookup(ad):
    directory = open_directory(
        parse(
            {
                "directory": settings(
                    ad.dc,
                    bind_mode="search",
                    service_dn=ad.service.dn,
                    service_password=ad.dc.PASSWORD,
                    badge_lookup="attribute",
                    badge_attribute="employeeID",
                ).model_dump(),
                "ui": {"badge_pattern": r"%(?P<user>B\d+)\?"},
            }
        )
    )
    assert directory.find_badge("%B1001?") == "ds-anna"
    assert directory.find_badge("%B1002?") == "ds-ben"
    assert directory.find_badge("%B9999?") is None


def test_wrong_password_and_unknown_user(ad):
    directory = open_directory(settings(ad.dc))
    with pytest.raises(InvalidCredentials) as wrong:
        directory.sign_in("ds-ben", "not-his-password")
    assert "52e" in str(wrong.value)
    with pytest.raises(InvalidCredentials):
        directory.sign_in("ds-nobody", ad.dc.PASSWORD)


@pytest.mark.parametrize(
    ("options", "error", "code"),
    [
        ({"disabled": True}, AccountDisabled, "533"),
        ({"expired": True}, AccountExpired, "701"),
        ({"must_change_password": True}, PasswordExpired, "773"),
    ],
)
def test_account_states_from_the_real_server(samba_dc, options, error, code):
    account = samba_dc.add_user(f"ds-state-{code}", **options)
    with pytest.raises(error) as refused:
        open_directory(settings(samba_dc)).sign_in(account.login, samba_dc.PASSWORD)
    assert f"AD data {code}" in str(refused.value)


def test_locked_out_after_the_lockout_policy(samba_dc):
    account = samba_dc.add_user("ds-locked")
    samba_dc.apply_password_policy(account, lockout_threshold=2)
    directory = open_directory(settings(samba_dc))
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            directory.sign_in(account.login, "not-the-password")
    with pytest.raises(AccountLocked) as locked:
        directory.sign_in(account.login, samba_dc.PASSWORD)
    assert "AD data 775" in str(locked.value)


def test_plain_ldap_simple_bind_is_a_bind_method_refusal(ad):
    directory = open_directory(settings(ad.dc, uris=[ad.dc.ldap_uri], start_tls=False))
    with pytest.raises(DirectoryBindMethodRefused) as refused:
        directory.sign_in("ds-ben", ad.dc.PASSWORD)
    text = str(refused.value)
    assert "strongerAuthRequired" in text
    assert "start_tls" in text and "ldaps" in text
    assert refused.value.user_message != InvalidCredentials.default_user_message


def test_an_unknown_ca_is_a_tls_error(ad, tmp_path):
    other_ca, _, _ = make_ca(tmp_path / "other")
    with pytest.raises(DirectoryTlsError):
        open_directory(settings(ad.dc, ca_file=str(other_ca))).sign_in("ds-ben", ad.dc.PASSWORD)


def test_ca_from_directory_reads_the_configuration_partition(ad, tmp_path):
    pki = make_pki(tmp_path / "enterprise", "Fabrikam Enterprise Root CA")
    ad.dc.add_enterprise_ca("Fabrikam Enterprise Root CA", ssl.PEM_cert_to_DER_cert(pki.ca_pem), pki.ca_crl)
    state = tmp_path / "state"
    root = Settings(
        directory=settings(ad.dc),
        scan_server=ScanServerSettings(ca_from_directory=True),
        spool=SpoolSettings(state_directory=str(state)),
    )
    open_directory(root).sign_in("ds-ben", ad.dc.PASSWORD).close()
    kept = (state / BUNDLE_NAME).read_text()
    assert pki.ca_pem.strip() in kept


def test_plain_uri_uses_start_tls_by_default(ad):
    # Samba refuses a simple bind without TLS, so signing in proves StartTLS was used.
    directory = open_directory(settings(ad.dc, uris=[ad.dc.ldap_uri]))
    assert directory.settings.start_tls == "auto"
    with directory.sign_in("ds-ben", ad.dc.PASSWORD) as session:
        assert session.user.sid == ad.ben.sid


def test_small_pages_return_every_process(ad):
    directory = open_directory(settings(ad.dc, page_size=1))
    with directory.sign_in("ds-anna", ad.dc.PASSWORD) as session:
        assert names(session) == {"DS everyone", "DS finance"}


@pytest.mark.parametrize("name", ["*", "ds-*", "ds-anna)(|(cn=*", "*)(objectClass=*", "\\2a"])
def test_injection_signs_nobody_in(ad, name):
    for mode in ("upn", "search"):
        directory = open_directory(
            settings(ad.dc, bind_mode=mode, service_dn=ad.service.dn, service_password=ad.dc.PASSWORD)
        )
        with pytest.raises(InvalidCredentials):
            directory.sign_in(name, ad.dc.PASSWORD)


def test_no_password_reaches_the_log_or_the_errors(ad, caplog):
    caplog.set_level(logging.DEBUG)
    directory = open_directory(settings(ad.dc))
    with directory.sign_in("ds-ben", ad.dc.PASSWORD) as session:
        session.scan_processes()
    with pytest.raises(InvalidCredentials) as caught:
        directory.sign_in("ds-ben", "Wr0ng-Secret-9")
    text = caplog.text + str(caught.value) + caught.value.user_message
    assert "signed in ds-ben" in caplog.text
    assert ad.dc.PASSWORD not in text and "Wr0ng-Secret-9" not in text


def test_a_closed_session_reads_nothing(ad):
    session = open_directory(settings(ad.dc)).sign_in("ds-ben", ad.dc.PASSWORD)
    session.close()
    with pytest.raises(DirectoryReadError):
        session.scan_processes()


def test_processes_command_against_ad(ad, python, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[directory]\nbackend = "ldap"\nuris = ["{ad.dc.ldap_uri}"]\nca_file = "{ad.dc.ca}"\n'
        'process_filter = "(displayName=DS *)"\n'
    )
    done = subprocess.run(
        [
            python,
            "-m",
            "kiosk",
            "--config",
            str(config),
            "processes",
            "--user",
            "ds-anna",
            "--password-stdin",
            "--json",
        ],
        input=ad.dc.PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["user"]["sid"] == ad.anna.sid
    assert sorted(p["name"] for p in out["processes"]) == ["DS everyone", "DS finance"]
    assert ad.dc.PASSWORD not in done.stdout + done.stderr


def test_ntlm_is_a_bind_method_refusal_not_an_unreachable_server(ad):
    directory = open_directory(settings(ad.dc, bind_mode="ntlm", ntlm_domain=ad.dc.domain))
    with pytest.raises(DirectoryBindMethodRefused) as refused:
        directory.sign_in("ds-ben", ad.dc.PASSWORD)
    assert "bind_mode upn" in str(refused.value) and "kerberos" in str(refused.value)
