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


EMAIL_FILTER = (
    "<psp:Filter><psp:Dialect>http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/email</psp:Dialect>"
    '<psp:Instructions><emlf:EmailConfig xmlns:emlf="http://schemas.microsoft.com/windows/2007/10/imaging/postscan/filter/email">'
    "<emlf:SendToScanUser>true</emlf:SendToScanUser><emlf:SendToAddresses>"
    '<emlf:EmailAddress emlf:CanAddAddresses="true">team@example.test</emlf:EmailAddress>'
    "</emlf:SendToAddresses></emlf:EmailConfig></psp:Instructions></psp:Filter>"
)


def with_email_process(tmp_path, conf):
    """The demo directory plus "Photo to mail": Photo to JPEG whose filter is e-mail that lets the
    user add recipients."""
    demo = demo_directory_path().read_text()
    start = demo.index('[[processes]]\nname = "Photo to JPEG"')
    block = demo[start : demo.index("[[processes]]", start + 10)]
    filters = block[block.index("<psp:FiltersToProcess>") : block.index("</psp:FiltersToProcess>")]
    block = (
        block.replace('name = "Photo to JPEG"', 'name = "Photo to mail"')
        .replace("7b9d1e2f-3a4c-4d5e-8f6a-7b8c9d0e1f2a", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        .replace(filters, "<psp:FiltersToProcess>" + EMAIL_FILTER)
    )
    directory = tmp_path / "directory.toml"
    directory.write_text(demo + "\n" + block)
    conf.write_text(conf.read_text().replace(str(demo_directory_path()), str(directory)))


def test_scan_adds_recipients_where_the_process_allows_and_reports_what_the_scanner_changed(
    tmp_path, scan_server, sane_config_dir
):
    conf = write_config(tmp_path, scan_server, sane_config_dir)
    with_email_process(tmp_path, conf)
    args = ("scan", "--user", "demo", "--process", "Photo to mail", "--password-stdin")
    proc = kiosk(conf, *args, "--add-recipient", "alice@example.test", "--add-recipient", "bob@example.test")
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert out["recipients_added"] == ["alice@example.test", "bob@example.test"]
    spooled = kiosk(conf, "queue")
    assert spooled.returncode == 0
    from kiosk.jobs.spool import Spool

    spool = Spool(tmp_path / "spool")
    job = spool.job(out["job_id"])
    spool.close()
    assert "alice@example.test" in job.instructions_xml and "bob@example.test" in job.instructions_xml
    # Photo processes ask for size detection, which the SANE test device does not have.
    assert {"setting": "InputSize", "requested": "DocumentSizeAutoDetect", "used": "the whole area"} in out[
        "ticket_adjustments"
    ]
    assert "cannot honour InputSize DocumentSizeAutoDetect (uses the whole area)" in proc.stderr

    invalid = kiosk(conf, *args, "--add-recipient", "not an address")
    assert invalid.returncode == 1 and "not valid" in json.loads(invalid.stdout)["message"]
    locked = kiosk(
        conf,
        "scan",
        "--user",
        "demo",
        "--process",
        "Photo to JPEG",
        "--password-stdin",
        "--add-recipient",
        "a@example.test",
    )
    assert locked.returncode == 1 and json.loads(locked.stdout)["error"] == "setting-locked"
