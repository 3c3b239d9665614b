"""What every screen shares: a reference to the panel, and retranslation on LanguageChange."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
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


class TouchButton(QPushButton):
    """A button that never gets narrower than its text (a style sheet's min-width would let a
    layout squeeze it to the touch minimum and clip a long translation)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return self.sizeHint()


def button(object_name: str = "", *, expand: bool = False) -> QPushButton:
    widget = TouchButton()
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


class FlowLayout(QLayout):
    """Lays its items out left to right and wraps to a new row when the next one does not fit,
    so a long option list or a long translation never squeezes a button below its text's width."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt name)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt name)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt name)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt name)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt name)
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Rows of items at their size hints; each row's items share the row's spare width."""
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            width = item.sizeHint().width()
            if rows[-1] and used + self._gap + width > rect.width():
                rows.append([])
                used = 0
            used += (self._gap if rows[-1] else 0) + width
            rows[-1].append(item)
        y = rect.y()
        for row in rows:
            if not row:
                continue
            height = max(item.sizeHint().height() for item in row)
            spare = rect.width() - sum(item.sizeHint().width() for item in row) - self._gap * (len(row) - 1)
            x = rect.x()
            for i, item in enumerate(row):
                extra = spare // len(row) + (1 if i < spare % len(row) else 0)
                width = item.sizeHint().width() + max(0, extra)
                if move:
                    item.setGeometry(QRect(x, y, width, height))
                x += width + self._gap
            y += height + self._gap
        return y - rect.y() - (self._gap if y > rect.y() else 0)
