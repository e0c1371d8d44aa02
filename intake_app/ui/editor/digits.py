"""Digits typed into a field (a date's parts, a number): read in any script, shown in the UI
language's digits, so the field agrees with the calendar and every other number on screen."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QValidator

from intake_app.i18n.formatting import ascii_digits, local_digits


class LocalDigits(QValidator):
    """Text that matches `pattern` once its digits are read as ASCII ones ("[0-9]{0,4}"). A
    worker's keyboard may give Latin or Persian digits ("2" or "۲"); either is taken and shown
    as the UI language writes digits ("۲" in Dari)."""

    def __init__(self, pattern: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pattern = re.compile(pattern)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if self._pattern.fullmatch(ascii_digits(text)) is None:
            return QValidator.State.Invalid, text, pos
        # One character for one: the cursor stays where it was.
        return QValidator.State.Acceptable, shown_digits(text), pos


def shown_digits(text: str) -> str:
    """Digits of any script ("07", "٠٧") as the UI language writes them ("۰۷" in Dari)."""
    return local_digits(ascii_digits(text))
