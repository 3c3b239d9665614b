"""The panel's flow against the fake session: sign-in, processes, settings, scan, delivery, jobs."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.directory.errors import DirectoryUnavailable
from kiosk.jobs.events import JobEvent
from kiosk.scanner import PaperJam


def sign_in(qtbot, panel, user="alice", password="Alice-pass-1"):
    screen = panel.screens["signin"]
    qtbot.mouseClick(screen.username, Qt.MouseButton.LeftButton)
    screen.username.setFocus()
    screen.keyboard.type_text(user)
    screen.keyboard.set_target(screen.password)
    screen.keyboard.type_text(password)
    qtbot.mouseClick(screen.sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "processes" and bool(panel.screens["processes"].tiles), timeout=3000)


def test_sign_in_lists_processes_and_says_what_was_skipped(qtbot, panel):
    sign_in(qtbot, panel)
    screen = panel.screens["processes"]
    assert [t.name.text() for t in screen.tiles] == ["Scan to my folder", "Sales contracts", "Finance invoices"]
    line = screen.tiles[0].line.text()
    assert "PDF/A" in line and r"\\files.example.com\scans" in line.replace("\u2060", "")
    assert "\\\u2060\\\u2060files" in line  # the path never breaks between its backslashes
    assert "1" in screen.note.text()
    assert panel.translations.current == "de"  # Alice's directory language
    assert panel.screens["signin"].password.text() == ""


def test_wrong_password_is_explained_on_the_sign_in_screen(qtbot, panel):
    screen = panel.screens["signin"]
    screen.username.setText("alice")
    screen.password.setText("nope")
    screen.submit()
    qtbot.waitUntil(lambda: screen.sign_in.isEnabled())
    assert panel.current() == "signin"
    assert screen.message.text() == "Wrong user name or password."
    assert screen.password.text() == ""


def test_unreachable_directory_gets_its_problem_screen(qtbot, panel, fake_session):
    fake_session.fail_sign_in = DirectoryUnavailable("ldap://127.0.0.1:1 refused")
    screen = panel.screens["signin"]
    screen.username.setText("alice")
    screen.password.setText("x")
    screen.submit()
    qtbot.waitUntil(lambda: panel.current() == "problem")
    assert panel.screens["problem"].kind == "directory"


def test_scan_then_deliver_with_a_cue(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    processes = panel.screens["processes"]
    qtbot.mouseClick(processes.tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    prepare = panel.screens["prepare"]
    assert set(prepare.options) == {"input_source", "color_processing", "resolution", "format"}
    resolution = prepare.groups["resolution"]
    index = prepare.options["resolution"].index(600)
    qtbot.mouseClick(resolution.button(index), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(prepare.scan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "scanning" and not panel.screens["scanning"].loading)
    scanning = panel.screens["scanning"]
    assert scanning.strip.count() == 3 and scanning.pages == 3
    qtbot.waitUntil(lambda: not scanning.strip.item(2).icon().isNull())  # thumbnails follow the count
    _process, ticket, addresses = fake_session.started[0]
    assert ticket.media_front.resolution.value.width == 600 and addresses == ()
    qtbot.mouseClick(scanning.more, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: scanning.pages == 6 and not scanning.loading)
    qtbot.mouseClick(scanning.finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "delivery")
    delivery = panel.screens["delivery"]
    job_id = delivery.job_id
    qtbot.waitUntil(lambda: delivery.event is not None)  # finish() queued the job
    fake_session.emit(JobEvent("document_sent", job_id, "Queued", pages=6, documents=2, documents_sent=1))
    qtbot.waitUntil(lambda: delivery.event.kind == "document_sent")
    assert delivery.state.text() == "Sende 2 von 2"  # Alice reads German
    fake_session.emit(JobEvent("state", job_id, "Failed", pages=6, message="folder:FileShareAccessDenied"))
    qtbot.waitUntil(lambda: panel.cue.isVisible())
    assert panel.cue.objectName() == "cue_failed" and "Scan to my folder" in panel.cue_text.text()
    qtbot.waitUntil(lambda: bool(delivery.reasons.text()))
    # a sentence in the user's language, not the protocol's code
    assert delivery.reasons.text().startswith("Freigegebener Ordner:") and "Access" not in delivery.reasons.text()


def test_must_honor_format_is_not_offered(qtbot, panel):
    sign_in(qtbot, panel)
    qtbot.mouseClick(panel.screens["processes"].tiles[2], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    assert "format" not in panel.screens["prepare"].options


def test_added_recipients_are_checked_and_passed_on(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    qtbot.mouseClick(panel.screens["processes"].tiles[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    prepare = panel.screens["prepare"]
    assert prepare.add_recipient.isVisible()
    qtbot.mouseClick(prepare.add_recipient, Qt.MouseButton.LeftButton)
    prepare.keyboard.type_text("not an address")
    qtbot.mouseClick(prepare.add, Qt.MouseButton.LeftButton)
    assert prepare.addresses == [] and prepare._mail_error
    prepare.address.clear()
    prepare.keyboard.type_text("dave@example.com")
    qtbot.mouseClick(prepare.add, Qt.MouseButton.LeftButton)
    assert prepare.addresses == ["dave@example.com"]
    qtbot.mouseClick(prepare.mail_done, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(prepare.scan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(fake_session.started))
    assert fake_session.started[0][2] == ("dave@example.com",)


def test_paper_jam_shows_guidance_and_try_again_scans_on(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    fake_session.fail_scan = PaperJam("SANE_STATUS_JAMMED")
    qtbot.mouseClick(panel.screens["processes"].tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    qtbot.mouseClick(panel.screens["prepare"].scan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "problem")
    problem = panel.screens["problem"]
    assert problem.kind == "jam" and problem.retry.isVisible()
    qtbot.mouseClick(problem.retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "scanning" and panel.screens["scanning"].pages == 3)


def test_cancel_during_a_load_returns_to_the_processes(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    fake_session.pages_per_load = 10_000
    qtbot.mouseClick(panel.screens["processes"].tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    qtbot.mouseClick(panel.screens["prepare"].scan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.screens["scanning"].pages >= 1)
    qtbot.mouseClick(panel.screens["scanning"].cancel, Qt.MouseButton.LeftButton)
    # one touch only asks: the pages are discarded after the second
    assert panel.question.isVisible() and panel.current() == "scanning" and panel.job is not None
    qtbot.mouseClick(panel.question_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "processes")
    assert panel.job is None
    assert panel.cue.isVisible() and panel.cue.objectName() == "cue_info"


def test_my_jobs_resend_and_delete_a_failed_job(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    qtbot.mouseClick(panel.screens["processes"].tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    qtbot.mouseClick(panel.screens["prepare"].scan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "scanning" and not panel.screens["scanning"].loading)
    qtbot.mouseClick(panel.screens["scanning"].finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "delivery")
    job_id = panel.screens["delivery"].job_id
    qtbot.waitUntil(lambda: fake_session.history()[0].state == "Queued")
    fake_session.emit(JobEvent("error", job_id, "Failed", message="PostScanJobProcessingFailed"))
    qtbot.mouseClick(panel.screens["delivery"].my_jobs, Qt.MouseButton.LeftButton)
    jobs = panel.screens["jobs"]
    qtbot.waitUntil(lambda: len(jobs.jobs) == 1)
    text = jobs.list.item(0).text()
    assert "PostScanJob" not in text and "Auftrag" in text  # Alice reads German sentences, not codes
    assert jobs.list.accessibleName()
    assert not jobs.resend.isEnabled()
    jobs.list.setCurrentRow(0)
    assert jobs.resend.isEnabled()
    qtbot.mouseClick(jobs.resend, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"resend:{job_id}" in fake_session.calls)
    qtbot.waitUntil(lambda: bool(jobs.jobs) and jobs.jobs[0].state == "Queued")
    assert not jobs.delete.isEnabled()
    fake_session.emit(JobEvent("error", job_id, "Failed"))
    qtbot.waitUntil(lambda: bool(jobs.jobs) and jobs.jobs[0].state == "Failed")
    jobs.list.setCurrentRow(0)
    qtbot.mouseClick(jobs.delete, Qt.MouseButton.LeftButton)
    assert panel.question.isVisible() and len(jobs.jobs) == 1  # asks first
    qtbot.mouseClick(panel.question_no, Qt.MouseButton.LeftButton)
    assert f"delete:{job_id}" not in fake_session.calls
    qtbot.mouseClick(jobs.delete, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.question_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not jobs.jobs)
