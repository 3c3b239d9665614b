"""Device-side figures: WS-Discovery unicast probe round trip, WS-DSD GetScannerElements and
ValidateScanTicket over HTTP, and what publishing an event costs the scanning thread when the
only subscriber's sink is dead (it must stay flat: the queue is bounded and never waited on)."""

from __future__ import annotations

import socket
import statistics
import tempfile
import time
from pathlib import Path

from lxml import etree

from hardware.fake_scanner import FakeScanner
from kiosk.device import tickets, wsd
from kiosk.device.dsd import event_action
from kiosk.device.host import DeviceHost
from kiosk.device.status import MonitoredScanner, StatusChange
from kiosk.device.wsd import DSD, WSCN
from kiosk.psp.model import ScanTicket, Setting
from tests.fixtures.device_support import EventSink, call, device_settings
from tests.integration.test_device_host import subscribe


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    return f"median {statistics.median(samples) * 1000:.2f} ms, p95 {samples[int(len(samples) * 0.95)] * 1000:.2f} ms"


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        host = DeviceHost(device_settings(Path(tmp)), MonitoredScanner(FakeScanner())).start()
        try:
            port = host.config.discovery_port
            probes = []
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(2)
                for _ in range(50):
                    data = etree.tostring(wsd.probe())
                    t = time.perf_counter()
                    s.sendto(data, ("127.0.0.1", port))
                    s.recvfrom(65536)
                    probes.append(time.perf_counter() - t)
                    time.sleep(0.3)  # let the answer's repeat pass before the next probe
                    s.settimeout(0)
                    try:
                        while s.recvfrom(65536):
                            pass
                    except BlockingIOError:
                        pass
                    s.settimeout(2)
            print(f"unicast Probe to first ProbeMatches: {_ms(probes)}")

            url = host.urls("/dsd")[0]
            req = etree.Element(f"{{{DSD}}}GetScannerElementsRequest", nsmap={"dsd": DSD, "wscn": WSCN})
            names = etree.SubElement(req, f"{{{DSD}}}RequestedElements")
            for n in ("ScannerDescription", "ScannerConfiguration", "ScannerStatus", "DefaultScanTicket"):
                etree.SubElement(names, f"{{{DSD}}}Name").text = f"wscn:{n}"
            action = "http://schemas.microsoft.com/windows/2006/08/wdp/scan/GetScannerElements"
            times = []
            for _ in range(50):
                t = time.perf_counter()
                status, _ = call(url, action, req)
                times.append(time.perf_counter() - t)
                assert status == 200
            print(f"GetScannerElements (4 elements, schema-checked both ways): {_ms(times)}")

            ticket = ScanTicket(job_name="b", job_originating_user_name="u", format=Setting("tiff-multi-g4"))
            vreq = etree.Element(f"{{{DSD}}}ValidateScanTicketRequest", nsmap={"dsd": DSD, "wscn": WSCN})
            vreq.append(tickets.ticket_element(ticket))
            vaction = "http://schemas.microsoft.com/windows/2006/08/wdp/scan/ValidateScanTicket"
            times = []
            for _ in range(50):
                t = time.perf_counter()
                status, _ = call(url, vaction, vreq)
                times.append(time.perf_counter() - t)
            print(f"ValidateScanTicket: {_ms(times)}")

            hole = socket.create_server(("127.0.0.1", 0))  # takes connections, never answers
            sink = EventSink()
            sink.url = f"http://127.0.0.1:{hole.getsockname()[1]}/"
            subscribe(url, sink)
            body = host.dsd.status_events(StatusChange("state", "Idle", ("None",)))[0][1]
            costs = []
            for _ in range(2000):
                t = time.perf_counter()
                host.events.publish(event_action("ScannerStatusSummaryEvent"), body)
                costs.append(time.perf_counter() - t)
            print(
                f"publish to a dead sink ({host.config.event_queue}-event queue): {_ms(costs)}, "
                f"max {max(costs) * 1000:.2f} ms over {len(costs)} events"
            )
            hole.close()
            sink.close()
        finally:
            host.stop()


if __name__ == "__main__":
    main([])
