"""PySide6 widgets of the worker's application (see main.run)."""
