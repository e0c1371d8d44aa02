"""The two lines under a box that saves a file for the administrator: where the file went, or
what failed. The last outcome is kept and said again after a language switch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.i18n.formatting import isolate
from intake_app.ui.common import MessageLine


class SaveOutcome:
    """`result` and `error` lines; `saved_text(value)` words a success in the current language."""

    def __init__(self, parent: QWidget, saved_text: Callable[[Any], str]) -> None:
        self.result = MessageLine(parent, error=False)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = MessageLine(parent)
        self._saved_text = saved_text
        self._said: object = None  # what was saved, the KnownError that stopped it, or None

    def writing(self, path: Path) -> None:
        """A save has begun."""
        self._said = None
        self.error.show_message("")
        self.result.show_message(_("Writing {file}…", file=isolate(path)))

    def clear(self) -> None:
        """Nothing to say (a save that did not start)."""
        self._said = None
        self.result.show_message("")

    def saved(self, value: object) -> None:
        """A save ended well; `value` goes to `saved_text`."""
        self._said = value
        self.say()

    def failed(self, error: KnownError) -> None:
        """A save ended with a known error."""
        self._said = error
        self.say()

    def say(self) -> None:
        """The last outcome in the current language."""
        said = self._said
        if isinstance(said, KnownError):
            self.result.show_message("")
            self.error.show_message(said.translated())
        elif said is not None:
            self.error.show_message("")
            self.result.show_message(self._saved_text(said))
