"""Issue 16, defect 15: the language belongs to the data folder (two vaults, two languages);
a first start in a new data folder speaks the system's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from intake_app.i18n import current_language
from intake_app.ui.application import start_language, system_language
from intake_app.ui.preferences import Preferences


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_each_data_folder_keeps_its_own_language(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first = Preferences(settings, data_folder=tmp_path / "a")
    second = Preferences(settings, data_folder=tmp_path / "b")
    first.language = "ar"
    assert second.language is None
    second.language = "th"
    assert first.language == "ar"
    assert Preferences(_settings(tmp_path), data_folder=tmp_path / "a").language == "ar"
    assert Preferences(settings).language is None  # no folder's choice leaks into the others


def test_a_vault_from_before_keeps_the_language_chosen_then(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    Preferences(settings).language = "fi"  # saved before languages were kept per folder
    assert (
        Preferences(settings, data_folder=tmp_path / "old", inherit_language=True).language == "fi"
    )
    assert Preferences(settings, data_folder=tmp_path / "new").language is None


def test_a_first_start_speaks_the_systems_language(tmp_path: Path) -> None:
    prefs = Preferences(_settings(tmp_path), data_folder=tmp_path / "new")
    assert start_language(prefs.language) == system_language() == current_language()
