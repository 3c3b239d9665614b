"""Finding a scan server's WS-DSP endpoint from the FQDN a scan process names (psp:ScanRepository).

A fixed map ([scan_server] endpoints) wins. Otherwise, as DSM devices do: a directed WS-Discovery
2005/04 Probe, POSTed as SOAP 1.2 to <discovery_scheme>://<FQDN>:<discovery_port>/; the XAddrs of
the ProbeMatch; a WS-Transfer Get there; the hosted service whose wsdp:Types names a QName in the
dsp namespace. Results are cached for discovery_cache_seconds; `forget` drops one after a
connection failure so the next delivery discovers again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import requests
from lxml import etree

from kiosk.config import ScanServerSettings
from kiosk.dsm import protocol as p
from kiosk.dsm.errors import DiscoveryError, ProtocolError, ScanServerBusy, ScanServerUnreachable, TlsError
from kiosk.dsm.tls import ExtraCAs, check_scheme, session

log = logging.getLogger("kiosk.dsm.discovery")


class EndpointResolver:
    def __init__(
        self, settings: ScanServerSettings, *, extra_cas: ExtraCAs = (), clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.settings = settings
        self._extra_cas = extra_cas
        self._clock = clock
        self._cache: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._session: requests.Session | None = None

    def resolve(self, scan_repository: str) -> str:
        """The WS-DSP endpoint URL of `scan_repository` (an FQDN, or a key of the endpoint map)."""
        name = scan_repository.strip()
        fixed = self.settings.endpoints.get(name) or self.settings.endpoints.get(name.lower())
        if fixed:
            check_scheme(fixed, self.settings)
            return fixed
        key = name.lower()
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[1] > self._clock():
                return hit[0]
        endpoint = self._discover(name)
        with self._lock:
            self._cache[key] = (endpoint, self._clock() + self.settings.discovery_cache_seconds)
        return endpoint

    def forget(self, scan_repository: str) -> None:
        with self._lock:
            self._cache.pop(scan_repository.strip().lower(), None)

    # -- the exchange ----------------------------------------------------------------------
    def _http(self) -> requests.Session:
        if self._session is None:
            self._session = session(self.settings, self._extra_cas)
        return self._session

    def _exchange(self, url: str, action_uri: str, env: etree._Element, expected: str) -> etree._Element:
        message_id = p.header_text(env, "MessageID")
        data = etree.tostring(env, xml_declaration=True, encoding="UTF-8")
        log.debug("discovery POST %s\n%s", url, data.decode())
        try:
            resp = self._http().post(
                url,
                data=data,
                headers={"Content-Type": p.soap_content_type(action_uri)},
                timeout=(self.settings.connect_timeout, self.settings.read_timeout),
            )
        except requests.exceptions.TooManyRedirects:
            raise DiscoveryError(f"discovery at {url}: a redirect (never followed)", retryable=False) from None
        except ProtocolError as exc:
            raise DiscoveryError(f"discovery at {url}: {exc}", retryable=False) from None
        except requests.exceptions.SSLError as exc:
            raise TlsError(f"discovery at {url}: TLS failed: {exc}") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            raise ScanServerUnreachable(f"discovery at {url}: {exc}") from None
        except requests.exceptions.RequestException as exc:
            raise ScanServerUnreachable(f"discovery at {url}: {type(exc).__name__}: {exc}") from None
        log.debug("discovery reply %s from %s\n%s", resp.status_code, url, resp.text[:4000])
        if resp.status_code in (502, 503, 504):
            raise ScanServerBusy(f"discovery at {url}: HTTP {resp.status_code}")
        try:
            reply = etree.fromstring(resp.content, p.secure_parser())
        except etree.XMLSyntaxError as exc:
            raise DiscoveryError(
                f"discovery at {url}: HTTP {resp.status_code}, not XML: {exc}", retryable=False
            ) from None
        action = p.header_text(reply, "Action")
        if action != expected:
            reason = reply.findtext(f".//{{{p.SOAP}}}Reason/{{{p.SOAP}}}Text") or ""
            raise DiscoveryError(
                f"discovery at {url}: expected {expected}, got {action} {reason}".strip(), retryable=False
            )
        if p.header_text(reply, "RelatesTo") != message_id:
            raise DiscoveryError(f"discovery at {url}: RelatesTo does not match the request", retryable=False)
        return reply

    def _discover(self, fqdn: str) -> str:
        s = self.settings
        url = f"{s.discovery_scheme}://{fqdn}:{s.discovery_port}/"
        check_scheme(url, s)
        probe = etree.Element(p.q(p.WSD, "Probe"), nsmap={"wsd": p.WSD})
        env = p.envelope(p.PROBE_ACTION, probe, to=p.WSD_TO, reply_to=True, extra_ns={"wsd": p.WSD})
        reply = self._exchange(url, p.PROBE_ACTION, env, p.PROBE_MATCHES_ACTION)
        match = reply.find(f"{{{p.SOAP}}}Body/{{{p.WSD}}}ProbeMatches/{{{p.WSD}}}ProbeMatch")
        if match is None:
            raise DiscoveryError(f"{fqdn}: the directed Probe found no match", retryable=False)
        xaddrs = (match.findtext(f"{{{p.WSD}}}XAddrs") or "").split()
        # Prefer addresses in the configured scheme; an https probe never leads to http.
        xaddrs.sort(key=lambda a: not a.lower().startswith(f"{s.discovery_scheme}:"))
        if s.discovery_scheme == "https":
            xaddrs = [a for a in xaddrs if a.lower().startswith("https:")]
        device = (match.findtext(f"{{{p.WSA}}}EndpointReference/{{{p.WSA}}}Address") or "").strip()
        if not xaddrs:
            raise DiscoveryError(f"{fqdn}: ProbeMatch without XAddrs", retryable=False)
        last: Exception | None = None
        for xaddr in xaddrs:
            try:
                check_scheme(xaddr, s)
                env = p.envelope(p.GET_ACTION, None, to=device or xaddr, reply_to=True)
                metadata = self._exchange(xaddr, p.GET_ACTION, env, p.GET_RESPONSE_ACTION)
                endpoint = self._pick_service(fqdn, metadata)
                if s.discovery_scheme == "https" and not endpoint.lower().startswith("https:"):
                    raise DiscoveryError(f"{fqdn}: the https metadata names a plain-http endpoint", retryable=False)
                log.info("discovered %s: WS-DSP at %s", fqdn, endpoint)
                return endpoint
            except (ScanServerUnreachable, DiscoveryError) as exc:
                last = exc
        assert last is not None
        raise last

    def _pick_service(self, fqdn: str, metadata: etree._Element) -> str:
        hosted = metadata.findall(f".//{{{p.DPWS}}}Hosted")
        candidates = []
        for h in hosted:
            addresses = [
                a.text.strip() for a in h.iterfind(f"{{{p.WSA}}}EndpointReference/{{{p.WSA}}}Address") if a.text
            ]
            addresses = [a for a in addresses if a.lower().startswith(("http://", "https://"))]
            types_el = h.find(f"{{{p.DPWS}}}Types")
            types = []
            if types_el is not None:
                for qn in (types_el.text or "").split():
                    prefix, _, local = qn.rpartition(":")
                    types.append((types_el.nsmap.get(prefix or None), local))
            if addresses:
                candidates.append((any(ns == p.DSP for ns, _ in types), addresses[0]))
        dsp = [a for is_dsp, a in candidates if is_dsp]
        if dsp:
            return dsp[0]
        if len(candidates) == 1:
            return candidates[0][1]
        raise DiscoveryError(
            f"{fqdn}: no WS-DSP hosted service in the metadata ({len(candidates)} hosted services)", retryable=False
        )
