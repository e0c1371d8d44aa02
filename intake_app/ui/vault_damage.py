"""Saying at once, in words, that the check of a large vault after unlocking found damage."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from intake_app.errors import VaultDamageFound
from intake_app.ui.application import WINDOW_TITLE


def warn_vault_damaged(parent: QWidget) -> QMessageBox:
    """Show the damage warning (window-modal, not blocking the caller); returns the box."""
    text = VaultDamageFound().translated()
    box = QMessageBox(QMessageBox.Icon.Critical, WINDOW_TITLE, text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(text)
    box.open()
    return box


def when_pages_checked(intact: object, parent: QWidget) -> None:
    """The result of `pages_intact()`: warn when damage was found (None: locked meanwhile)."""
    if intact is False:
        warn_vault_damaged(parent)
