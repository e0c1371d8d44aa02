"""Digits typed into a field (a date's year, month and day): read in any script, shown in the
UI language's digits, so the field agrees with the calendar and every other number on screen."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QValidator

from intake_app.i18n.formatting import ascii_digits, local_digits


class LocalDigits(QValidator):
    """At most `length` digits. A worker's keyboard may give Latin or Persian digits ("2" or
    "۲"); either is taken and shown as the UI language writes digits ("۲" in Dari)."""

    def __init__(self, length: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._length = length

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if len(text) > self._length or not all(char.isdecimal() for char in text):
            return QValidator.State.Invalid, text, pos
        # One character for one: the cursor stays where it was.
        return QValidator.State.Acceptable, local_digits(ascii_digits(text)), pos


def shown_digits(text: str) -> str:
    """Digits kept as ASCII ("07") as the field shows them in the UI language ("۰۷")."""
    return local_digits(ascii_digits(text))
