"""Namespaces, types and the WS-Discovery 2005/04 messages of a DPWS 2006/02 device.

Element and action names follow the WS-Discovery (April 2005) and DPWS (February 2006)
specifications; the device and service types are those WSD scanners announce (WS-Scan's
ScanDeviceType and ScannerServiceType) plus the WS-DSD hosted service.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass

from lxml import etree

from kiosk.dsm import protocol as p
from kiosk.dsm.protocol import DPWS, MEX, SOAP, WSA, WSD, WSD_TO, WXF, q

WSCN = "http://schemas.microsoft.com/windows/2006/08/wdp/scan"
DSD = "http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/device"
WSD_MULTICAST_V4 = "239.255.255.250"
WSD_MULTICAST_V6 = "ff02::c"

HELLO_ACTION = f"{WSD}/Hello"
BYE_ACTION = f"{WSD}/Bye"
PROBE_ACTION = f"{WSD}/Probe"
PROBE_MATCHES_ACTION = f"{WSD}/ProbeMatches"
RESOLVE_ACTION = f"{WSD}/Resolve"
RESOLVE_MATCHES_ACTION = f"{WSD}/ResolveMatches"
GET_ACTION = f"{WXF}/Get"
GET_RESPONSE_ACTION = f"{WXF}/GetResponse"

#: Device types in Hello/ProbeMatch: the DPWS device and the WS-Scan scan device.
DEVICE_TYPES: tuple[tuple[str, str], ...] = ((DPWS, "Device"), (WSCN, "ScanDeviceType"))
#: Types of the hosted WS-DSD service (a WS-Scan subset, so it also says ScannerServiceType).
SERVICE_TYPES: tuple[tuple[str, str], ...] = ((DSD, "DistributedScanDeviceServiceType"), (WSCN, "ScannerServiceType"))
PREFIXES = {"wsdp": DPWS, "wscn": WSCN, "dsd": DSD}

NSMAP = {"soap": SOAP, "wsa": WSA, "wsd": WSD, "wsdp": DPWS, "wscn": WSCN, "dsd": DSD}


def types_element(parent: etree._Element, tag: str, types: tuple[tuple[str, str], ...]) -> etree._Element:
    """A Types element whose QNames use our prefixes, declaring a prefix for any other namespace."""
    by_ns = {ns: prefix for prefix, ns in PREFIXES.items()}
    extra: dict[str, str] = {}
    for ns, _ in types:
        if ns not in by_ns:
            prefix = f"t{len(extra)}"
            extra[prefix], by_ns[ns] = ns, prefix
    element = etree.SubElement(parent, tag, nsmap=extra or None)
    element.text = " ".join(f"{by_ns[ns]}:{local}" for ns, local in types)
    return element


def parse_qnames(element: etree._Element | None) -> list[tuple[str | None, str]]:
    """QNames of a wsd:Types (or dpws:Types) element, resolved against its in-scope namespaces."""
    if element is None or not element.text:
        return []
    result = []
    for token in element.text.split():
        prefix, _, local = token.rpartition(":")
        result.append((element.nsmap.get(prefix or None), local))
    return result


def matches_types(requested: list[tuple[str | None, str]], offered: tuple[tuple[str, str], ...]) -> bool:
    """WS-Discovery: a Probe matches when every type it names is one the target offers."""
    return all(t in offered for t in requested)


@dataclass
class AppSequence:
    """wsd:AppSequence: InstanceId goes up at every start, MessageNumber with every message."""

    instance_id: int

    def __post_init__(self) -> None:
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    @classmethod
    def start(cls) -> AppSequence:
        return cls(int(time.time()))

    def add_to(self, env: etree._Element) -> None:
        with self._lock:
            number = next(self._numbers)
        header = env.find(q(SOAP, "Header"))
        seq = etree.SubElement(header, q(WSD, "AppSequence"))
        seq.set("InstanceId", str(self.instance_id))
        seq.set("MessageNumber", str(number))


@dataclass(frozen=True)
class Target:
    """What the device announces: its endpoint, types, transport addresses and metadata version."""

    endpoint: str
    xaddrs: tuple[str, ...]
    metadata_version: int
    types: tuple[tuple[str, str], ...] = DEVICE_TYPES


def _epr(parent: etree._Element, address: str) -> None:
    epr = etree.SubElement(parent, q(WSA, "EndpointReference"))
    etree.SubElement(epr, q(WSA, "Address")).text = address


def _target_body(parent: etree._Element, target: Target, *, xaddrs: bool = True) -> None:
    _epr(parent, target.endpoint)
    types_element(parent, q(WSD, "Types"), target.types)
    if xaddrs and target.xaddrs:
        etree.SubElement(parent, q(WSD, "XAddrs")).text = " ".join(target.xaddrs)
    etree.SubElement(parent, q(WSD, "MetadataVersion")).text = str(target.metadata_version)


def hello(target: Target, sequence: AppSequence) -> etree._Element:
    body = etree.Element(q(WSD, "Hello"), nsmap=NSMAP)
    _target_body(body, target)
    env = p.envelope(HELLO_ACTION, body, to=WSD_TO, extra_ns=NSMAP)
    sequence.add_to(env)
    return env


def bye(target: Target, sequence: AppSequence) -> etree._Element:
    body = etree.Element(q(WSD, "Bye"), nsmap=NSMAP)
    _epr(body, target.endpoint)
    env = p.envelope(BYE_ACTION, body, to=WSD_TO, extra_ns=NSMAP)
    sequence.add_to(env)
    return env


def probe_matches(target: Target, sequence: AppSequence, relates_to: str, to: str) -> etree._Element:
    body = etree.Element(q(WSD, "ProbeMatches"), nsmap=NSMAP)
    _target_body(etree.SubElement(body, q(WSD, "ProbeMatch")), target)
    env = p.envelope(PROBE_MATCHES_ACTION, body, to=to, relates_to=relates_to, extra_ns=NSMAP)
    sequence.add_to(env)
    return env


def resolve_matches(target: Target, sequence: AppSequence, relates_to: str, to: str) -> etree._Element:
    body = etree.Element(q(WSD, "ResolveMatches"), nsmap=NSMAP)
    _target_body(etree.SubElement(body, q(WSD, "ResolveMatch")), target)
    env = p.envelope(RESOLVE_MATCHES_ACTION, body, to=to, relates_to=relates_to, extra_ns=NSMAP)
    sequence.add_to(env)
    return env


def probe(types: tuple[tuple[str, str], ...] = ()) -> etree._Element:
    body = etree.Element(q(WSD, "Probe"), nsmap=NSMAP)
    if types:
        types_element(body, q(WSD, "Types"), types)
    return p.envelope(PROBE_ACTION, body, to=WSD_TO, extra_ns=NSMAP)


def resolve(endpoint: str) -> etree._Element:
    body = etree.Element(q(WSD, "Resolve"), nsmap=NSMAP)
    _epr(body, endpoint)
    return p.envelope(RESOLVE_ACTION, body, to=WSD_TO, extra_ns=NSMAP)


def reply_address(env: etree._Element) -> str:
    """Where a reply goes: the request's wsa:ReplyTo, else the anonymous role (back to the sender)."""
    address = env.findtext(f"{{{SOAP}}}Header/{{{WSA}}}ReplyTo/{{{WSA}}}Address")
    return address.strip() if address else p.WSA_ANONYMOUS


# --- DPWS metadata (WS-Transfer GetResponse) ----------------------------------------------------


@dataclass(frozen=True)
class DeviceMetadata:
    manufacturer: str
    model_name: str
    presentation_url: str
    friendly_name: str
    firmware_version: str
    serial_number: str
    #: The WS-DSD service: its id and its endpoint addresses.
    service_id: str
    service_addresses: tuple[str, ...]
    service_types: tuple[tuple[str, str], ...] = SERVICE_TYPES

    def digest_text(self) -> str:
        return repr(self)


def metadata_body(meta: DeviceMetadata, endpoint: str, types: tuple[tuple[str, str], ...]) -> etree._Element:
    """mex:Metadata with the ThisModel, ThisDevice and Relationship sections DPWS defines."""
    root = etree.Element(q(MEX, "Metadata"), nsmap={"mex": MEX, **NSMAP})

    def section(dialect: str) -> etree._Element:
        s = etree.SubElement(root, q(MEX, "MetadataSection"))
        s.set("Dialect", dialect)
        return s

    model = etree.SubElement(section(f"{DPWS}/ThisModel"), q(DPWS, "ThisModel"))
    etree.SubElement(model, q(DPWS, "Manufacturer")).text = meta.manufacturer
    etree.SubElement(model, q(DPWS, "ModelName")).text = meta.model_name
    if meta.presentation_url:
        etree.SubElement(model, q(DPWS, "PresentationUrl")).text = meta.presentation_url
    device = etree.SubElement(section(f"{DPWS}/ThisDevice"), q(DPWS, "ThisDevice"))
    etree.SubElement(device, q(DPWS, "FriendlyName")).text = meta.friendly_name
    etree.SubElement(device, q(DPWS, "FirmwareVersion")).text = meta.firmware_version
    etree.SubElement(device, q(DPWS, "SerialNumber")).text = meta.serial_number
    rel = etree.SubElement(section(f"{DPWS}/Relationship"), q(DPWS, "Relationship"))
    rel.set("Type", f"{DPWS}/host")
    host = etree.SubElement(rel, q(DPWS, "Host"))
    _epr(host, endpoint)
    types_element(host, q(DPWS, "Types"), types)
    etree.SubElement(host, q(DPWS, "ServiceId")).text = endpoint
    hosted = etree.SubElement(rel, q(DPWS, "Hosted"))
    for address in meta.service_addresses:
        _epr(hosted, address)
    types_element(hosted, q(DPWS, "Types"), meta.service_types)
    etree.SubElement(hosted, q(DPWS, "ServiceId")).text = meta.service_id
    return root
