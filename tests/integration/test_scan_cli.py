"""`dsm-kiosk scan` as an administrator runs it: a config file, the password on stdin, JSON out."""

from __future__ import annotations

import json
import subprocess
import sys

from kiosk.directory import demo_directory_path


def write_config(tmp_path, scan_server, sane_config_dir):
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[directory]\nbackend = "local"\nlocal_file = "{demo_directory_path()}"\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config_dir}"\n'
        f'[scan_server]\nallow_http = true\n[scan_server.endpoints]\nlocalhost = "{scan_server.endpoint}"\n'
        f'[spool]\ndirectory = "{tmp_path / "spool"}"\nstate_directory = "{tmp_path / "state"}"\nmin_free_mb = 0\n'
    )
    return path


def kiosk(conf, *args, password="demo"):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(conf), "--json", *args],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_scan_wait_prints_the_summary_and_exits_0_when_completed(tmp_path, scan_server, sane_config_dir):
    conf = write_config(tmp_path, scan_server, sane_config_dir)
    proc = kiosk(conf, "scan", "--user", "demo", "--process", "Photo to JPEG", "--password-stdin", "--wait")
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert out["state"] == "Completed" and out["pages_scanned"] == 1 and out["documents"] == 1
    assert scan_server.record(out["job_token"])["state"] == "Completed"
    t = out["timings"]
    assert t["first_page_scanned"] <= t["first_send_image_acked"] <= t["end_post_scan_job_acked"] <= t["final_state"]
    listing = kiosk(conf, "queue")
    assert [j["job_id"] for j in json.loads(listing.stdout)] == [out["job_id"]]


def test_scan_errors_are_json_with_their_exit_status(tmp_path, scan_server, sane_config_dir):
    conf = write_config(tmp_path, scan_server, sane_config_dir)
    wrong = kiosk(conf, "scan", "--user", "demo", "--process", "Photo to JPEG", "--password-stdin", password="nope")
    assert wrong.returncode == 3 and json.loads(wrong.stdout)["error"] == "invalid_credentials"
    missing = kiosk(conf, "scan", "--user", "demo", "--process", "No such process", "--password-stdin")
    err = json.loads(missing.stdout)
    assert missing.returncode == 3 and "No such process" in err["detail"] and "Photo to JPEG" in err["detail"]
    assert "nope" not in wrong.stdout + wrong.stderr
