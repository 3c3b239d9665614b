"""The web console through Flask's test client, on a real standalone directory and a real journal."""

from __future__ import annotations

import re
import textwrap

import pytest

from dsm_server import config as server_config
from dsm_server.console import create_app
from dsm_server.store import Document, Journal
from kiosk.config import parse
from kiosk.directory import open_directory
from kiosk.directory.local import load_file, user_sid
from kiosk.directory.passwords import hash_password
from kiosk.psp.model import NS_FSF

PASSWORD = "Console-pass-1"


@pytest.fixture(scope="module")
def hashed():
    return hash_password(PASSWORD)


@pytest.fixture
def site(tmp_path, hashed):
    directory = tmp_path / "directory.toml"
    directory.write_text(
        textwrap.dedent(
            f"""\
            domain = "SHOP"
            [users.root]
            password = "{hashed}"
            display_name = "Rita Root"
            groups = ["Scan Admins"]
            [users.clerk]
            password = "{hashed}"
            groups = ["Sales"]
            """
        )
    )
    kiosk_toml = tmp_path / "kiosk.toml"
    kiosk_toml.write_text(f'[directory]\nbackend = "local"\nlocal_file = "{directory}"\n')
    state = tmp_path / "state"
    state.mkdir()
    cfg = server_config.parse(
        {
            "state_dir": str(state),
            "shares": {r"\\files\scans": str(tmp_path / "share")},
            "console": {"enabled": True, "directory_config": str(kiosk_toml), "admin_group": "Scan Admins"},
        }
    )
    app = create_app(cfg)
    app.testing = True
    return app, directory, state


def client(app):
    # The session cookie is Secure: the client must speak "https" for it to come back.
    c = app.test_client()
    c.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": "console.example"})
    return c


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(c, login: str, password: str = PASSWORD):
    page = c.get("/login").get_data(as_text=True)
    return c.post("/login", data={"username": login, "password": password, "csrf_token": csrf(page)})


def test_only_the_admin_group_gets_in_and_cookies_are_locked_down(site):
    app, _, _ = site
    c = client(app)
    assert c.get("/processes").status_code == 302
    response = sign_in(c, "clerk")
    assert response.status_code == 403 and "not a member" in response.get_data(as_text=True)
    assert sign_in(c, "root", "wrong").status_code == 401
    response = sign_in(c, "root")
    assert response.status_code == 302 and response.headers["Location"].endswith("/processes")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = c.get("/processes")
    assert page.status_code == 200 and "Rita Root" in page.get_data(as_text=True)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_a_post_without_the_csrf_token_or_from_another_origin_changes_nothing(site):
    app, directory, _ = site
    c = client(app)
    sign_in(c, "root")
    before = directory.read_text()
    form = {"name": "Evil", "repository": "s.example", "shares": r"\\f\s"}
    assert c.post("/processes/new", data=form).status_code == 302
    token = csrf(c.get("/processes/new").get_data(as_text=True))
    response = c.post("/processes/new", data=form | {"csrf_token": token}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert directory.read_text() == before


def test_idle_sessions_end(site, monkeypatch):
    app, _, _ = site
    c = client(app)
    sign_in(c, "root")
    assert c.get("/processes").status_code == 200
    import time as real_time

    later = real_time.time() + 16 * 60
    monkeypatch.setattr("dsm_server.console.app.time.time", lambda: later)
    response = c.get("/processes")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "ended" in c.get("/login").get_data(as_text=True)


def test_create_edit_grant_revoke_delete_through_the_forms(site):
    app, directory, _ = site
    c = client(app)
    sign_in(c, "root")
    token = csrf(c.get("/processes/new").get_data(as_text=True))
    form = {
        "csrf_token": token,
        "name": "Receipts",
        "repository": "scan.shop.example",
        "document_name": "Receipt",
        "format": "pdf-a",
        "format_locked": "on",
        "source": "ADF",
        "color": "Grayscale8",
        "resolution": "300",
        "shares": "\\\\files.shop.example\\receipts\r\n",
        "emails": "",
        "sharepoint_sites": "",
    }
    response = c.post("/processes/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    detail = c.get(response.headers["Location"]).get_data(as_text=True)
    guid = re.search(r"<code>([0-9A-Fa-f-]{36})</code>", detail).group(1)
    assert "&lt;psp:PostScanProcess" in detail  # the raw XML view, escaped

    settings = parse({"directory": {"backend": "local", "local_file": str(directory)}})
    with open_directory(settings).sign_in("clerk", PASSWORD) as session:
        (process,) = session.scan_processes().ok
    assert process.identifier == guid and process.ticket.format.must_honor
    assert process.instructions.filters[0].config.share_uncs == ("\\\\files.shop.example\\receipts",)

    # Directory search, then grant to a group: the clerk (Sales) keeps it, others would not.
    found = c.get(f"/processes/{guid}?q=sal").get_data(as_text=True)
    assert "Sales" in found
    assert c.post(f"/processes/{guid}/grant", data={"csrf_token": token, "principal": "Sales"}).status_code == 302
    entry = load_file(directory).processes[0]
    assert entry.groups == ["Sales"] and entry.everyone is False
    assert c.post(f"/processes/{guid}/revoke", data={"csrf_token": token, "principal": "Sales"}).status_code == 302
    assert load_file(directory).processes[0].groups == []

    edit_page = c.get(f"/processes/{guid}/edit").get_data(as_text=True)
    assert 'value="Receipts"' in edit_page
    response = c.post(f"/processes/{guid}/edit", data=form | {"name": "Receipts 2", "resolution": "200"})
    assert response.status_code == 302
    entry = load_file(directory).processes[0]
    assert entry.name == "Receipts 2" and entry.identifier == guid and "<wscn:Width>200</wscn:Width>" in entry.xml

    bad = c.post(f"/processes/{guid}/xml", data={"csrf_token": token, "xml": "<nope/>"})
    assert bad.status_code == 400 and "PostScanProcess" in bad.get_data(as_text=True)

    assert "confirm-delete" in c.get(f"/processes/{guid}/delete").get_data(as_text=True)
    assert c.post(f"/processes/{guid}/delete", data={"csrf_token": token}).status_code == 302
    assert load_file(directory).processes == []


def test_an_unknown_process_is_404(site):
    app, _, _ = site
    c = client(app)
    sign_in(c, "root")
    response = c.get("/processes/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404 and "no such scan process" in response.get_data(as_text=True).lower()


def test_form_errors_are_shown_in_words(site):
    app, _, _ = site
    c = client(app)
    sign_in(c, "root")
    token = csrf(c.get("/processes/new").get_data(as_text=True))
    response = c.post("/processes/new", data={"csrf_token": token, "name": "No destination", "repository": "s"})
    assert response.status_code == 400
    assert "needs a destination" in response.get_data(as_text=True)


def test_jobs_with_filters_paging_and_reasons_in_words(site):
    app, directory, state = site
    data = load_file(directory)
    clerk = user_sid(data, "clerk")
    journal = Journal(state)
    for i in range(30):
        token = f"uuid:job-{i:02d}"
        journal.create(token, clerk, "6F1C2A4E-1D2B-4C3D-8E9F-0A1B2C3D4E5F", "<x/>")
        journal.add_document(token, Document(1, "pdf-a", 2048, "00", "/tmp/x"))
        if i % 2:
            journal.set_state(
                token,
                "Completed",
                ["PostScanJobCompletedWithErrors"],
                [{"dialect": NS_FSF, "state": "CompletedWithErrors", "reasons": ["FileShareAccessDenied"]}],
                completed=True,
            )
    journal.close()
    c = client(app)
    sign_in(c, "root")
    page = c.get("/jobs").get_data(as_text=True)
    assert page.count("<td>clerk</td>") == 25
    assert "The file share refused access" in page and 'rel="next"' in page
    second = c.get("/jobs?page=2").get_data(as_text=True)
    assert second.count("<td>clerk</td>") == 5 and 'rel="prev"' in second
    done = c.get("/jobs?state=Completed").get_data(as_text=True)
    assert done.count("<td>clerk</td>") == 15
    assert c.get("/jobs?user=root").get_data(as_text=True).count("<td>clerk</td>") == 0

    token = csrf(page)
    response = c.post("/language", data={"csrf_token": token, "lang": "de", "back": "/jobs?page=1"})
    assert response.headers["Location"].endswith("/jobs?page=1")
    assert (
        c.post("/language", data={"csrf_token": token, "lang": "de", "back": "//evil.example/"})
        .headers["Location"]
        .endswith("/processes")
    )
    german = c.get("/jobs").get_data(as_text=True)
    assert 'lang="de"' in german and "Aufträge" in german and "Die Freigabe verweigerte den Zugriff" in german


def test_health_and_devices_pages(site):
    app, _, _ = site
    c = client(app)
    sign_in(c, "root")
    health = c.get("/health").get_data(as_text=True)
    assert "Disk space" in health and "GiB free" in health
    assert "does not exist" in health  # the share folder was never made
    assert "no [smtp] host" in health and "plain HTTP" in health
    devices = c.get("/devices").get_data(as_text=True)
    assert "No WS-Discovery probe is configured" in devices


def test_devices_found_by_ws_discovery_with_their_scanner_state(tmp_path, hashed, sane_scanner):
    """A real kiosk device host (SANE test backend) on loopback: probed, then asked over WS-DSD."""
    from kiosk.device.host import DeviceHost
    from kiosk.device.status import MonitoredScanner
    from tests.fixtures.device_support import device_settings

    host = DeviceHost(device_settings(tmp_path / "device"), MonitoredScanner(sane_scanner)).start()
    try:
        directory = tmp_path / "directory.toml"
        directory.write_text(f'[users.root]\npassword = "{hashed}"\ngroups = ["Scan Admins"]\n')
        kiosk_toml = tmp_path / "kiosk.toml"
        kiosk_toml.write_text(f'[directory]\nbackend = "local"\nlocal_file = "{directory}"\n')
        cfg = server_config.parse(
            {
                "state_dir": str(tmp_path / "state"),
                "console": {
                    "enabled": True,
                    "directory_config": str(kiosk_toml),
                    "admin_group": "Scan Admins",
                    "probe": [f"127.0.0.1:{host.config.discovery_port}"],
                    "probe_timeout": 1.5,
                },
            }
        )
        (tmp_path / "state").mkdir()
        c = client(create_app(cfg))
        sign_in(c, "root")
        page = c.get("/devices").get_data(as_text=True)
    finally:
        host.stop()
    assert host.identity.endpoint in page
    assert "WS-Discovery (127.0.0.1)" in page
    assert "Idle" in page


def test_jobs_per_device_when_the_server_records_devices(site):
    """With device enrollment the scan server keeps each job's device in job_trust (issue #14)."""
    import sqlite3

    app, directory, state = site
    clerk = user_sid(load_file(directory), "clerk")
    journal = Journal(state)
    for i in range(3):
        journal.create(f"uuid:d-{i}", clerk, "6f1c2a4e-1d2b-4c3d-8e9f-0a1b2c3d4e5f", "<x/>")
    journal.close()
    fingerprint = "ab" * 32
    with sqlite3.connect(state / "journal.sqlite3") as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS job_trust (token TEXT PRIMARY KEY REFERENCES jobs(token),"
            " device TEXT NOT NULL, last_activity REAL NOT NULL, purged INTEGER NOT NULL DEFAULT 0)"
        )
        db.executemany(
            "INSERT INTO job_trust (token, device, last_activity) VALUES (?, ?, 0)",
            [("uuid:d-0", fingerprint), ("uuid:d-1", fingerprint)],
        )
    c = client(app)
    sign_in(c, "root")
    devices = c.get("/devices").get_data(as_text=True)
    assert f"<code>{fingerprint}</code>" in devices and f"?device={fingerprint}" in devices
    only = c.get(f"/jobs?device={fingerprint}").get_data(as_text=True)
    assert only.count("<td>clerk</td>") == 2
    assert c.get("/jobs").get_data(as_text=True).count("<td>clerk</td>") == 3


def test_the_new_process_form_starts_from_a_template(site):
    app, _, _ = site
    c = client(app)
    sign_in(c, "root")
    page = c.get("/processes/new?template=invoices").get_data(as_text=True)
    assert "<option selected>tiff-multi-g4</option>" in page
    assert 'id="format_locked" name="format_locked" checked' in page
    assert "<option selected>ADFDuplex</option>" in page


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_sign_in_never_redirects_to_another_host(site, target):
    app, _, _ = site
    c = client(app)
    page = c.get("/login").get_data(as_text=True)
    response = c.post(
        "/login",
        query_string={"next": target},
        data={"username": "root", "password": PASSWORD, "csrf_token": csrf(page)},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/processes")


def test_a_user_name_guessed_too_often_is_refused_for_a_while(site, monkeypatch):
    """Five wrong passwords for one name lock that name (even its right password) without
    asking the directory; other names still get in, and the lock ends."""
    from dsm_server.console import throttle as throttle_module

    now = [1000.0]
    monkeypatch.setattr(throttle_module.time, "monotonic", lambda: now[0])
    app, _, _ = site
    c = client(app)
    for _ in range(5):
        assert sign_in(c, "ROOT", "wrong").status_code == 401
    locked = sign_in(c, "root")
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) == 300
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
    assert sign_in(client(app), "clerk").status_code == 403  # another name: asked, right password
    now[0] += 301
    assert sign_in(c, "root").status_code == 302


def test_the_sign_in_lock_is_configurable_and_spoken_in_the_browsers_language(tmp_path, hashed):
    directory = tmp_path / "directory.toml"
    directory.write_text(f'domain = "SHOP"\n[users.root]\npassword = "{hashed}"\ngroups = ["Scan Admins"]\n')
    kiosk_toml = tmp_path / "kiosk.toml"
    kiosk_toml.write_text(f'[directory]\nbackend = "local"\nlocal_file = "{directory}"\n')
    cfg = server_config.parse(
        {
            "state_dir": str(tmp_path),
            "console": {
                "enabled": True,
                "directory_config": str(kiosk_toml),
                "admin_group": "Scan Admins",
                "sign_in_attempts": 2,
                "sign_in_lock_minutes": 10,
            },
        }
    )
    app = create_app(cfg)
    c = client(app)
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE,de;q=0.9"
    assert sign_in(c, "root", "wrong").status_code == 401
    assert sign_in(c, "root", "wrong").status_code == 401
    locked = sign_in(c, "root")
    assert locked.status_code == 429 and "in 10 Min. erneut" in locked.get_data(as_text=True)


def test_an_enrolled_device_without_jobs_is_listed_once(tmp_path, hashed):
    directory = tmp_path / "directory.toml"
    directory.write_text(f'domain = "SHOP"\n[users.root]\npassword = "{hashed}"\ngroups = ["Scan Admins"]\n')
    kiosk_toml = tmp_path / "kiosk.toml"
    kiosk_toml.write_text(f'[directory]\nbackend = "local"\nlocal_file = "{directory}"\n')
    fingerprint = "ab" * 32
    cfg = server_config.parse(
        {
            "state_dir": str(tmp_path),
            "devices": {"fingerprints": [fingerprint]},
            "console": {"enabled": True, "directory_config": str(kiosk_toml), "admin_group": "Scan Admins"},
        }
    )
    c = client(create_app(cfg))
    assert sign_in(c, "root").status_code == 302
    page = c.get("/devices").get_data(as_text=True)
    assert page.count(f"<code>{fingerprint}</code>") == 1
    row = page.split(f"<code>{fingerprint}</code>", 1)[1].split("</tr>", 1)[0]
    assert "<td>0</td>" in row


def test_devices_enrolled_through_the_fingerprints_file_are_listed(tmp_path, hashed):
    """`dsm-scan-server enroll --add` writes [devices] fingerprints_file: those devices are
    admitted, so the console lists them as enrolled too."""
    directory = tmp_path / "directory.toml"
    directory.write_text(f'domain = "SHOP"\n[users.root]\npassword = "{hashed}"\ngroups = ["Scan Admins"]\n')
    kiosk_toml = tmp_path / "kiosk.toml"
    kiosk_toml.write_text(f'[directory]\nbackend = "local"\nlocal_file = "{directory}"\n')
    in_config, in_file = "ab" * 32, "cd" * 32
    (tmp_path / "devices.txt").write_text(f"# front desk\n{in_file.upper()}  # added by enroll\n")
    cfg = server_config.parse(
        {
            "state_dir": str(tmp_path),
            "devices": {"fingerprints": [in_config], "fingerprints_file": str(tmp_path / "devices.txt")},
            "console": {"enabled": True, "directory_config": str(kiosk_toml), "admin_group": "Scan Admins"},
        }
    )
    c = client(create_app(cfg))
    assert sign_in(c, "root").status_code == 302
    page = c.get("/devices").get_data(as_text=True)
    assert page.count(f"<code>{in_config}</code>") == 1 and page.count(f"<code>{in_file}</code>") == 1
