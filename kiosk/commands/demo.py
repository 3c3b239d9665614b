"""`dsm-kiosk demo`: run the kiosk on embedded defaults, with no set-up beyond `make demo`.

Everything lives under ./.demo (or --state-dir): a private SANE configuration that enables the
SANE `test` device, and the spool. Until the panel and the delivery chain exist, the demo
checks the chain it can: it opens the test scanner and scans one A4 page into .demo/out.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from hardware import sane_test_device
from kiosk.config import Settings
from kiosk.errors import ScannerError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="run the kiosk on embedded demo defaults")
    parser.add_argument("--state-dir", default=".demo", help="where the demo keeps its files (default: .demo)")
    parser.set_defaults(func=run, needs_config=False)


def run(args: argparse.Namespace, settings: Settings) -> int:
    state = Path(args.state_dir).resolve()
    sane_dir = sane_test_device.write_config(state / "sane")
    os.environ["SANE_CONFIG_DIR"] = str(sane_dir)  # before sane.init()
    out = state / "out"
    out.mkdir(parents=True, exist_ok=True)

    import sane

    sane.init()
    try:
        try:
            device = sane.open("test:0")
        except sane._sane.error as exc:  # type: ignore[attr-defined]
            raise ScannerError(f"cannot open the SANE test device: {exc}") from None
        try:
            device.mode = "Color"
            device.resolution = 150
            device.br_x, device.br_y = 210.0, 297.0
            image = device.scan()
        finally:
            device.close()
    finally:
        sane.exit()
    target = out / "demo-page.png"
    image.save(target)
    summary = {"scanned": str(target), "size": list(image.size), "mode": image.mode}
    print(json.dumps(summary) if args.json else f"demo: scanned one A4 page from the SANE test device into {target}")
    return 0
