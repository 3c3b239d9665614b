"""The scan server's entitlement check against Active Directory (Samba AD DC): the process's
DACL against the user's tokenGroups, read with a service account (issue #14)."""

from __future__ import annotations

import uuid

import pytest

from kiosk.dsm.client import WsdspClient
from kiosk.dsm.errors import NotEntitled, ProcessNotFound
from tests.fixtures.psp_samples import psp_xml
from tests.fixtures.samba import FULL_RIGHTS, READ_RIGHTS
from tests.fixtures.scan_server import ScanServer, scan_server_settings
from tests.integration.test_dsm_trust import instructions_of

SHARE = r"\\files.fabrikam.test\scans"
PSP = psp_xml(shares=(SHARE,))


@pytest.fixture(scope="module")
def ad(samba_dc, tmp_path_factory):
    dc = samba_dc
    tag = uuid.uuid4().hex[:6]  # the DC is shared by the session: names of our own
    svc = dc.add_service_account(f"svc-scan-{tag}")
    anna = dc.add_user(f"anna-{tag}", mail=f"anna-{tag}@fabrikam.test")
    ben = dc.add_user(f"ben-{tag}")
    carl = dc.add_user(f"carl-{tag}")
    dora = dc.add_user(f"dora-{tag}", disabled=True)
    emil = dc.add_user(f"emil-{tag}", expired=True)
    finance = dc.add_group(f"Finance-{tag}", members=[carl, dora])
    nested = dc.add_group(f"Accounting-{tag}", members=[finance])
    invoices = dc.add_scan_process(f"Invoices {tag}", PSP, readers=[anna, nested, svc])
    open_ = dc.add_scan_process(f"Everyone {tag}", PSP)  # AD's default: every authenticated user
    denied = dc.add_scan_process(f"Denied {tag}", PSP)
    dc.set_descriptor(
        denied.dn,
        f"D:P(D;;RP;;;{carl.sid})(A;;{FULL_RIGHTS};;;DA)(A;;{READ_RIGHTS};;;{finance.sid})(A;;{READ_RIGHTS};;;{svc.sid})",
    )
    folder = tmp_path_factory.mktemp("ad-server")
    server = ScanServer(
        folder,
        shares={SHARE: str(folder / "scans")},
        extra={
            "default_share_root": "",
            "directory": {
                "backend": "ldap",
                "uris": [dc.ldaps_uri],
                "ca_file": str(dc.ca),
                "service_dn": svc.upn,
                "service_password": dc.PASSWORD,
            },
        },
    ).start()
    yield dict(
        server=server, anna=anna, ben=ben, carl=carl, dora=dora, emil=emil, invoices=invoices, open=open_, denied=denied
    )
    server.stop()


def create(ad, who, process):
    settings = scan_server_settings(ad["server"])
    with WsdspClient(ad["server"].endpoint, settings) as c:
        return c.create_post_scan_job(ad[who].sid, str(ad[process].identifier).upper(), instructions_of(PSP))


def test_a_listed_user_and_a_member_of_a_nested_listed_group_are_entitled(ad, tmp_path):
    assert create(ad, "anna", "invoices")
    assert create(ad, "carl", "invoices")  # Finance is in Accounting, which is listed: tokenGroups


def test_an_unlisted_user_is_refused(ad):
    with pytest.raises(NotEntitled):
        create(ad, "ben", "invoices")


def test_the_default_descriptor_admits_every_signed_in_user(ad):
    assert create(ad, "ben", "open")


def test_an_explicit_deny_wins_over_the_groups_grant(ad):
    with pytest.raises(NotEntitled):
        create(ad, "carl", "denied")


def test_a_disabled_account_is_refused(ad):
    with pytest.raises(NotEntitled):
        create(ad, "dora", "open")


def test_an_expired_account_is_refused(ad):
    with pytest.raises(NotEntitled):
        create(ad, "emil", "open")


def test_an_unknown_process_or_user_is_refused(ad):
    settings = scan_server_settings(ad["server"])
    with WsdspClient(ad["server"].endpoint, settings) as c:
        with pytest.raises(ProcessNotFound):
            c.create_post_scan_job(ad["anna"].sid, str(uuid.uuid4()).upper(), instructions_of(PSP))
        with pytest.raises(NotEntitled):
            c.create_post_scan_job("S-1-5-21-1-2-3-4242", str(ad["open"].identifier).upper(), instructions_of(PSP))


def test_the_servers_job_runs_with_the_ad_process(ad, tmp_path):
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF-1.7\nad")
    settings = scan_server_settings(ad["server"])
    with WsdspClient(ad["server"].endpoint, settings) as c:
        token = c.create_post_scan_job(ad["anna"].sid, str(ad["invoices"].identifier).upper(), instructions_of(PSP))
        c.send_image(token, 1, "pdf-a", doc)
        c.end_post_scan_job(token)
    assert ad["server"].wait_for_state(token)["state"] == "Completed"
