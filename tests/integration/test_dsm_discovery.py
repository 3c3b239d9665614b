"""Finding the WS-DSP endpoint: the fixed map, or a directed Probe and a metadata Get."""

from __future__ import annotations

import pytest

from kiosk.config import ScanServerSettings
from kiosk.dsm.client import WsdspClient
from kiosk.dsm.discovery import EndpointResolver
from kiosk.dsm.errors import ScanServerUnreachable
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions


def discovery_settings(server, **more) -> ScanServerSettings:
    return ScanServerSettings(discovery_scheme="http", discovery_port=server.port, allow_http=True, **more)


def test_the_fixed_map_wins_without_any_traffic(scan_server):
    scan_server.stop()  # nothing to talk to, and nothing needed
    settings = ScanServerSettings(endpoints={"scans.example.com": scan_server.endpoint}, allow_http=True)
    assert EndpointResolver(settings).resolve("scans.example.com") == scan_server.endpoint


def test_directed_probe_and_metadata_get_find_the_service(scan_server, caplog):
    caplog.set_level("DEBUG", logger="kiosk.dsm.discovery")
    resolver = EndpointResolver(discovery_settings(scan_server))
    endpoint = resolver.resolve("127.0.0.1")
    assert endpoint == scan_server.endpoint
    assert "/discovery/Probe" in caplog.text and "/transfer/Get" in caplog.text
    with WsdspClient(endpoint, discovery_settings(scan_server)) as c:
        assert c.create_post_scan_job(SID, PSP_ID, instructions())


def test_cache_expiry_and_forget(scan_server):
    now = [1000.0]
    resolver = EndpointResolver(discovery_settings(scan_server, discovery_cache_seconds=60), clock=lambda: now[0])
    assert resolver.resolve("localhost") == scan_server.endpoint.replace("127.0.0.1", "localhost")
    scan_server.stop()
    now[0] += 59
    assert resolver.resolve("LOCALHOST").startswith("http://localhost:")  # cached, case-insensitive
    now[0] += 2
    with pytest.raises(ScanServerUnreachable) as err:  # expired: discovery runs again
        resolver.resolve("localhost")
    assert err.value.retryable
    scan_server.start()
    assert resolver.resolve("localhost")
    scan_server.stop()
    resolver.forget("localhost")
    with pytest.raises(ScanServerUnreachable):
        resolver.resolve("localhost")
