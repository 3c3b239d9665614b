"""Every screen, in every language and both themes, at 800x480 and 1280x800, with the option
lists of the real SANE test device: nothing clipped, nothing left in English, no protocol code
on screen, text contrast measured from the rendered widgets, touch-sized named controls.

One panel per theme and size walks its screens once; the languages are switched on the same
widgets (LanguageChange), so each widget's English text is compared with its own translation.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QListWidget, QWidget

from kiosk.jobs.events import JobEvent
from kiosk.psp.model import ProcessList
from tests.ui.fakes import process
from ui.backend import JobSummary, scanner_state
from ui.i18n import LANGUAGES
from ui.theme import MIN_TOUCH_PX

#: A protocol or error code: DSM CamelCase values, snake_case or dotted kiosk codes.
DSM_CODE = re.compile(
    r"\b(?:[A-Z][a-z]+){3,}\b|\b[a-z]+_[a-z_]+\b|\b(?:scanner|imaging|kiosk|folder|email|sharepoint)[.:][a-z_]+\b"
)
#: Texts that are the same in every language: names, units, formats, key caps, digits.
_SAME_EVERYWHERE = re.compile(
    r"^(?:[\W\d_]*|[A-Z]{2}|\w|⌨ [A-Z]{2}|ABC|\?123|àé|PDF/A|TIFF|TIFF/JPEG|JPEG|PNG|\d+ dpi|.*@example\.com.*"
    r"|SharePoint|\d+ pages?|Scan to my folder|Sales contracts|Finance invoices|Alice Archer"
    r"|English|Deutsch|Français|Español|OK)$"
)


@pytest.fixture
def device_state(sane_scanner):
    """What the settings screen offers for the real SANE test device (all its resolutions,
    Grayscale8 and Grayscale16, both sources)."""
    return scanner_state(sane_scanner.capabilities(), True)


def _walk(qtbot, panel, fake_session):
    """Put each screen in a busy state and yield its name while it is shown."""
    from tests.ui.test_flow_fake import sign_in

    sign_in(qtbot, panel)
    # the process list, the longest summary first
    yield "processes"
    prepare = panel.screens["prepare"]
    duplex = process("Scan to my folder", source="ADFDuplex")  # asks what the device cannot do
    prepare.show_process(fake_session.processes.ok[0], fake_session.state)
    panel.go("prepare")
    yield "prepare"
    prepare.show_process(duplex, fake_session.state)
    yield "prepare-unhonoured"
    prepare.show_process(fake_session.processes.ok[1], fake_session.state)
    prepare._open_mail()
    prepare.address.setText("bad address")
    prepare._add_address()
    yield "prepare-mail"
    prepare.pages.setCurrentIndex(0)
    scanning = panel.screens["scanning"]
    scanning.start("Scan to my folder", notes=prepare.unhonoured_settings())
    for _ in range(8):
        scanning.add_page()
    scanning.load_finished()
    panel.go("scanning")
    yield "scanning"
    delivery = panel.screens["delivery"]
    delivery.follow("job-x", "Scan to my folder")
    delivery.on_event(JobEvent("state", "job-x", "Failed"))
    delivery.set_reasons(["PostScanJobCompletedWithErrors", "folder:FileShareAccessDenied", "email:UnableToSendEmail"])
    panel.go("delivery")
    panel.signal_cue(False, "Scan to my folder")
    yield "delivery"
    panel.cue.hide()
    jobs = panel.screens["jobs"]
    now = datetime.now(UTC)
    jobs.set_jobs(
        [
            JobSummary("j1", "Scan to my folder", "Failed", 3, now, reasons=("folder:FileShareAccessDenied",)),
            JobSummary("j2", "Sales contracts", "Queued", 1, now, 1, 0, waiting=True),
            JobSummary("j3", "Finance invoices", "Completed", 12, now),
        ]
    )
    jobs.list.setCurrentRow(0)
    panel.go("jobs")
    panel._countdown(9)
    yield "jobs"
    panel._countdown(-1)
    from kiosk.directory.errors import DirectoryUnavailable
    from kiosk.errors import DeliveryError, KioskError
    from kiosk.scanner import CoverOpen, DeviceBusy, DeviceGone, FeederEmpty, PaperJam

    for error in (
        PaperJam("jam"),
        FeederEmpty("no docs"),
        CoverOpen("cover"),
        DeviceBusy("busy"),
        DeviceGone("gone"),
        DeliveryError("refused", retryable=True),
        DirectoryUnavailable("ldap down"),
        KioskError("odd"),
    ):
        panel.show_problem(error, retry=None if isinstance(error, DeliveryError) else (lambda: None))
        yield f"problem {error.code}"
        panel.leave_problem()
    panel.open_jobs()
    jobs.set_jobs(jobs.jobs or [JobSummary("j1", "Scan to my folder", "Failed", 3, now)])
    jobs.list.setCurrentRow(0)
    jobs.list.setCurrentRow(0)
    panel.go("jobs")
    jobs._ask_delete()
    yield "question"
    panel._answer_no()
    panel.sign_out()
    yield "signin"
    panel.open_service()
    yield "service-pin"
    panel.check_pin("2468")
    qtbot.waitUntil(lambda: bool(panel.screens["service"].status))
    yield "service"


def _visible(panel):
    """What can be seen and touched: under an open question, only the question's widgets."""
    top = panel.question if panel.question.isVisible() else panel
    for widget in top.findChildren(QWidget):
        if widget.isVisible() and widget.window() is panel and widget.width() > 0:
            yield widget


def _unobscured(widget: QWidget) -> bool:
    """Wholly on screen (not scrolled partly out of a scroll area)."""
    return widget.visibleRegion().boundingRect() == widget.rect()


def _texts(panel) -> dict[int, str]:
    found = {}
    for widget in _visible(panel):
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text().strip():
            found[id(widget)] = widget.text()
        elif isinstance(widget, QLineEdit) and widget.placeholderText():
            found[id(widget)] = widget.placeholderText()
        elif isinstance(widget, QListWidget):
            for row in range(widget.count()):
                found[(id(widget), row)] = widget.item(row).text()
    return found


def _clipped(panel) -> list[str]:
    problems = []
    for widget in _visible(panel):
        if isinstance(widget, QAbstractButton) and widget.objectName() != "tile" and widget.text():
            if widget.sizeHint().width() > widget.width() or widget.minimumSizeHint().height() > widget.height():
                problems.append(f"button {widget.text()!r} needs {widget.sizeHint().width()}, has {widget.width()}")
        elif isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if need > widget.height():
                    problems.append(f"label {widget.text()[:40]!r} needs {need} px high, has {widget.height()}")
            elif widget.sizeHint().width() > widget.width():
                problems.append(f"label {widget.text()!r} needs {widget.sizeHint().width()}, has {widget.width()}")
    return problems


def _luminance(rgb) -> float:
    channels = [c / 255 for c in rgb[:3]]
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a, b) -> float:
    low, high = sorted((_luminance(a), _luminance(b)))
    return (high + 0.05) / (low + 0.05)


def _rendered(widget: QWidget) -> Image.Image:
    """The widget as the user sees it: cut from its window's rendering (a transparent label on a
    tile shows the tile behind it)."""
    window = widget.window()
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    image = window.grab(area).toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(image.constBits())[: image.sizeInBytes()]
    return Image.frombytes("RGB", (image.width(), image.height()), data, "raw", "RGB", image.bytesPerLine())


def text_contrast(widget: QWidget) -> float:
    """Background = the most common colour of the rendered widget; text = the colour most unlike
    it (the cores of the glyphs)."""
    colours = _rendered(widget).getcolors(1 << 20)
    background = max(colours)[1]
    return max(contrast(background, colour) for _count, colour in colours)


def _low_contrast(panel, target: float) -> list[str]:
    problems = []
    for widget in _visible(panel):
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text().strip() and widget.isEnabled():
            if not _unobscured(widget) or widget.objectName() == "tile" or widget.text().strip() in ("⚠",):
                continue
            ratio = text_contrast(widget)
            if ratio < target:
                problems.append(f"{widget.text()[:30]!r}: {ratio:.2f}:1")
        elif isinstance(widget, QLineEdit) and widget.placeholderText() and not widget.text() and _unobscured(widget):
            ratio = text_contrast(widget)
            if ratio < target:
                problems.append(f"placeholder {widget.placeholderText()!r}: {ratio:.2f}:1")
        elif isinstance(widget, QListWidget) and widget.currentItem() is not None:
            rect = widget.visualItemRect(widget.currentItem())
            image = _rendered(widget.viewport()).crop((rect.left(), rect.top(), rect.right(), rect.bottom()))
            colours = image.getcolors(1 << 20)
            background = max(colours)[1]
            ratio = max(contrast(background, colour) for _n, colour in colours)
            if ratio < target:
                problems.append(f"selected row of {widget.accessibleName()!r}: {ratio:.2f}:1")
    return problems


def _weak_borders(panel) -> list[str]:
    """Control borders against the window, from the pixels of the button's top edge."""
    hex_colour = panel.theme.palette.window.lstrip("#")
    window = tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    problems = []
    for widget in _visible(panel):
        if (
            isinstance(widget, QAbstractButton)
            and widget.isEnabled()
            and widget.objectName() in ("", "key")
            and _unobscured(widget)
        ):
            image = _rendered(widget)
            edge = [image.getpixel((image.width // 2, y)) for y in range(min(3, image.height))]
            best = max(contrast(window, pixel) for pixel in edge)
            if best < 3:
                problems.append(f"{widget.text()[:20]!r} border {best:.2f}:1")
                break
    return problems


@pytest.mark.parametrize("size", [(800, 480), (1280, 800)], ids=["800x480", "1280x800"])
@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_every_screen_in_every_language(qtbot, make_panel, fake_session, device_state, size, high_contrast):
    fake_session.state = device_state
    fake_session.processes = ProcessList(ok=fake_session.processes.ok)
    panel = make_panel(width=size[0], height=size[1], high_contrast=high_contrast)
    problems: list[str] = []
    seen = 0
    for screen in _walk(qtbot, panel, fake_session):
        english: dict = {}
        for language in ("en", *[lang for lang in LANGUAGES if lang != "en"]):
            panel.translations.use(language)
            for _ in range(3):  # each level of nested layouts settles in its own round
                qtbot.wait(1)
            texts = _texts(panel)
            where = f"{screen} {language}"
            if (panel.width(), panel.height()) != size:  # a full-screen panel cannot grow
                problems.append(f"{where}: the window had to grow to {panel.width()}x{panel.height()}")
            problems += [f"{where}: {p}" for p in _clipped(panel)]
            for key, text in texts.items():
                seen += 1
                if DSM_CODE.search(text.replace("\u2060", "")):
                    problems.append(f"{where}: code on screen: {text!r}")
                if language == "en":
                    english[key] = text
                elif english.get(key) == text and not _SAME_EVERYWHERE.match(text.strip()):
                    problems.append(f"{where}: not translated: {text!r}")
            for widget in _visible(panel):
                if isinstance(widget, (QAbstractButton, QLineEdit, QListWidget)):
                    if not widget.accessibleName():
                        problems.append(f"{where}: unnamed {type(widget).__name__} {getattr(widget, 'text', str)()!r}")
                    if isinstance(widget, QAbstractButton) and (
                        widget.height() < MIN_TOUCH_PX or widget.width() < MIN_TOUCH_PX
                    ):
                        problems.append(f"{where}: {widget.accessibleName()!r} is {widget.width()}x{widget.height()}")
            if language in ("en", "de") and size == (800, 480):  # the pixels do not change with the words
                problems += [f"{where}: {p}" for p in _low_contrast(panel, 7.0 if high_contrast else 4.5)]
                problems += [f"{where}: {p}" for p in _weak_borders(panel)]
        panel.translations.use("en")
    assert seen > 500
    assert not problems, "\n".join(dict.fromkeys(problems))
