"""`dsm-kiosk demo` runs the whole headless chain on embedded defaults and exits 0."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest


def test_demo_scans_delivers_and_says_where_the_files_are(tmp_path):
    state = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "--json", "demo", "--state-dir", str(state)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert summary["state"] == "Completed" and summary["pages_scanned"] == 10 and summary["documents"] == 1
    (pdf,) = [Path(p) for p in summary["files"]]
    assert pdf.is_relative_to(state / "scans") and pdf.read_bytes()[:5] == b"%PDF-"
    assert stat.S_IMODE((state / "spool").stat().st_mode) == 0o700
    assert "password" not in (state / "kiosk.toml").read_text()
    # The server was stopped: nothing listens on its port any more.
    port = tomllib.loads((state / "scan-server.toml").read_text())["port"]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
