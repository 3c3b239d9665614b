"""The panel's words: complete catalogs, a sentence for every error code and DSM reason."""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

import kiosk
from kiosk.errors import KioskError
from ui import words
from ui.i18n import CATALOGS

ROOT = Path(__file__).resolve().parents[2]
#: From the DSM protocol (docs: BDSRR / WDD enumerations), with the BDSRR additions and typo.
JOB_STATE_REASONS = (
    "NoValidPostScanInstructionsFound",
    "CreatePostScanJobFailed",
    "SendImageFailed",
    "SendImangeFailed",
    "PostScanJobCanceled",
    "PostScanJobProcessingFailed",
    "PostScanJobCompletedWithErrors",
    "PostScanJobCompletedWithWarnings",
    "PostScanJobTimedOut",
)
FILTER_STATE_REASONS = (
    "InvalidArgs",
    "OutOfDiskSpace",
    "ServerOutOfMemory",
    "FileShareAccessDenied",
    "FileShareOutOfDiskSpace",
    "SharePointAccessDenied",
    "SharepointOutOfDiskSpace",
    "InvalidSMTPServer",
    "UnableToSendEmail",
)


def _unfinished(path: Path) -> list[str]:
    tree = etree.parse(str(path))
    bad = []
    for message in tree.iter("message"):
        translation = message.find("translation")
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not (translation.text or "").strip():
            bad.append(message.findtext("source"))
    return bad


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_catalog_is_complete_and_covers_the_code(tmp_path, language):
    """Every text of ui/ (as pyside6-lupdate finds it now) has a finished translation."""
    catalog = CATALOGS / f"dsm_kiosk_{language}.ts"
    assert _unfinished(catalog) == []
    copy = tmp_path / catalog.name
    shutil.copy(catalog, copy)
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = [str(p) for p in sorted((ROOT / "ui").glob("*.py")) + sorted((ROOT / "ui" / "screens").glob("*.py"))]
    subprocess.run(
        [str(lupdate), "-silent", "-locations", "none", "-no-obsolete", *sources, "-ts", str(copy)],
        check=True,
        capture_output=True,
    )
    assert _unfinished(copy) == [], "texts in ui/ without a translation: run scripts/update_translations.sh"
    # and the compiled catalog the panel loads is not older than its source
    assert catalog.with_suffix(".qm").stat().st_mtime >= catalog.stat().st_mtime - 1


def _all_error_classes() -> set[type]:
    for module in pkgutil.walk_packages(kiosk.__path__, "kiosk."):
        if ".commands" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found, todo = set(), [KioskError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return {cls for cls in found if cls.__module__.startswith("kiosk")}


def test_every_kiosk_error_code_has_a_panel_sentence():
    missing = sorted({cls.code for cls in _all_error_classes()} - words.error_codes())
    assert missing == [], f"error codes without a sentence in ui/words.py: {missing}"


def test_errors_are_told_by_code_in_the_panel_language(qapp):
    from kiosk.directory.errors import InvalidCredentials
    from ui.i18n import Translations

    error = InvalidCredentials("bind refused", user_message="Wrong user name or password.")
    translations = Translations("en")
    try:
        translations.use("de")
        assert words.error_text(error) == "Benutzername oder Passwort ist falsch."
        translations.use("fr")
        assert words.error_text(error) == "Nom d'utilisateur ou mot de passe incorrect."
    finally:
        translations.use("en")

    class Newcomer(InvalidCredentials):
        code = "not-yet-known"

    assert words.error_text(Newcomer("x")) == "Wrong user name or password."  # the nearest known code


def test_every_dsm_reason_gets_its_own_sentence_without_the_code(qapp):
    generic = words.reason_text("x:VendorSpecific")
    seen = set()
    for reason in JOB_STATE_REASONS:
        text = words.reason_text(reason)
        assert text and text != generic and reason not in text
        seen.add(text)
    for reason in FILTER_STATE_REASONS:
        for kind, name in (("folder", "Shared folder"), ("sharepoint", "SharePoint"), ("email", "E-mail")):
            text = words.reason_text(f"{kind}:{reason}")
            assert text.startswith(f"{name}:") and reason not in text
            assert "delivery failed" not in text  # each known reason has its own advice
    assert len(seen) >= 8
    assert words.reasons_text(["SendImageFailed", "SendImangeFailed"]).count("\n") == 0  # one line per sentence
    assert "kiosk:" not in words.reason_text("kiosk:other")
