"""The review before finishing: sections with answers in words, problems by question (the
unanswered required ones first), closed sections and the second language."""

from __future__ import annotations

from intake_app.domain.document import new_interview
from intake_app.services.review import review
from tests.helpers.forms import make_catalogue


def _interview(**answers: object):
    form = make_catalogue().current_form()
    return form, new_interview(form.id, form.version).with_answers(answers)


def test_answers_are_said_by_their_labels_in_form_order() -> None:
    form, interview = _interview(
        consent_interview="yes",
        consent_data="yes",
        alias="Fictional Ana",
        setting="street",
        birth_date="1990-04",
        needs=["medical", "housing"],
    )
    found = review(interview, form, "en")
    assert [s.name for s in found.sections] == [
        "consent",
        "person",
        "languages_section",
        "account_section",
    ]
    person = found.sections[1]
    assert person.open and person.title == "Person"
    said = {line.label: line.answer for line in person.lines}
    assert said["Alias"] == "Fictional Ana"
    assert said["Setting"] == "Street"
    assert said["Date of birth"] and "1990" in said["Date of birth"]
    assert [line.label for line in person.lines] == ["Alias", "Date of birth", "Setting"]
    needs = found.sections[3].lines[0]
    assert needs.answer is not None
    assert set(needs.answer.split("; ")) == {"Safe housing", "Medical care"}


def test_problems_go_with_their_section_and_required_ones_come_first() -> None:
    form, interview = _interview(
        consent_interview="yes", consent_data="yes", children_count=99, setting="other"
    )
    found = review(interview, form, "en")
    assert found.blocking
    codes_first = [p for p in found.to_fix if "must be answered" in p.text]
    assert found.to_fix[: len(codes_first)] == tuple(codes_first)
    assert any(p.key == ("children_count", None) for p in found.sections[1].problems)
    assert any(p.key == ("setting_other", None) for p in found.to_fix)
    assert all(p.blocking for p in found.to_fix)


def test_without_consent_the_later_sections_are_closed_and_their_answers_left_out() -> None:
    form, interview = _interview(consent_interview="no", alias="Fictional Ana")
    found = review(interview, form, "en")
    person = found.sections[1]
    assert not person.open and person.lines == ()


def test_the_second_language_names_the_questions_too() -> None:
    form, interview = _interview(consent_interview="yes", consent_data="yes")
    found = review(interview, form, "en", "fi")
    consent = found.sections[0]
    assert consent.second_title == "Suostumus"
    assert consent.lines[0].second_label == "Suostumus haastatteluun"
    assert review(interview, form, "en", "en").sections[0].second_title == ""
