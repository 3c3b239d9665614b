"""Translations with Qt's own tools: ui/i18n/dsm_kiosk_<lang>.ts are the sources (pyside6-lupdate),
the .qm beside them are compiled with pyside6-lrelease (scripts/update_translations.sh)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

log = logging.getLogger(__name__)

CATALOGS = Path(__file__).resolve().parent / "i18n"
#: Languages with a catalog; English is the source language and needs none.
LANGUAGES = ("en", "de", "fr", "es")
SOURCE_LANGUAGE = "en"


def normalise(tag: str | None) -> str | None:
    """'de-DE', 'fr_FR', 'ES' → 'de', 'fr', 'es'; None for a language without a catalog."""
    if not tag:
        return None
    base = tag.replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else None


#: The one catalog installed in the application (shared by every window).
_installed: QTranslator | None = None


class Translations:
    """Installs one catalog at a time; every widget gets a LanguageChange event and retranslates."""

    def __init__(self, default: str) -> None:
        self.default = normalise(default) or SOURCE_LANGUAGE
        self.current: str | None = None

    def use(self, tag: str | None) -> str:
        """Switch to `tag` (falling back to the kiosk default); returns the language now in use."""
        global _installed
        language = normalise(tag) or self.default
        if language == self.current:
            return language
        app = QCoreApplication.instance()
        if _installed is not None:
            app.removeTranslator(_installed)
            _installed = None
        if language != SOURCE_LANGUAGE:
            translator = QTranslator(app)
            if translator.load(str(CATALOGS / f"dsm_kiosk_{language}.qm")):
                app.installTranslator(translator)
                _installed = translator
            else:
                log.error("translation catalog for %r is missing; showing English", language)
                language = SOURCE_LANGUAGE
        QLocale.setDefault(QLocale(language))
        self.current = language
        return language

    def reset(self) -> str:
        return self.use(self.default)
