"""The layers depend one way: hardware/ → kiosk/, never the reverse; kiosk/ imports no Qt; the
commands reach drivers by name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kiosk import drivers
from kiosk.config import parse
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        out[str(path.relative_to(ROOT))] = names
    return out


#: The panel command starts the ui (imported there only, so headless commands never load Qt).
ALLOWED = {("ui", "kiosk/commands/panel.py")}


@pytest.mark.parametrize("forbidden", ["hardware", "ui", "PySide6", "dsm_server"])
def test_kiosk_imports_neither_hardware_nor_ui_nor_qt_nor_the_server(forbidden):
    offenders = {
        path: sorted(n for n in names if n == forbidden or n.startswith(forbidden + "."))
        for path, names in imported_modules("kiosk").items()
        if (forbidden, path) not in ALLOWED
    }
    assert {p: n for p, n in offenders.items() if n} == {}


def test_the_sane_driver_is_found_by_name():
    from hardware.sane_scanner import SaneScanner

    assert drivers.lookup(drivers.SCANNER_DRIVERS, parse({}).scanner.driver) is SaneScanner


def test_an_unknown_driver_is_a_config_error_naming_the_installed_ones():
    with pytest.raises(ConfigError, match="installed: .*sane") as err:
        drivers.open_scanner(parse({"scanner": {"driver": "nosuch"}}))
    assert "nosuch" in str(err.value)
