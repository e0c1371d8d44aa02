"""Issue 16, friction: less retyping. The worker code and organisation come from the laptop's
enrolment and the interview date is today, once consent opens their section; dates get a
calendar (a button, Alt+Down or F4) in the UI language, besides typing partial dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from intake_app.services.interviews import FormCatalogue
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.sync.device.enrol import accept_profile, read_profile_file
from intake_app.sync.device.schema import ensure_device_schema
from intake_app.ui.worker.shell import Shell
from tests.helpers.bundles import CentreKeys
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, editor_opened, make_preferences, speaking

pytestmark = OFFSCREEN_NOISE


def _shell(qtbot, tmp_path: Path, *, enrolled: bool):
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=FormCatalogue())
    service.create_vault(PASSPHRASE).result()
    if enrolled:
        centre = CentreKeys.make(tmp_path)

        def enrol(vault: Any) -> Any:
            ensure_device_schema(vault)
            profile = read_profile_file(centre.profile_path)
            return accept_profile(vault, profile, device_name="Laptop 7", worker="W-12")

        service.run(enrol).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    return service, window


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    service, window = _shell(qtbot, tmp_path, enrolled=True)
    yield window
    window.workspace.stop_background()  # no sync round left running into the shutdown
    service.shutdown()


def _consent(editor) -> None:
    editor.block("consent_interview").input.buttons["yes"].click()
    editor.block("consent_data").input.buttons["yes"].click()


def test_enrolment_and_today_fill_the_interview_section_once_it_opens(qtbot, shell) -> None:
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    assert "interview_date" not in editor.answers  # nothing before consent
    _consent(editor)
    today = dt.date.today().isoformat()
    assert editor.answers["interview_date"] == today
    assert editor.answers["worker_code"] == "W-12"
    assert editor.answers["organisation"] == "Example reception centre"
    editor.show_section("interview")
    assert editor.block("worker_code").input.edit.text() == "W-12"
    date = editor.block("interview_date").input
    assert (date.year.text(), date.month.text(), date.day.text()) == tuple(today.split("-"))

    # A worker who clears one keeps it cleared, also when the section closes and opens again.
    editor.block("worker_code").input.edit.clear()
    editor.block("worker_code").input.edit.textEdited.emit("")
    assert "worker_code" not in editor.answers
    record_id = editor.interview.id
    shell.workspace.show_list()
    shell.workspace.open_interview(record_id)
    editor_opened(qtbot, shell.workspace)
    reopened = shell.workspace.editor
    assert "worker_code" not in reopened.answers
    assert reopened.answers["organisation"] == "Example reception centre"


def test_without_enrolment_only_the_date_is_filled(qtbot, tmp_path: Path) -> None:
    service, window = _shell(qtbot, tmp_path, enrolled=False)
    try:
        window.workspace.new_action.trigger()
        editor_opened(qtbot, window.workspace)
        editor = window.workspace.editor
        _consent(editor)
        assert editor.answers["interview_date"] == dt.date.today().isoformat()
        assert "worker_code" not in editor.answers and "organisation" not in editor.answers
    finally:
        service.shutdown()


def _date_of_birth(qtbot, shell):
    shell.workspace.new_action.trigger()
    editor_opened(qtbot, shell.workspace)
    editor = shell.workspace.editor
    _consent(editor)
    editor.show_section("person")
    shell.activateWindow()
    return editor, editor.block("date_of_birth").input


def test_f4_opens_a_calendar_whose_day_fills_all_three_fields(qtbot, shell) -> None:
    editor, date = _date_of_birth(qtbot, shell)
    qtbot.keyClicks(date.year, "1990")
    assert editor.answers["date_of_birth"] == "1990"  # partial dates stay possible
    date.year.setFocus()
    qtbot.keyClick(date.year, Qt.Key.Key_F4)
    popup = date.popup
    assert popup is not None and popup.isVisible()
    calendar = popup.calendar
    assert calendar.selectedDate() == QDate(1990, 1, 1)  # on the year typed
    assert calendar.minimumDate() == QDate(1900, 1, 1)  # the question's "min"
    view = QApplication.focusWidget()
    assert view is not None and calendar.isAncestorOf(view)  # the keyboard is in the calendar
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert (date.year.text(), date.month.text(), date.day.text()) == ("1990", "01", "02")
    assert editor.answers["date_of_birth"] == "1990-01-02"
    assert QApplication.focusWidget() is date.calendar_button


def test_escape_closes_the_calendar_without_a_change(qtbot, shell) -> None:
    editor, date = _date_of_birth(qtbot, shell)
    date.month.setFocus()
    qtbot.keyClick(date.month, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert date.popup.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not date.popup.isVisible()
    assert "date_of_birth" not in editor.answers


@pytest.mark.parametrize(
    ("lang", "first_day", "rtl"),
    [("fi", Qt.DayOfWeek.Monday, False), ("ar", None, True), ("fa-AF", None, True)],
)
def test_the_calendar_speaks_the_ui_language(qtbot, shell, lang, first_day, rtl) -> None:
    with speaking(lang):
        editor, date = _date_of_birth(qtbot, shell)
        assert date.calendar_button.accessibleName().startswith(
            editor.form.question("date_of_birth").label(lang)
        )
        date.calendar_button.click()
        calendar = date.popup.calendar
        locale = calendar.locale()
        assert locale.name().startswith(lang.split("-")[0])
        assert calendar.firstDayOfWeek() == (first_day or locale.firstDayOfWeek())
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        assert date.popup.layoutDirection() == direction
        date.popup.close()
