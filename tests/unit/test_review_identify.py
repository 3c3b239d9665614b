"""Second reading of the device check behind the TLS front: the front's relayed connections come
from 127.0.0.1; a local process that connects to the loopback port from another loopback
address (127.0.0.2) with the same source port as a live relay must not pass for that device
(review)."""

from __future__ import annotations

import socket

import pytest

from dsm_server import config as server_config
from dsm_server.trust import Devices, Refused

FP = "ab" * 32


def test_a_relayed_port_counts_only_from_the_fronts_own_address():
    devices = Devices(server_config.parse({}))
    peers = {40001: FP}
    assert devices.identify({"REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "40001"}, peers.get) == f"cert:{FP}"
    with pytest.raises(Refused):
        devices.identify({"REMOTE_ADDR": "127.0.0.2", "REMOTE_PORT": "40001"}, peers.get)


def test_another_loopback_address_can_reuse_a_relays_source_port():
    """Why it matters: the same source port from 127.0.0.2 is a different connection (Linux)."""
    server = socket.create_server(("127.0.0.1", 0))
    relay = socket.create_connection(server.getsockname())
    port = relay.getsockname()[1]
    other = socket.socket()
    try:
        other.bind(("127.0.0.2", port))
    except OSError:
        pytest.skip("127.0.0.2 is not a local address here")
    other.connect(server.getsockname())
    accepted = [server.accept()[1] for _ in range(2)]
    assert sorted(a[1] for a in accepted) == [port, port]
    for s in (other, relay, server):
        s.close()
