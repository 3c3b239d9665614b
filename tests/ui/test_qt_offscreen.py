"""Qt runs on the offscreen platform under pytest-qt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton


def test_offscreen_platform_renders_a_widget(qtbot):
    assert QGuiApplication.platformName() == "offscreen"
    button = QPushButton("Scan")
    qtbot.addWidget(button)
    button.resize(200, 80)
    clicks = []
    button.clicked.connect(lambda: clicks.append(1))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [1]
    image = button.grab().toImage()
    assert image.width() == 200 and image.height() == 80
