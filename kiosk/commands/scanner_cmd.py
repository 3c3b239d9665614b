"""`dsm-kiosk scanner info|scan`: what the configured scanner offers, and a test scan into a folder
(for installers: the same ticket mapping, driver and encoder as a kiosk job)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from kiosk.config import Settings
from kiosk.psp.model import MediaSide, Resolution, ScanTicket, Setting


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("scanner", help="show the scanner's capabilities, or make a test scan")
    parser.add_argument("action", choices=["info", "scan"])
    parser.add_argument("--out", metavar="DIR", help="scan: folder for the pages and documents")
    parser.add_argument("--source", default="Platen", help="scan: InputSource (Platen, ADF, ADFDuplex)")
    parser.add_argument("--color", default="RGB24", help="scan: ColorProcessing (BlackAndWhite1, Grayscale8, RGB24, …)")
    parser.add_argument("--resolution", type=int, default=300, help="scan: ppi")
    parser.add_argument("--format", default="pdf-a", help="scan: DSM Format (jfif, png, tiff-multi-g4, pdf-a, …)")
    parser.add_argument("--must-honor", action="store_true", help="scan: refuse instead of using the nearest values")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.drivers import open_scanner

    scanner = open_scanner(settings)
    try:
        if args.action == "info":
            caps = dataclasses.asdict(scanner.capabilities())
            print(json.dumps(caps, indent=2) if args.json else "\n".join(f"{k}: {v}" for k, v in caps.items()))
            return 0
        if not args.out:
            raise SystemExit("dsm-kiosk scanner scan: --out DIR is required")
        return _scan(args, scanner)
    finally:
        scanner.close()


def _scan(args: argparse.Namespace, scanner) -> int:
    from kiosk.imaging import DocumentEncoder, check_format

    must = args.must_honor
    ticket = ScanTicket(
        job_name="test scan",
        job_originating_user_name="dsm-kiosk",
        format=Setting(args.format, must),
        input_source=Setting(args.source, must),
        media_front=MediaSide(
            color_processing=Setting(args.color, must), resolution=Setting(Resolution(args.resolution), must)
        ),
    )
    fmt = check_format(ticket)
    scan_settings = scanner.resolve(ticket)
    out = Path(args.out)
    encoder = DocumentEncoder(fmt, out)
    documents, pages = [], 0
    for page in scanner.scan(scan_settings, out):
        pages += 1
        documents += encoder.add(page)
    documents += encoder.finish()
    result: dict[str, Any] = {
        "pages": pages,
        "settings": dataclasses.asdict(scan_settings),
        "documents": [
            {"document_id": d.document_id, "path": str(d.path), "format": d.format, "pages": d.pages, "size": d.size}
            for d in documents
        ],
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for a in scan_settings.adjustments:
            print(f"adjusted {a.setting}: asked {a.requested}, used {a.used}")
        for d in result["documents"]:
            print(f"document {d['document_id']}: {d['path']} ({d['pages']} pages, {d['size']} bytes)")
    return 0
