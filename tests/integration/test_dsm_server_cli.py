"""`dsm-scan-server` refuses a bad configuration with a clear message and exit status 2."""

from __future__ import annotations

import subprocess
import sys


def test_bad_config_is_refused_clearly(tmp_path):
    cfg = tmp_path / "server.toml"
    cfg.write_text("port = 70000\nsurprise = 1\n[faults]\nhttp_503_fraction = 2.0\n")
    run = subprocess.run(
        [sys.executable, "-m", "dsm_server", "--config", str(cfg)], capture_output=True, text=True, timeout=30
    )
    assert run.returncode == 2
    assert (
        f"{cfg}: port" in run.stderr
        and "surprise: unknown key" in run.stderr
        and "faults.http_503_fraction" in run.stderr
    )
    missing = subprocess.run(
        [sys.executable, "-m", "dsm_server", "--config", str(tmp_path / "nope.toml")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert missing.returncode == 2 and "no such configuration file" in missing.stderr
