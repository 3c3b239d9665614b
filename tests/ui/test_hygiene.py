"""Kiosk hygiene: nothing one person leaves behind reaches the next, the service screen locks
itself, the PIN resists guessing, and nothing is lost on one careless touch."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.test_flow_fake import sign_in
from ui.backend import JobSummary


def _expire(panel, clock) -> None:
    clock.now += panel.idle.timeout + 1
    panel.idle.tick()


def test_a_half_typed_sign_in_is_cleared_when_left_alone(qtbot, panel, clock):
    screen = panel.screens["signin"]
    screen.keyboard.set_target(screen.username)
    screen.keyboard.type_text("alice")
    screen.keyboard.set_target(screen.password)
    screen.keyboard.type_text("Alice-pa")
    assert panel.idle.armed
    clock.now += panel.idle.timeout - 5
    panel.idle.tick()
    assert panel.banner.isVisible() and "5" in panel.banner_text.text()
    _expire(panel, clock)
    assert screen.username.text() == "" and screen.password.text() == "" and not panel.banner.isVisible()
    assert not panel.idle.armed  # an empty sign-in screen waits quietly


def test_the_language_chosen_at_sign_in_lasts_one_visit(qtbot, panel, clock):
    screen = panel.screens["signin"]
    qtbot.mouseClick(screen.languages["es"], Qt.MouseButton.LeftButton)
    assert screen.title.text() == "Inicie sesión para escanear" and screen.keyboard.language == "es"
    assert screen.languages["es"].isChecked() and screen.languages["es"].accessibleName() == "Español"
    sign_in(qtbot, panel)  # Alice's directory language is German; her choice wins for this visit
    assert panel.translations.current == "es"
    panel.sign_out()
    assert panel.translations.current == "en" and screen.title.text() == "Sign in to scan"
    qtbot.mouseClick(screen.languages["fr"], Qt.MouseButton.LeftButton)
    _expire(panel, clock)  # and nobody signed in: back to the default when left alone
    assert panel.translations.current == "en" and screen.keyboard.language == "en"


def test_keyboards_follow_the_language_and_type_every_character(qtbot, panel):
    screen = panel.screens["signin"]
    keyboard = screen.keyboard
    first_row = {"en": "qwerty", "de": "qwertz", "fr": "azerty", "es": "qwerty"}
    for language, letters in first_row.items():
        panel.choose_language(language)
        assert keyboard.language == language
        assert "".join(b.text() for b in keyboard._buttons[0][:6]) == letters
    panel.choose_language("de")
    assert "ü" in [b.text() for b in keyboard._buttons[0]] and "ß" in [b.text() for b in keyboard._buttons[2]]
    keyboard.set_target(screen.password)
    password = "Größe-Ça va? Niño [x] {y} €5 § <a> é è ç ñ Ä Ö Ü"
    keyboard.type_text(password)
    assert screen.password.text() == password
    # the layout key switches to the next layout; every key is named and touch-sized
    switch = next(b for row in keyboard._buttons for b in row if "Tastaturbelegung" in b.accessibleName())
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert keyboard.language == "fr"


def test_not_you_undoes_a_badge_and_the_badge_note_is_not_an_error(qtbot, make_panel):
    panel = make_panel(badge_pattern=r"04(?P<user>[a-z]+)99")
    screen = panel.screens["signin"]
    screen.show_error("Wrong user name or password.")
    screen.username.setFocus()
    qtbot.waitUntil(screen.username.hasFocus)
    QTest.keyClicks(screen.username, "04alice99")
    QTest.keyClick(screen.username, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.username.text() == "alice")
    assert screen.message.objectName() == "muted" and "alice" in screen.message.text()
    assert screen.username.isReadOnly() and screen.not_me.isVisible()
    qtbot.mouseClick(screen.not_me, Qt.MouseButton.LeftButton)
    assert screen.username.text() == "" and not screen.username.isReadOnly() and not screen.not_me.isVisible()


def test_service_screen_locks_again_when_left_alone_and_asks_before_acting(qtbot, make_panel, clock):
    panel = make_panel(kiosk=True)
    panel.open_service()
    service = panel.screens["service"]
    for key in "2468✓":
        service._pad(key)
    qtbot.waitUntil(lambda: service.pages.currentIndex() == 1)
    assert panel.flow.service_unlocked
    qtbot.mouseClick(service.restart, Qt.MouseButton.LeftButton)
    assert panel.question.isVisible() and panel.isVisible()
    qtbot.mouseClick(panel.question_no, Qt.MouseButton.LeftButton)
    assert not panel.question.isVisible() and panel.isVisible()
    _expire(panel, clock)
    assert panel.current() == "signin" and not panel.flow.service_unlocked
    panel.open_service()
    assert service.pages.currentIndex() == 0  # the PIN again


def test_pin_guessing_locks_the_pad_with_growing_delays_and_is_logged(qtbot, panel, caplog):
    panel.open_service()
    service = panel.screens["service"]
    clock = panel.flow.pin.clock
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            for key in "1111✓":
                service._pad(key)
        assert "30" in service.pin_message.text() and service.locked_for == 30
        for key in "2468✓":  # the right PIN during the lockout is refused too
            service._pad(key)
        assert service.pages.currentIndex() == 0
    assert sum("wrong administrator PIN" in r.getMessage() for r in caplog.records) >= 3
    assert panel.flow.pin.locked_for() > 0 and clock is not None


def test_a_waiting_job_says_so_and_its_owner_may_delete_it(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    fake_session.jobs[fake_session.user.sid] = [
        JobSummary("j9", "Scan to my folder", "Queued", 2, datetime.now(UTC), 1, 0, waiting=True)
    ]
    panel.open_jobs()
    jobs = panel.screens["jobs"]
    qtbot.waitUntil(lambda: len(jobs.jobs) == 1)
    panel.choose_language("en")
    qtbot.waitUntil(lambda: "Waiting for the scan server" in jobs.list.item(0).text())
    text = jobs.list.item(0).text()
    assert "Waiting for the scan server" in text and "Sending" not in text
    jobs.list.setCurrentRow(0)
    assert jobs.delete.isEnabled() and not jobs.resend.isEnabled()
    qtbot.mouseClick(jobs.delete, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.question_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not jobs.jobs)
    assert "delete:j9" in fake_session.calls


def test_overlays_never_cover_a_control(qtbot, panel, clock):
    sign_in(qtbot, panel)
    panel.open_jobs()
    panel.signal_cue(False, "Scan to my folder")
    clock.now += panel.idle.timeout - 3
    panel.idle.tick()
    assert panel.banner.isVisible() and panel.cue.isVisible()
    qtbot.wait(5)
    jobs = panel.screens["jobs"]
    for control in (jobs.back, jobs.title):
        top = control.mapTo(panel, control.rect().topLeft()).y()
        assert top >= panel.cue.geometry().bottom() and top >= panel.banner.geometry().bottom()


def test_scan_shows_activity_until_the_first_page_and_starts_one_job_per_touch(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    qtbot.mouseClick(panel.screens["processes"].tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    prepare = panel.screens["prepare"]
    fake_session.pages_per_load = 0
    prepare.start()
    assert not prepare.scan.isEnabled()
    prepare.start()  # an impatient second touch, before the job is there
    qtbot.waitUntil(lambda: panel.current() == "scanning")
    assert len(fake_session.started) == 1
    scanning = panel.screens["scanning"]
    qtbot.waitUntil(lambda: not scanning.loading)
    assert not scanning.activity.isVisible()
    scanning.load_started()
    assert scanning.activity.isVisible() and scanning.activity.accessibleName()


def test_a_setting_the_scanner_cannot_honour_is_told_before_and_after_scanning(qtbot, panel, fake_session):
    from tests.ui.fakes import process

    sign_in(qtbot, panel)
    panel.choose_language("en")
    duplex = process("Both sides", source="ADFDuplex")  # the fake scanner has no duplex feeder
    panel.choose_process(duplex)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    prepare = panel.screens["prepare"]
    assert prepare.unhonoured.isVisible() and "one-sided" in prepare.unhonoured.text()
    prepare.start()
    scanning = panel.screens["scanning"]
    qtbot.waitUntil(lambda: panel.current() == "scanning" and not scanning.loading)
    assert "one-sided" in scanning.hint.text()


def test_disabled_buttons_look_disabled(qtbot, make_panel):
    from tests.ui.test_screen_checks import _rendered

    for high_contrast in (False, True):
        panel = make_panel(high_contrast=high_contrast)
        jobs = panel.screens["jobs"]
        panel.go("jobs")
        qtbot.wait(5)
        assert not jobs.resend.isEnabled()
        disabled = _rendered(jobs.resend).getcolors(1 << 20)
        jobs.resend.setEnabled(True)
        qtbot.wait(5)
        enabled = _rendered(jobs.resend).getcolors(1 << 20)
        assert max(disabled)[1] != max(enabled)[1]  # another background, not just another text colour


def test_service_checks_read_in_the_panel_language(qtbot, make_panel, fake_session, monkeypatch):
    rows = [
        ("Directory", "ldap://dc1.example.com:389: NOT reachable (Connection refused)"),
        ("Spool", "2 job(s) waiting, 10 MB free of 20 MB"),
        ("Delivery", "this panel"),
    ]
    monkeypatch.setattr(fake_session, "service_status", lambda: (rows, ["log line"]))
    panel = make_panel(language="de")
    panel.open_service()
    for key in "2468✓":
        panel.screens["service"]._pad(key)
    checks = panel.screens["service"].checks
    qtbot.waitUntil(lambda: "Warteschlange" in checks.text())
    text = checks.text()
    assert "Verzeichnis: ldap://dc1.example.com:389: NICHT erreichbar (Connection refused)" in text
    assert "2 Auftrag/Aufträge wartend, 10 MB von 20 MB frei" in text and "dieses Bedienfeld" in text


def test_holding_a_key_offers_its_accents(qtbot, panel):
    screen = panel.screens["signin"]
    keyboard = screen.keyboard
    keyboard.set_target(screen.password)
    e = next((r, c) for r, row in enumerate(keyboard._layout()) for c, key in enumerate(row) if key == "e")
    button = keyboard._buttons[e[0]][e[1]]
    QTest.mousePress(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(keyboard.variants.isVisible, timeout=3000)
    QTest.mouseRelease(button, Qt.MouseButton.LeftButton)
    assert screen.password.text() == ""  # the release of a long press types nothing
    choices = keyboard.variants.findChildren(type(button))
    assert [c.text() for c in choices] == list("èéêë€") and all(c.accessibleName() for c in choices)
    qtbot.mouseClick(choices[1], Qt.MouseButton.LeftButton)
    assert screen.password.text() == "é" and not keyboard.variants.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # a short touch still types the letter
    assert screen.password.text() == "ée"


def test_back_while_the_job_starts_leaves_no_job_behind(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    qtbot.mouseClick(panel.screens["processes"].tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    prepare = panel.screens["prepare"]
    prepare.start()
    panel.back_to_processes()  # before the job is there
    qtbot.waitUntil(lambda: len(fake_session.started) == 1)
    qtbot.wait(50)
    assert panel.current() == "processes" and panel.job is None
    panel.finish_scan()  # nothing to finish: no error, no screen change
    assert panel.current() == "processes"
