"""WS-DSP over HTTPS: a CA made in the test, the system store, directory roots, client certificates."""

from __future__ import annotations

import ssl

import pytest

from kiosk.config import ScanServerSettings
from kiosk.dsm.client import WsdspClient
from kiosk.dsm.discovery import EndpointResolver
from kiosk.dsm.errors import InsecureEndpoint, TlsError
from kiosk.errors import DeliveryError
from tests.fixtures.scan_server import ScanServer, ServerTls
from tests.fixtures.tls import make_pki
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def https_server(pki, tmp_path):
    server = ScanServer(tmp_path / "server", tls=ServerTls(pki.server_cert, pki.server_key)).start()
    yield server
    server.stop()


def job_flow(client: WsdspClient, tmp_path) -> str:
    token = client.create_post_scan_job(SID, PSP_ID, instructions())
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 300_000)
    client.send_image(token, 1, "pdf-a", doc)
    client.end_post_scan_job(token)
    return token


def test_whole_flow_over_https_with_the_configured_ca(https_server, pki, tmp_path):
    assert https_server.endpoint.startswith("https://")
    settings = ScanServerSettings(ca_file=str(pki.ca))
    with WsdspClient(https_server.endpoint, settings) as c:
        token = job_flow(c, tmp_path)
    assert https_server.wait_for_state(token)["state"] == "Completed"
    assert https_server.record(token)["documents"][0]["size"] == 600_009


def test_an_untrusted_server_is_refused_permanently(https_server, tmp_path):
    with WsdspClient(https_server.endpoint, ScanServerSettings()) as c:  # system store only
        with pytest.raises(TlsError) as err:
            c.create_post_scan_job(SID, PSP_ID, instructions())
    assert not err.value.retryable and "certificate" in str(err.value).lower()
    assert https_server.records() == []


def test_enterprise_roots_from_the_directory_are_trusted(https_server, pki, tmp_path):
    roots_read = []

    def directory_roots() -> list[bytes]:
        roots_read.append(True)
        return [ssl.PEM_cert_to_DER_cert(pki.ca_pem)]  # cACertificate holds DER

    with WsdspClient(https_server.endpoint, ScanServerSettings(ca_from_directory=True), extra_cas=directory_roots) as c:
        token = job_flow(c, tmp_path)
    assert roots_read and https_server.wait_for_state(token)["state"] == "Completed"


def test_plain_http_needs_allow_http(scan_server):
    with pytest.raises(InsecureEndpoint):
        WsdspClient(scan_server.endpoint, ScanServerSettings())
    with pytest.raises(InsecureEndpoint):
        EndpointResolver(ScanServerSettings(endpoints={"scans": scan_server.endpoint})).resolve("scans")


def test_strong_mode_client_certificate(pki, tmp_path):
    server = ScanServer(tmp_path / "strong", tls=ServerTls(pki.server_cert, pki.server_key, pki.ca, True)).start()
    try:
        strong = ScanServerSettings(
            ca_file=str(pki.ca), client_cert=str(pki.client_cert), client_key=str(pki.client_key)
        )
        with WsdspClient(server.endpoint, strong) as c:
            token = job_flow(c, tmp_path)
        assert server.wait_for_state(token)["state"] == "Completed"
        with WsdspClient(server.endpoint, ScanServerSettings(ca_file=str(pki.ca))) as c:
            with pytest.raises(DeliveryError):
                c.create_post_scan_job(SID, PSP_ID, instructions())
        assert len(server.records()) == 1
        assert "TLS handshake" in server.log()
    finally:
        server.stop()


def test_a_missing_ca_file_is_a_clear_error(https_server):
    with pytest.raises(TlsError) as err:
        WsdspClient(https_server.endpoint, ScanServerSettings(ca_file="/nonexistent/ca.pem"))
    assert "TLS setup" in str(err.value) and not err.value.retryable
