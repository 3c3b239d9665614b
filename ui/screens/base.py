"""What every screen shares: a reference to the panel, and retranslation on LanguageChange."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ui.window import PanelWindow


class Screen(QWidget):
    """Subclasses build widgets in __init__, set every text in retranslate(), and drop all user
    data in clear() (called at sign-out)."""

    def __init__(self, panel: PanelWindow) -> None:
        super().__init__()
        self.panel = panel
        self.root = QVBoxLayout(self)
        margin = panel.theme.px(12)
        self.root.setContentsMargins(margin, margin // 2, margin, margin)
        self.root.setSpacing(panel.theme.px(8))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Forget everything about the signed-in user."""


def label(object_name: str = "", *, wrap: bool = True) -> QLabel:
    widget = QLabel()
    if object_name:
        widget.setObjectName(object_name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def button(object_name: str = "", *, expand: bool = False) -> QPushButton:
    widget = QPushButton()
    if object_name:
        widget.setObjectName(object_name)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if expand:
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return widget


def set_text(widget: QLabel | QAbstractButton, text: str, accessible: str | None = None) -> None:
    """Set the visible text and the accessible name together, so no control is left unnamed."""
    widget.setText(text.replace("&", "&&") if isinstance(widget, QPushButton) else text)
    widget.setAccessibleName(accessible or text)


def header(title: QLabel, *buttons: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(title, 1)
    for widget in buttons:
        row.addWidget(widget)
    return row
