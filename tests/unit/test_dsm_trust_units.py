"""dsm_server trust pieces without a running server: the merge of the device's instructions into
the server's copy, file-name fitting, and the journal's retention and device binding (issue #14)."""

from __future__ import annotations

import time

import pytest
from lxml import etree

from dsm_server import config as server_config
from dsm_server.filters import fit
from dsm_server.store import Journal
from dsm_server.trust import Refused, merge
from kiosk.psp.model import NS_EMLF, NS_FSF, NS_PSP, NS_SPX
from kiosk.psp.parser import parse_process
from tests.fixtures.psp_samples import psp_xml

SHARE = r"\\files.example.com\scans"


def cfg(**limits):
    return server_config.parse({"limits": limits})


def test_serving_needs_enrolled_devices_and_a_directory_unless_lab_mode():
    from pathlib import Path

    from kiosk.errors import ConfigError

    with pytest.raises(ConfigError, match="enrolled devices only"):
        server_config.check_serving(server_config.parse({}))
    with pytest.raises(ConfigError, match=r"\[directory\]"):
        server_config.check_serving(
            server_config.parse({"tls": {"cert": "c.pem", "key": "k.pem", "client_ca": "ca.pem"}})
        )
    server_config.check_serving(server_config.parse({"insecure_lab_mode": True}))
    secure = {
        "tls": {"cert": "c.pem", "key": "k.pem", "client_ca": "ca.pem"},
        "directory": {"backend": "local", "local_file": "d.toml"},
    }
    with pytest.raises(ConfigError, match=r"\[faults\]"):
        server_config.check_serving(server_config.parse({**secure, "faults": {"fail_creates": 3}}))
    server_config.check_serving(
        server_config.parse({**secure, "insecure_lab_mode": True, "faults": {"fail_creates": 3}})
    )
    # The shipped example is secure as it stands.
    example = Path(__file__).resolve().parents[2] / "packaging" / "dsm-scan-server.toml.example"
    server_config.check_serving(server_config.load(example))


def process(xml: str):
    return parse_process(xml, display_name="P", identifier="6F1C2A4E-1D2B-4C3D-8E9F-0A1B2C3D4E5F")


def device_copy(xml: str) -> etree._Element:
    return etree.fromstring(process(xml).instructions.xml.encode())


def spx(xml: str, flag: str) -> str:
    return xml.replace(
        "</psp:FiltersToProcess>", f'</psp:FiltersToProcess><spx:{flag} xmlns:spx="{NS_SPX}">1</spx:{flag}>', 1
    )


def test_the_servers_copy_is_kept_when_the_device_sends_the_same():
    xml = psp_xml(shares=(SHARE,), continue_on_error=True)
    merged = merge(process(xml), device_copy(xml), cfg())
    assert [e.text for e in merged.iter(f"{{{NS_FSF}}}ShareUNC")] == [SHARE]
    assert merged.findtext(f"{{{NS_PSP}}}ContinueOnError") == "true"


def test_a_changed_root_name_needs_the_process_flag():
    with pytest.raises(Refused) as info:
        merge(process(psp_xml()), device_copy(psp_xml(root_name="Other")), cfg())
    assert info.value.subcode == "NotPermitted"
    merged = merge(process(spx(psp_xml(), "AllowDeviceFileNameChange")), device_copy(psp_xml(root_name="Other")), cfg())
    assert merged.findtext(f"{{{NS_PSP}}}DocumentRootName") == "Other"


def test_added_filters_are_refused():
    with pytest.raises(Refused):
        merge(process(psp_xml()), device_copy(psp_xml(emails=("a@example.com",))), cfg())


def test_added_addresses_only_with_can_add_addresses_and_in_the_allowed_domains():
    base = psp_xml(shares=(), emails=("team@example.com",), can_add_addresses=True)
    more = device_copy(psp_xml(shares=(), emails=("team@example.com", "x@sub.example.com"), can_add_addresses=True))
    merged = merge(process(base), more, cfg(mail_domains=["example.com"]))
    assert [e.text for e in merged.iter(f"{{{NS_EMLF}}}EmailAddress")] == ["team@example.com", "x@sub.example.com"]
    with pytest.raises(Refused):
        merge(process(base), more, cfg(mail_domains=["example.org"]))
    with pytest.raises(Refused):
        merge(process(base), more, cfg(max_recipients=1))
    closed = psp_xml(shares=(), emails=("team@example.com",))
    with pytest.raises(Refused):
        merge(process(closed), device_copy(psp_xml(shares=(), emails=("team@example.com", "x@example.com"))), cfg())


@pytest.mark.parametrize("wanted", [SHARE + r"\..", SHARE + r"\a:b", r"\\files.example.com\scans2\x", SHARE + "\\"])
def test_path_changes_outside_the_share_are_refused(wanted):
    allowed = spx(psp_xml(shares=(SHARE,)), "AllowDeviceFilePathChange")
    with pytest.raises(Refused):
        merge(process(allowed), device_copy(psp_xml(shares=(wanted,))), cfg())


def test_fit_cuts_at_a_character_boundary(tmp_path):
    name = fit("é" * 200, "_20261128-040000_1.pdf", tmp_path)
    assert len(name.encode()) <= 255 - 8 and name.endswith("_20261128-040000_1.pdf")
    name.encode().decode("utf-8")  # whole characters only
    assert fit("short", ".pdf", tmp_path) == "short.pdf"


def test_journal_binds_devices_and_finds_ended_jobs_past_retention(tmp_path):
    journal = Journal(tmp_path)
    journal.create_bound("t1", "S-1-5-21-1-2-3-1001", "P", "<x/>", "cert:abc")
    assert journal.device_of("t1") == "cert:abc" and journal.device_of("t2") is None
    assert set(journal.started_since()) == {"t1"}
    journal.set_state("t1", "Completed", completed=True)
    assert journal.started_since() == {}
    assert journal.ended_unpurged(3600) == []  # ended just now: kept for an hour
    time.sleep(0.05)
    assert journal.ended_unpurged(0.01) == ["t1"]
    journal.mark_purged("t1")
    assert journal.ended_unpurged(0) == []
    journal.close()


def test_account_expiry_reads_ads_filetime():
    from dsm_server.trust import account_expired

    now = 1_800_000_000.0  # 2027-01-15
    filetime = int((now + 11_644_473_600) * 10_000_000)
    assert account_expired(str(filetime - 1), now) and account_expired(str(filetime), now)
    assert not account_expired(str(filetime + 10_000_000), now)  # a second from now
    for never in ("0", str(0x7FFFFFFFFFFFFFFF), "", "garbage"):
        assert not account_expired(never, now)
