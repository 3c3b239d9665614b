"""A `dsm-kiosk scan` of a pdf-a job SIGKILLed mid-document, while its document is being sent:
the next worker completes the document from the spool (journal + page files) and delivers
every page scanned, once, as a valid PDF/A."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf

from hardware import sane_test_device
from kiosk.config import load
from kiosk.directory.passwords import hash_password
from kiosk.jobs import spool as sp
from tests.fixtures.psp_samples import psp_xml

USER, PASSWORD, PROCESS = "kim", "kim-pass-1", "Streamed PDF"
SHARE = r"\\localhost\scans"
#: ~0.3 s a page at 75 dpi colour: slow enough to kill the scan between pages.
PACE = {"read-limit": "true", "read-limit-size": "65536", "read-delay": "true", "read-delay-duration": "12000"}


def sane_dir(folder: Path) -> Path:
    sane_test_device.write_config(folder)
    conf = folder / "test.conf"
    lines = []
    for line in conf.read_text().splitlines():
        key = line.split(" ", 1)[0]
        lines.append(f"{key} {PACE[key]}" if key in PACE else line)
    conf.write_text("\n".join(lines) + "\n")
    return folder


def kiosk_config(tmp_path: Path, server) -> Path:
    xml = psp_xml(repository="localhost", job_name=PROCESS, fmt="pdf-a", dpi=75, shares=(SHARE,), root_name="K")
    directory = tmp_path / "directory.toml"
    directory.write_text(
        f'domain = "K"\n\n[users.{USER}]\npassword = {json.dumps(hash_password(PASSWORD))}\n\n'
        f'[[processes]]\nname = "{PROCESS}"\nidentifier = "5b2c7a0e-8f4d-4e3a-9c1b-2d3e4f5a6b7c"\n'
        f"everyone = true\nxml = '''{xml}'''\n"
    )
    conf = tmp_path / "kiosk.toml"
    conf.write_text(
        f'[directory]\nbackend = "local"\nlocal_file = "{directory}"\n\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_dir(tmp_path / "sane")}"\n\n'
        f'[scan_server]\nallow_http = true\n[scan_server.endpoints]\nlocalhost = "{server.endpoint}"\n\n'
        f'[spool]\ndirectory = "{tmp_path / "spool"}"\nstate_directory = "{tmp_path / "state"}"\nmin_free_mb = 0\n'
        "retry_initial_seconds = 0.1\nstream_idle_seconds = 60.0\n"
    )
    return conf


def journaled_pages(spool_dir: Path) -> int:
    for state in spool_dir.glob("jobs/*/work/.*.state"):
        try:
            return json.loads(state.read_text())["pages"]
        except (OSError, ValueError, KeyError):
            return 0
    return 0


def test_a_killed_pdf_a_scan_delivers_its_pages_once(tmp_path, scan_server):
    conf = kiosk_config(tmp_path, scan_server)
    spool_dir = tmp_path / "spool"
    cmd = [sys.executable, "-m", "kiosk", "--config", str(conf), "scan", "--user", USER, "--process", PROCESS]
    proc = subprocess.Popen(
        [*cmd, "--password-stdin", "--wait"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdin.write(PASSWORD.encode() + b"\n")
    proc.stdin.close()
    deadline = time.monotonic() + 120
    while journaled_pages(spool_dir) < 3:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the scan did not get to 3 pages"
        time.sleep(0.02)
    time.sleep(0.6)  # the worker (0.5 s poll) has begun sending the growing document
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    work = next(spool_dir.glob("jobs/*/work"))
    expected = journaled_pages(spool_dir) + len(list(work.glob("page-*.pnm")))
    assert 3 <= expected < 10  # killed mid-document: the feeder holds 10 pages
    worker = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(conf), "run-worker", "--exit-when-idle"],
        capture_output=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr.decode()[-2000:]
    (job,) = sp.Spool(load(str(conf)).spool.directory).jobs()
    assert job.state == sp.COMPLETED and "interrupted" in job.reason
    (record,) = [r for r in scan_server.records() if r["token"] == job.job_token]
    assert [d["document_id"] for d in record["documents"]] == [1]
    (shared,) = scan_server.shared_files()
    with pikepdf.open(shared) as pdf:
        assert len(pdf.pages) == expected and pdf.check_pdf_syntax() == []
        assert pdf.open_metadata()["pdfaid:part"] == "2"
