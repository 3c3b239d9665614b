"""PySide6 touch screens. Presents kiosk/ state; holds no business logic."""
