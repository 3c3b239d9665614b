"""WS-Discovery over loopback: unicast to 127.0.0.1 and ::1, and multicast on lo — or, where
the kernel gives lo no multicast, inside a network namespace the test creates (lo up, multicast
on), where the multicast tests run again as a pytest subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from lxml import etree

from kiosk.device import discovery, wsd
from kiosk.device.netif import PeerFilter, interface_addresses, parse_networks
from kiosk.dsm import protocol as p


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NETNS_ENV = "DSM_DEVICE_TEST_NETNS"
#: Set to 1 to take the namespace path even where lo has multicast (to test that path).
FORCE_NETNS_ENV = "DSM_DEVICE_TEST_FORCE_NETNS"


def lo_multicast_works() -> bool:
    port = free_udp_port()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as r, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            r.bind((wsd.WSD_MULTICAST_V4, port))
            mreq = socket.inet_aton(wsd.WSD_MULTICAST_V4) + socket.inet_aton("127.0.0.1")
            r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
            s.sendto(b"ping", (wsd.WSD_MULTICAST_V4, port))
            r.settimeout(1.0)
            return r.recvfrom(16)[0] == b"ping"
        except OSError:
            return False


def ran_in_namespace(request) -> bool:
    """True when this test was run (and passed) in a new network namespace instead of here."""
    if os.environ.get(NETNS_ENV) or (not os.environ.get(FORCE_NETNS_ENV) and lo_multicast_works()):
        return False
    unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
    script = 'ip link set lo up && ip link set lo multicast on && exec "$0" -m pytest -q -p no:cacheprovider "$1"'
    out = subprocess.run(
        [*unshare, "sh", "-c", script, sys.executable, request.node.nodeid],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, NETNS_ENV: "1", FORCE_NETNS_ENV: ""},
        cwd=str(request.config.rootpath),
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert " passed" in out.stdout
    return True


TARGET = wsd.Target("urn:uuid:7c8f5e0a-3b1d-4e6f-9a2b-0c1d2e3f4a5b", ("http://127.0.0.1:5357/device",), 3)


@pytest.fixture
def listen_udp():
    """A socket in the WS-Discovery group on lo, to see Hello and Bye."""
    socks = []

    def make(port: int) -> socket.socket:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((wsd.WSD_MULTICAST_V4, port))
        s.setsockopt(
            socket.IPPROTO_IP,
            socket.IP_ADD_MEMBERSHIP,
            socket.inet_aton(wsd.WSD_MULTICAST_V4) + socket.inet_aton("127.0.0.1"),
        )
        s.settimeout(5)
        socks.append(s)
        return s

    yield make
    for s in socks:
        s.close()


def responder(port: int, networks=("127.0.0.0/8", "::1/128"), **kw) -> discovery.DiscoveryResponder:
    addresses = interface_addresses(["lo"])
    return discovery.DiscoveryResponder(
        addresses, PeerFilter(parse_networks(networks)), lambda: TARGET, port=port, app_max_delay=0.05, **kw
    )


def actions_of(sock: socket.socket, count: int) -> list[etree._Element]:
    seen = []
    while len(seen) < count:
        data, _ = sock.recvfrom(65536)
        seen.append(etree.fromstring(data))
    return seen


def test_hello_probe_resolve_bye_on_loopback(listen_udp, request):
    if ran_in_namespace(request):
        return
    port = free_udp_port()
    group = listen_udp(port)
    r = responder(port).start()
    try:
        hello = actions_of(group, 1)[0]
        assert p.header_text(hello, "Action") == wsd.HELLO_ACTION
        assert hello.findtext(f".//{{{p.WSD}}}MetadataVersion") == "3"
        seq = hello.find(f".//{{{p.WSD}}}AppSequence")
        assert seq is not None and int(seq.get("MessageNumber")) >= 1

        # unicast, no Types: matches
        (m,) = discovery.probe("127.0.0.1", port=port, timeout=1.0)
        assert m.endpoint == TARGET.endpoint and m.xaddrs == TARGET.xaddrs and m.metadata_version == 3
        assert f"{{{wsd.WSCN}}}ScanDeviceType" in m.types
        # the scan device type matches, a printer type does not
        assert discovery.probe("127.0.0.1", port=port, timeout=1.0, types=((wsd.WSCN, "ScanDeviceType"),))
        printer = ("http://schemas.microsoft.com/windows/2006/08/wdp/print", "PrintDeviceType")
        assert discovery.probe("127.0.0.1", port=port, timeout=0.6, types=(printer,)) == []
        # IPv6 unicast
        (m6,) = discovery.probe("::1", port=port, timeout=1.0)
        assert m6.endpoint == TARGET.endpoint
        # multicast on lo
        (mm,) = discovery.probe(None, port=port, timeout=1.0, interface="127.0.0.1")
        assert mm.endpoint == TARGET.endpoint
        # Resolve: ours answers, someone else's does not
        (rm,) = discovery.resolve(TARGET.endpoint, "127.0.0.1", port=port, timeout=1.0)
        assert rm.xaddrs == TARGET.xaddrs
        assert (
            discovery.resolve("urn:uuid:00000000-0000-0000-0000-000000000000", "127.0.0.1", port=port, timeout=0.5)
            == []
        )
    finally:
        r.stop()
    rest = []
    group.settimeout(1)
    try:
        while True:
            rest.append(etree.fromstring(group.recvfrom(65536)[0]))
    except TimeoutError:
        pass
    assert wsd.BYE_ACTION in [p.header_text(e, "Action") for e in rest]


def test_repeats_follow_the_soap_over_udp_rules(listen_udp, request):
    if ran_in_namespace(request):
        return
    port = free_udp_port()
    group = listen_udp(port)
    r = responder(port, multicast_repeat=2).start()
    try:
        hellos = actions_of(group, 3)  # the Hello and its two repeats, one MessageID
        assert {p.header_text(e, "MessageID") for e in hellos} == {p.header_text(hellos[0], "MessageID")}
    finally:
        r.stop()


def test_a_repeated_probe_is_answered_once_per_message_id():
    port = free_udp_port()
    r = responder(port, unicast_repeat=0, multicast=False).start()
    try:
        env = wsd.probe()
        data = etree.tostring(env)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.8)
            s.sendto(data, ("127.0.0.1", port))
            s.sendto(data, ("127.0.0.1", port))
            replies = []
            try:
                while True:
                    replies.append(s.recvfrom(65536)[0])
            except TimeoutError:
                pass
        assert len(replies) == 1
        assert r.answered == 1
    finally:
        r.stop()


def test_peers_outside_the_networks_get_no_answer():
    port = free_udp_port()
    r = responder(port, networks=("10.0.0.0/8",), multicast=False).start()
    try:
        assert discovery.probe("127.0.0.1", port=port, timeout=0.6) == []
        assert r.refused >= 1 and r.answered == 0
    finally:
        r.stop()


def test_garbage_and_entities_are_ignored():
    port = free_udp_port()
    r = responder(port, multicast=False).start()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"not xml", ("127.0.0.1", port))
            s.sendto(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', ("127.0.0.1", port))
        # still answering afterwards
        assert discovery.probe("127.0.0.1", port=port, timeout=1.0)
    finally:
        r.stop()
