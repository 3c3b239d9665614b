"""WS-Eventing (August 2004), as DPWS 2006/02 profiles it: the event source the kiosk's WS-DSD
service and the reference scan server share, and the subscriber calls the kiosk makes.

Subscribe (push delivery, an optional DPWS Action filter, Expires as a duration or a time),
Renew, GetStatus, Unsubscribe, and SubscriptionEnd when the device side is switched off or a
sink keeps failing. Subscriptions are written to the state directory, so a restart of the panel
keeps them (expired ones are dropped on load). Each sink has its own bounded queue and thread:
publishing never blocks (a full queue drops its oldest event), so a dead sink never slows a scan.

Whoever subscribes chooses where the source will POST, so an event source is a way to make the
device (or the scan server) send requests to any host it can reach. A `sink_policy` decides
which addresses a NotifyTo / EndTo may resolve to; it is asked at Subscribe and again before
each delivery (a name may resolve elsewhere later).
"""

from __future__ import annotations

import collections
import datetime as dt
import http.client
import ipaddress
import json
import logging
import re
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from lxml import etree

from kiosk.dsm import protocol as p
from kiosk.dsm.protocol import DPWS, SOAP, WSA, q
from kiosk.durable import write_durably

log = logging.getLogger("kiosk.dsm.eventing")

WSE = "http://schemas.xmlsoap.org/ws/2004/08/eventing"
NSMAP = {"soap": SOAP, "wsa": WSA, "wse": WSE}


@dataclass
class SoapFault(Exception):
    """A SOAP 1.2 fault: code Sender/Receiver, a subcode QName (namespace, local name), a reason."""

    subcode: tuple[str, str]
    reason: str
    code: str = "Sender"
    action: str = p.WSA_FAULT_ACTION

    def __str__(self) -> str:
        return f"{self.subcode[1]}: {self.reason}"


Fault = SoapFault


def fault_envelope(fault: SoapFault, relates_to: str | None, extra_ns: dict[str, str] | None = None) -> etree._Element:
    prefixes = {p.WSA: "wsa", WSE: "wse", **{v: k for k, v in (extra_ns or {}).items()}}
    ns, local = fault.subcode
    prefix = prefixes.get(ns, "f")
    f = etree.Element(q(SOAP, "Fault"), nsmap={prefix: ns})
    code = etree.SubElement(f, q(SOAP, "Code"))
    etree.SubElement(code, q(SOAP, "Value")).text = f"soap:{fault.code}"
    sub = etree.SubElement(code, q(SOAP, "Subcode"))
    etree.SubElement(sub, q(SOAP, "Value")).text = f"{prefix}:{local}"
    reason = etree.SubElement(f, q(SOAP, "Reason"))
    text = etree.SubElement(reason, q(SOAP, "Text"))
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = fault.reason
    return p.envelope(
        fault.action, f, to=p.WSA_ANONYMOUS, relates_to=relates_to, extra_ns={**NSMAP, **(extra_ns or {})}
    )


FILE_NAME = "device-subscriptions.json"
PUSH = f"{WSE}/DeliveryModes/Push"
ACTION_DIALECT = f"{DPWS}/Action"
SUBSCRIBE, SUBSCRIBE_RESPONSE = f"{WSE}/Subscribe", f"{WSE}/SubscribeResponse"
RENEW, RENEW_RESPONSE = f"{WSE}/Renew", f"{WSE}/RenewResponse"
GET_STATUS, GET_STATUS_RESPONSE = f"{WSE}/GetStatus", f"{WSE}/GetStatusResponse"
UNSUBSCRIBE, UNSUBSCRIBE_RESPONSE = f"{WSE}/Unsubscribe", f"{WSE}/UnsubscribeResponse"
SUBSCRIPTION_END = f"{WSE}/SubscriptionEnd"
#: Consecutive failed deliveries after which a sink's subscription ends (DeliveryFailure).
MAX_FAILURES = 5
MAX_SUBSCRIPTIONS = 64

_DURATION = re.compile(
    r"^P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_expires(text: str, now: float) -> float:
    """Seconds from now that an xs:duration or xs:dateTime Expires asks for."""
    text = text.strip()
    m = _DURATION.match(text)
    if m and text not in ("P", "PT") and not text.endswith("T"):
        parts = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
        return (
            parts["y"] * 365 * 86400
            + parts["mo"] * 30 * 86400
            + parts["d"] * 86400
            + parts["h"] * 3600
            + parts["mi"] * 60
            + parts["s"]
        )
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Fault((WSE, "InvalidExpirationTime"), f"Expires {text[:40]!r} is neither a duration nor a time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp() - now


def duration(seconds: float) -> str:
    return f"PT{max(0, round(seconds))}S"


@dataclass
class Subscription:
    id: str
    notify_to: str
    #: wsa:ReferenceParameters children of NotifyTo / EndTo, as XML text, echoed as headers.
    notify_params: list[str] = field(default_factory=list)
    end_to: str | None = None
    end_params: list[str] = field(default_factory=list)
    #: Event actions asked for (empty: every event).
    actions: list[str] = field(default_factory=list)
    expires: float = 0.0
    #: Who subscribed, when the event source can tell devices apart ("": it cannot); events about
    #: one device's jobs then go to that device's subscriptions only.
    owner: str = ""
    #: The address the Subscribe came from (what a sink policy may hold the sinks to).
    peer: str = ""

    def wants(self, action: str) -> bool:
        return not self.actions or any(action == a or action.startswith(a.rstrip("/") + "/") for a in self.actions)


class _Sink:
    """One subscription's queue and delivery thread."""

    def __init__(self, source: EventSource, sub: Subscription) -> None:
        self.source = source
        self.sub = sub
        self.queue: collections.deque[bytes] = collections.deque(maxlen=source.queue_size)
        self.cond = threading.Condition()
        self.stopped = False
        self.failures = 0
        self.dropped = 0
        self.delivered = 0
        self.thread = threading.Thread(target=self._run, name=f"wse-sink-{sub.id[-8:]}", daemon=True)
        self.thread.start()

    def put(self, message: bytes) -> None:
        with self.cond:
            if len(self.queue) == self.queue.maxlen:
                self.dropped += 1
            self.queue.append(message)
            self.cond.notify()

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify()

    def _run(self) -> None:
        while True:
            with self.cond:
                while not self.queue and not self.stopped:
                    self.cond.wait()
                if self.stopped:
                    return
                message = self.queue.popleft()
            if self.source.post(self.sub.notify_to, message, self.sub.peer):
                self.failures = 0
                self.delivered += 1
            else:
                self.failures += 1
                if self.failures >= MAX_FAILURES:
                    log.warning("event sink %s keeps failing: subscription %s ended", self.sub.notify_to, self.sub.id)
                    self.source.end(self.sub.id, "DeliveryFailure", "the event sink did not accept events")
                    return


#: (an address a sink's host resolves to, the subscriber's address) → whether events may go there.
SinkPolicy = Callable[[str, str], bool]


def same_address(a: str, b: str) -> bool:
    """Whether two IP addresses are one (an IPv4-mapped IPv6 address is its IPv4 address)."""

    def norm(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            return address.ipv4_mapped
        return address

    left = norm(a)
    return left is not None and left == norm(b)


@dataclass(frozen=True)
class SinkTarget:
    """An http(s) sink URL parsed once: what is checked is what is connected to."""

    scheme: str
    host: str
    port: int
    path: str


def sink_target(url: str) -> SinkTarget | None:
    """The sink's scheme, host, port and path; None for anything but a plain http(s) URL with an
    ASCII host name or IP literal (no user info, no backslash: HTTP libraries and urlsplit would
    not agree on the host)."""
    if any(c in url for c in "\\ \t\r\n") or not url.isascii():
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    scheme = parts.scheme.lower()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return SinkTarget(scheme, parts.hostname, port or (443 if scheme == "https" else 80), path)


def _resolve(target: SinkTarget) -> list[tuple[int, tuple]]:
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [(info[0], info[4]) for info in infos]


def sink_addresses(url: str) -> list[str]:
    """The IP addresses an http(s) sink URL's host resolves to (empty: none, or not a sink URL)."""
    target = sink_target(url)
    return sorted({str(sockaddr[0]) for _, sockaddr in _resolve(target)}) if target else []


class EventSource:
    def __init__(
        self,
        state_directory: Path,
        *,
        sink_policy: SinkPolicy,
        max_seconds: int = 3600,
        queue_size: int = 100,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.time,
        file_name: str = FILE_NAME,
    ) -> None:
        self.path = Path(state_directory) / file_name
        self.max_seconds = max_seconds
        self.queue_size = queue_size
        self.timeout = timeout
        self.clock = clock
        self.sink_policy = sink_policy
        self._lock = threading.RLock()
        self._sinks: dict[str, _Sink] = {}
        self._tls = ssl.create_default_context()
        self._load()

    # -- persistence ---------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("%s unreadable (%s): starting without subscriptions", self.path, exc)
            return
        now = self.clock()
        for item in data if isinstance(data, list) else []:
            try:
                sub = Subscription(**item)
            except TypeError:
                continue
            if sub.expires > now:
                self._sinks[sub.id] = _Sink(self, sub)
        self._save()

    def _save(self) -> None:
        data = json.dumps([asdict(s.sub) for s in self._sinks.values()], indent=1).encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_durably(self.path, lambda fh: fh.write(data), mode=0o600)

    def _purge(self) -> None:
        now = self.clock()
        expired = [sid for sid, s in self._sinks.items() if s.sub.expires <= now]
        for sid in expired:
            self._sinks.pop(sid).stop()
        if expired:
            self._save()

    @property
    def subscriptions(self) -> list[Subscription]:
        with self._lock:
            self._purge()
            return [s.sub for s in self._sinks.values()]

    def sink_stats(self, sid: str) -> dict[str, int]:
        with self._lock:
            s = self._sinks.get(sid)
            if s is None:
                return {}
            return {"queued": len(s.queue), "dropped": s.dropped, "delivered": s.delivered, "failures": s.failures}

    # -- requests ------------------------------------------------------------------------------
    def handle(
        self, env: etree._Element, manager_url: str, owner: str = "", peer: str = ""
    ) -> tuple[str, etree._Element | None]:
        """(response action, response body) for a WS-Eventing request; Fault otherwise. `owner`
        names the requester where the source can tell (a subscription is managed by its owner
        only); `peer` is the address the request came from."""
        action = p.header_text(env, "Action") or ""
        body = env.find(q(SOAP, "Body"))
        if action == SUBSCRIBE:
            # Name lookups can take seconds: never while publishing waits for the lock.
            self._check_sinks(body.find(q(WSE, "Subscribe")) if body is not None else None, peer)
        with self._lock:
            self._purge()
            if action == SUBSCRIBE:
                return SUBSCRIBE_RESPONSE, self._subscribe(body.find(q(WSE, "Subscribe")), manager_url, owner, peer)
            identifier = (env.findtext(f"{{{SOAP}}}Header/{{{WSE}}}Identifier") or "").strip()
            sink = self._sinks.get(identifier)
            if sink is not None and sink.sub.owner != owner:
                sink = None  # someone else's subscription: as if unknown
            if action == RENEW:
                if sink is None:
                    raise Fault((WSE, "UnableToRenew"), "no such subscription (expired or ended)")
                renew = body.find(q(WSE, "Renew"))
                granted = self._granted(renew)
                sink.sub.expires = self.clock() + granted
                self._save()
                out = etree.Element(q(WSE, "RenewResponse"), nsmap=NSMAP)
                etree.SubElement(out, q(WSE, "Expires")).text = duration(granted)
                return RENEW_RESPONSE, out
            if action == GET_STATUS:
                if sink is None:
                    raise Fault((WSE, "InvalidMessage"), "no such subscription (expired or ended)")
                out = etree.Element(q(WSE, "GetStatusResponse"), nsmap=NSMAP)
                etree.SubElement(out, q(WSE, "Expires")).text = duration(sink.sub.expires - self.clock())
                return GET_STATUS_RESPONSE, out
            if action == UNSUBSCRIBE:
                if sink is None:
                    raise Fault((WSE, "InvalidMessage"), "no such subscription (expired or ended)")
                self._sinks.pop(identifier).stop()
                self._save()
                return UNSUBSCRIBE_RESPONSE, None
        raise Fault((WSA, "ActionNotSupported"), f"no WS-Eventing operation {action}")

    def _granted(self, request: etree._Element | None) -> float:
        text = request.findtext(q(WSE, "Expires")) if request is not None else None
        if not text:
            return float(self.max_seconds)
        wanted = parse_expires(text, self.clock())
        if wanted <= 0:
            raise Fault((WSE, "InvalidExpirationTime"), "Expires is in the past")
        return min(wanted, float(self.max_seconds))

    @staticmethod
    def _epr(element: etree._Element | None) -> tuple[str | None, list[str]]:
        if element is None:
            return None, []
        address = (element.findtext(q(WSA, "Address")) or "").strip()
        params = element.find(q(WSA, "ReferenceParameters"))
        kept = [etree.tostring(c, encoding="unicode") for c in params] if params is not None else []
        return address or None, kept

    def _check_sinks(self, request: etree._Element | None, peer: str) -> None:
        if request is None:
            return
        delivery = request.find(q(WSE, "Delivery"))
        for role, element in (
            ("NotifyTo", delivery.find(q(WSE, "NotifyTo")) if delivery is not None else None),
            ("EndTo", request.find(q(WSE, "EndTo"))),
        ):
            url = self._epr(element)[0]
            if url is None:
                continue
            if sink_target(url) is None:
                raise Fault((WSE, "InvalidMessage"), f"{role} needs a plain http(s) address")
            if not self.sink_permitted(url, peer):
                log.warning("Subscribe from %s refused: %s %s is not an address events may go to", peer, role, url)
                raise Fault((WSE, "InvalidMessage"), f"{role} is not an address this event source sends to")

    def sink_permitted(self, url: str, peer: str) -> bool:
        """Whether every address the sink's host resolves to passes the sink policy."""
        addresses = sink_addresses(url)
        return bool(addresses) and all(self.sink_policy(address, peer) for address in addresses)

    def _subscribe(
        self, request: etree._Element | None, manager_url: str, owner: str = "", peer: str = ""
    ) -> etree._Element:
        if request is None:
            raise Fault((WSE, "InvalidMessage"), "Subscribe without a wse:Subscribe body")
        delivery = request.find(q(WSE, "Delivery"))
        if delivery is None:
            raise Fault((WSE, "InvalidMessage"), "Subscribe without wse:Delivery")
        mode = delivery.get("Mode", PUSH)
        if mode != PUSH:
            raise Fault((WSE, "DeliveryModeRequestedUnavailable"), f"only push delivery, not {mode}")
        notify_to, notify_params = self._epr(delivery.find(q(WSE, "NotifyTo")))
        if not notify_to or not notify_to.lower().startswith(("http://", "https://")):
            raise Fault((WSE, "InvalidMessage"), "NotifyTo needs an http(s) address")
        end_to, end_params = self._epr(request.find(q(WSE, "EndTo")))
        if end_to is not None and sink_target(end_to) is None:
            raise Fault((WSE, "InvalidMessage"), "EndTo needs a plain http(s) address")
        actions: list[str] = []
        filt = request.find(q(WSE, "Filter"))
        if filt is not None:
            dialect = filt.get("Dialect", ACTION_DIALECT)
            if dialect != ACTION_DIALECT:
                raise Fault((WSE, "FilteringRequestedUnavailable"), f"only the DPWS Action filter, not {dialect}")
            actions = (filt.text or "").split()
        if len(self._sinks) >= MAX_SUBSCRIPTIONS:
            raise Fault((WSE, "EventSourceUnableToProcess"), "too many subscriptions", code="Receiver")
        granted = self._granted(request)
        sub = Subscription(
            id=f"urn:uuid:{uuid.uuid4()}",
            notify_to=notify_to,
            notify_params=notify_params,
            end_to=end_to,
            end_params=end_params,
            actions=actions,
            expires=self.clock() + granted,
            owner=owner,
            peer=peer,
        )
        self._sinks[sub.id] = _Sink(self, sub)
        self._save()
        log.info("event subscription %s → %s (%s)", sub.id, notify_to, " ".join(actions) or "all events")
        out = etree.Element(q(WSE, "SubscribeResponse"), nsmap=NSMAP)
        manager = etree.SubElement(out, q(WSE, "SubscriptionManager"))
        etree.SubElement(manager, q(WSA, "Address")).text = manager_url
        etree.SubElement(etree.SubElement(manager, q(WSA, "ReferenceParameters")), q(WSE, "Identifier")).text = sub.id
        etree.SubElement(out, q(WSE, "Expires")).text = duration(granted)
        return out

    # -- events --------------------------------------------------------------------------------
    def publish(self, action: str, body: etree._Element, owner: str | None = None) -> int:
        """Queue the event for every subscription that wants it (with `owner`, only that owner's);
        never waits. How many got it."""
        count = 0
        with self._lock:
            self._purge()
            for sink in self._sinks.values():
                if sink.sub.wants(action) and (owner is None or sink.sub.owner == owner):
                    sink.put(self._message(action, body, sink.sub.notify_to, sink.sub.notify_params))
                    count += 1
        return count

    @staticmethod
    def _message(action: str, body: etree._Element | None, to: str, params: list[str]) -> bytes:
        env = p.envelope(action, body, to=to, extra_ns=NSMAP)
        header = env.find(q(SOAP, "Header"))
        for text in params:
            try:
                header.append(etree.fromstring(text, p.secure_parser()))
            except etree.XMLSyntaxError:
                continue
        return etree.tostring(env, xml_declaration=True, encoding="UTF-8")

    def post(self, url: str, message: bytes, peer: str = "") -> bool:
        """POST one message to a sink, connecting only to an address the sink policy allows, the
        one that was checked (a name resolved twice could answer differently the second time);
        never following a redirect and with no proxy."""
        target = sink_target(url)
        resolved = _resolve(target) if target else []
        if not target or not resolved or not all(self.sink_policy(str(a[0]), peer) for _, a in resolved):
            log.warning("event to %s not sent: it does not resolve to an address events may go to", url)
            return False
        action = etree.fromstring(message, p.secure_parser()).findtext(f"{{{SOAP}}}Header/{{{WSA}}}Action") or ""
        conn: http.client.HTTPConnection | None = None
        try:
            sock = self._connect(resolved)
            if target.scheme == "https":
                try:
                    sock = self._tls.wrap_socket(sock, server_hostname=target.host)
                except BaseException:
                    sock.close()
                    raise
            conn = http.client.HTTPConnection(target.host, target.port, timeout=self.timeout)
            conn.sock = sock
            conn.request(
                "POST", target.path, body=message, headers={"Content-Type": p.soap_content_type(action.strip())}
            )
            resp = conn.getresponse()
            resp.read(64 * 1024)
            status = resp.status
        except (OSError, http.client.HTTPException) as exc:
            log.info("event to %s failed: %s", url, exc)
            return False
        finally:
            if conn is not None:
                conn.close()
        if status >= 300:  # a redirect too: it would take the event past the sink policy
            log.info("event to %s: HTTP %s", url, status)
            return False
        return True

    def _connect(self, resolved: list[tuple[int, tuple]]) -> socket.socket:
        """A connection to the first of the checked addresses that answers (as create_connection
        would, but only to these)."""
        error: OSError = OSError("no address to connect to")
        for family, sockaddr in resolved:
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error

    def end(self, sid: str, status: str, reason: str) -> None:
        """End one subscription, telling its EndTo (if any) with SubscriptionEnd."""
        with self._lock:
            sink = self._sinks.pop(sid, None)
            if sink is None:
                return
            sink.stop()
            self._save()
        sub = sink.sub
        if sub.end_to:
            body = etree.Element(q(WSE, "SubscriptionEnd"), nsmap=NSMAP)
            manager = etree.SubElement(body, q(WSE, "SubscriptionManager"))
            etree.SubElement(manager, q(WSA, "Address")).text = p.WSA_ANONYMOUS
            etree.SubElement(
                etree.SubElement(manager, q(WSA, "ReferenceParameters")), q(WSE, "Identifier")
            ).text = sub.id
            etree.SubElement(body, q(WSE, "Status")).text = f"wse:{status}"
            reason_el = etree.SubElement(body, q(WSE, "Reason"))
            reason_el.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
            reason_el.text = reason
            self.post(sub.end_to, self._message(SUBSCRIPTION_END, body, sub.end_to, sub.end_params), sub.peer)

    def close(self, *, end_subscriptions: bool = False) -> None:
        """Stop delivering. With end_subscriptions (the device side is switched off), every
        subscriber hears SubscriptionEnd(SourceShuttingDown) and the subscriptions are gone;
        otherwise (a restart) they stay on disk for the next start."""
        with self._lock:
            ids = list(self._sinks)
        if end_subscriptions:
            for sid in ids:
                self.end(sid, "SourceShuttingDown", "the device is shutting down")
        with self._lock:
            for sink in self._sinks.values():
                sink.stop()
            if end_subscriptions:
                self._sinks.clear()


# --- the subscriber side (the kiosk subscribing to a scan server's events) ------------------------


@dataclass(frozen=True)
class Subscribed:
    manager: str
    identifier: str
    #: Seconds granted.
    expires: float


class NotOffered(Exception):
    """The other side answered Subscribe with a fault: it offers no events (poll instead)."""


def _call(session: requests.Session, url: str, action: str, body, headers=(), timeout: float = 10.0) -> etree._Element:
    env = p.envelope(action, body, to=url, reply_to=True, extra_ns=NSMAP)
    for h in headers:
        env.find(q(SOAP, "Header")).append(h)
    resp = session.post(
        url,
        data=etree.tostring(env, xml_declaration=True, encoding="UTF-8"),
        headers={"Content-Type": p.soap_content_type(action)},
        timeout=(timeout, timeout),
    )
    try:
        reply = etree.fromstring(resp.content, p.secure_parser())
    except etree.XMLSyntaxError:
        raise NotOffered(f"{url}: HTTP {resp.status_code}, not a SOAP answer") from None
    fault = reply.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    if fault is not None:
        reason = fault.findtext(f".//{{{SOAP}}}Text") or ""
        raise NotOffered(f"{url}: {action.rsplit('/', 1)[-1]} refused: {reason.strip()}")
    return reply


def subscribe(
    session: requests.Session,
    url: str,
    notify_to: str,
    actions: tuple[str, ...],
    *,
    expires: int = 3600,
    timeout: float = 10.0,
) -> Subscribed:
    """Subscribe `notify_to` to `actions` of the event source at `url`. NotOffered for a fault;
    requests' exceptions when the source cannot be reached."""
    sub = etree.Element(q(WSE, "Subscribe"), nsmap=NSMAP)
    delivery = etree.SubElement(sub, q(WSE, "Delivery"))
    etree.SubElement(etree.SubElement(delivery, q(WSE, "NotifyTo")), q(WSA, "Address")).text = notify_to
    etree.SubElement(sub, q(WSE, "Expires")).text = duration(expires)
    filt = etree.SubElement(sub, q(WSE, "Filter"))
    filt.set("Dialect", ACTION_DIALECT)
    filt.text = " ".join(actions)
    reply = _call(session, url, SUBSCRIBE, sub, timeout=timeout)
    body = reply.find(f"{{{SOAP}}}Body/{{{WSE}}}SubscribeResponse")
    if body is None:
        raise NotOffered(f"{url}: no SubscribeResponse")
    manager = (body.findtext(f"{{{WSE}}}SubscriptionManager/{{{WSA}}}Address") or "").strip()
    identifier = (body.findtext(f".//{{{WSE}}}Identifier") or "").strip()
    granted = parse_expires(body.findtext(f"{{{WSE}}}Expires") or duration(expires), time.time())
    if not manager or not identifier:
        raise NotOffered(f"{url}: SubscribeResponse without a subscription manager")
    return Subscribed(manager, identifier, granted)


def _identifier(identifier: str) -> etree._Element:
    el = etree.Element(q(WSE, "Identifier"), nsmap={"wse": WSE})
    el.text = identifier
    return el


def renew(session: requests.Session, sub: Subscribed, *, expires: int = 3600, timeout: float = 10.0) -> Subscribed:
    body = etree.Element(q(WSE, "Renew"), nsmap=NSMAP)
    etree.SubElement(body, q(WSE, "Expires")).text = duration(expires)
    reply = _call(session, sub.manager, RENEW, body, [_identifier(sub.identifier)], timeout)
    granted = parse_expires(reply.findtext(f".//{{{WSE}}}Expires") or duration(expires), time.time())
    return Subscribed(sub.manager, sub.identifier, granted)


def unsubscribe(session: requests.Session, sub: Subscribed, *, timeout: float = 10.0) -> None:
    _call(
        session,
        sub.manager,
        UNSUBSCRIBE,
        etree.Element(q(WSE, "Unsubscribe"), nsmap=NSMAP),
        [_identifier(sub.identifier)],
        timeout,
    )
