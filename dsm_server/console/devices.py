"""Devices for the console: kiosks found by WS-Discovery, behind a small interface.

`DeviceSource.devices()` is all the console needs. `DiscoveryDevices` probes the configured
addresses with the device side's WS-Discovery client (kiosk.device.discovery, when installed);
without it the console lists no discovered devices and says why.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field, replace
from typing import Protocol

import requests
from lxml import etree

from kiosk.dsm import protocol as p

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceView:
    endpoint: str
    addresses: tuple[str, ...]
    found_by: str
    types: tuple[str, ...] = ()
    #: Scanner state and active conditions (WS-DSD), when known.
    state: str = ""
    conditions: tuple[str, ...] = field(default_factory=tuple)


class DeviceSource(Protocol):
    def devices(self) -> list[DeviceView]: ...

    @property
    def note(self) -> str: ...


WSCN = "http://schemas.microsoft.com/windows/2006/08/wdp/scan"
DSD = "http://schemas.microsoft.com/windows/2008/12/wdp/distributedscan/device"
DSD_SERVICE_TYPE = "DistributedScanDeviceServiceType"
#: [inference] WS-DSD operations are sent with WS-Scan's action namespace (as kiosk.device answers).
DSD_ACTION_NAMESPACE = WSCN
#: Answers from a device are small; a bigger one is refused, not read.
MAX_ANSWER = 256 * 1024


def _soap(url: str, action: str, body: etree._Element | None, timeout: float) -> etree._Element:
    env = p.envelope(action, body, to=url, reply_to=True)
    response = requests.post(
        url,
        data=etree.tostring(env, xml_declaration=True, encoding="UTF-8"),
        headers={"Content-Type": p.soap_content_type(action)},
        timeout=timeout,
        allow_redirects=False,
        stream=True,
    )
    with response:
        data = response.raw.read(MAX_ANSWER + 1, decode_content=True)
    if len(data) > MAX_ANSWER or response.status_code != 200:
        raise OSError(f"{url}: HTTP {response.status_code}, {len(data)} bytes")
    return etree.fromstring(data, p.secure_parser())


def _dsd_address(xaddr: str, timeout: float) -> str:
    """The WS-DSD service's address from the device's DPWS metadata (WS-Transfer Get)."""
    reply = _soap(xaddr, f"{p.WXF}/Get", None, timeout)
    for hosted in reply.iter(f"{{{p.DPWS}}}Hosted"):
        types = hosted.findtext(f"{{{p.DPWS}}}Types") or ""
        if any(t.rpartition(":")[2] == DSD_SERVICE_TYPE for t in types.split()):
            address = hosted.findtext(f"{{{p.WSA}}}EndpointReference/{{{p.WSA}}}Address")
            if address:
                return address.strip()
    raise OSError(f"{xaddr}: no WS-DSD service in the device's metadata")


def scanner_status(xaddr: str, timeout: float) -> tuple[str, tuple[str, ...]]:
    """(ScannerState, active condition names) over WS-DSD GetScannerElements."""
    url = _dsd_address(xaddr, timeout)
    request = etree.Element(f"{{{DSD}}}GetScannerElementsRequest", nsmap={"dsd": DSD, "wscn": WSCN})
    names = etree.SubElement(request, f"{{{DSD}}}RequestedElements")
    etree.SubElement(names, f"{{{DSD}}}Name").text = "wscn:ScannerStatus"
    reply = _soap(url, f"{DSD_ACTION_NAMESPACE}/GetScannerElements", request, timeout)
    status = next(reply.iter(f"{{{WSCN}}}ScannerStatus"), None)
    if status is None:
        raise OSError(f"{url}: no ScannerStatus in the answer")
    state = (status.findtext(f"{{{WSCN}}}ScannerState") or "").strip()
    conditions = tuple(
        (c.findtext(f"{{{WSCN}}}Name") or "").strip()
        for c in status.iterfind(f"{{{WSCN}}}ActiveConditions/{{{WSCN}}}DeviceCondition")
    )
    return state, conditions


def _target(text: str) -> tuple[str | None, int]:
    """ "multicast", "address" or "address:port" (IPv4 or a name) → (address, port)."""
    if text == "multicast":
        return None, 3702
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and ":" not in host:
        return host, int(port)
    return text, 3702


class DiscoveryDevices:
    def __init__(self, targets: list[str], timeout: float) -> None:
        self.targets = targets
        self.timeout = timeout
        self._note = ""

    @property
    def note(self) -> str:
        return self._note

    def devices(self) -> list[DeviceView]:
        if not self.targets:
            self._note = "No WS-Discovery probe is configured ([console] probe)."
            return []
        try:
            discovery = importlib.import_module("kiosk.device.discovery")
        except ImportError:
            self._note = "WS-Discovery is not available in this installation."
            return []
        found: dict[str, DeviceView] = {}
        for target in self.targets:
            address, port = _target(target)
            try:
                matches = discovery.probe(address, port=port, timeout=self.timeout)
            except OSError as exc:
                log.warning("WS-Discovery probe of %s failed: %s", target, exc)
                continue
            for m in matches:
                found.setdefault(
                    m.endpoint,
                    DeviceView(m.endpoint, tuple(m.xaddrs), f"WS-Discovery ({m.source})", tuple(m.types)),
                )
        self._note = ""
        return [self._with_status(d) for d in sorted(found.values(), key=lambda d: d.endpoint)]

    def _with_status(self, device: DeviceView) -> DeviceView:
        for xaddr in device.addresses:
            try:
                state, conditions = scanner_status(xaddr, self.timeout)
            except (OSError, requests.RequestException, etree.XMLSyntaxError) as exc:
                log.info("WS-DSD status of %s at %s: %s", device.endpoint, xaddr, exc)
                continue
            return replace(device, state=state, conditions=conditions)
        return replace(device, state="(no answer over WS-DSD)")
