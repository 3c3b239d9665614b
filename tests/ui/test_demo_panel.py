"""`dsm-kiosk demo` opens the panel when a display is present, and keeps the headless chain
without one."""

from __future__ import annotations

import select
import signal
import socket
import subprocess
import sys
import time
import tomllib

import pytest

from kiosk.commands.demo import display_present


@pytest.mark.parametrize(
    "env, shown",
    [
        ({"DISPLAY": ":0"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({}, False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "eglfs"}, True),
        ({"QT_QPA_PLATFORM": "linuxfb:fb=/dev/fb0"}, True),
    ],
)
def test_display_present(env, shown):
    assert display_present(env) is shown


def test_demo_panel_runs_on_the_demo_parts_and_ends_cleanly(tmp_path):
    state = tmp_path / "demo"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "demo", "--panel", "--state-dir", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "panel is open" not in line:
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "the panel did not open"
            if select.select([proc.stdout], [], [], 0.5)[0]:
                line = proc.stdout.readline()
        assert "demo/demo" in line and str(state / "scans") in line
        proc.send_signal(signal.SIGTERM)  # as systemd stops it
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    assert "0 file(s)" in out
    port = tomllib.loads((state / "scan-server.toml").read_text())["port"]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
