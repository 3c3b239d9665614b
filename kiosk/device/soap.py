"""SOAP 1.2 faults and schema validation for the device host."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from lxml import etree

from kiosk.device.wsd import NSMAP, WSCN, WSE
from kiosk.dsm import protocol as p


@dataclass
class Fault(Exception):
    """A SOAP fault: code Sender/Receiver, a subcode QName (namespace, local name), a reason."""

    subcode: tuple[str, str]
    reason: str
    code: str = "Sender"
    action: str = p.WSA_FAULT_ACTION

    def __str__(self) -> str:
        return f"{self.subcode[1]}: {self.reason}"


def invalid_args(reason: str) -> Fault:
    return Fault((WSCN, "InvalidArgs"), reason)


def fault_envelope(fault: Fault, relates_to: str | None) -> etree._Element:
    prefixes = {p.WSA: "wsa", WSCN: "wscn", WSE: "wse"}
    ns, local = fault.subcode
    prefix = prefixes.get(ns, "f")
    f = etree.Element(p.q(p.SOAP, "Fault"), nsmap={prefix: ns})
    code = etree.SubElement(f, p.q(p.SOAP, "Code"))
    etree.SubElement(code, p.q(p.SOAP, "Value")).text = f"soap:{fault.code}"
    sub = etree.SubElement(code, p.q(p.SOAP, "Subcode"))
    etree.SubElement(sub, p.q(p.SOAP, "Value")).text = f"{prefix}:{local}"
    reason = etree.SubElement(f, p.q(p.SOAP, "Reason"))
    text = etree.SubElement(reason, p.q(p.SOAP, "Text"))
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = fault.reason
    return p.envelope(fault.action, f, to=p.WSA_ANONYMOUS, relates_to=relates_to, extra_ns=NSMAP)


_lock = threading.Lock()


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(p.schema_dir() / "dsd.xsd")))


def dsd_schema() -> etree.XMLSchema:
    with _lock:
        return _schema()


def check(element: etree._Element) -> str | None:
    """None if `element` (a WS-DSD message body) is valid against dsd.xsd, else the error."""
    schema = dsd_schema()
    with _lock:
        if schema.validate(etree.ElementTree(element)):
            return None
        error = schema.error_log.last_error
        return f"line {error.line}: {error.message}" if error else "invalid"
