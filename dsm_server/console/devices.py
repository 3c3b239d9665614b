"""Devices for the console: kiosks found by WS-Discovery, behind a small interface.

`DeviceSource.devices()` is all the console needs. `DiscoveryDevices` probes the configured
addresses with the device side's WS-Discovery client (kiosk.device.discovery, when installed);
without it the console lists no discovered devices and says why.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from typing import Protocol

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
            address = None if target == "multicast" else target
            try:
                matches = discovery.probe(address, timeout=self.timeout)
            except OSError as exc:
                log.warning("WS-Discovery probe of %s failed: %s", target, exc)
                continue
            for m in matches:
                found.setdefault(
                    m.endpoint,
                    DeviceView(m.endpoint, tuple(m.xaddrs), f"WS-Discovery ({m.source})", tuple(m.types)),
                )
        self._note = ""
        return sorted(found.values(), key=lambda d: d.endpoint)
