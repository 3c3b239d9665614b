"""`dsm-kiosk scan-server resolve NAME` and `dsm-kiosk scan-server job NAME JOBTOKEN`: find a scan
server's WS-DSP endpoint the way deliveries do, and ask it about a job."""

from __future__ import annotations

import argparse
import json

from kiosk.config import Settings
from kiosk.dsm.client import WsdspClient
from kiosk.dsm.discovery import EndpointResolver
from kiosk.enterprise_roots import bundle_reader


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("scan-server", help="find a scan server's WS-DSP endpoint, or ask it about a job")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    resolve = actions.add_parser("resolve", help="print the WS-DSP endpoint of a ScanRepository name")
    resolve.add_argument("name", help="the scan process's ScanRepository (server FQDN)")
    job = actions.add_parser("job", help="print a job's JobStatus and JobDescription")
    job.add_argument("name", help="the scan process's ScanRepository (server FQDN)")
    job.add_argument("token", help="the JobToken")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    # The enterprise roots kept at the last sign-in, as the delivery worker trusts them.
    extra_cas = bundle_reader(settings) if settings.scan_server.ca_from_directory else ()
    endpoint = EndpointResolver(settings.scan_server, extra_cas=extra_cas).resolve(args.name)
    if args.action == "resolve":
        print(json.dumps({"name": args.name, "endpoint": endpoint}) if args.json else endpoint)
        return 0
    with WsdspClient(endpoint, settings.scan_server, extra_cas=extra_cas) as client:
        elements = client.get_post_scan_job_elements(args.token)
    status, desc = elements.status, elements.description
    if args.json:
        print(
            json.dumps(
                {
                    "endpoint": endpoint,
                    "status": None
                    if status is None
                    else {
                        "state": status.state,
                        "reasons": list(status.reasons),
                        "images_received": status.images_received,
                        "filters": [
                            {"dialect": f.dialect, "state": f.state, "reasons": list(f.reasons)} for f in status.filters
                        ],
                    },
                    "description": None if desc is None else desc.__dict__,
                }
            )
        )
    else:
        if status is not None:
            print(
                f"{status.job_token}: {status.state} ({', '.join(status.reasons) or '-'}),"
                f" {status.images_received} image(s)"
            )
            for f in status.filters:
                print(f"  {f.dialect}: {f.state}" + (f" ({', '.join(f.reasons)})" if f.reasons else ""))
        if desc is not None:
            print(f"  process {desc.psp_identifier} ({desc.psp_display_name}), user {desc.originating_user_name}")
    return 0
