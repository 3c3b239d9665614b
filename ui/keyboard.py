"""The built-in touch keyboard (Qt Virtual Keyboard is not in PySide6-Essentials).

It types into whichever QLineEdit of its own window has the focus; its keys never take the focus
themselves, so the caret stays where the user put it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QApplication, QGridLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

# Each row lists its keys; special keys are named in brackets. Both layers have the same shape,
# since one set of buttons is relabelled.
_LETTERS = [
    list("qwertyuiop") + ["[back]"],
    list("asdfghjkl") + ["[enter]"],
    ["[shift]"] + list("zxcvbnm") + ["@", ".", "[shift]"],
    ["[symbols]", "\\", "[space]", "-", "_", "'"],
]
_SYMBOLS = [
    list("1234567890") + ["[back]"],
    list('!"#$%&/()') + ["[enter]"],
    ["[shift]"] + list("*+,:;=?<>") + ["[shift]"],
    ["[letters]", "|", "[space]", "~", "^", "`"],
]
#: Width in half keys of the letter layer's special keys; every other key is 2.
_UNITS = {"[back]": 2, "[enter]": 4, "[shift]": 2, "[space]": 10, "[symbols]": 4}


class TouchKeyboard(QWidget):
    """Emits `enter` when the Enter key is touched (after nothing else happened to the text)."""

    enter = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        self._symbols = False
        self._shift = False
        self._target: QLineEdit | None = None
        self._buttons: list[list[QPushButton]] = []
        grid = QGridLayout(self)
        grid.setSpacing(4)
        grid.setContentsMargins(0, 0, 0, 0)
        for r, row in enumerate(_LETTERS):
            buttons = []
            col = 0
            for c, key in enumerate(row):
                button = QPushButton()
                button.setObjectName("key")
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                button.clicked.connect(lambda _=False, r=r, c=c: self._press(r, c))
                units = _UNITS.get(key, 2)
                grid.addWidget(button, r, col, 1, units)
                col += units
                buttons.append(button)
            self._buttons.append(buttons)
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self._relabel()

    # -- state --------------------------------------------------------------------------------
    def set_target(self, line_edit: QLineEdit | None) -> None:
        self._target = line_edit

    def target(self) -> QLineEdit | None:
        return self._target

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # A read-only field (the user name a badge filled in) never takes the keys.
        if isinstance(new, QLineEdit) and new.window() is self.window() and not new.isReadOnly():
            self._target = new

    def _layout(self) -> list[list[str]]:
        return _SYMBOLS if self._symbols else _LETTERS

    def _relabel(self) -> None:
        names = {
            "[back]": ("⌫", QCoreApplication.translate("TouchKeyboard", "Backspace")),
            "[enter]": (
                QCoreApplication.translate("TouchKeyboard", "Enter"),
                QCoreApplication.translate("TouchKeyboard", "Enter"),
            ),
            "[shift]": ("⇧", QCoreApplication.translate("TouchKeyboard", "Shift")),
            "[space]": (" ", QCoreApplication.translate("TouchKeyboard", "Space")),
            "[symbols]": ("?123", QCoreApplication.translate("TouchKeyboard", "Numbers and symbols")),
            "[letters]": ("ABC", QCoreApplication.translate("TouchKeyboard", "Letters")),
        }
        for r, row in enumerate(self._layout()):
            for c, key in enumerate(row):
                button = self._buttons[r][c]
                if key in names:
                    label, name = names[key]
                else:
                    label = key.upper() if self._shift else key
                    name = QCoreApplication.translate("TouchKeyboard", "Key %1").replace("%1", label)
                button.setText(label.replace("&", "&&"))
                button.setAccessibleName(name)
                button.setAutoRepeat(key == "[back]")
                button.setCheckable(key == "[shift]")
                button.setChecked(key == "[shift]" and self._shift)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.type() == event.Type.LanguageChange:
            self._relabel()
        super().changeEvent(event)

    # -- typing -------------------------------------------------------------------------------
    def _press(self, r: int, c: int) -> None:
        key = self._layout()[r][c]
        target = self._target
        if key == "[shift]":
            self._shift = not self._shift
        elif key in ("[symbols]", "[letters]"):
            self._symbols = key == "[symbols]"
            self._shift = False
        elif key == "[enter]":
            self.enter.emit()
        elif target is None:
            return
        elif key == "[back]":
            target.backspace()
        else:
            target.insert(" " if key == "[space]" else (key.upper() if self._shift else key))
            self._shift = False
        self._relabel()

    def type_text(self, text: str) -> None:
        """Touch the keys that type `text` (used by tests and the screenshot script)."""
        for ch in text:
            self._press(*self._find(ch))

    def _find(self, ch: str) -> tuple[int, int]:
        for symbols in (False, True):
            layout = _SYMBOLS if symbols else _LETTERS
            for r, row in enumerate(layout):
                for c, key in enumerate(row):
                    if key == ch or (ch == " " and key == "[space]") or (ch.isalpha() and key == ch.lower()):
                        if self._symbols != symbols:
                            self._press(3, 0)
                        if ch.isalpha() and ch.isupper() != self._shift:
                            self._press(2, 0)
                        return r, c
        raise ValueError(f"no key types {ch!r}")
