"""The ldap backend against the real slapd fixture: sign-in, processes, failover, injection, TLS."""

from __future__ import annotations

import logging

import pytest

from kiosk.config import DirectorySettings
from kiosk.directory import User, open_directory
from kiosk.directory.errors import (
    DirectoryConfigError,
    DirectoryReadError,
    DirectoryTlsError,
    DirectoryUnavailable,
    InvalidCredentials,
)
from kiosk.psp.model import NS_FSF
from tests.fixtures import directory_data as data
from tests.fixtures.slapd import Slapd, free_port
from tests.fixtures.tls import make_ca

TEMPLATE = f"uid={{username}},{data.PEOPLE_DN}"


def settings(uris, **overrides) -> DirectorySettings:
    values = dict(
        backend="ldap",
        uris=list(uris),
        bind_mode="dn_template",
        dn_template=TEMPLATE,
        user_attribute="uid",
        connect_timeout=2.0,
    )
    values.update(overrides)
    return DirectorySettings(**values)


def search_settings(uris, **overrides) -> DirectorySettings:
    return settings(
        uris,
        bind_mode="search",
        service_dn=data.ADMIN_DN,
        service_password=data.ADMIN_PASSWORD,
        user_attribute="sAMAccountName",
        **overrides,
    )


def dead_uri() -> str:
    return f"ldap://127.0.0.1:{free_port()}"


def names(session) -> set[str]:
    return {p.display_name for p in session.scan_processes().ok}


def test_dn_template_sign_in_reads_the_user(slapd):
    dave = data.USERS["dave"]
    with open_directory(settings([slapd.uri])).sign_in("dave", dave.password) as session:
        assert session.user == User(
            sid=dave.sid,
            login="dave",
            display_name="Dave Dalton",
            mail=dave.mail,
            language="nl",
            dn=session.user.dn,
        )
        assert session.user.dn.lower() == dave.dn.lower()
        assert names(session) == data.visible_processes("dave") == {"Scan to my folder", "Finance invoices"}


def test_search_mode_two_users_see_different_processes(slapd):
    directory = open_directory(search_settings([slapd.uri]))
    with (
        directory.sign_in("alice", data.USERS["alice"].password) as alice,
        directory.sign_in("bob", data.USERS["bob"].password) as bob,
    ):
        assert alice.user.sid == data.USERS["alice"].sid
        assert names(alice) == data.visible_processes("alice")
        assert names(bob) == data.visible_processes("bob")
        assert names(alice) != names(bob)


def test_processes_carry_guid_server_and_parsed_ticket(slapd):
    directory = open_directory(search_settings([slapd.uri]))
    with directory.sign_in("alice", data.USERS["alice"].password) as session:
        processes = {p.display_name: p for p in session.scan_processes().ok}
    invoices = processes["Finance invoices"]
    expected = next(p for p in data.PROCESSES if p.display_name == "Finance invoices")
    assert invoices.identifier == str(expected.guid).upper()  # as the directory tools write it
    assert invoices.server_name == "scanserver.example.com"
    assert invoices.scan_repository == "scanserver.example.com"
    assert invoices.ticket.format is not None and invoices.ticket.format.must_honor
    assert invoices.instructions.filters[0].dialect == NS_FSF
    assert invoices.xml == expected.xml


def test_big_endian_layout_reads_a_different_guid(slapd):
    directory = open_directory(search_settings([slapd.uri], guid_layout="big-endian"))
    with directory.sign_in("carol", data.USERS["carol"].password) as session:
        (process,) = session.scan_processes().ok
    stored = data.PROCESSES[0].guid.bytes_le
    assert process.identifier == str(__import__("uuid").UUID(bytes=stored)).upper()
    assert process.identifier != str(data.PROCESSES[0].guid)


def test_small_pages_return_every_process(slapd):
    directory = open_directory(search_settings([slapd.uri], page_size=1))
    with directory.sign_in("alice", data.USERS["alice"].password) as session:
        assert names(session) == data.visible_processes("alice")


def test_malformed_and_oversized_processes_are_left_out_with_a_count(slapd, caplog):
    caplog.set_level(logging.WARNING, "kiosk.directory")
    with open_directory(settings([slapd.uri])).sign_in("erin", data.USERS["erin"].password) as session:
        result = session.scan_processes()
    assert [p.display_name for p in result.ok] == ["Scan to my folder"]
    skipped = {s.name: s.reason for s in result.skipped}
    assert set(skipped) == {"Broken process", "Oversized process"}
    assert "not well-formed" in skipped["Broken process"]
    assert "limit is 524288" in skipped["Oversized process"]
    assert "Broken process" in caplog.text and "Oversized process" in caplog.text


def test_a_server_size_limit_keeps_what_came_and_says_more_exist(tmp_path):
    from tests.fixtures.slapd import Slapd

    server = Slapd(tmp_path).start(None, data.access_rules() + "\nlimits users size=2")
    try:
        directory = open_directory(search_settings([server.uri], page_size=1))
        with directory.sign_in("alice", data.USERS["alice"].password) as session:
            result = session.scan_processes()
    finally:
        server.stop()
    assert len(result.ok) == 2 and {p.display_name for p in result.ok} < data.visible_processes("alice")
    (more,) = result.skipped
    assert "size limit" in more.reason


def test_process_filter_narrows_the_search(slapd):
    directory = open_directory(search_settings([slapd.uri], process_filter="(!(displayName=Alice private))"))
    with directory.sign_in("alice", data.USERS["alice"].password) as session:
        assert names(session) == {"Scan to my folder", "Finance invoices"}


def test_explicit_base_dn_and_container(slapd):
    directory = open_directory(settings([slapd.uri], base_dn=data.DOMAIN, psp_container="CN=Nothing,CN=System"))
    with directory.sign_in("dave", data.USERS["dave"].password) as session:
        assert session.scan_processes().ok == ()


@pytest.mark.parametrize("mode", ["dn_template", "search"])
def test_wrong_password_and_unknown_user(slapd, mode):
    make = settings if mode == "dn_template" else search_settings
    directory = open_directory(make([slapd.uri]))
    login = "dave" if mode == "dn_template" else "alice"
    for name, password in [(login, "wrong"), ("nobody", "whatever"), (login, "")]:
        with pytest.raises(InvalidCredentials) as caught:
            directory.sign_in(name, password)
        assert caught.value.user_message == "Wrong user name or password."
        assert password not in str(caught.value) or password == ""


@pytest.mark.parametrize("mode", ["dn_template", "search"])
@pytest.mark.parametrize(
    "name", ["*)(objectClass=*", "admin)(|(a=*", "*", "dave*", "alice)(uid=*", "dave,OU=People", "uid=dave", "\\2a"]
)
def test_injection_signs_nobody_in(slapd, mode, name):
    make = settings if mode == "dn_template" else search_settings
    directory = open_directory(make([slapd.uri]))
    for password in (data.USERS["alice"].password, data.USERS["dave"].password, data.ADMIN_PASSWORD):
        with pytest.raises(InvalidCredentials):
            directory.sign_in(name, password)


@pytest.mark.parametrize("mode", ["ntlm", "upn"])
def test_ad_bind_modes_against_openldap_are_a_setup_error(slapd, mode):
    # slapd has no NTLM bind and no UPN names: the panel must not say "wrong password".
    directory = open_directory(settings([slapd.uri], bind_mode=mode, ntlm_domain="EXAMPLE"))
    with pytest.raises(DirectoryConfigError):
        directory.sign_in("alice", data.USERS["alice"].password)


def test_a_user_without_or_with_a_broken_sid(tmp_path):
    from kiosk.directory.errors import UserHasNoSid
    from tests.fixtures.slapd import Slapd

    ldif = data.ldif() + "".join(
        f"\ndn: uid={login},{data.PEOPLE_DN}\nobjectClass: inetOrgPerson\n{extra}cn: {login}\nsn: {login}\n"
        f"uid: {login}\nuserPassword: {data.ssha('pw-' + login)}\n"
        for login, extra in [
            ("nosid", ""),
            # Five bytes: a SID header that promises sub-authorities it does not hold.
            ("badsid", "objectClass: securityPrincipal\nsAMAccountName: badsid\nobjectSid:: AQUAAAA=\n"),
        ]
    )
    server = Slapd(tmp_path).start(ldif)
    try:
        directory = open_directory(settings([server.uri]))
        for login in ("nosid", "badsid"):
            with pytest.raises(UserHasNoSid) as caught:
                directory.sign_in(login, f"pw-{login}")
            assert "security identifier" in caught.value.user_message
    finally:
        server.stop()


def test_first_server_dead_second_alive(slapd):
    directory = open_directory(settings([dead_uri(), slapd.uri]))
    with directory.sign_in("dave", data.USERS["dave"].password) as session:
        assert names(session) == data.visible_processes("dave")


def test_all_servers_dead(slapd):
    directory = open_directory(settings([dead_uri(), dead_uri()]))
    with pytest.raises(DirectoryUnavailable) as caught:
        directory.sign_in("dave", data.USERS["dave"].password)
    assert caught.value.user_message.startswith("No directory server")
    assert data.USERS["dave"].password not in str(caught.value)


def test_closed_session_reads_nothing(slapd):
    session = open_directory(settings([slapd.uri])).sign_in("dave", data.USERS["dave"].password)
    session.close()
    session.close()
    with pytest.raises(DirectoryReadError):
        session.scan_processes()


def test_config_problems_are_reported_up_front(tmp_path):
    with pytest.raises(DirectoryConfigError, match="uris is empty"):
        open_directory(DirectorySettings(backend="ldap"))
    with pytest.raises(DirectoryConfigError, match="dn_template"):
        open_directory(settings(["ldap://127.0.0.1:1"], dn_template="uid=x"))
    with pytest.raises(DirectoryConfigError, match="process_filter"):
        open_directory(settings(["ldap://127.0.0.1:1"], process_filter="(unbalanced"))
    with pytest.raises(DirectoryConfigError, match="ca_file"):
        open_directory(settings(["ldaps://127.0.0.1:1"], ca_file=str(tmp_path / "missing.pem")))
    # A non-LDAP URI is refused by the configuration itself (issue #14), before any directory opens.
    with pytest.raises(ValueError, match="not a ldap:// or ldaps://host URL"):
        settings(["http://127.0.0.1:1"])


# --- TLS ---------------------------------------------------------------------------------------


def test_ldaps_with_the_test_ca(tls_slapd):
    directory = open_directory(settings([tls_slapd.ldaps_uri], ca_file=str(tls_slapd.tls.ca)))
    with directory.sign_in("dave", data.USERS["dave"].password) as session:
        assert names(session) == data.visible_processes("dave")


def test_start_tls_with_the_test_ca(tls_slapd):
    directory = open_directory(settings([tls_slapd.uri], start_tls=True, ca_file=str(tls_slapd.tls.ca)))
    with directory.sign_in("dave", data.USERS["dave"].password) as session:
        assert session.user.sid == data.USERS["dave"].sid


@pytest.mark.parametrize("start_tls", [False, True])
def test_an_unknown_ca_is_a_tls_error(tls_slapd, tmp_path, start_tls):
    other_ca, _, _ = make_ca(tmp_path, "another CA")
    uri = tls_slapd.uri if start_tls else tls_slapd.ldaps_uri
    directory = open_directory(settings([uri], start_tls=start_tls, ca_file=str(other_ca)))
    with pytest.raises(DirectoryTlsError) as caught:
        directory.sign_in("dave", data.USERS["dave"].password)
    assert "identity could not be verified" in caught.value.user_message


def test_a_certificate_for_another_host_is_a_tls_error(tmp_path):
    from tests.fixtures.slapd import Slapd
    from tests.fixtures.tls import make_server_tls

    tls = make_server_tls(tmp_path / "pki", names=("ldap.example.com",))
    server = Slapd(tmp_path / "slapd", tls=tls).start()
    try:
        directory = open_directory(settings([server.ldaps_uri], ca_file=str(tls.ca)))
        with pytest.raises(DirectoryTlsError) as caught:
            directory.sign_in("dave", data.USERS["dave"].password)
        assert "ldap.example.com" in str(caught.value)
    finally:
        server.stop()


def test_tls_failure_on_the_first_server_falls_over_to_the_next(tls_slapd, caplog):
    # LDAPS to the plain-LDAP port: the handshake fails, the second server is used.
    broken = f"ldaps://127.0.0.1:{tls_slapd.port}"
    directory = open_directory(settings([broken, tls_slapd.uri], start_tls=True, ca_file=str(tls_slapd.tls.ca)))
    caplog.set_level(logging.WARNING, "kiosk.directory")
    with directory.sign_in("dave", data.USERS["dave"].password) as session:
        assert session.user.login == "dave"
    assert broken in caplog.text


def test_tls_verify_off_works_and_warns_at_every_sign_in(tls_slapd, tmp_path, caplog):
    other_ca, _, _ = make_ca(tmp_path, "another CA")
    directory = open_directory(settings([tls_slapd.ldaps_uri], ca_file=str(other_ca), tls_verify=False))
    caplog.set_level(logging.WARNING, "kiosk.directory")
    for _ in range(2):
        with directory.sign_in("dave", data.USERS["dave"].password):
            pass
    assert caplog.text.count("NOT verified") == 2


def test_no_password_reaches_the_log_or_the_errors(slapd, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = [data.USERS["alice"].password, data.ADMIN_PASSWORD, "Wr0ng-Secret"]
    messages = []
    directory = open_directory(search_settings([dead_uri(), slapd.uri]))
    with directory.sign_in("alice", data.USERS["alice"].password) as session:
        session.scan_processes()
    for name, password in [("alice", "Wr0ng-Secret"), ("*", data.USERS["alice"].password)]:
        with pytest.raises(InvalidCredentials) as caught:
            directory.sign_in(name, password)
        messages += [str(caught.value), caught.value.user_message]
    text = caplog.text + "\n".join(messages)
    assert "signed in alice" in caplog.text
    assert not [s for s in secrets if s in text]


def test_without_ad_rootdse_the_base_dn_comes_from_naming_contexts(tmp_path):
    server = Slapd(tmp_path / "plain-rootdse", ad_rootdse=False).start()
    try:
        with open_directory(settings([server.uri])).sign_in("dave", data.USERS["dave"].password) as session:
            assert session.psp_base.lower() == data.PSPS_DN.lower()
            assert names(session) == data.visible_processes("dave")
    finally:
        server.stop()


def test_start_tls_auto_stays_plain_with_a_warning_when_not_offered(slapd, caplog):
    caplog.set_level(logging.WARNING)
    with open_directory(settings([slapd.uri])).sign_in("dave", data.USERS["dave"].password):
        pass
    assert "refuses StartTLS" in caplog.text
    caplog.clear()
    with open_directory(settings([slapd.uri], start_tls=False)).sign_in("dave", data.USERS["dave"].password):
        pass
    assert "refuses StartTLS" not in caplog.text


def test_start_tls_auto_uses_tls_when_offered(tls_slapd, tmp_path):
    # Offered, so it is used, and verified: a CA that did not sign the certificate fails.
    other_ca, _, _ = make_ca(tmp_path / "other")
    with pytest.raises(DirectoryTlsError):
        open_directory(settings([tls_slapd.uri], ca_file=str(other_ca))).sign_in("dave", data.USERS["dave"].password)
    directory = open_directory(settings([tls_slapd.uri], ca_file=str(tls_slapd.tls.ca)))
    with directory.sign_in("dave", data.USERS["dave"].password) as session:
        assert session.user.login == "dave"
