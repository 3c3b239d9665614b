"""The built-in touch keyboard (Qt Virtual Keyboard is not in PySide6-Essentials).

One letter layout per panel language (en QWERTY, de QWERTZ, fr AZERTY, es QWERTY with ñ), chosen
by the language in use, with a key that switches to the next layout; a symbols layer (digits,
brackets, € §) and an accents layer (ä ö ü ß é è ç ñ …) shared by all, so any password can be
typed whatever the panel's language.

It types into whichever QLineEdit of its own window has the focus; its keys never take the focus
themselves, so the caret stays where the user put it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

_BOTTOM = ["[symbols]", "[accents]", "[language]", "[space]", "_", "\\"]

#: Letter layouts by language; special keys are named in brackets.
LETTERS: dict[str, list[list[str]]] = {
    "en": [
        list("qwertyuiop") + ["[back]"],
        list("asdfghjkl") + ["'", "[enter]"],
        ["[shift]", *"zxcvbnm", "@", ".", "-"],
        _BOTTOM,
    ],
    "de": [
        list("qwertzuiopü") + ["[back]"],
        list("asdfghjklöä") + ["[enter]"],
        ["[shift]", *"yxcvbnmß", "@", ".", "-"],
        _BOTTOM,
    ],
    "fr": [
        list("azertyuiop") + ["[back]"],
        list("qsdfghjklm") + ["[enter]"],
        ["[shift]", *"wxcvbnéèç", "@", ".", "-"],  # à: hold a, or the accents layer
        _BOTTOM,
    ],
    "es": [
        list("qwertyuiop") + ["[back]"],
        list("asdfghjklñ") + ["[enter]"],
        ["[shift]", *"zxcvbnmç", "@", ".", "-"],
        _BOTTOM,
    ],
}
SYMBOLS = [
    list("1234567890") + ["[back]"],
    list('!"#$%&/()=?') + ["[enter]"],
    list("*+,:;<>[]{}'"),
    ["[letters]", "€", "§", "|", "~", "^", "`", "[space]", "£", "°"],
]
ACCENTS = [
    list("áàâäãåæéèêë") + ["[back]"],
    list("íìîïóòôöõœø") + ["[enter]"],
    ["[shift]", *"úùûüýÿñçß¿¡"],
    ["[letters]", "[space]", "«", "»"],
]
#: Held for HOLD_MS, a key offers these variants in a row above it (as phone keyboards do).
VARIANTS = {
    "a": "àáâäãåæ",
    "e": "èéêë€",
    "i": "ìíîï",
    "o": "òóôöõœø",
    "u": "ùúûü",
    "c": "ç",
    "n": "ñ",
    "s": "ß§",
    "y": "ýÿ",
    "?": "¿",
    "!": "¡",
}
HOLD_MS = 500
#: Width in half keys of the special keys; every other key is 2.
_UNITS = {
    "[back]": 3,
    "[enter]": 3,
    "[shift]": 3,
    "[space]": 8,
    "[symbols]": 3,
    "[letters]": 3,
    "[accents]": 3,
    "[language]": 3,
}
_LAYERS = ("letters", "symbols", "accents")


def _upper(key: str) -> str:
    up = key.upper()
    return up if len(up) == 1 else key  # ß has no one-letter capital on most systems


class TouchKeyboard(QWidget):
    """Emits `enter` when the Enter key is touched (after nothing else happened to the text)."""

    enter = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        self._layer = "letters"
        self._shift = False
        self._language = _panel_language()
        self._target: QLineEdit | None = None
        self._buttons: list[list[QPushButton]] = []
        # The keys live on a holder replaced at each rebuild: a grid never forgets the columns of
        # a wider layer, and stale columns would widen the window.
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._holder: QWidget | None = None
        # Long-press: a held key shows its variants; the release then types nothing.
        self._hold_timer = QTimer(self)
        self._hold_timer.setSingleShot(True)
        self._hold_timer.setInterval(HOLD_MS)
        self._hold_timer.timeout.connect(self._show_variants)
        self._held: tuple[int, int] | None = None
        self._swallow_release = False
        self.variants = QFrame(self)
        self.variants.setObjectName("variants")
        QHBoxLayout(self.variants).setContentsMargins(4, 4, 4, 4)
        self.variants.hide()
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self._build()

    # -- state --------------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        if language in LETTERS and language != self._language:
            self._language = language
            self._build()

    def set_target(self, line_edit: QLineEdit | None) -> None:
        self._target = line_edit

    def target(self) -> QLineEdit | None:
        return self._target

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # A read-only field (the user name a badge filled in) never takes the keys.
        if isinstance(new, QLineEdit) and new.window() is self.window() and not new.isReadOnly():
            self._target = new

    def _layout(self, layer: str | None = None) -> list[list[str]]:
        layer = layer or self._layer
        if layer == "symbols":
            return SYMBOLS
        if layer == "accents":
            return ACCENTS
        return LETTERS[self._language]

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        """(Re)create the keys of the current layer: layers and layouts differ in shape."""
        self.variants.hide()
        self._hold_timer.stop()
        self._swallow_release = False
        if self._holder is not None:
            # Gone at once, not at the next event loop turn: the new keys take their place now.
            self._outer.removeWidget(self._holder)
            self._holder.hide()
            self._holder.setParent(None)
            self._holder.deleteLater()
        self._holder = QWidget(self)
        grid = QGridLayout(self._holder)
        grid.setSpacing(4)
        grid.setContentsMargins(0, 0, 0, 0)
        self._outer.addWidget(self._holder)
        self._buttons = []
        for r, row in enumerate(self._layout()):
            buttons = []
            col = 0
            for c, key in enumerate(row):
                key_button = QPushButton()
                key_button.setObjectName("key")
                key_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                key_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                key_button.clicked.connect(lambda _=False, r=r, c=c: self._press(r, c))
                if key in VARIANTS:
                    key_button.pressed.connect(lambda r=r, c=c: self._hold_start(r, c))
                    key_button.released.connect(self._hold_timer.stop)
                units = _UNITS.get(key, 2)
                grid.addWidget(key_button, r, col, 1, units)
                col += units
                buttons.append(key_button)
            self._buttons.append(buttons)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 1)
        self._relabel()

    def _relabel(self) -> None:
        names = {
            "[back]": ("⌫", QCoreApplication.translate("TouchKeyboard", "Backspace")),
            "[enter]": ("⏎", QCoreApplication.translate("TouchKeyboard", "Enter")),
            "[shift]": ("⇧", QCoreApplication.translate("TouchKeyboard", "Shift")),
            "[space]": ("␣", QCoreApplication.translate("TouchKeyboard", "Space")),
            "[symbols]": ("?123", QCoreApplication.translate("TouchKeyboard", "Numbers and symbols")),
            "[letters]": ("ABC", QCoreApplication.translate("TouchKeyboard", "Letters")),
            "[accents]": ("àé", QCoreApplication.translate("TouchKeyboard", "Accented letters")),
            "[language]": (
                "⌨ " + self._language.upper(),
                QCoreApplication.translate("TouchKeyboard", "Keyboard layout %1: touch for the next").replace(
                    "%1", self._language.upper()
                ),
            ),
        }
        for r, row in enumerate(self._layout()):
            for c, key in enumerate(row):
                key_button = self._buttons[r][c]
                if key in names:
                    label, name = names[key]
                else:
                    label = _upper(key) if self._shift else key
                    name = QCoreApplication.translate("TouchKeyboard", "Key %1").replace("%1", label)
                key_button.setText(label.replace("&", "&&"))
                key_button.setAccessibleName(name)
                key_button.setAutoRepeat(key == "[back]")
                key_button.setCheckable(key == "[shift]")
                key_button.setChecked(key == "[shift]" and self._shift)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.type() == event.Type.LanguageChange:
            language = _panel_language()
            if language != self._language:
                self._language = language
                self._layer, self._shift = "letters", False
                self._build()
            else:
                self._relabel()
        super().changeEvent(event)

    # -- typing -------------------------------------------------------------------------------
    def _hold_start(self, r: int, c: int) -> None:
        self._held = (r, c)
        self._hold_timer.start()

    def _show_variants(self) -> None:
        """A row of the held key's variants just above it; touching one types it."""
        if self._held is None:
            return
        r, c = self._held
        key = self._layout()[r][c]
        self._swallow_release = True
        row = self.variants.layout()
        while row.count():
            row.takeAt(0).widget().deleteLater()
        for variant in VARIANTS[key]:
            text = _upper(variant) if self._shift else variant
            choice = QPushButton(text)
            choice.setObjectName("key")
            choice.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            choice.setAccessibleName(QCoreApplication.translate("TouchKeyboard", "Key %1").replace("%1", text))
            choice.clicked.connect(lambda _=False, t=text: self._type_variant(t))
            row.addWidget(choice)
        self.variants.adjustSize()
        anchor = self._buttons[r][c].mapTo(self, QPoint(0, 0))
        x = max(0, min(anchor.x(), self.width() - self.variants.width()))
        self.variants.move(x, max(0, anchor.y() - self.variants.height()))
        self.variants.show()
        self.variants.raise_()

    def _type_variant(self, text: str) -> None:
        self.variants.hide()
        if self._target is not None:
            self._target.insert(text)
        self._shift = False
        self._relabel()

    def _press(self, r: int, c: int) -> None:
        if self._swallow_release:
            self._swallow_release = False  # the release of a long-press: the variants row types
            return
        self.variants.hide()
        key = self._layout()[r][c]
        target = self._target
        if key == "[shift]":
            self._shift = not self._shift
        elif key in ("[symbols]", "[letters]", "[accents]"):
            self._layer = key.strip("[]")
            self._shift = False
            self._build()
            return
        elif key == "[language]":
            order = list(LETTERS)
            self._language = order[(order.index(self._language) + 1) % len(order)]
            self._build()
            return
        elif key == "[enter]":
            self.enter.emit()
        elif target is None:
            return
        elif key == "[back]":
            target.backspace()
        else:
            target.insert(" " if key == "[space]" else (_upper(key) if self._shift else key))
            self._shift = False
        self._relabel()

    def type_text(self, text: str) -> None:
        """Touch the keys that type `text` (used by tests and the screenshot script)."""
        for ch in text:
            layer, r, c = self._find(ch)
            if layer != self._layer:
                self._switch_to(layer)
            if ch.isalpha() and ch != ch.lower() and not self._shift:
                self._press(*self._key("[shift]"))
            self._press(r, c)

    def _switch_to(self, layer: str) -> None:
        if self._layer != "letters":
            self._press(*self._key("[letters]"))
        if layer != "letters":
            self._press(*self._key(f"[{layer}]"))

    def _key(self, name: str) -> tuple[int, int]:
        for r, row in enumerate(self._layout()):
            if name in row:
                return r, row.index(name)
        raise ValueError(f"no {name} key on the {self._layer} layer")

    def _find(self, ch: str) -> tuple[str, int, int]:
        wanted = "[space]" if ch == " " else ch.lower() if ch.isalpha() else ch
        for layer in _LAYERS:
            for r, row in enumerate(self._layout(layer)):
                for c, key in enumerate(row):
                    if key == wanted or key == ch:
                        return layer, r, c
        raise ValueError(f"no key types {ch!r}")


def _panel_language() -> str:
    language = QLocale().name().split("_")[0]
    return language if language in LETTERS else "en"
