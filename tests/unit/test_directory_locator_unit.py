"""Locator and base-DN helpers without a server."""

from __future__ import annotations

import pytest

from kiosk.directory.errors import DirectoryConfigError
from kiosk.directory.ldap import _data_context
from kiosk.directory.locator import _nameserver, resolver, srv_names


@pytest.mark.parametrize(
    ("text", "address", "port"),
    [
        ("127.0.0.53", "127.0.0.53", 53),
        ("127.0.0.1:5353", "127.0.0.1", 5353),
        ("[::1]:5300", "::1", 5300),
        ("::1", "::1", 53),
    ],
)
def test_dns_server_forms(text, address, port):
    server = _nameserver(text)
    assert (server.address, server.port) == (address, port)


def test_a_bad_dns_server_is_a_config_error():
    with pytest.raises(DirectoryConfigError, match="dns_servers"):
        resolver(["not an address"])


def test_site_records_come_first():
    assert srv_names("corp.example", "HQ") == [
        "_ldap._tcp.HQ._sites.dc._msdcs.corp.example",
        "_ldap._tcp.dc._msdcs.corp.example",
    ]


def test_data_context_skips_configuration_and_monitor():
    values = {"namingContexts": [b"cn=config", b"cn=Monitor", b"o=Example", b"dc=other"]}
    assert _data_context(values) == "o=Example"
    assert _data_context({"namingContexts": [b"cn=config"]}) == ""
    assert _data_context({}) == ""


def test_locator_settings_are_checked_up_front():
    from kiosk.config import DirectorySettings
    from kiosk.directory import open_directory

    with pytest.raises(DirectoryConfigError, match="dns_servers"):
        open_directory(DirectorySettings(backend="ldap", domain="corp.example", dns_servers=["dc.corp.example"]))
    with pytest.raises(DirectoryConfigError, match="uris is empty"):
        open_directory(DirectorySettings(backend="ldap"))
    assert open_directory(DirectorySettings(backend="ldap", domain="corp.example")) is not None
