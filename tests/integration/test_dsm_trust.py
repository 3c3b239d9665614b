"""The scan server admits enrolled devices and entitled users only, and runs its own copy of the
scan process (issue #14, S1-S4, S6-S9), through the real server, TLS and the real client."""

from __future__ import annotations

import json
import logging
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from kiosk.commands.enroll import make_request
from kiosk.config import ScanServerSettings
from kiosk.directory.passwords import hash_password
from kiosk.dsm.client import WsdspClient
from kiosk.dsm.errors import (
    DeviceNotEnrolled,
    JobTokenNotFound,
    JobTooLarge,
    NotEntitled,
    NotPermitted,
    ProcessNotFound,
    ScanServerUnreachable,
    TlsError,
)
from kiosk.psp.model import NS_PSP, NS_SPX
from tests.fixtures.psp_samples import psp_xml
from tests.fixtures.scan_server import ScanServer, ServerTls
from tests.fixtures.tls import make_ca, make_server_tls

ALICE = "S-1-5-21-1111-2222-3333-1001"
BOB = "S-1-5-21-1111-2222-3333-1002"
ALICE_ONLY = "A11CE000-0000-4000-8000-000000000001"
MAIL = "3A110000-0000-4000-8000-000000000002"
MAIL_OPEN = "3A110000-0000-4000-8000-000000000003"
RENAME = "2E4A3E00-0000-4000-8000-000000000004"
SHARE = r"\\files.example.com\scans"


def instructions_of(xml: str) -> str:
    root = etree.fromstring(xml.encode())
    return etree.tostring(root.find(f"{{{NS_PSP}}}PostScanInstructions"), encoding="unicode")


def spx(xml: str, *flags: str) -> str:
    extra = "".join(f'<spx:{f} xmlns:spx="{NS_SPX}">true</spx:{f}>' for f in flags)
    return xml.replace("</psp:FiltersToProcess>", "</psp:FiltersToProcess>" + extra, 1)


PROCESSES = {
    ALICE_ONLY: psp_xml(shares=(SHARE,)),
    MAIL: psp_xml(shares=(), emails=("team@example.com",)),
    MAIL_OPEN: psp_xml(shares=(), emails=("team@example.com",), can_add_addresses=True),
    RENAME: spx(psp_xml(shares=(SHARE,)), "AllowDeviceFileNameChange", "AllowDeviceFilePathChange"),
}


def directory_file(folder: Path) -> Path:
    password = json.dumps(hash_password("secret", "pbkdf2-sha256"))
    entries = [
        ("Alice only", ALICE_ONLY, 'users = ["alice"]'),
        ("Mail", MAIL, "everyone = true"),
        ("Mail open", MAIL_OPEN, "everyone = true"),
        ("Rename", RENAME, 'groups = ["staff"]'),
    ]
    text = f'domain = "EXAMPLE"\n[users.alice]\npassword = {password}\nsid = "{ALICE}"\ngroups = ["staff"]\n'
    text += f'mail = "alice@example.com"\n[users.bob]\npassword = {password}\nsid = "{BOB}"\n'
    for name, ident, who in entries:
        text += f'[[processes]]\nname = "{name}"\nidentifier = "{ident}"\n{who}\nxml = {json.dumps(PROCESSES[ident])}\n'
    path = folder / "directory.toml"
    path.write_text(text)
    return path


class Device:
    def __init__(self, folder: Path, name: str) -> None:
        self.key = folder / f"{name}.key"
        self.csr = folder / f"{name}.csr"
        make_request(self.key, self.csr, name)
        self.cert = folder / f"{name}.pem"
        self.fingerprint = ""


def enroll(server_config: Path, device: Device, *extra: str) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "dsm_server", "enroll", str(device.csr), "--config", str(server_config), "--json"]
        + ["--out", str(device.cert), *extra],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    device.fingerprint = result["fingerprint"]
    return result


def revoke(server_config: Path, device: Device) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "dsm_server", "enroll", str(device.cert), "--revoke", "--config", str(server_config)]
        + ["--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def site_pki(folder: Path):
    """The server's TLS files, the device CA's certificate and its key file (for enroll)."""
    from cryptography.hazmat.primitives import serialization

    server_tls = make_server_tls(folder / "server-pki")
    ca_path, ca_key, _ = make_ca(folder / "device-pki", "device CA")
    ca_key_path = folder / "device-pki" / "ca.key"
    ca_key_path.write_bytes(
        ca_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return server_tls, ca_path, ca_key_path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trust")
    server_tls, ca_path, ca_key_path = site_pki(folder)
    devices_file = folder / "devices.txt"
    devices_file.write_text("# enrolled devices\n")
    server = ScanServer(
        folder / "server",
        tls=ServerTls(server_tls.cert, server_tls.key, ca_path, True),
        shares={SHARE: str(folder / "scans"), r"\\hr\confidential": str(folder / "hr")},
        extra={
            "insecure_lab_mode": False,
            "default_share_root": "",
            "devices": {"fingerprints_file": str(devices_file), "ca_key": str(ca_key_path)},
            "directory": {"backend": "local", "local_file": str(directory_file(folder))},
            "limits": {
                "max_documents_per_job": 3,
                "max_job_mb": 1,
                "max_recipients": 5,
                "mail_domains": ["example.com"],
            },
        },
    )
    server.write_config({})
    a, b, stranger = (Device(folder / "kiosks", n) for n in ("kiosk-a", "kiosk-b", "kiosk-c"))
    enroll(server.config_path, a, "--add")
    enroll(server.config_path, b, "--add")
    enroll(server.config_path, stranger)  # signed by the device CA, but not on the list
    server.start()
    yield {"server": server, "ca": server_tls.ca, "a": a, "b": b, "stranger": stranger, "folder": folder}
    server.stop()


def settings_for(site, device: Device | None, **more) -> ScanServerSettings:
    values = dict(ca_file=str(site["ca"]), connect_timeout=5.0, read_timeout=20.0, **more)
    if device is not None:
        values |= dict(client_cert=str(device.cert), client_key=str(device.key))
    return ScanServerSettings(**values)


def client(site, device: Device | None = None) -> WsdspClient:
    return WsdspClient(site["server"].endpoint, settings_for(site, device or site["a"]))


def pdf(tmp_path: Path, name: str = "doc.pdf", size: int = 100) -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n" + b"x" * size)
    return path


# -- S1: devices ----------------------------------------------------------------------------------
def test_default_configuration_refuses_plain_http(tmp_path):
    cfg = tmp_path / "server.toml"
    cfg.write_text(f'host = "127.0.0.1"\nport = 0\nstate_dir = "{tmp_path / "state"}"\n')
    run = subprocess.run(
        [sys.executable, "-m", "dsm_server", "--config", str(cfg)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 2 and "enrolled devices only" in run.stderr and "Traceback" not in run.stderr


def test_enroll_prints_the_fingerprint_of_the_signed_certificate(site):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = x509.load_pem_x509_certificate(site["a"].cert.read_bytes())
    assert cert.fingerprint(hashes.SHA256()).hex() == site["a"].fingerprint
    assert site["a"].fingerprint in (site["folder"] / "devices.txt").read_text()
    assert site["stranger"].fingerprint not in (site["folder"] / "devices.txt").read_text()


def test_no_device_certificate_fails_the_handshake(site):
    with WsdspClient(site["server"].endpoint, settings_for(site, None)) as c:
        with pytest.raises((TlsError, ScanServerUnreachable)):
            c.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
    assert site["server"].records() == [] or all(r["user_sid"] for r in site["server"].records())


def test_a_device_not_on_the_list_is_refused_with_a_fault(site):
    with client(site, site["stranger"]) as c:
        with pytest.raises(DeviceNotEnrolled) as info:
            c.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
    assert "not enrolled" in info.value.user_message and not info.value.retryable


def test_a_revoked_device_fails_the_handshake_even_while_the_server_runs(tmp_path):
    """`enroll --revoke` writes the device CA's revocation list ([tls] client_crl): the revoked
    device is refused in the handshake from its next connection on, the others go on."""
    server_tls, ca_path, ca_key_path = site_pki(tmp_path)
    crl = tmp_path / "devices.crl"
    server = ScanServer(
        tmp_path / "server",
        tls=ServerTls(server_tls.cert, server_tls.key, ca_path, True, crl),
        shares={SHARE: str(tmp_path / "scans")},
        extra={
            "insecure_lab_mode": False,
            "default_share_root": "",
            "devices": {"ca_key": str(ca_key_path)},  # no allow-list: every device the CA signed
            "directory": {"backend": "local", "local_file": str(directory_file(tmp_path))},
        },
    )
    server.write_config({})
    kept, lost, later = (Device(tmp_path / "kiosks", n) for n in ("kiosk-kept", "kiosk-lost", "kiosk-later"))
    for device in (kept, lost, later):
        enroll(server.config_path, device)
    site = {"server": server.start(), "ca": server_tls.ca}  # no list yet: nobody revoked
    try:

        def works(device: Device) -> bool:
            try:
                with client(site, device) as c:
                    c.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
                return True
            except (TlsError, ScanServerUnreachable):
                return False

        assert works(kept) and works(later) and works(lost)
        revoked = revoke(server.config_path, lost)
        assert revoked["revoked"] == 1 and revoked["fingerprint"] == lost.fingerprint
        assert works(kept) and works(later) and not works(lost)
        assert revoke(server.config_path, later)["revoked"] == 2  # the list grows
        assert works(kept) and not works(later) and not works(lost)
    finally:
        server.stop()


def test_revoke_refuses_what_it_cannot_do_with_a_clear_error(site, tmp_path):
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from tests.fixtures.tls import _issue

    def revoke(pem: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "dsm_server",
                "enroll",
                str(pem),
                "--revoke",
                "--config",
                str(site["server"].config_path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )

    no_list = revoke(site["a"].cert)  # this site keeps no revocation list
    assert no_list.returncode == 2 and "client_crl" in no_list.stderr and "Traceback" not in no_list.stderr
    _path, other_key, other_cert = make_ca(tmp_path / "other-pki", "other CA")
    cert, _key = _issue(other_key, other_cert, "intruder", ExtendedKeyUsageOID.CLIENT_AUTH)
    pem = tmp_path / "intruder.pem"
    pem.write_bytes(cert.public_bytes(Encoding.PEM))
    config = site["server"].config_path.read_text()
    with_list = tmp_path / "server.toml"
    with_list.write_text(config.replace('["tls"]\n', f'["tls"]\nclient_crl = "{tmp_path / "devices.crl"}"\n', 1))
    assert "client_crl" in with_list.read_text()
    site_copy = subprocess.run(
        [sys.executable, "-m", "dsm_server", "enroll", str(pem), "--revoke", "--config", str(with_list)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert site_copy.returncode == 2 and "not by the device CA" in site_copy.stderr, site_copy.stderr
    assert not (tmp_path / "devices.crl").exists()


def test_the_port_behind_the_tls_front_admits_nobody(site):
    import re

    import requests

    port = int(re.search(r"TLS front relays to 127\.0\.0\.1:(\d+)", site["server"].log()).group(1))
    envelope = '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>'
    answer = requests.post(
        f"http://127.0.0.1:{port}{site['server'].endpoint.split(str(site['server'].port), 1)[1]}",
        data=envelope,
        headers={"Content-Type": "application/soap+xml"},
        timeout=20,
    )
    assert answer.status_code == 400 and b"DeviceNotEnrolled" in answer.content


def test_dsm_kiosk_enroll_makes_a_key_and_request(tmp_path):
    from cryptography import x509

    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[spool]\nstate_directory = "{tmp_path / "state"}"\n')
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(cfg), "enroll", "--name", "kiosk-7", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    key, csr = Path(result["key"]), Path(result["csr"])
    assert key == tmp_path / "state" / "device.key" and key.stat().st_mode & 0o077 == 0
    request = x509.load_pem_x509_csr(csr.read_bytes())
    assert request.is_signature_valid and request.subject.rfc4514_string() == "CN=kiosk-7"


# -- users and processes (S1, S2) ----------------------------------------------------------------
def test_an_entitled_user_gets_the_servers_copy(site, tmp_path):
    server = site["server"]
    with client(site) as c:
        token = c.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
        c.send_image(token, 1, "pdf-a", pdf(tmp_path))
        c.end_post_scan_job(token)
    assert server.wait_for_state(token)["state"] == "Completed"
    assert list((site["folder"] / "scans").rglob("*.pdf"))


@pytest.mark.parametrize(
    ("sid", "process", "error"),
    [
        (BOB, ALICE_ONLY, NotEntitled),  # bob is not among the process's users
        ("S-1-5-21-9-9-9-1234", ALICE_ONLY, NotEntitled),  # no such user
        (ALICE, "0BADBAD0-0000-4000-8000-000000000000", ProcessNotFound),
    ],
)
def test_users_and_processes_the_directory_does_not_allow_are_refused(site, sid, process, error):
    with client(site) as c:
        with pytest.raises(error) as info:
            c.create_post_scan_job(sid, process, instructions_of(PROCESSES[ALICE_ONLY]))
    assert not info.value.retryable and info.value.user_message


def test_the_devices_own_instructions_cannot_redirect_the_files(site):
    evil = instructions_of(psp_xml(shares=(r"\\hr\confidential",)))
    with client(site) as c:
        with pytest.raises(NotPermitted):
            c.create_post_scan_job(ALICE, ALICE_ONLY, evil)
        # Allowed path change still only within the process's own share.
        with pytest.raises(NotPermitted):
            c.create_post_scan_job(ALICE, RENAME, instructions_of(psp_xml(shares=(r"\\hr\confidential",))))
        with pytest.raises(NotPermitted):
            c.create_post_scan_job(ALICE, RENAME, instructions_of(psp_xml(shares=(SHARE + r"\..\..\hr",))))
    assert not (site["folder"] / "hr").exists()


def test_an_allowed_path_change_stays_inside_the_share(site, tmp_path):
    sub = SHARE + r"\Team\2026"
    with client(site) as c:
        token = c.create_post_scan_job(ALICE, RENAME, instructions_of(spx(psp_xml(shares=(sub,)))))
        c.send_image(token, 1, "pdf-a", pdf(tmp_path))
        c.end_post_scan_job(token)
    assert site["server"].wait_for_state(token)["state"] == "Completed"
    assert list((site["folder"] / "scans" / "Team" / "2026").rglob("*.pdf"))


def test_lab_mode_is_logged_loudly(scan_server):
    assert "WARNING dsm_server: INSECURE LAB MODE" in scan_server.log()


# -- S3: e-mail ------------------------------------------------------------------------------------
def test_added_recipients_need_can_add_addresses_and_stay_within_limits(site):
    with client(site) as c:
        with pytest.raises(NotPermitted):
            c.create_post_scan_job(ALICE, MAIL, instructions_of(psp_xml(shares=(), emails=("x@evil.test",))))
        added = instructions_of(
            psp_xml(shares=(), emails=("team@example.com", "boss@example.com"), can_add_addresses=True)
        )
        assert c.create_post_scan_job(ALICE, MAIL_OPEN, added)
        outside = instructions_of(
            psp_xml(shares=(), emails=("team@example.com", "x@evil.test"), can_add_addresses=True)
        )
        with pytest.raises(NotPermitted):
            c.create_post_scan_job(ALICE, MAIL_OPEN, outside)
        many = tuple(f"u{i}@example.com" for i in range(1000))
        with pytest.raises(NotPermitted):
            c.create_post_scan_job(
                ALICE, MAIL_OPEN, instructions_of(psp_xml(shares=(), emails=many, can_add_addresses=True))
            )


# -- S4: jobs belong to their device; tokens not logged ---------------------------------------------
def test_another_device_cannot_touch_a_job(site, tmp_path, caplog):
    server = site["server"]
    with caplog.at_level(logging.INFO, logger="kiosk.dsm.client"):
        with client(site) as a:
            token = a.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
            with client(site, site["b"]) as b:
                with pytest.raises(JobTokenNotFound):
                    b.send_image(token, 1, "pdf-a", pdf(tmp_path))
                with pytest.raises(JobTokenNotFound):
                    b.cancel_post_scan_job(token)
                with pytest.raises(JobTokenNotFound):
                    b.get_post_scan_job_elements(token)
            a.send_image(token, 1, "pdf-a", pdf(tmp_path))
            a.end_post_scan_job(token)
    rec = server.wait_for_state(token)
    assert rec["state"] == "Completed" and len(rec["documents"]) == 1
    assert token not in caplog.text  # the client's log (INFO)
    assert token not in server.log()  # the server's log (INFO)


# -- S6/S8/S9: limits, purge, long names --------------------------------------------------------------
def test_documents_per_job_are_capped(site, tmp_path):
    with client(site) as c:
        token = c.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
        for n in (1, 2, 3):
            c.send_image(token, n, "pdf-a", pdf(tmp_path, f"{n}.pdf"))
        with pytest.raises(JobTooLarge):
            c.send_image(token, 4, "pdf-a", pdf(tmp_path, "4.pdf"))
        c.cancel_post_scan_job(token)


def test_bytes_per_job_are_capped(site, tmp_path):
    with client(site) as c:
        token = c.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
        c.send_image(token, 1, "pdf-a", pdf(tmp_path, "1.pdf", 600_000))
        with pytest.raises(JobTooLarge):
            c.send_image(token, 2, "pdf-a", pdf(tmp_path, "2.pdf", 600_000))
        c.cancel_post_scan_job(token)


def test_an_idle_job_expires_and_its_documents_go(tmp_path):
    from tests.fixtures.scan_server import scan_server_settings
    from tests.integration.test_dsm_flow import PSP_ID, SID, instructions

    server = ScanServer(tmp_path / "server", extra={"limits": {"job_idle_minutes": 0.02}}).start()
    try:
        with WsdspClient(server.endpoint, scan_server_settings(server)) as c:
            token = c.create_post_scan_job(SID, PSP_ID, instructions())
            c.send_image(token, 1, "pdf-a", pdf(tmp_path))
            rec = server.wait_for_state(token, ("Aborted",), timeout=60)  # never ended by the device
            assert rec["reasons"] == ["dsmk:JobIdleTimeout"]
            with pytest.raises(Exception) as info:
                c.send_image(token, 2, "pdf-a", pdf(tmp_path, "2.pdf"))
            assert "Aborted" in str(info.value)
        import time

        for _ in range(200):
            if not (server.state_dir / "documents" / token).exists():
                break
            time.sleep(0.05)
        assert not (server.state_dir / "documents" / token).exists()
    finally:
        server.stop()


def test_received_documents_are_purged_after_the_job(site, tmp_path):
    server = site["server"]
    with client(site) as c:
        token = c.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
        c.send_image(token, 1, "pdf-a", pdf(tmp_path))
        assert (server.state_dir / "documents" / token).is_dir()
        c.end_post_scan_job(token)
    server.wait_for_state(token)
    import time

    for _ in range(200):  # purging follows the end state
        if not (server.state_dir / "documents" / token).exists():
            break
        time.sleep(0.05)
    assert not (server.state_dir / "documents" / token).exists()


def test_a_255_character_root_name_is_fitted_to_the_file_system(site, tmp_path):
    name = "R" * 200 + "é" * 55  # 255 characters, 310 bytes
    with client(site) as c:
        token = c.create_post_scan_job(ALICE, RENAME, instructions_of(spx(psp_xml(shares=(SHARE,), root_name=name))))
        c.send_image(token, 1, "pdf-a", pdf(tmp_path))
        c.end_post_scan_job(token)
    rec = site["server"].wait_for_state(token)
    assert rec["state"] == "Completed", rec
    assert any(p.name.startswith("RRRR") and len(p.name.encode()) <= 255 for p in (site["folder"] / "scans").rglob("*"))


# -- S6/S7 at the HTTP level --------------------------------------------------------------------------
def raw_tls(site, device: Device) -> ssl.SSLSocket:
    ctx = ssl.create_default_context(cafile=str(site["ca"]))
    ctx.load_cert_chain(str(device.cert), str(device.key))
    sock = socket.create_connection(("127.0.0.1", site["server"].port), timeout=20)
    return ctx.wrap_socket(sock, server_hostname="127.0.0.1")


def test_a_huge_body_is_refused_before_it_is_sent(site):
    with raw_tls(site, site["a"]) as s:
        path = site["server"].endpoint.split("127.0.0.1", 1)[1].split("/", 1)[1]
        s.sendall(
            f"POST /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\n"
            f"Content-Length: {1 << 30}\r\n\r\n".encode()
        )
        answer = s.recv(4096)  # no byte of the body was sent
    assert answer.startswith(b"HTTP/1.1 413")


def test_requested_element_names_are_capped(site):
    with client(site) as c:
        token = c.create_post_scan_job(ALICE, ALICE_ONLY, instructions_of(PROCESSES[ALICE_ONLY]))
        service = c._service
        from zeep import xsd  # noqa: F401

        names = [
            etree.QName("http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/processing", "JobStatus")
        ] * 100
        from kiosk.dsm.errors import InvalidArgs

        with pytest.raises(InvalidArgs) as info:
            c._invoke("GetPostScanJobElements", dict(JobToken=token, RequestedElements={"Name": names}))
        assert "at most 16" in str(info.value)
        assert service is not None
        c.cancel_post_scan_job(token)


def test_a_huge_chunked_soap_body_is_refused_while_it_comes(site):
    """No Content-Length to check up front: max_soap_kb is counted as the chunks arrive (review)."""
    with raw_tls(site, site["a"]) as s:
        path = site["server"].endpoint.split("127.0.0.1", 1)[1].split("/", 1)[1]
        s.sendall(
            f"POST /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        chunk = b"x" * 65536
        answer = b""
        try:
            for _ in range(16 * 8):  # up to 8 MiB, far past the SOAP limit and short of a document's
                s.sendall(b"10000\r\n" + chunk + b"\r\n")
        except OSError:
            pass  # the server answered and closed
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_a_slow_client_still_uploading_after_a_413_finds_the_answer_at_the_end(site):
    """The answer comes at once, but a client that reads only after its upload (as HTTP
    libraries do) must still find it: the front keeps taking what it sends, longer than a fixed
    linger would."""
    with raw_tls(site, site["a"]) as s:
        path = site["server"].endpoint.split("127.0.0.1", 1)[1].split("/", 1)[1]
        s.sendall(
            f"POST /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        chunk = b"x" * (512 * 1024)
        started = time.monotonic()
        for _ in range(16):  # 8 MiB over ~4 s, well past the SOAP limit
            s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            time.sleep(0.25)
        assert time.monotonic() - started > 3
        assert s.recv(4096).startswith(b"HTTP/1.1 413")
