"""One digit set in the editor: the section list's numbers and counts, an entry's number, the
date's fields and the calendar beside them all write digits as the UI language does (Persian
digits in Dari, Latin in Arabic), and the date's fields take digits of either kind."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from intake_app.i18n import LANGUAGE_CODES
from intake_app.i18n.formatting import format_number
from intake_app.i18n.qt import qt_locale
from intake_app.ui.editor.editor import InterviewEditor
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import (
    OFFSCREEN_NOISE,
    new_consented_editor,
    speaking,
    workspace_shell,
)

pytestmark = OFFSCREEN_NOISE

ZERO = {"fa-AF": "۰", "ar": "0"}


def zeros(text: str) -> set[str]:
    """The digit sets `text` uses, each named by its zero ("0", "۰", "٠")."""
    return {chr(ord(c) - unicodedata.decimal(c)) for c in text if c.isdecimal()}


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` as a keyboard would, whatever its script (QTest takes ASCII only)."""
    for char in text:
        event = QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        QApplication.sendEvent(widget, event)


@pytest.fixture
def shell(qtbot, tmp_path: Path) -> Iterator[Shell]:
    with workspace_shell(qtbot, tmp_path, real_form=True) as window:
        yield window


def open_editor(qtbot, shell: Shell) -> InterviewEditor:
    editor = new_consented_editor(qtbot, shell)
    assert isinstance(editor, InterviewEditor)
    return editor


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_qt_writes_the_digits_babel_writes(lang: str) -> None:
    assert zeros(qt_locale(lang).toString(1234567890)) == zeros(
        format_number(1234567890, in_lang=lang)
    )


@pytest.mark.parametrize("lang", ["fa-AF", "ar"])
def test_every_number_in_the_section_list_uses_one_digit_set(qtbot, shell, lang) -> None:
    with speaking(lang):
        editor = open_editor(qtbot, shell)
        model = editor.nav_model
        model.set_progress(editor._progress(), 12)  # "Attachments" with "12 files"
        texts = [str(model.index(row, 0).data()) for row in range(model.rowCount())]
        statuses = [text.split("\n", 1)[1] for text in texts if "\n" in text]
        assert any(zeros(status) for status in statuses[:-1])  # a section's "0 of 4 required"
        assert zeros(statuses[-1])  # the files counted
        assert zeros("\n".join(texts)) == {ZERO[lang]}  # and the sections' own numbers


@pytest.mark.parametrize("lang", ["fa-AF", "ar"])
def test_an_entrys_number_uses_the_languages_digits(qtbot, shell, lang) -> None:
    with speaking(lang):
        editor = open_editor(qtbot, shell)
        editor.show_section("languages")
        repeat = editor.block("other_languages").input
        repeat.add_button.click()
        entry = repeat.entries[0]
        assert zeros(entry.title.text()) == {ZERO[lang]}
        assert zeros(entry.remove_button.accessibleName()) == {ZERO[lang]}


@pytest.mark.parametrize(
    ("lang", "typed", "shown"),
    [
        ("fa-AF", "1990", "۱۹۹۰"),  # Latin keys: shown in Persian digits, as the calendar
        ("fa-AF", "۱۹۹۰", "۱۹۹۰"),  # a Persian keyboard
        ("ar", "١٩٩٠", "1990"),  # an Arabic keyboard: shown in Latin digits, as the calendar
        ("fi", "1990", "1990"),
    ],
)
def test_the_date_fields_and_the_calendar_write_the_same_digits(
    qtbot, shell, lang, typed, shown
) -> None:
    with speaking(lang):
        editor = open_editor(qtbot, shell)
        editor.show_section("person")
        shell.activateWindow()
        date = editor.block("date_of_birth").input
        date.year.setFocus()
        type_text(date.year, typed)
        assert date.year.text() == shown
        assert editor.answers["date_of_birth"] == "1990"  # stored in ASCII digits
        qtbot.keyClick(date.year, Qt.Key.Key_F4)
        calendar = date.popup.calendar
        assert calendar.selectedDate() == QDate(1990, 1, 1)
        assert zeros(calendar.locale().toString(28)) == zeros(shown)  # the days
        year = calendar.findChild(QToolButton, "qt_calendar_yearbutton")
        assert year.text() == shown
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # picks the day shown
        texts = (date.year.text(), date.month.text(), date.day.text())
        assert zeros("".join(texts)) == zeros(shown)
        assert editor.answers["date_of_birth"] == "1990-01-01"


def test_the_date_fields_follow_a_language_change(qtbot, shell) -> None:
    with speaking("fa-AF"):
        editor = open_editor(qtbot, shell)
        editor.show_section("person")
        date = editor.block("date_of_birth").input
        date.load("1994-08")
        assert (date.year.text(), date.month.text()) == ("۱۹۹۴", "۰۸")
        with speaking("ar"):
            assert (date.year.text(), date.month.text()) == ("1994", "08")
            assert date.value() == "1994-08"


@pytest.mark.parametrize(
    ("lang", "typed", "shown", "stored"),
    [
        ("fa-AF", "7.5", "۷.۵", 7.5),  # Latin keys, shown in Persian digits
        ("fa-AF", "۷٫۵", "۷٫۵", 7.5),  # a Persian keyboard, its decimal sign
        ("ar", "٨", "8", 8),  # an Arabic keyboard, shown in Latin digits
        ("fi", "7,5", "7,5", 7.5),
    ],
)
def test_a_number_answer_is_typed_in_any_digits_and_shown_in_the_languages(
    qtbot, shell, lang, typed, shown, stored
) -> None:
    with speaking(lang):
        editor = open_editor(qtbot, shell)
        hours = editor.block("hours_per_day").input
        editor.show_section(editor.pages.section_of("hours_per_day"))
        hours.edit.setFocus()
        type_text(hours.edit, typed)
        assert hours.edit.text() == shown
        assert editor.answers["hours_per_day"] == stored


def test_a_stored_number_is_shown_in_the_languages_digits(qtbot, shell) -> None:
    with speaking("fa-AF"):
        editor = open_editor(qtbot, shell)
        hours = editor.block("hours_per_day").input
        hours.set_value(7.5)
        assert hours.edit.text() == "۷٫۵"
        assert hours.value() == 7.5
        with speaking("en"):
            assert zeros(hours.edit.text()) == {"0"}  # the new language's digits
            assert hours.value() == 7.5
