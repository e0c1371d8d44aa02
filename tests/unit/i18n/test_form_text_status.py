"""A consent text is signed off on its own: a note's `translation_status`, the form's
`draft_notice` texts, and the bundled forms (2026.1 unchanged, 2026.2 for new interviews)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from intake_app.domain import FormInvalid, FormRegistry, form_from_data, translation_report
from intake_app.services.interviews import FormCatalogue

BASE: dict[str, Any] = {
    "format": "intake-form",
    "format_version": 1,
    "id": "test",
    "version": "1.0",
    "title::en": "Test",
    "languages": ["en", "fi", "so"],
    "default_language": "en",
    "translation_status": {"en": "source", "fi": "draft", "so": "draft"},
    "draft_notice::en": "Draft translation - confirm with the interpreter.",
    "draft_notice::so": "Turjumaad qabyo ah - la hubi turjumaanka.",
    "consent_gate": {"condition": "${agree} = 'yes'", "open": ["consent"]},
    "questions": [
        {
            "type": "group",
            "name": "consent",
            "label::en": "Consent",
            "children": [
                {
                    "type": "note",
                    "name": "text_one",
                    "label::en": "Taking part is voluntary.",
                    "label::so": "Ka qaybgalku waa ikhtiyaari.",
                    "translation_status": {"en": "source", "fi": "draft", "so": "reviewed"},
                },
                {"type": "note", "name": "text_two", "label::en": "We write it down."},
                {"type": "select_one", "name": "agree", "choices": "yes_no", "label::en": "OK?"},
            ],
        }
    ],
    "choices": {"yes_no": [{"name": "yes", "label::en": "Yes"}, {"name": "no", "label::en": "No"}]},
}


def reasons(data: dict[str, Any]) -> list[str]:
    with pytest.raises(FormInvalid) as caught:
        form_from_data(data, "test.json")
    return [problem.reason for problem in caught.value.problems]


def test_a_notes_own_status_wins_over_the_forms() -> None:
    form = form_from_data(copy.deepcopy(BASE), "test.json")
    one, two = form.question("text_one"), form.question("text_two")
    assert one is not None and two is not None
    assert form.text_status(one, "so") == "reviewed"
    assert form.text_status(one, "fi") == "draft"
    assert form.text_status(two, "so") == "draft"  # no own status: the form's
    assert form.text_status(two, "en") == "source"


def test_draft_notice_falls_back_to_english_and_counts_as_a_text() -> None:
    form = form_from_data(copy.deepcopy(BASE), "test.json")
    assert form.draft_notice("so").startswith("Turjumaad")
    assert form.draft_notice("fi") == form.draft_notice("en")
    missing = {entry.language: entry.missing for entry in translation_report(form)}
    assert "draft_notice" in missing["fi"] and "draft_notice" not in missing["so"]


def test_a_note_status_must_name_every_language_with_a_known_state() -> None:
    data = copy.deepcopy(BASE)
    note = data["questions"][0]["children"][0]
    note["translation_status"] = {"en": "source", "so": "reviewed"}
    assert "translation_status must name every form language" in reasons(data)
    note["translation_status"] = {"en": "source", "fi": "done", "so": "draft"}
    assert "translation_status of ['fi'] must be source, reviewed or draft" in reasons(data)


def test_only_the_source_language_is_source_and_only_notes_have_a_status() -> None:
    data = copy.deepcopy(BASE)
    children = data["questions"][0]["children"]
    children[0]["translation_status"] = {"en": "reviewed", "fi": "source", "so": "draft"}
    found = reasons(data)
    assert "translation_status of 'en': only the source is 'source'" in found
    assert "translation_status of 'fi': only the source is 'source'" in found
    data = copy.deepcopy(BASE)
    data["questions"][0]["children"][2]["translation_status"] = {"en": "source"}
    assert "unknown key 'translation_status'" in reasons(data)


def test_a_draft_notice_in_a_language_the_form_lacks_is_an_error() -> None:
    data = copy.deepcopy(BASE)
    data["draft_notice::de"] = "Entwurf"
    assert "draft_notice::de: 'de' is not one of the form's languages" in reasons(data)


def test_both_bundled_versions_load_and_new_interviews_use_the_newest() -> None:
    registry = FormRegistry.load()
    first, second = registry.get("intake-fi", "2026.1"), registry.get("intake-fi", "2026.2")
    assert first is not None and second is not None
    assert registry.latest("intake-fi") is second
    assert FormCatalogue(registry).new_interview().form_version == "2026.2"
    # 2026.2 keeps every name and type of 2026.1, so older interviews open in it too.
    assert {(q.name, q.type) for q in first.walk()} <= {(q.name, q.type) for q in second.walk()}
    for name, choices in first.choice_lists.items():
        assert set(choices.codes()) <= set(second.choice_lists[name].codes()), name
    assert not first.draft_notices  # the published version is never changed
    notes = [q for q in second.questions[0].children if q.type == "note"]
    assert notes and all(q.translation_status["so"] == "draft" for q in notes)
