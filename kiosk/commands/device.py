"""`dsm-kiosk device probe [ADDRESS]`: who answers a WS-Discovery Probe — this kiosk or any WSD
scanner on the network — and, with --metadata, what their DPWS metadata says. For
administrators checking what a Scan Management console would see."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("device", help="DSM device side: probe for WS-Discovery devices")
    parser.add_argument("action", choices=["probe"])
    parser.add_argument("address", nargs="?", help="probe this address directly (default: multicast)")
    parser.add_argument("--port", type=int, default=None, help="WS-Discovery port (default: [device] discovery_port)")
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds to collect answers")
    parser.add_argument("--scanners", action="store_true", help="only devices announcing the WS-Scan device type")
    parser.add_argument("--interface", metavar="IPV4", help="send the multicast probe from this address")
    parser.add_argument("--metadata", action="store_true", help="also fetch each device's DPWS metadata (Get)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.device import discovery, wsd

    if args.timeout <= 0 or args.timeout > 60:
        raise SystemExit("dsm-kiosk device probe: --timeout must be between 0 and 60 seconds")
    types = ((wsd.WSCN, "ScanDeviceType"),) if args.scanners else ()
    port = args.port or settings.device.discovery_port
    try:
        matches = discovery.probe(args.address, port=port, timeout=args.timeout, types=types, interface=args.interface)
    except OSError as exc:
        raise SystemExit(f"dsm-kiosk device probe: {exc}") from None
    found: list[dict[str, Any]] = []
    for m in matches:
        item: dict[str, Any] = {
            "endpoint": m.endpoint,
            "from": m.source,
            "types": list(m.types),
            "xaddrs": list(m.xaddrs),
            "metadata_version": m.metadata_version,
        }
        if args.metadata:
            item["metadata"] = _metadata(m.xaddrs, m.endpoint)
        found.append(item)
    if args.json:
        print(json.dumps(found, indent=2))
    elif not found:
        print(f"no answer within {args.timeout:g} s")
    else:
        for item in found:
            print(f"{item['endpoint']}  (from {item['from']}, metadata version {item['metadata_version']})")
            print(f"  types:  {' '.join(item['types'])}")
            print(f"  xaddrs: {' '.join(item['xaddrs']) or '-'}")
            for key, value in (item.get("metadata") or {}).items():
                print(f"  {key}: {value}")
    return 0 if found else 1


def _metadata(xaddrs: list[str] | tuple[str, ...], endpoint: str) -> dict[str, str]:
    """FriendlyName, model and hosted services from a WS-Transfer Get on the first xaddr that answers."""
    import requests
    from lxml import etree

    from kiosk.device import wsd
    from kiosk.dsm import protocol as p

    for xaddr in xaddrs:
        if not xaddr.lower().startswith(("http://", "https://")):
            continue
        env = p.envelope(wsd.GET_ACTION, None, to=endpoint, reply_to=True)
        try:
            resp = requests.post(
                xaddr,
                data=etree.tostring(env, xml_declaration=True, encoding="UTF-8"),
                headers={"Content-Type": p.soap_content_type(wsd.GET_ACTION)},
                timeout=5,
            )
            reply = etree.fromstring(resp.content, p.secure_parser())
        except (requests.RequestException, etree.XMLSyntaxError) as exc:
            return {"error": f"{xaddr}: {exc}"}
        dp = p.DPWS
        hosted = [
            " ".join(h.findtext(f"{{{dp}}}Types", "").split())
            + " at "
            + " ".join(a.text or "" for a in h.iterfind(f"{{{p.WSA}}}EndpointReference/{{{p.WSA}}}Address"))
            for h in reply.iter(f"{{{dp}}}Hosted")
        ]
        return {
            "friendly_name": reply.findtext(f".//{{{dp}}}FriendlyName") or "",
            "manufacturer": reply.findtext(f".//{{{dp}}}Manufacturer") or "",
            "model": reply.findtext(f".//{{{dp}}}ModelName") or "",
            "firmware": reply.findtext(f".//{{{dp}}}FirmwareVersion") or "",
            "serial": reply.findtext(f".//{{{dp}}}SerialNumber") or "",
            "hosted": "; ".join(hosted),
        }
    return {"error": "no http(s) address to ask"}
