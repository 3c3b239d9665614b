"""WS-Discovery 2005/04 over SOAP-over-UDP: the device's responder and a probing client.

Own code rather than the `wsdiscovery` package: that library says itself that it does not
verify what it receives, it binds to every interface (we must answer only on configured ones
and only to configured networks), and it has no MetadataVersion or DPWS metadata. The part we
need — a few messages, the repeat/delay rules and a duplicate filter — is small.

SOAP-over-UDP timing (the 2004/09 note DPWS 2006/02 uses): a multicast message is sent
1 + MULTICAST_UDP_REPEAT times, a unicast one 1 + UNICAST_UDP_REPEAT times; the first repeat
waits a random UDP_MIN_DELAY..UDP_MAX_DELAY, each further one twice as long, at most
UDP_UPPER_DELAY. Answers to a multicast Probe and the Hello wait a random 0..APP_MAX_DELAY first.
"""

from __future__ import annotations

import collections
import heapq
import ipaddress
import itertools
import logging
import random
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from kiosk.device import wsd
from kiosk.device.netif import InterfaceAddress, PeerFilter
from kiosk.dsm import protocol as p
from kiosk.dsm.protocol import SOAP, WSA, WSD, q

log = logging.getLogger("kiosk.device.discovery")

UDP_MIN_DELAY = 0.050
UDP_MAX_DELAY = 0.250
UDP_UPPER_DELAY = 0.500
#: Larger datagrams are dropped unread: no Probe or Resolve needs more.
MAX_DATAGRAM = 32 * 1024
#: Message IDs remembered for the duplicate filter (repeats of one message carry one ID).
SEEN_IDS = 512


def _serialize(env: etree._Element) -> bytes:
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


class _Sender:
    """One thread that sends every scheduled datagram (and its repeats) at its time."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._heap: list[tuple[float, int, socket.socket, bytes, tuple]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="wsd-sender", daemon=True)
        self._thread.start()

    def schedule(self, sock: socket.socket, data: bytes, address: tuple, *, delay: float, repeats: int) -> None:
        now = time.monotonic()
        due = now + delay
        wait = self._rng.uniform(UDP_MIN_DELAY, UDP_MAX_DELAY)
        with self._cond:
            for _ in range(repeats + 1):
                heapq.heappush(self._heap, (due, next(self._seq), sock, data, address))
                due += wait
                wait = min(wait * 2, UDP_UPPER_DELAY)
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._heap)

    def flush(self, timeout: float) -> None:
        """Wait until everything scheduled has gone (for Bye at shutdown)."""
        end = time.monotonic() + timeout
        with self._cond:
            while self._heap and time.monotonic() < end:
                self._cond.wait(0.05)

    def _run(self) -> None:
        with self._cond:
            while not self._stopped:
                if not self._heap:
                    self._cond.wait()
                    continue
                due = self._heap[0][0]
                now = time.monotonic()
                if due > now:
                    self._cond.wait(due - now)
                    continue
                _, _, sock, data, address = heapq.heappop(self._heap)
                try:
                    sock.sendto(data, address)
                except OSError as exc:
                    log.debug("WS-Discovery send to %s failed: %s", address, exc)
                self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._heap.clear()
            self._cond.notify_all()
        self._thread.join(timeout=5)


@dataclass
class _Endpoint:
    """A unicast socket on one configured address (also used to send multicast from there)."""

    address: InterfaceAddress
    sock: socket.socket


class DiscoveryResponder:
    """Answers Probe and Resolve on the configured addresses; Hello at start, Bye at stop.

    `target()` is asked at every answer, so a changed MetadataVersion or address is announced
    as it is (call `announce()` after a change to send a new Hello).
    """

    def __init__(
        self,
        addresses: list[InterfaceAddress],
        peer_filter: PeerFilter,
        target: Callable[[], wsd.Target],
        *,
        port: int = 3702,
        multicast: bool = True,
        app_max_delay: float = 0.5,
        multicast_repeat: int = 2,
        unicast_repeat: int = 1,
        rng: random.Random | None = None,
    ) -> None:
        self.addresses = addresses
        self.peer_filter = peer_filter
        self.target = target
        self.port = port
        self.multicast = multicast
        self.app_max_delay = app_max_delay
        self.multicast_repeat = multicast_repeat
        self.unicast_repeat = unicast_repeat
        self._rng = rng or random.Random()
        self.sequence = wsd.AppSequence.start()
        self._endpoints: list[_Endpoint] = []
        self._multicast_socks: list[socket.socket] = []
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sender: _Sender | None = None
        #: Counters for tests and `dsm-kiosk device status`.
        self.answered = 0
        self.refused = 0

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> DiscoveryResponder:
        self._sender = _Sender(self._rng)
        for addr in self.addresses:
            try:
                self._endpoints.append(_Endpoint(addr, self._unicast_socket(addr)))
            except OSError as exc:
                log.warning("WS-Discovery: cannot listen on %s port %s: %s", addr.address, self.port, exc)
        if self.multicast:
            self._join_groups()
        for sock in [e.sock for e in self._endpoints] + self._multicast_socks:
            self._selector.register(sock, selectors.EVENT_READ)
        self._thread = threading.Thread(target=self._run, name="wsd-responder", daemon=True)
        self._thread.start()
        self.announce()
        return self

    def announce(self) -> None:
        """Hello on every configured address (after a random 0..APP_MAX_DELAY)."""
        if self.multicast:
            data = _serialize(wsd.hello(self.target(), self.sequence))
            self._to_groups(data, delay=self._rng.uniform(0, self.app_max_delay))

    def stop(self) -> None:
        if self._thread is None:
            return
        if self.multicast and self._sender is not None:
            self._to_groups(_serialize(wsd.bye(self.target(), self.sequence)), delay=0)
            self._sender.flush(timeout=2.0)
        self._stop.set()
        self._thread.join(timeout=5)
        self._thread = None
        if self._sender is not None:
            self._sender.stop()
        for sock in [e.sock for e in self._endpoints] + self._multicast_socks:
            self._selector.unregister(sock)
            sock.close()
        self._endpoints.clear()
        self._multicast_socks.clear()
        self._selector.close()

    # -- sockets ---------------------------------------------------------------------------
    def _unicast_socket(self, addr: InterfaceAddress) -> socket.socket:
        v6 = addr.address.version == 6
        sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if v6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((str(addr.address), self.port, 0, addr.index if addr.link_local else 0))
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, addr.index)
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 1)
        else:
            sock.bind((str(addr.address), self.port))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(str(addr.address)))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sock.setblocking(False)
        return sock

    def _join_groups(self) -> None:
        v4 = [a for a in self.addresses if a.address.version == 4]
        if v4:
            try:
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                # Bound to the group, so only multicast to it arrives here; joined per interface.
                sock.bind((wsd.WSD_MULTICAST_V4, self.port))
                for a in v4:
                    mreq = socket.inet_aton(wsd.WSD_MULTICAST_V4) + socket.inet_aton(str(a.address))
                    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
                sock.setblocking(False)
                self._multicast_socks.append(sock)
            except OSError as exc:
                log.warning("WS-Discovery: cannot join %s: %s (unicast only)", wsd.WSD_MULTICAST_V4, exc)
        for index in sorted({a.index for a in self.addresses if a.address.version == 6}):
            try:
                sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                sock.bind((wsd.WSD_MULTICAST_V6, self.port, 0, index))
                mreq = socket.inet_pton(socket.AF_INET6, wsd.WSD_MULTICAST_V6) + struct.pack("@I", index)
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
                sock.setblocking(False)
                self._multicast_socks.append(sock)
            except OSError as exc:
                log.warning("WS-Discovery: cannot join %s on interface %s: %s", wsd.WSD_MULTICAST_V6, index, exc)

    def _to_groups(self, data: bytes, *, delay: float) -> None:
        assert self._sender is not None
        for e in self._endpoints:
            group = (
                (wsd.WSD_MULTICAST_V6, self.port, 0, e.address.index)
                if e.address.address.version == 6
                else (wsd.WSD_MULTICAST_V4, self.port)
            )
            self._sender.schedule(e.sock, data, group, delay=delay, repeats=self.multicast_repeat)

    def _reply_socket(self, peer: str) -> socket.socket | None:
        try:
            address = ipaddress.ip_address(peer.split("%", 1)[0])
        except ValueError:
            return None
        same_family = [e for e in self._endpoints if e.address.address.version == address.version]
        for e in same_family:
            if address in e.address.network:
                return e.sock
        return same_family[0].sock if same_family else None

    # -- receiving -------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.2):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                try:
                    data, peer = sock.recvfrom(MAX_DATAGRAM + 1)
                except OSError:
                    continue
                try:
                    self._handle(data, peer, multicast=sock in self._multicast_socks, sock=sock)
                except Exception:  # one bad datagram must not end discovery
                    log.exception("WS-Discovery: failed on a datagram from %s", peer[0])

    def _handle(self, data: bytes, peer: tuple, *, multicast: bool, sock: socket.socket) -> None:
        if not self.peer_filter.allows(peer[0]):
            self.refused += 1
            log.debug("WS-Discovery: ignoring %s (outside [device] networks)", peer[0])
            return
        if len(data) > MAX_DATAGRAM:
            return
        try:
            env = etree.fromstring(data, p.secure_parser())
        except etree.XMLSyntaxError:
            log.debug("WS-Discovery: not XML from %s", peer[0])
            return
        if env.tag != q(SOAP, "Envelope"):
            return
        message_id = p.header_text(env, "MessageID")
        action = p.header_text(env, "Action")
        if not message_id or message_id in self._seen:
            return  # a repeat of a message already handled (or no ID to answer to)
        self._seen[message_id] = None
        while len(self._seen) > SEEN_IDS:
            self._seen.popitem(last=False)
        body = env.find(q(SOAP, "Body"))
        target = self.target()
        to = wsd.reply_address(env)
        if action == wsd.PROBE_ACTION and body is not None and (pr := body.find(q(WSD, "Probe"))) is not None:
            requested = wsd.parse_qnames(pr.find(q(WSD, "Types")))
            scopes = (pr.findtext(q(WSD, "Scopes")) or "").split()
            if scopes or not wsd.matches_types(requested, target.types):
                return
            reply = wsd.probe_matches(target, self.sequence, message_id, to)
        elif action == wsd.RESOLVE_ACTION and body is not None and (rs := body.find(q(WSD, "Resolve"))) is not None:
            wanted = (rs.findtext(f"{{{WSA}}}EndpointReference/{{{WSA}}}Address") or "").strip()
            if wanted != target.endpoint:
                return
            reply = wsd.resolve_matches(target, self.sequence, message_id, to)
        else:
            return
        out = sock if not multicast else self._reply_socket(peer[0])
        if out is None or self._sender is None:
            return
        self.answered += 1
        delay = self._rng.uniform(0, self.app_max_delay) if multicast else 0.0
        self._sender.schedule(out, _serialize(reply), peer, delay=delay, repeats=self.unicast_repeat)


# --- the client side: `dsm-kiosk device probe` and the tests ------------------------------------


@dataclass(frozen=True)
class Match:
    endpoint: str
    types: tuple[str, ...]
    xaddrs: tuple[str, ...]
    metadata_version: int | None
    source: str


def _matches(env: etree._Element, source: str, kind: str) -> list[Match]:
    found = []
    for m in env.iterfind(f"{{{SOAP}}}Body/{{{WSD}}}{kind}es/{{{WSD}}}{kind}"):
        version = m.findtext(q(WSD, "MetadataVersion"))
        found.append(
            Match(
                endpoint=(m.findtext(f"{{{WSA}}}EndpointReference/{{{WSA}}}Address") or "").strip(),
                types=tuple(f"{{{ns}}}{local}" for ns, local in wsd.parse_qnames(m.find(q(WSD, "Types")))),
                xaddrs=tuple((m.findtext(q(WSD, "XAddrs")) or "").split()),
                metadata_version=int(version) if version and version.strip().isdigit() else None,
                source=source,
            )
        )
    return found


def _exchange(
    env: etree._Element, kind: str, address: str | None, port: int, timeout: float, interface: str | None
) -> list[Match]:
    message_id = p.header_text(env, "MessageID")
    data = _serialize(env)
    target = address or wsd.WSD_MULTICAST_V4
    family = socket.AF_INET6 if ":" in target else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        if address is None and interface:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(interface))
        sock.bind((interface or "", 0) if family == socket.AF_INET else ("::", 0))
        sock.settimeout(0.1)
        sent_at = [0.0, UDP_MIN_DELAY * 2]  # the probe itself and one repeat, as the rules ask
        start = time.monotonic()
        found: dict[str, Match] = {}
        while (now := time.monotonic()) < start + timeout:
            while sent_at and now >= start + sent_at[0]:
                sent_at.pop(0)
                sock.sendto(data, (target, port))
            try:
                reply, peer = sock.recvfrom(65536)
            except TimeoutError:
                continue
            try:
                renv = etree.fromstring(reply, p.secure_parser())
            except etree.XMLSyntaxError:
                continue
            if p.header_text(renv, "RelatesTo") != message_id:
                continue
            for m in _matches(renv, peer[0], kind):
                found.setdefault(m.endpoint, m)
        return list(found.values())
    finally:
        sock.close()


def probe(
    address: str | None = None,
    *,
    port: int = 3702,
    timeout: float = 3.0,
    types: tuple[tuple[str, str], ...] = (),
    interface: str | None = None,
) -> list[Match]:
    """Who answers a Probe: sent to `address` (unicast) or to 239.255.255.250 (multicast, from
    `interface`, an IPv4 address), collected for `timeout` seconds, one Match per endpoint."""
    return _exchange(wsd.probe(types), "ProbeMatch", address, port, timeout, interface)


def resolve(
    endpoint: str, address: str | None = None, *, port: int = 3702, timeout: float = 3.0, interface: str | None = None
) -> list[Match]:
    return _exchange(wsd.resolve(endpoint), "ResolveMatch", address, port, timeout, interface)
