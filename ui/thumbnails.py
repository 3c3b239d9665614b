"""Page thumbnails, decoded off the UI thread at the size the scanning screen shows."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

#: Thumbnail size at the design screen size; decoded at twice that for larger screens.
THUMB = QSize(150, 200)


def read_thumbnail(path: str) -> QImage:
    """Decode `path` scaled down (a null image when the file is gone or unreadable)."""
    reader = QImageReader(path)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMB * 2, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()
