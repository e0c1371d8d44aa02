"""PySide6 widgets of the worker's application (see main.run)."""

from intake_app.ui.pyside_none_guard import protect_none

protect_none()
