"""The web console in a real browser (Debian's chromium, driven by Selenium through chromium-driver),
served by a real dsm-scan-server, signed in against Samba AD; a kiosk scan then shows up as a job.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid

import ldap3
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.fixtures.scan_server import ScanServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REPOSITORY = "scan.fabrikam.test"


class ConsoleServer(ScanServer):
    """The scan server fixture with a [console] table (its TOML writer knows no lists)."""

    def __init__(self, folder, console: dict) -> None:
        super().__init__(folder)
        self.console = console

    def write_config(self, faults) -> None:
        super().write_config(faults)
        with self.config_path.open("a", encoding="utf-8") as fh:
            fh.write("\n[console]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in self.console.items()))


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1024,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(10)
    yield driver
    driver.quit()


@pytest.fixture
def device(tmp_path, sane_scanner):
    """A kiosk's device side (WS-Discovery + WS-DSD) on loopback, on the SANE test backend."""
    from kiosk.device.host import DeviceHost
    from kiosk.device.status import MonitoredScanner
    from tests.fixtures.device_support import device_settings

    host = DeviceHost(device_settings(tmp_path / "device"), MonitoredScanner(sane_scanner)).start()
    yield host
    host.stop()


@pytest.fixture
def site(samba_dc, tmp_path, sane_config_dir, device):
    dc = samba_dc
    suffix = uuid.uuid4().hex[:6]
    boss = dc.add_user(f"cb-boss-{suffix}")
    clerk = dc.add_user(f"cb-clerk-{suffix}")
    admins = dc.add_group(f"cb-admins-{suffix}", [boss])
    directory = (
        "[directory]\n"
        'backend = "ldap"\n'
        f'uris = ["{dc.ldaps_uri}"]\n'
        f'ca_file = "{dc.ca}"\n'
        'bind_mode = "upn"\n'
        f'base_dn = "{dc.base_dn}"\n'
    )
    console_kiosk = tmp_path / "console-kiosk.toml"
    console_kiosk.write_text(directory)
    password_file = tmp_path / "console-account"
    password_file.write_text(dc.ADMIN_PASSWORD + "\n")
    console = {
        "enabled": True,
        "directory_config": str(console_kiosk),
        "admin_group": admins.login,
        "account": "Administrator",
        "password_file": str(password_file),
        "probe": [f"127.0.0.1:{device.config.discovery_port}"],
        "probe_timeout": 1.5,
    }
    server = ConsoleServer(tmp_path / "server", console).start()
    kiosk_toml = tmp_path / "kiosk.toml"
    kiosk_toml.write_text(
        directory + f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config_dir}"\n'
        f'[scan_server]\nallow_http = true\n[scan_server.endpoints]\n"{REPOSITORY}" = "{server.endpoint}"\n'
        f'[spool]\ndirectory = "{tmp_path / "spool"}"\nstate_directory = "{tmp_path / "state"}"\nmin_free_mb = 0\n'
    )
    yield dc, server, boss, clerk, kiosk_toml, device
    server.stop()


def heading_becomes(driver, text: str) -> None:
    """Wait for the next page: a click returns before the browser has replaced the old one."""

    def shown(d) -> bool:
        try:
            return d.find_element(By.TAG_NAME, "h1").text == text
        except WebDriverException as exc:
            # The heading was found in the old page and read after the new one replaced it
            # (chromedriver does not always call that a stale element).
            if "does not belong to the document" in str(exc):
                return False
            raise

    WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,)).until(shown)


def sign_in(driver, base: str, login: str, password: str) -> None:
    driver.get(f"{base}login")
    driver.find_element(By.ID, "username").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "sign-in").click()


def test_admin_creates_a_process_in_ad_and_sees_the_kiosk_job(site, browser):
    dc, server, boss, clerk, kiosk_toml, device = site
    # localhost is a secure context for the browser, so the Secure session cookie comes back.
    base = f"http://localhost:{server.port}/console/"

    sign_in(browser, base, clerk.login, dc.PASSWORD)
    assert "not a member" in browser.find_element(By.CSS_SELECTOR, ".flash.error").text
    assert not browser.find_elements(By.ID, "sign-out")

    sign_in(browser, base, boss.login, dc.PASSWORD)
    assert browser.find_element(By.ID, "sign-out")
    browser.find_element(By.ID, "new-process").click()
    name = f"Browser made {uuid.uuid4().hex[:6]}"
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "repository").send_keys(REPOSITORY)
    document_name = browser.find_element(By.ID, "document_name")
    document_name.clear()
    document_name.send_keys("BrowserScan")
    Select(browser.find_element(By.ID, "format")).select_by_visible_text("jfif")
    browser.find_element(By.ID, "format_locked").click()
    Select(browser.find_element(By.ID, "source")).select_by_visible_text("Platen")
    Select(browser.find_element(By.ID, "color")).select_by_visible_text("Grayscale8")
    resolution = browser.find_element(By.ID, "resolution")
    resolution.clear()
    resolution.send_keys("100")
    browser.find_element(By.ID, "shares").send_keys(r"\\files.fabrikam.test\scans")
    browser.find_element(By.ID, "save").click()
    heading_becomes(browser, name)
    assert "PostScanProcess" in browser.find_element(By.ID, "raw-xml").text

    # The object is in AD, where kiosks look.
    conn = dc.admin()
    try:
        conn.search(
            dc.psps_dn,
            f"(displayName={name})",
            ldap3.LEVEL,
            attributes=["msImaging-PSPIdentifier", "msImaging-PSPString", "serverName"],
        )
        (entry,) = conn.response
        raw = entry["raw_attributes"]
        guid = str(uuid.UUID(bytes_le=raw["msImaging-PSPIdentifier"][0])).upper()
        assert b'MustHonor="true">jfif' in raw["msImaging-PSPString"][0]
        assert raw["serverName"][0] == REPOSITORY.encode()
    finally:
        conn.unbind()
    assert guid in browser.page_source

    # A kiosk scan with it (SANE test backend), delivered to this server.
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(kiosk_toml), "--json"]
        + ["scan", "--user", clerk.login, "--process", name, "--password-stdin", "--wait", "--timeout", "120"],
        input=dc.PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert json.loads(proc.stdout)["state"] == "Completed"

    browser.find_element(By.LINK_TEXT, "Jobs").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "table.jobs tbody tr")
    assert len(rows) == 1
    cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")]
    header = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "table.jobs thead th")]
    row = dict(zip(header, cells, strict=True))
    assert row["User"] == clerk.login and row["Process"] == name and row["State"] == "Completed"
    assert row["Documents"].startswith("1 (") and "Delivered" in row["Result"]

    browser.find_element(By.LINK_TEXT, "Devices").click()
    (row,) = browser.find_elements(By.CSS_SELECTOR, "#device-table tbody tr")
    assert device.identity.endpoint in row.text and "Idle" in row.text
    assert name in browser.find_element(By.CSS_SELECTOR, "table.jobs").text

    Select(browser.find_element(By.ID, "lang")).select_by_value("de")
    browser.find_element(By.CSS_SELECTOR, "#lang ~ button").click()
    heading_becomes(browser, "Geräte")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"

    browser.find_element(By.ID, "sign-out").click()
    assert browser.find_element(By.ID, "sign-in")
