"""ca_from_directory end to end: sign-in reads the enterprise root CAs from the real slapd and
keeps them; the delivery side trusts them for the reference scan server over HTTPS."""

from __future__ import annotations

import logging
import ssl
import stat

import pytest

from kiosk.cli import main
from kiosk.config import DirectorySettings, ScanServerSettings, Settings, SpoolSettings
from kiosk.directory import open_directory
from kiosk.dsm.client import WsdspClient
from kiosk.dsm.errors import TlsError
from kiosk.enterprise_roots import BUNDLE_NAME, bundle_reader
from kiosk.jobs.engine import ClientPool
from tests.fixtures import directory_data as data
from tests.fixtures.scan_server import ScanServer, ServerTls
from tests.fixtures.slapd import Slapd
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions
from tests.integration.test_dsm_https import job_flow


def root_settings(uri: str, state, ca_from_directory: bool = True, **scan_server) -> Settings:
    return Settings(
        directory=DirectorySettings(
            backend="ldap",
            uris=[uri],
            base_dn=data.DOMAIN,
            bind_mode="search",
            service_dn=data.ADMIN_DN,
            service_password=data.ADMIN_PASSWORD,
            user_attribute="sAMAccountName",
            connect_timeout=2.0,
        ),
        scan_server=ScanServerSettings(ca_from_directory=ca_from_directory, **scan_server),
        spool=SpoolSettings(state_directory=str(state)),
    )


def sign_in(settings: Settings, login: str = "alice") -> None:
    session = open_directory(settings).sign_in(login, data.USERS[login].password)
    session.close()


@pytest.fixture
def enterprise_server(slapd, tmp_path):
    pki = slapd.enterprise_pki
    server = ScanServer(tmp_path / "server", tls=ServerTls(pki.server_cert, pki.server_key)).start()
    yield server
    server.stop()


def test_sign_in_keeps_the_directory_roots_and_the_worker_trusts_them(slapd, enterprise_server, tmp_path):
    settings = root_settings(slapd.uri, tmp_path / "state", endpoints={"scans": enterprise_server.endpoint})
    sign_in(settings)

    bundle = tmp_path / "state" / BUNDLE_NAME
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o644
    assert ssl.PEM_cert_to_DER_cert(bundle.read_text()) == ssl.PEM_cert_to_DER_cert(slapd.enterprise_pki.ca_pem)
    assert [p.name for p in bundle.parent.iterdir()] == [BUNDLE_NAME]  # no temp file left

    # The worker's own clients (no user credentials) trust the kept roots.
    token = job_flow(ClientPool(settings)("scans"), tmp_path)
    assert enterprise_server.wait_for_state(token)["state"] == "Completed"


def test_without_the_directory_roots_the_scan_server_is_untrusted(slapd, enterprise_server, tmp_path):
    settings = root_settings(slapd.uri, tmp_path / "state")
    sign_in(settings)
    with WsdspClient(enterprise_server.endpoint, settings.scan_server) as c:  # system store only
        with pytest.raises(TlsError) as err:
            c.create_post_scan_job(SID, PSP_ID, instructions())
    assert "certificate" in str(err.value).lower()
    with WsdspClient(enterprise_server.endpoint, settings.scan_server, extra_cas=bundle_reader(settings)) as c:
        assert c.create_post_scan_job(SID, PSP_ID, instructions())
    assert len(enterprise_server.records()) == 1


def test_nothing_is_kept_unless_asked(slapd, tmp_path):
    settings = root_settings(slapd.uri, tmp_path / "state", ca_from_directory=False)
    sign_in(settings, "bob")
    assert not (tmp_path / "state").exists()
    assert bundle_reader(settings)() == []


def test_a_failure_to_keep_the_roots_does_not_fail_the_sign_in(slapd, tmp_path, caplog):
    state = tmp_path / "state"
    (state / BUNDLE_NAME).mkdir(parents=True)  # the rename onto it must fail
    with caplog.at_level(logging.WARNING, logger="kiosk.directory.ldap"):
        sign_in(root_settings(slapd.uri, state), "carol")
    assert "cannot keep the enterprise root CAs" in caplog.text
    assert data.USERS["carol"].password not in caplog.text
    assert sorted(p.name for p in state.iterdir()) == [BUNDLE_NAME]


def test_a_directory_without_roots_leaves_the_kept_bundle_alone(tmp_path, caplog):
    server = Slapd(tmp_path / "slapd").start(ldif=data.ldif())
    try:
        state = tmp_path / "state"
        state.mkdir()
        (state / BUNDLE_NAME).write_text("kept earlier\n")
        with caplog.at_level(logging.WARNING, logger="kiosk.directory.ldap"):
            sign_in(root_settings(server.uri, state))
        assert (state / BUNDLE_NAME).read_text() == "kept earlier\n"
        assert f"CN=Certification Authorities,CN=Public Key Services,CN=Services,{data.CONFIGURATION_DN}" in caplog.text
    finally:
        server.stop()


def test_the_scan_server_command_trusts_the_kept_roots(slapd, enterprise_server, tmp_path, capsys):
    state = tmp_path / "state"
    settings = root_settings(slapd.uri, state)
    sign_in(settings, "dave")
    with WsdspClient(enterprise_server.endpoint, settings.scan_server, extra_cas=bundle_reader(settings)) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions())
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        f'[scan_server]\nca_from_directory = true\nendpoints = {{ scans = "{enterprise_server.endpoint}" }}\n'
        f'[spool]\nstate_directory = "{state}"\n'
    )
    assert main(["--config", str(cfg), "scan-server", "job", "scans", token]) == 0
    assert f"{token}: Started" in capsys.readouterr().out
    cfg.write_text(cfg.read_text().replace("ca_from_directory = true", "ca_from_directory = false"))
    assert main(["--config", str(cfg), "scan-server", "job", "scans", token]) == 5  # DeliveryError: TLS
    assert "certificate" in capsys.readouterr().err.lower()
