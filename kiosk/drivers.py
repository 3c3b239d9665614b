"""Device drivers looked up by name: the one way kiosk/ reaches hardware/.

kiosk/ holds the interfaces (kiosk.scanner) and never imports hardware/; a driver package
declares its implementations as entry points (pyproject.toml, [project.entry-points]) and the
commands open them by the name in the configuration ([scanner] driver). So the dependency runs
one way, hardware → kiosk, and another driver (a vendor SDK, a network scanner) is a package
that declares an entry point, with no change here.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from typing import Any

from kiosk.errors import ConfigError

#: name → class taking ScannerSettings, implementing kiosk.scanner.Scanner.
SCANNER_DRIVERS = "dsm_kiosk.scanner_drivers"
#: name → function(folder) writing a configuration for a simulated device; returns the folder.
DEMO_DEVICES = "dsm_kiosk.demo_devices"


def lookup(group: str, name: str) -> Any:
    """The object the entry point `name` of `group` names; a ConfigError lists the known ones."""
    found = importlib.metadata.entry_points(group=group)
    for entry in found:
        if entry.name == name:
            return entry.load()
    known = ", ".join(sorted(e.name for e in found)) or "none (is dsm-kiosk installed?)"
    raise ConfigError(f"no {group} entry point named {name!r}; installed: {known}")


def open_scanner(settings: Any) -> Any:
    """The configured scanner ([scanner] driver), opened lazily by the driver itself."""
    driver: Callable[[Any], Any] = lookup(SCANNER_DRIVERS, settings.scanner.driver)
    return driver(settings.scanner)


def demo_device(name: str) -> Callable[..., Any]:
    return lookup(DEMO_DEVICES, name)
