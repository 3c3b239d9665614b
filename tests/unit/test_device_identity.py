"""The device's endpoint survives restarts; MetadataVersion goes up only when the metadata changes."""

from __future__ import annotations

import pytest

from kiosk.config import Settings, parse
from kiosk.device.identity import IdentityStore
from kiosk.device.netif import PeerFilter, parse_networks
from kiosk.errors import ConfigError


def test_stable_endpoint_and_metadata_version(tmp_path):
    first = IdentityStore(tmp_path).identity("model A")
    assert first.endpoint.startswith("urn:uuid:") and first.metadata_version == 1
    again = IdentityStore(tmp_path).identity("model A")  # a restart
    assert again == first
    changed = IdentityStore(tmp_path).identity("model B")
    assert changed.endpoint == first.endpoint and changed.metadata_version == 2


def test_a_damaged_identity_file_is_a_clear_error(tmp_path):
    (tmp_path / "device-identity.json").write_text("{nope")
    with pytest.raises(ConfigError, match="device identity"):
        IdentityStore(tmp_path).identity("x")


def test_device_is_off_by_default_and_networks_are_checked():
    assert Settings().device.enabled is False
    assert parse({"device": {"enabled": True, "interfaces": ["eth0"]}}).device.interfaces == ["eth0"]
    with pytest.raises(ConfigError, match="networks"):
        parse_networks(["not-a-net"])
    f = PeerFilter(parse_networks(["192.168.1.0/24", "fd00::/8"]))
    assert f.allows("192.168.1.20") and f.allows("::ffff:192.168.1.20") and f.allows("fd00::1%eth0")
    assert not f.allows("192.168.2.1") and not f.allows("garbage")
