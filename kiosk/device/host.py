"""The device host: DPWS metadata, the WS-DSD service and its event source over HTTP, and the
WS-Discovery responder that points to them. Bound only to the [device] interfaces' addresses;
requests and datagrams from outside [device] networks get no answer.

Paths: `/device` (the device endpoint: WS-Transfer Get, and a directed Probe over HTTP),
`/dsd` (WS-DSD operations and Subscribe), `/dsd/subscriptions` (Renew, GetStatus, Unsubscribe).
"""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from typing import Any

from lxml import etree
from waitress.server import create_server

from kiosk import __version__
from kiosk.config import Settings
from kiosk.device import discovery, wsd
from kiosk.device.dsd import DsdService
from kiosk.device.identity import Identity, IdentityStore
from kiosk.device.jobs import DeviceJobs
from kiosk.device.netif import InterfaceAddress, PeerFilter, interface_addresses
from kiosk.device.soap import Fault, fault_envelope
from kiosk.device.status import MonitoredScanner, ScannerStatus
from kiosk.device.wsd import WSCN
from kiosk.dsm import protocol as p
from kiosk.dsm.eventing import WSE, EventSource
from kiosk.dsm.protocol import SOAP, q
from kiosk.errors import ConfigError, KioskError

log = logging.getLogger("kiosk.device.host")

#: Requests larger than this are refused unread: no WS-DSD request comes near it.
MAX_REQUEST = 256 * 1024


class DeviceHost:
    """`start()` / `stop(end_subscriptions=False)`. `scanner` is the kiosk's scanner, wrapped in
    a `MonitoredScanner` so the status follows the scans (pass that same wrapper to the engine).
    `engine` (optional) feeds the job operations and job events."""

    def __init__(
        self,
        settings: Settings,
        scanner: Any,
        engine: Any = None,
        *,
        addresses: list[InterfaceAddress] | None = None,
    ) -> None:
        self.settings = settings
        self.config = settings.device
        self.scanner = scanner
        self.engine = engine
        self.status: ScannerStatus = scanner.status if isinstance(scanner, MonitoredScanner) else ScannerStatus()
        self.state_dir = settings.resolve_path(settings.spool.state_directory)
        self._addresses = addresses
        self.addresses: list[InterfaceAddress] = []
        self.peers: PeerFilter | None = None
        self.identity: Identity | None = None
        self.port = 0
        self.https_port = 0
        self._https: Any = None
        self.service_id = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "dsm-kiosk/dsd"))
        self.jobs = DeviceJobs(self.state_dir, spool=getattr(engine, "spool", None))
        self.dsd = DsdService(self.config, scanner.capabilities, self.status, self.jobs)
        self.events = EventSource(
            self.state_dir,
            # Events go only where requests are answered from: the [device] networks.
            sink_policy=lambda sink, _subscriber: self.peers is not None and self.peers.allows(sink),
            max_seconds=self.config.max_subscription_seconds,
            queue_size=self.config.event_queue,
            timeout=self.config.event_timeout,
        )
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._responder: discovery.DiscoveryResponder | None = None
        self._unsubscribe: list[Any] = []
        self.server_events: Any = None

    # -- addresses and metadata ---------------------------------------------------------------
    def urls(self, path: str) -> tuple[str, ...]:
        # Link-local IPv6 addresses take part in discovery only: HTTP is not bound to them.
        http = tuple(f"http://{a.url_host()}:{self.port}{path}" for a in self.addresses if not a.link_local)
        if not self.https_port:
            return http
        return http + tuple(
            f"https://{a.url_host()}:{self.https_port}{path}" for a in self.addresses if not a.link_local
        )

    def metadata(self) -> wsd.DeviceMetadata:
        c = self.config
        serial = c.serial_number or (self.identity.uuid if self.identity else "")
        return wsd.DeviceMetadata(
            manufacturer=c.manufacturer,
            model_name=c.model_name,
            presentation_url=c.presentation_url,
            friendly_name=c.friendly_name,
            firmware_version=__version__,
            serial_number=serial,
            service_id=self.service_id,
            service_addresses=self.urls("/dsd"),
        )

    def target(self) -> wsd.Target:
        assert self.identity is not None
        return wsd.Target(self.identity.endpoint, self.urls("/device"), self.identity.metadata_version)

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> DeviceHost:
        try:
            return self._start()
        except BaseException:
            self.stop()  # what did start (threads, sockets, the job table) does not outlive it
            raise

    def _start(self) -> DeviceHost:
        c = self.config
        self.addresses = self._addresses if self._addresses is not None else interface_addresses(c.interfaces)
        if not self.addresses:
            raise ConfigError("[device] interfaces: no addresses to serve on (name at least one interface)")
        self.peers = PeerFilter.from_settings(c.networks, self.addresses)
        self.port = c.http_port or _free_port(self.addresses[0])
        listen = " ".join(
            f"[{a.address}]:{self.port}" if a.address.version == 6 else f"{a.address}:{self.port}"
            for a in self.addresses
            if not a.link_local
        )
        try:
            self._server = create_server(self.app, listen=listen, threads=4, max_request_body_size=MAX_REQUEST)
        except OSError as exc:
            raise ConfigError(f"[device] http_port: cannot listen on {listen}: {exc.strerror or exc}") from None
        self._thread = threading.Thread(target=self._server.run, name="device-host", daemon=True)
        self._thread.start()
        if c.https_port:
            from kiosk.device.https import HttpsServers, context

            if not (c.tls_cert and c.tls_key):
                raise ConfigError("[device] https_port needs tls_cert and tls_key")
            ctx = context(str(self.settings.resolve_path(c.tls_cert)), str(self.settings.resolve_path(c.tls_key)))
            hosts = [str(a.address) for a in self.addresses if not a.link_local]
            self._https = HttpsServers(self.app, hosts, c.https_port, ctx)
            self.https_port = c.https_port
        # MetadataVersion follows what Get answers (names, addresses, version).
        # Digest taken before the identity is known, so a serial that defaults to the endpoint's
        # UUID does not count as a change at every start.
        self.identity = IdentityStore(self.state_dir).identity(repr(self.metadata()))
        self._unsubscribe.append(self.status.subscribe(self._on_status))
        self.jobs.subscribe(self._on_job)
        if self.engine is not None:
            self._unsubscribe.append(self.engine.subscribe(self.jobs.on_event))
            if c.server_events:
                from kiosk.device.server_events import SINK_PATH, ServerEventSubscriber, local_address_towards

                def sink_url(server_host: str) -> str:
                    local = local_address_towards(server_host, self.addresses)
                    return f"http://{local.url_host()}:{self.port}{SINK_PATH}"

                self.server_events = ServerEventSubscriber(self.settings, self.engine, sink_url)
        self._responder = discovery.DiscoveryResponder(
            self.addresses,
            self.peers,
            self.target,
            port=c.discovery_port,
            multicast=c.multicast,
            app_max_delay=c.app_max_delay_ms / 1000,
            multicast_repeat=c.multicast_repeat,
            unicast_repeat=c.unicast_repeat,
        ).start()
        log.info("DSM device %s at %s", self.identity.endpoint, " ".join(self.urls("/device")))
        return self

    def stop(self, *, end_subscriptions: bool = False) -> None:
        if self.server_events is not None:
            self.server_events.close()
            self.server_events = None
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        if self._responder is not None:
            self._responder.stop()
            self._responder = None
        self.events.close(end_subscriptions=end_subscriptions)
        if self._https is not None:
            self._https.close()
            self._https = None
        if self._server is not None:
            self._server.close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
        self.jobs.close()

    # -- event feeds ----------------------------------------------------------------------------
    def _on_status(self, change) -> None:
        for action, body in self.dsd.status_events(change):
            self.events.publish(action, body)

    def _on_job(self, view) -> None:
        self.events.publish(*self.dsd.job_event(view))

    # -- HTTP ------------------------------------------------------------------------------------
    def app(self, environ: dict, start_response) -> list[bytes]:
        peer = environ.get("REMOTE_ADDR", "")
        if environ.get("PATH_INFO", "").rstrip("/") == "/dsp-events":
            # Scan servers may sit outside [device] networks; an event only triggers a poll.
            return self._server_event(environ, start_response)
        if self.peers is None or not self.peers.allows(peer):
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"not from a configured network\n"]
        if environ.get("REQUEST_METHOD") != "POST":
            start_response("405 Method Not Allowed", [("Allow", "POST"), ("Content-Type", "text/plain")])
            return [b"SOAP over HTTP POST only\n"]
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST:
            start_response("413 Request Entity Too Large", [("Content-Type", "text/plain")])
            return [b"request too large\n"]
        data = environ["wsgi.input"].read(length)
        relates_to = None
        try:
            try:
                env = etree.fromstring(data, p.secure_parser())
            except etree.XMLSyntaxError as exc:
                raise Fault((WSCN, "InvalidArgs"), f"not XML: {exc}") from None
            if env.tag != q(SOAP, "Envelope"):
                raise Fault((WSCN, "InvalidArgs"), "not a SOAP 1.2 envelope")
            relates_to = p.header_text(env, "MessageID")
            action = p.header_text(env, "Action") or ""
            host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{self.port}"
            base = f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
            reply_action, body = self._dispatch(environ.get("PATH_INFO", "/"), env, action, base, peer)
        except Fault as fault:
            out = etree.tostring(fault_envelope(fault, relates_to), xml_declaration=True, encoding="UTF-8")
            status = "400 Bad Request" if fault.code == "Sender" else "500 Internal Server Error"
            start_response(status, [("Content-Type", "application/soap+xml; charset=utf-8")])
            return [out]
        reply = p.envelope(reply_action, body, to=p.WSA_ANONYMOUS, relates_to=relates_to, extra_ns=wsd.NSMAP)
        out = etree.tostring(reply, xml_declaration=True, encoding="UTF-8")
        start_response("200 OK", [("Content-Type", p.soap_content_type(reply_action))])
        return [out]

    def _server_event(self, environ: dict, start_response) -> list[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if environ.get("REQUEST_METHOD") != "POST" or self.server_events is None or not 0 < length <= MAX_REQUEST:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"not an event this device takes\n"]
        try:
            env = etree.fromstring(environ["wsgi.input"].read(length), p.secure_parser())
        except etree.XMLSyntaxError:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"not XML\n"]
        self.server_events.on_event(env)
        start_response("202 Accepted", [("Content-Length", "0")])
        return []

    def _dispatch(self, path: str, env: etree._Element, action: str, base: str, peer: str = "") -> tuple[str, Any]:
        body = env.find(q(SOAP, "Body"))
        first = body[0] if body is not None and len(body) else None
        path = path.rstrip("/") or "/"
        if path in ("/", "/device"):
            if action == wsd.GET_ACTION:
                return wsd.GET_RESPONSE_ACTION, wsd.metadata_body(
                    self.metadata(), self.target().endpoint, wsd.DEVICE_TYPES
                )
            if action == wsd.PROBE_ACTION:  # a directed probe over HTTP
                assert self._responder is not None
                message_id = p.header_text(env, "MessageID") or ""
                env_out = wsd.probe_matches(self.target(), self._responder.sequence, message_id, p.WSA_ANONYMOUS)
                return wsd.PROBE_MATCHES_ACTION, env_out.find(q(SOAP, "Body"))[0]
            raise Fault((p.WSA, "ActionNotSupported"), f"the device endpoint has no operation {action}")
        if path == "/dsd/subscriptions" or (path == "/dsd" and action.startswith(WSE)):
            return self.events.handle(env, f"{base}/dsd/subscriptions", peer=peer)
        if path == "/dsd":
            if first is None:
                raise Fault((WSCN, "InvalidArgs"), "empty SOAP body")
            try:
                return self.dsd.handle(first, action)
            except Fault:
                raise
            except KioskError as exc:
                log.warning("WS-DSD %s: %s", action, exc)
                raise Fault((WSCN, "ServerErrorInternalError"), exc.user_message, code="Receiver") from None
        raise Fault((p.WSA, "DestinationUnreachable"), f"nothing at {path}")


def _free_port(address: InterfaceAddress) -> int:
    family = socket.AF_INET6 if address.address.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((str(address.address), 0))
        return sock.getsockname()[1]
