"""`dsm-kiosk scan-server resolve|job` against the reference server."""

from __future__ import annotations

import json

from kiosk.cli import main
from kiosk.dsm.client import WsdspClient
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions


def test_resolve_and_job(scan_server, scan_server_settings, tmp_path, capsys):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        f'[scan_server]\nallow_http = true\ndiscovery_scheme = "http"\ndiscovery_port = {scan_server.port}\n'
    )
    assert main(["--config", str(cfg), "--json", "scan-server", "resolve", "127.0.0.1"]) == 0
    assert json.loads(capsys.readouterr().out)["endpoint"] == scan_server.endpoint
    with WsdspClient(scan_server.endpoint, scan_server_settings) as c:
        token = c.create_post_scan_job(SID, PSP_ID, instructions(root_name="Forms"))
    assert main(["--config", str(cfg), "scan-server", "job", "127.0.0.1", token]) == 0
    out = capsys.readouterr().out
    assert f"{token}: Started" in out and "(Forms)" in out
    assert (
        main(
            ["--config", str(cfg), "--json", "scan-server", "job", "127.0.0.1", "6a0e6b4e-9a5f-4e0f-8a43-5d2f1f2a0c11"]
        )
        == 5
    )
    assert json.loads(capsys.readouterr().out)["error"] == "delivery"
