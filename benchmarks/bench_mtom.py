"""SendImage (MTOM) on loopback: throughput of WsdspClient vs curl posting the same MTOM body, and
peak memory of the client and the server for a large document.

`python -m benchmarks mtom [--size-mb=200] [--https]` (--https: through the server's TLS front,
with a test CA)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk.dsm import protocol as p
from tests.fixtures.scan_server import ScanServer, ServerTls, scan_server_settings
from tests.fixtures.tls import make_pki

SID = "S-1-5-21-1-2-3-1001"
PSP_ID = "C4F199C7-6876-4549-A86E-A85035952448"
INSTRUCTIONS = (
    '<psp:PostScanInstructions xmlns:psp="http://schemas.microsoft.com/windows/2008/02/imaging/postscan/psp">'
    "<psp:DocumentRootName>Bench</psp:DocumentRootName><psp:FiltersToProcess><psp:Filter>"
    "<psp:Dialect>http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare</psp:Dialect>"
    '<psp:Instructions><fsf:FileShareConfig xmlns:fsf="http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/fileshare">'
    "<fsf:FileShares><fsf:ShareUNC>\\\\files\\scans</fsf:ShareUNC></fsf:FileShares></fsf:FileShareConfig>"
    "</psp:Instructions></psp:Filter></psp:FiltersToProcess></psp:PostScanInstructions>"
)

# Runs in a fresh interpreter so its peak RSS belongs to the client alone.
CLIENT = r"""
import json, resource, sys, time
from kiosk.config import ScanServerSettings
from kiosk.dsm.client import WsdspClient
endpoint, path, token, ca = sys.argv[1:5]
c = WsdspClient(endpoint, ScanServerSettings(allow_http=True, read_timeout=600, ca_file=ca))
c.get_post_scan_job_elements(token)  # warm: imports, WSDL, connection
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
c.send_image(token, 1, "application/octet-stream", path)
elapsed = time.perf_counter() - t0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_before_kb": before, "peak_after_kb": after}))
"""


def vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str]) -> None:
    size_mb = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--size-mb=")), 200)
    with tempfile.TemporaryDirectory(prefix="bench-mtom-") as tmp:
        folder = Path(tmp)
        doc = folder / "doc.bin"
        with doc.open("wb") as fh:
            block = os.urandom(1024 * 1024)
            for _ in range(size_mb):
                fh.write(block)
        size = doc.stat().st_size
        https = "--https" in argv
        pki = make_pki(folder / "pki") if https else None
        ca = str(pki.ca) if pki else ""
        server = ScanServer(folder / "server", tls=ServerTls(pki.server_cert, pki.server_key) if pki else None).start()
        try:
            from kiosk.dsm.client import WsdspClient

            with WsdspClient(server.endpoint, scan_server_settings(server, ca_file=ca)) as c:
                token = c.create_post_scan_job(SID, PSP_ID, INSTRUCTIONS)
            server_before = vm_hwm_kb(server.process.pid)
            out = subprocess.run(
                [sys.executable, "-c", CLIENT, server.endpoint, str(doc), token, ca],
                capture_output=True,
                text=True,
                check=True,
            )
            client = json.loads(out.stdout)
            server_after = vm_hwm_kb(server.process.pid)

            # curl streaming the same bytes as one SendImage (MTOM body prebuilt on disk; -T streams,
            # --data-binary would load it all).
            env = p.envelope(p.action("SendImage"), None, to=server.endpoint)
            body_xml = (
                f'<dsp:SendImageRequest xmlns:dsp="{p.DSP}"><dsp:JobToken>{token}</dsp:JobToken>'
                "<dsp:DocumentDescription><dsp:DocumentId>2</dsp:DocumentId>"
                "<dsp:Format>application/octet-stream</dsp:Format></dsp:DocumentDescription>"
                f'<dsp:ImageData><xop:Include xmlns:xop="{p.XOP}" href="cid:doc@bench"/></dsp:ImageData>'
                "</dsp:SendImageRequest>"
            )
            from lxml import etree

            env.find(f"{{{p.SOAP}}}Body").append(etree.fromstring(body_xml))
            mtom = p.MtomBody(etree.tostring(env), doc, "doc@bench", p.action("SendImage"))
            prebuilt = folder / "mtom.bin"
            with prebuilt.open("wb") as fh:
                for chunk in mtom:
                    fh.write(chunk)
            t0 = time.perf_counter()
            curl = subprocess.run(
                [
                    "curl",
                    "-s",
                    *(["--cacert", ca] if ca else []),
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "-X",
                    "POST",
                    "-H",
                    f"Content-Type: {mtom.content_type}",
                    "-H",
                    "Expect:",
                    "--upload-file",
                    str(prebuilt),
                    server.endpoint,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            curl_s = time.perf_counter() - t0
            stored = {d["document_id"]: d["size"] for d in server.record(token)["documents"]}
        finally:
            server.stop()
    mb = size / 1e6
    print(f"transport: {'HTTPS (TLS front)' if https else 'HTTP'} on loopback")
    print(f"document: {size_mb} MiB ({size} bytes); stored by the server: {stored}")
    print(f"WsdspClient.send_image: {client['seconds']:.2f} s, {mb / client['seconds']:.0f} MB/s")
    print(f"curl POST (same MTOM body, HTTP {curl.stdout}): {curl_s:.2f} s, {mb / curl_s:.0f} MB/s")
    print(
        f"client peak RSS: {client['peak_before_kb'] / 1024:.1f} MiB before,"
        f" {client['peak_after_kb'] / 1024:.1f} MiB after "
        f"(+{(client['peak_after_kb'] - client['peak_before_kb']) / 1024:.1f} MiB)"
    )
    print(
        f"server peak RSS: {server_before / 1024:.1f} MiB before, {server_after / 1024:.1f} MiB after "
        f"(+{(server_after - server_before) / 1024:.1f} MiB)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
