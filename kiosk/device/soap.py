"""SOAP 1.2 faults and schema validation for the device host."""

from __future__ import annotations

import functools
import threading

from lxml import etree

from kiosk.device.wsd import DSD, WSCN
from kiosk.dsm import protocol as p
from kiosk.dsm.eventing import SoapFault as Fault
from kiosk.dsm.eventing import fault_envelope as _fault_envelope


def invalid_args(reason: str) -> Fault:
    return Fault((WSCN, "InvalidArgs"), reason)


def fault_envelope(fault: Fault, relates_to: str | None) -> etree._Element:
    return _fault_envelope(fault, relates_to, {"wscn": WSCN, "dsd": DSD})


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
