"""The consent panel says "draft translation - confirm with the interpreter" while a consent text
is not signed off, in the interview language and in the worker's, each in its own direction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from intake_app.domain import Form, FormRegistry, form_from_data, forms_dir
from intake_app.i18n import set_language
from intake_app.i18n.qt import bind_application
from intake_app.ui.editor.consent_panel import ConsentPanel, consent_is_draft
from tests.helpers.ui import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE
RTL, LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight


@pytest.fixture(scope="module")
def form() -> Form:
    newest = FormRegistry.load().latest("intake-fi")
    assert newest is not None
    return newest


@pytest.fixture(autouse=True)
def live_language(qapp: QApplication) -> Iterator[None]:
    """Language changes reach open windows, as in the application."""
    stop = bind_application(qapp)
    yield
    set_language("en")
    stop()
    qapp.setLayoutDirection(LTR)


def signed_off(form: Form, lang: str) -> Form:
    """The same form with every consent text of `lang` marked reviewed by a fluent person."""
    data: dict[str, Any] = json.loads((forms_dir() / form.file).read_text(encoding="utf-8"))
    for child in data["questions"][0]["children"]:
        if "translation_status" in child:
            child["translation_status"][lang] = "reviewed"
    return form_from_data(data, form.file)


def panel_for(qtbot, form: Form, lang: str) -> ConsentPanel:
    panel = ConsentPanel(form, lang)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_the_newest_form_marks_its_consent_texts_draft_except_the_english_source(form) -> None:
    assert form.draft_notice("so") and form.draft_notice("fa-AF")
    assert consent_is_draft(form, "so") and consent_is_draft(form, "fa-AF")
    assert not consent_is_draft(form, "en")


def test_somali_consent_says_draft_in_somali_and_in_the_workers_finnish(qtbot, form) -> None:
    set_language("fi")
    panel = panel_for(qtbot, form, "so")
    assert panel.draft_line.isVisible() and panel.worker_draft_line.isVisible()
    assert panel.draft_line.text() == form.draft_notice("so")
    assert panel.worker_draft_line.text() == form.draft_notice("fi")
    assert panel.draft_line.text() != panel.worker_draft_line.text()
    assert panel.draft_line.layoutDirection() == LTR
    # Small but readable: not the large print of the consent text, not below the usual size.
    assert panel.draft_line.font().pointSizeF() < panel.text.font().pointSizeF()
    assert panel.draft_line.font().pointSizeF() >= panel.font().pointSizeF()


def test_dari_consent_line_reads_right_to_left_and_the_workers_left_to_right(qtbot, form) -> None:
    set_language("fi")
    panel = panel_for(qtbot, form, "fa-AF")
    assert panel.draft_line.text() == form.draft_notice("fa-AF")
    assert panel.draft_line.layoutDirection() == RTL
    assert panel.worker_draft_line.layoutDirection() == LTR
    # The worker's line follows a language change; the interview language's stays.
    set_language("ar")
    assert panel.worker_draft_line.text() == form.draft_notice("ar")
    assert panel.worker_draft_line.layoutDirection() == RTL
    assert panel.draft_line.text() == form.draft_notice("fa-AF")


def test_one_line_when_the_worker_reads_the_interview_language(qtbot, form) -> None:
    set_language("so")
    panel = panel_for(qtbot, form, "so")
    assert panel.draft_line.isVisible()
    assert not panel.worker_draft_line.isVisible()


def test_no_line_for_the_english_source_text(qtbot, form) -> None:
    set_language("fi")
    panel = panel_for(qtbot, form, "en")
    assert not panel.draft_line.isVisible() and not panel.worker_draft_line.isVisible()


def test_no_line_once_a_fluent_person_has_signed_the_texts_off(qtbot, form) -> None:
    reviewed = signed_off(form, "so")
    assert not consent_is_draft(reviewed, "so") and consent_is_draft(reviewed, "fa-AF")
    set_language("fi")
    panel = panel_for(qtbot, reviewed, "so")
    assert not panel.draft_line.isVisible() and not panel.worker_draft_line.isVisible()
    assert form.question("consent_text_interview").label("so") in panel.text.text()
