"""`dsm-kiosk panel` is registered, and the headless commands never load Qt."""

from __future__ import annotations

import subprocess
import sys

from kiosk.cli import build_parser


def test_panel_options():
    parser = build_parser()
    assert parser.parse_args(["panel", "--kiosk"]).kiosk is True
    assert parser.parse_args(["panel", "--windowed"]).kiosk is False
    assert parser.parse_args(["panel"]).kiosk is None  # [ui] kiosk decides


def test_building_the_cli_does_not_import_qt():
    code = "import sys, kiosk.cli; kiosk.cli.build_parser(); print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
