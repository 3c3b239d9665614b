"""The reference server's filters: e-mail through a real SMTP server on loopback, SharePoint
reported as unsupported, and ContinueOnError deciding what a failing filter does to the job."""

from __future__ import annotations

import email
from email import policy

import pytest
from aiosmtpd.controller import Controller
from lxml import etree

from kiosk.dsm.client import WsdspClient
from kiosk.psp.model import NS_EMLF, NS_FSF, NS_PSP, NS_SPF
from tests.fixtures.scan_server import ScanServer, free_port, scan_server_settings
from tests.integration.test_dsm_flow import PSP_ID, SID, instructions

USER = {"name": "alice@example.com", "email": "alice@example.com", "login": "EXAMPLE\\alice"}


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def server(tmp_path, smtp):
    controller, _ = smtp
    s = ScanServer(tmp_path / "server", users={SID: USER}, smtp={"host": "127.0.0.1", "port": controller.port}).start()
    yield s
    s.stop()


def deliver(server, ins: str, tmp_path) -> dict:
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF-1.7 scanned")
    with WsdspClient(server.endpoint, scan_server_settings(server)) as c:
        token = c.create_post_scan_job(SID, PSP_ID, ins)
        c.send_image(token, 1, "pdf-a", doc)
        c.end_post_scan_job(token)
        server.wait_for_state(token)
        status = c.get_post_scan_job_elements(token).status
        description = c.get_post_scan_job_elements(token).description
    assert description.originating_user_name == "EXAMPLE\\alice"
    return {"status": status, "filters": {f.dialect: f for f in status.filters}}


def test_email_filter_sends_the_documents(server, smtp, tmp_path):
    _, inbox = smtp
    result = deliver(server, instructions(shares=(), emails=("bob@example.com",)), tmp_path)
    assert result["status"].state == "Completed"
    assert result["filters"][NS_EMLF].state == "CompletedSuccessfully"
    [(rcpts, msg)] = inbox.messages
    assert sorted(rcpts) == ["alice@example.com", "bob@example.com"]  # SendToScanUser adds alice
    [att] = list(msg.iter_attachments())
    assert att.get_content() == b"%PDF-1.7 scanned" and att.get_filename().endswith("_1.pdf")


def test_files_land_in_the_users_folder(server, tmp_path):
    deliver(server, instructions(root_name="Contract"), tmp_path)
    [f] = server.shared_files()
    assert f.parent.name == "alice@example.com" and f.name.startswith("Contract_") and f.name.endswith("_1.pdf")


def test_sharepoint_is_unsupported_and_stops_the_job_without_continue_on_error(server, tmp_path):
    ins = etree.fromstring(
        instructions(sharepoint_sites=("https://sp.example.com/scans",), emails=("bob@example.com",))
    )
    filters = ins.find(f"{{{NS_PSP}}}FiltersToProcess")
    filters.insert(0, filters[-1])  # SharePoint first, then the file share and e-mail
    result = deliver(server, etree.tostring(ins, encoding="unicode"), tmp_path)
    assert result["status"].state == "Aborted"
    assert result["status"].reasons == ("PostScanJobProcessingFailed",)
    assert result["filters"][NS_SPF].state == "CompletedWithErrors"
    assert result["filters"][NS_FSF].state == result["filters"][NS_EMLF].state == "Canceled"
    assert server.shared_files() == []


def test_continue_on_error_runs_the_other_filters(server, smtp, tmp_path):
    _, inbox = smtp
    ins = instructions(sharepoint_sites=("https://sp.example.com/scans",), continue_on_error=True)
    result = deliver(server, ins, tmp_path)
    assert result["status"].state == "Completed"
    assert result["status"].reasons == ("PostScanJobCompletedWithErrors",)
    assert result["filters"][NS_SPF].state == "CompletedWithErrors"
    assert result["filters"][NS_FSF].state == "CompletedSuccessfully"
    assert len(server.shared_files()) == 1


def test_unreachable_smtp_is_a_filter_error(tmp_path):
    server = ScanServer(tmp_path / "nosmtp", users={SID: USER}, smtp={"host": "127.0.0.1", "port": free_port()}).start()
    try:
        result = deliver(server, instructions(shares=(), emails=("bob@example.com",)), tmp_path)
    finally:
        server.stop()
    assert result["status"].state == "Aborted"
    assert result["filters"][NS_EMLF].reasons == ("InvalidSMTPServer",)
