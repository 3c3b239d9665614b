"""`dsm-kiosk device probe` finds a running device over loopback and reads its metadata."""

from __future__ import annotations

import json
import subprocess

from kiosk.device.host import DeviceHost
from kiosk.device.status import MonitoredScanner
from tests.fixtures.device_support import device_settings, free_udp_port


def probe(python, config, *args):
    return subprocess.run(
        [python, "-m", "kiosk", "--config", str(config), "--json", "device", "probe", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_probe_prints_the_device_and_its_metadata(tmp_path, python, sane_scanner):
    host = DeviceHost(device_settings(tmp_path, friendly_name="Lobby"), MonitoredScanner(sane_scanner)).start()
    config = tmp_path / "kiosk.toml"
    config.write_text(f"[device]\ndiscovery_port = {host.config.discovery_port}\n")
    try:
        out = probe(python, config, "127.0.0.1", "--metadata", "--scanners", "--timeout", "1.5")
        assert out.returncode == 0, out.stderr
        (found,) = json.loads(out.stdout)
        assert found["endpoint"] == host.identity.endpoint
        assert found["metadata"]["friendly_name"] == "Lobby"
        assert "DistributedScanDeviceServiceType" in found["metadata"]["hosted"]
    finally:
        host.stop()
    nobody = probe(python, config, "127.0.0.1", "--port", str(free_udp_port()), "--timeout", "0.5")
    assert nobody.returncode == 1 and json.loads(nobody.stdout) == []
