"""Idle sign-out, language, kiosk lock, badges, keyboard, touch targets and accessible names."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from tests.ui.fakes import ALICE, JobEvent
from tests.ui.test_flow_fake import sign_in
from ui.bridge import Bridge
from ui.theme import MIN_TOUCH_PX


def scan_one_load(qtbot, panel):
    qtbot.mouseClick(panel.screens["processes"].tiles[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "prepare")
    qtbot.mouseClick(panel.screens["prepare"].scan, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "scanning" and not panel.screens["scanning"].loading)


def test_idle_sign_out_counts_down_then_clears_everything(qtbot, panel, clock, fake_session):
    sign_in(qtbot, panel)
    assert panel.screens["processes"].title.text() == "Hallo, Alice Archer"
    scan_one_load(qtbot, panel)
    assert panel.screens["scanning"].strip.count() == 3
    clock.now += 52
    panel.idle.tick()
    assert panel.banner.isVisible() and "8" in panel.banner_text.text()
    QTest.mouseClick(panel.screens["scanning"].strip.viewport(), Qt.MouseButton.LeftButton)  # activity
    assert not panel.banner.isVisible()
    clock.now += 61
    panel.idle.tick()
    assert panel.current() == "signin"
    qtbot.waitUntil(lambda: "sign_out" in fake_session.calls)
    assert panel.user is None and panel.job is None and not panel.my_jobs
    assert panel.screens["scanning"].strip.count() == 0
    assert panel.screens["processes"].tiles == [] and "Alice" not in panel.screens["processes"].title.text()
    assert panel.screens["jobs"].jobs == [] and panel.screens["prepare"].process is None
    assert panel.screens["signin"].username.text() == "" and panel.screens["signin"].password.text() == ""
    assert panel.translations.current == "en"
    qtbot.waitUntil(lambda: panel.screens["signin"].sign_in.text() == "Sign in")  # LanguageChange is posted
    # the unfinished load was not lost: it was sent
    assert fake_session.jobs[ALICE.sid][0].state == "Queued"


def test_the_next_user_never_sees_the_previous_users_job_events(qtbot, panel, fake_session):
    sign_in(qtbot, panel)
    scan_one_load(qtbot, panel)
    qtbot.mouseClick(panel.screens["scanning"].finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current() == "delivery")
    alice_job = panel.screens["delivery"].job_id
    qtbot.mouseClick(panel.screens["delivery"].sign_out, Qt.MouseButton.LeftButton)
    sign_in(qtbot, panel, "bob", "Bob-pass-2")
    assert panel.translations.current == "fr" and panel.screens["processes"].my_jobs.text() == "Mes travaux"
    fake_session.emit(JobEvent("state", alice_job, "Completed"))
    qtbot.wait(50)
    assert not panel.cue.isVisible() and panel.screens["delivery"].event is None


def test_late_answers_for_a_signed_out_user_are_dropped(qtbot):
    bridge = Bridge()
    got = []
    gate = threading.Event()
    bridge.call(lambda: gate.wait(5) and "alice's processes", done=got.append)
    bridge.new_generation()
    gate.set()
    bridge.call(lambda: "bob's processes", done=got.append)
    qtbot.waitUntil(lambda: got == ["bob's processes"])
    qtbot.wait(50)
    assert got == ["bob's processes"]
    bridge.shutdown()


@pytest.mark.parametrize(
    "language, text",
    [
        ("de", "Zum Scannen anmelden"),
        ("fr", "Connectez-vous pour numériser"),
        ("es", "Inicie sesión para escanear"),
        ("en", "Sign in to scan"),
    ],
)
def test_kiosk_default_language(make_panel, language, text):
    panel = make_panel(language=language)
    assert panel.screens["signin"].title.text() == text
    assert panel.screens["signin"].keyboard._buttons[1][-1].accessibleName() != ""


def test_kiosk_mode_refuses_to_close_without_the_pin(qtbot, make_panel):
    panel = make_panel(kiosk=True)
    assert not panel.close()
    assert panel.isVisible() and panel.current() == "service"
    service = panel.screens["service"]
    for key in "1111✓":
        service._pad(key)
    assert service.wrong_pin and panel.isVisible()
    for key in "2468✓":
        service._pad(key)
    qtbot.waitUntil(lambda: service.pages.currentIndex() == 1 and bool(service.status))
    assert ("Scanner", "test:0 OK") in service.status
    qtbot.mouseClick(service.quit, Qt.MouseButton.LeftButton)
    assert panel.isVisible() and panel.question.isVisible()  # asks first
    qtbot.mouseClick(panel.question_yes, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()


def test_kiosk_mode_without_a_pin_has_no_way_out(make_panel):
    panel = make_panel(kiosk=True, admin_pin="")
    assert not panel.close() and panel.isVisible()
    assert not panel.screens["signin"].service.isVisible()


def test_windowed_mode_closes(make_panel):
    panel = make_panel()
    assert panel.close()


def test_badge_only_burst_signs_in_and_takes_its_text_back(qtbot, make_panel, fake_session):
    fake_session.badge_only = {"alice"}
    panel = make_panel(badge_pattern=r"04(?P<user>[a-z]+)99")
    field = panel.screens["signin"].username
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClicks(field, "04alice99")
    QTest.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.current() == "processes")
    assert "badge:alice" in fake_session.calls
    assert field.text() == ""


def test_badge_fills_and_locks_the_user_name_and_asks_for_the_password(qtbot, make_panel, fake_session):
    panel = make_panel(badge_pattern=r"04(?P<user>[a-z]+)99")
    screen = panel.screens["signin"]
    screen.username.setFocus()
    qtbot.waitUntil(screen.username.hasFocus)
    QTest.keyClicks(screen.username, "04alice99")
    QTest.keyClick(screen.username, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.username.text() == "alice")
    assert screen.username.isReadOnly() and screen.password.hasFocus()
    assert screen.keyboard.target() is screen.password
    assert screen.message.text() == "Badge read for alice: enter your password."
    assert screen.message.objectName() == "muted" and screen.not_me.isVisible()
    assert panel.current() == "signin" and fake_session.user is None
    screen.keyboard.type_text("Alice-pass-1")
    screen.keyboard.enter.emit()
    qtbot.waitUntil(lambda: panel.current() == "processes")
    assert fake_session.calls[-2:] == ["badge:alice", "sign_in:alice"]
    panel.sign_out()
    assert not screen.username.isReadOnly() and screen.username.text() == ""


def test_unknown_badge_is_explained(qtbot, make_panel):
    panel = make_panel(badge_pattern=r"04(?P<user>[a-z]+)99")
    field = panel.screens["signin"].username
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClicks(field, "77777")
    QTest.keyClick(field, Qt.Key.Key_Return)
    message = panel.screens["signin"].message
    qtbot.waitUntil(lambda: message.text() == "This badge is not recognised. Please sign in with your user name.")
    assert panel.current() == "signin" and not field.isReadOnly()


def test_touch_keyboard_types_shift_symbols_and_backspace(qtbot, panel):
    screen = panel.screens["signin"]
    keyboard = screen.keyboard
    keyboard.set_target(screen.password)
    keyboard.type_text("Ab1@x")
    assert screen.password.text() == "Ab1@x"
    keyboard._press(0, 10)  # backspace
    assert screen.password.text() == "Ab1@"
    qtbot.mouseClick(keyboard._buttons[0][0], Qt.MouseButton.LeftButton)
    assert screen.password.text()[-1] in "q1"
    assert not screen.password.hasFocus() or keyboard._buttons[0][0].focusPolicy() == Qt.FocusPolicy.NoFocus


def _visible_controls(window: QWidget):
    for widget in window.findChildren(QWidget):
        if widget.isVisible() and isinstance(widget, (QAbstractButton, QLineEdit)):
            yield widget


@pytest.mark.parametrize("high_contrast", [False, True])
def test_every_control_is_touch_sized_and_named_on_every_screen(qtbot, make_panel, high_contrast):
    panel = make_panel(high_contrast=high_contrast)
    checked = 0
    sign_in(qtbot, panel)
    for name in panel.screens:
        panel.go(name)
        qtbot.wait(1)
        for widget in _visible_controls(panel):
            assert widget.accessibleName(), f"{name}: {widget!r} has no accessible name"
            assert widget.height() >= MIN_TOUCH_PX and widget.width() >= MIN_TOUCH_PX - 8, (
                f"{name}: {widget.accessibleName()} is {widget.width()}x{widget.height()}"
            )
            checked += 1
    assert checked > 60


def test_text_scales_with_the_screen(make_panel):
    small = make_panel()
    large = make_panel(width=1280, height=800)
    assert large.theme.touch > small.theme.touch == MIN_TOUCH_PX
    assert large.screens["signin"].title.font().pixelSize() > small.screens["signin"].title.font().pixelSize()


@pytest.mark.parametrize("sounds", [True, False])
def test_cue_shows_and_sounds_when_a_job_ends(make_panel, monkeypatch, sounds):
    import wave

    import ui.cue

    played = []
    monkeypatch.setattr(ui.cue.shutil, "which", lambda name: "/usr/bin/aplay")
    monkeypatch.setattr(ui.cue.subprocess, "Popen", lambda args, **kw: played.append(args))
    panel = make_panel(sounds=sounds)
    panel.signal_cue(False, "Sales contracts")
    assert panel.cue.isVisible() and panel.cue.objectName() == "cue_failed"
    assert "Sales contracts" in panel.cue_text.text()
    if sounds:
        (args,) = played
        assert args[0] == "/usr/bin/aplay" and args[-1].endswith("failed.wav")
        with wave.open(args[-1]) as sound:
            assert sound.getnframes() > 0
    else:
        assert played == []
