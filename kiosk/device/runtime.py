"""Putting the device side into a running kiosk (the panel): a few calls, nothing when
[device] enabled is false."""

from __future__ import annotations

import logging
import threading
from typing import Any

from kiosk.config import Settings
from kiosk.errors import KioskError

log = logging.getLogger("kiosk.device")


def monitored(settings: Settings, scanner: Any) -> Any:
    """The scanner the engine should use: wrapped so the device sees its state and conditions."""
    if not settings.device.enabled:
        return scanner
    from kiosk.device.status import MonitoredScanner

    return MonitoredScanner(scanner)


class _Off:
    def stop(self, **_: Any) -> None:
        pass


def start(settings: Settings, scanner: Any, engine: Any) -> Any:
    """The started DeviceHost (or a stand-in with `stop()` when the device side is off, or could
    not start: scanning matters more than being seen, so that is logged, not fatal)."""
    if not settings.device.enabled:
        _end_old_subscriptions(settings)
        return _Off()
    from kiosk.device.host import DeviceHost

    try:
        return DeviceHost(settings, scanner, engine).start()
    except KioskError as exc:
        log.error("the DSM device side did not start: %s", exc)
        return _Off()


def _end_old_subscriptions(settings: Settings) -> threading.Thread | None:
    """The device side was switched off: subscribers kept from when it was on hear
    SubscriptionEnd(SourceShuttingDown) once, on a thread of its own (the panel does not wait)."""
    from kiosk.device.netif import PeerFilter, interface_addresses
    from kiosk.dsm.eventing import FILE_NAME, EventSource

    state_dir = settings.resolve_path(settings.spool.state_directory)
    if not (state_dir / FILE_NAME).exists():
        return None

    def end() -> None:
        try:
            peers = PeerFilter.from_settings(settings.device.networks, interface_addresses(settings.device.interfaces))
            EventSource(
                state_dir, timeout=settings.device.event_timeout, sink_policy=lambda sink, _: peers.allows(sink)
            ).close(end_subscriptions=True)
        except (OSError, KioskError) as exc:
            log.warning("could not end the device's old event subscriptions: %s", exc)

    thread = threading.Thread(target=end, name="device-subscription-end", daemon=True)
    thread.start()
    return thread
