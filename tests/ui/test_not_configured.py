"""The shipped kiosk.toml starts the panel on the "not configured yet" screen, not a crash loop."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel

from kiosk.cli import main
from ui.i18n import Translations
from ui.screens import not_configured

SHIPPED = Path(__file__).resolve().parents[2] / "packaging" / "etc" / "kiosk.toml"


def _visible_texts() -> tuple[str, list[str]]:
    for window in QApplication.topLevelWidgets():
        if window.isVisible() and isinstance(window, not_configured.NotConfiguredScreen):
            return type(window).__name__, [w.text() for w in window.findChildren(QLabel) if w.text()]
    return "", []


def test_the_shipped_conffile_opens_the_not_configured_screen(qapp, tmp_path):
    conf = tmp_path / "kiosk.toml"
    conf.write_text(SHIPPED.read_text())
    seen = {}

    def ready():
        seen["window"], seen["texts"] = _visible_texts()
        qapp.exit(0)

    status = not_configured.run(["problem one", "problem two"], _settings(conf), str(conf), kiosk=False, ready=ready)
    assert status == 0
    assert seen["window"] == "NotConfiguredScreen"
    assert "This scanner is not configured yet" in seen["texts"]
    assert "problem one\nproblem two" in seen["texts"]
    assert any(str(conf) in text for text in seen["texts"])


def test_it_speaks_the_configured_language(qapp, tmp_path):
    conf = tmp_path / "kiosk.toml"
    conf.write_text(SHIPPED.read_text().replace('language = "en"', 'language = "de"', 1))
    settings = _settings(conf)
    assert settings.ui.language == "de"
    seen = {}

    def ready():
        seen["window"], seen["texts"] = _visible_texts()
        qapp.exit(0)

    try:
        assert not_configured.run(["problem one"], settings, str(conf), kiosk=False, ready=ready) == 0
    finally:
        Translations("en").reset()
    assert "Dieser Scanner ist noch nicht eingerichtet" in seen["texts"]
    assert "This scanner is not configured yet" not in seen["texts"]


def test_the_panel_command_shows_it_for_the_shipped_file_and_for_a_broken_one(qapp, tmp_path, monkeypatch):
    seen = []

    def fake_run(problems, settings, path, *, kiosk=None, ready=None):
        seen.append((list(problems), path))
        return 0

    monkeypatch.setattr(not_configured, "run", fake_run)
    conf = tmp_path / "kiosk.toml"
    conf.write_text(SHIPPED.read_text())
    assert main(["--config", str(conf), "panel", "--windowed"]) == 0
    conf.write_text("[ui]\nwidth = 'wide'\n")
    assert main(["--config", str(conf), "panel", "--windowed"]) == 0
    (shipped, _), (broken, path) = seen
    assert "/etc/dsm-kiosk/directory.toml" in shipped[0]
    assert "width" in broken[0] and path == str(conf)


def test_a_change_to_the_file_ends_the_screen_with_the_restart_status(qapp, tmp_path):
    conf = tmp_path / "kiosk.toml"
    conf.write_text(SHIPPED.read_text())

    def ready():
        conf.write_text(SHIPPED.read_text() + "\n# edited\n")
        stamp = conf.stat().st_mtime_ns + 10**9
        os.utime(conf, ns=(stamp, stamp))

    status = not_configured.run(["missing"], _settings(conf), str(conf), kiosk=False, ready=ready)
    assert status == not_configured.RESTART_STATUS == 75


def _settings(conf: Path):
    from kiosk import config

    return config.load(conf)
