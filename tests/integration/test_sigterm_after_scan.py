"""SIGTERM after a real scan still reaches the process's handler (SANE's test backend resets it
from its reader thread): the panel and a headless command exit 0, the spool consistent."""

from __future__ import annotations

import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hardware import sane_test_device
from kiosk.jobs import spool as sp
from tests.fixtures.scan_server import free_port

HERE = Path(__file__).parent


@pytest.mark.parametrize("mode", ["panel", "plain"])
def test_sigterm_after_a_scan_exits_0_with_the_spool_consistent(tmp_path, mode):
    sane_dir = sane_test_device.write_config(tmp_path / "sane")
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "sigterm_after_scan.py"), mode, str(tmp_path), str(sane_dir), str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while not line.startswith("scanned"):
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "no scan within 60 s"
            if select.select([proc.stdout], [], [], 0.5)[0]:
                line = proc.stdout.readline()
        job_id = line.split()[1]
        proc.send_signal(signal.SIGTERM)  # as systemd stops it
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    spool = sp.Spool(tmp_path / "spool")
    job = spool.job(job_id)
    assert job.scan_done and job.state == sp.QUEUED and job.documents == job.pages == 1, (job.reason, job.last_error)
    for doc in spool.documents(job_id):
        assert doc.path.is_file() and doc.path.stat().st_size == doc.size
    assert not (spool.job_dir(job_id) / "work").exists()
    spool.close()
