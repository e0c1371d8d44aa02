"""The worker's preferences in QSettings: only things that say nothing about anyone.

Language, idle minutes before locking, text size, and whether an interview was open when the
application last stopped (a yes/no, never which one). Nothing personal is ever stored here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings

# Points added to the base size (the system's text size, at least 12 points).
TEXT_SIZES: dict[str, int] = {"normal": 0, "large": 2, "larger": 5}
DEFAULT_IDLE_MINUTES = 5
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 60


LANGUAGE_KEY = "ui/language"
FOLDER_LANGUAGE_GROUP = "ui/language_of_folder"


def folder_key(folder: Path) -> str:
    """A settings key for one data folder (a digest of its path: a path is not personal data,
    but a key without slashes is one QSettings can hold)."""
    return hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]


class Preferences:
    """Typed access to the application's QSettings.

    With `data_folder`, the language belongs to that data folder (two vaults on one computer
    may be used in two languages); a folder without a choice of its own uses the one chosen
    before languages were kept per folder when `inherit_language` (its vault existed then),
    else none: the first start then speaks the system's language.
    """

    def __init__(
        self,
        settings: QSettings | None = None,
        *,
        data_folder: Path | None = None,
        inherit_language: bool = False,
    ) -> None:
        self._settings = settings if settings is not None else QSettings()
        self._language_key = (
            LANGUAGE_KEY
            if data_folder is None
            else f"{FOLDER_LANGUAGE_GROUP}/{folder_key(data_folder)}"
        )
        self._inherit = inherit_language and data_folder is not None

    @property
    def language(self) -> str | None:
        """The chosen user-interface language, or None before the first start chose one."""
        value = self._settings.value(self._language_key, None)
        if not value and self._inherit:
            value = self._settings.value(LANGUAGE_KEY, None)
        return str(value) if value else None

    @language.setter
    def language(self, code: str) -> None:
        self._settings.setValue(self._language_key, code)

    @property
    def idle_minutes(self) -> int:
        """Minutes without keyboard or mouse input before the vault locks itself."""
        raw = self._settings.value("lock/idle_minutes", DEFAULT_IDLE_MINUTES)
        try:
            minutes = int(str(raw))
        except ValueError:
            minutes = DEFAULT_IDLE_MINUTES
        return min(max(minutes, MIN_IDLE_MINUTES), MAX_IDLE_MINUTES)

    @idle_minutes.setter
    def idle_minutes(self, minutes: int) -> None:
        minutes = min(max(int(minutes), MIN_IDLE_MINUTES), MAX_IDLE_MINUTES)
        self._settings.setValue("lock/idle_minutes", minutes)

    @property
    def text_size(self) -> str:
        """One of TEXT_SIZES: "normal", "large", "larger"."""
        value = str(self._settings.value("ui/text_size", "normal"))
        return value if value in TEXT_SIZES else "normal"

    @text_size.setter
    def text_size(self, size: str) -> None:
        if size not in TEXT_SIZES:
            raise ValueError(f"unknown text size: {size!r}")
        self._settings.setValue("ui/text_size", size)

    @property
    def point_size(self) -> int:
        """Points added to the base font size for the chosen text size."""
        return TEXT_SIZES[self.text_size]

    @property
    def interview_was_open(self) -> bool:
        """True when the application stopped or locked with an interview open in the editor."""
        return str(self._settings.value("session/interview_open", "false")).lower() == "true"

    @interview_was_open.setter
    def interview_was_open(self, value: bool) -> None:
        self._settings.setValue("session/interview_open", "true" if value else "false")
        self._settings.sync()  # survives a crash right after

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._settings.sync()

    @property
    def unlock_failures(self) -> int:
        """Wrong passphrases in a row (kept across restarts: restarting does not skip the wait)."""
        try:
            return max(0, int(str(self._settings.value("lock/failures", 0))))
        except ValueError:
            return 0

    @unlock_failures.setter
    def unlock_failures(self, count: int) -> None:
        self._settings.setValue("lock/failures", max(0, int(count)))
        self._settings.sync()
