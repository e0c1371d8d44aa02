"""Issue 16, defect 6: the age group follows from a full enough birth date, and ages that
contradict each other warn (they never block saving)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from intake_app.domain import ages
from intake_app.domain.document import new_interview
from intake_app.domain.issues import errors
from intake_app.domain.validation import validate
from intake_app.services.interviews import FormCatalogue, check_for_finishing
from intake_app.services.worker import WorkerService
from intake_app.storage import KdfParams
from intake_app.ui.editor.question_row import QuestionRow
from intake_app.ui.worker.shell import Shell
from tests.helpers.ui import OFFSCREEN_NOISE, PASSPHRASE, editor_opened, make_preferences

pytestmark = OFFSCREEN_NOISE
DAY = dt.date(2026, 12, 7)


def test_possible_ages_from_partial_dates() -> None:
    assert ages.possible_ages("1990", DAY) == (35, 36)
    assert ages.possible_ages("1990-12", DAY) == (35, 36)
    assert ages.possible_ages("1990-11", DAY) == (36, 36)
    assert ages.possible_ages("2008-12-08", DAY) == (17, 17)
    assert ages.possible_ages("2008-12-07", DAY) == (18, 18)
    assert ages.possible_ages("2030", DAY) is None
    assert ages.possible_ages("1990-13", DAY) is None


def test_the_age_group_is_derived_only_when_the_date_settles_it() -> None:
    assert ages.derived_age_band("1990", DAY) == "age_30_39"
    assert ages.derived_age_band("2008", DAY) is None  # 17 or 18
    assert ages.derived_age_band("2008-12-08", DAY) == "age_15_17"


def test_the_issue_16_ages_warn_on_every_age_answer_but_do_not_block() -> None:
    form = FormCatalogue().current_form()
    interview = new_interview(form.id, form.version).with_answers(
        {"consent_age": "adult", "age_band": "age_15_17", "date_of_birth": "1990"}
    )
    found = [i for i in validate(interview, form) if i.code == "ages-disagree"]
    assert {i.question for i in found} == {"consent_age", "age_band", "date_of_birth"}
    assert all(i.severity == "warning" for i in found)
    assert not [i for i in errors(validate(interview, form)) if i.code == "ages-disagree"]
    assert not [p for p in check_for_finishing(interview, form).problems
                if p.code == "ages-disagree"]


def test_agreeing_ages_do_not_warn() -> None:
    answers = {"consent_age": "adult", "age_band": "age_30_39", "date_of_birth": "1990-05"}
    assert ages.age_issues(answers, DAY) == []
    assert ages.age_issues({"consent_age": "unknown", "age_band": "age_15_17"}, DAY) == []


@pytest.fixture
def editor(qtbot, tmp_path: Path):
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM, forms=FormCatalogue())
    service.create_vault(PASSPHRASE).result()
    window = Shell(service, make_preferences(tmp_path))
    qtbot.addWidget(window)
    window.show_workspace()
    window.show()
    window.workspace.new_action.trigger()
    editor_opened(qtbot, window.workspace)
    editor = window.workspace.editor
    editor.block("consent_interview").input.buttons["yes"].click()
    editor.block("consent_data").input.buttons["yes"].click()
    yield editor
    service.shutdown()


def _row(editor, name: str) -> QuestionRow:
    block = editor.block(name)
    assert isinstance(block, QuestionRow)
    return block


def test_typing_a_birth_year_fills_the_age_group(qtbot, editor) -> None:
    editor.show_section("person")
    birth = _row(editor, "date_of_birth").input
    qtbot.keyClicks(birth.year, "1990")
    assert editor.answers.get("age_band") == "age_30_39"
    assert _row(editor, "age_band").input.value() == "age_30_39"


def test_contradictory_ages_show_a_warning_and_keep_the_workers_group(qtbot, editor) -> None:
    consent_age = _row(editor, "consent_age").input
    consent_age.set_value("adult")
    editor.answers["consent_age"] = "adult"
    editor.show_section("person")
    band = _row(editor, "age_band")
    band.input.set_value("age_15_17")
    editor.answers["age_band"] = "age_15_17"
    qtbot.keyClicks(_row(editor, "date_of_birth").input.year, "1990")
    assert editor.answers["age_band"] == "age_15_17"  # the worker's own answer stays
    qtbot.waitUntil(lambda: band.message.isVisibleTo(editor))
    assert "age" in band.message.text()
    assert _row(editor, "date_of_birth").message.text()
