"""The bundled form files: they load, are complete in all ten languages, and hold the
sections, names, rules and sources the design asks for (design/interview-form.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from intake_app.domain import (
    UI_LANGUAGES,
    Form,
    FormRegistry,
    format_report,
    forms_dir,
    load_form,
    resources_dir,
    translation_report,
)
from intake_app.domain import resources as resources_module
from intake_app.domain.form import YES_NO_UNKNOWN_CODES

ROOT = Path(__file__).resolve().parents[3]
FORM_FILES = sorted((ROOT / "resources" / "forms").glob("*.json"))


# Every bundled version of the form holds what the design asks for; new interviews use the last.
BUNDLED_VERSIONS = ("2026.1", "2026.2")


@pytest.fixture(scope="module", params=BUNDLED_VERSIONS)
def form(request: pytest.FixtureRequest) -> Form:
    found = FormRegistry.load().get("intake-fi", request.param)
    assert found is not None
    return found


def test_there_is_at_least_one_form_file() -> None:
    assert FORM_FILES, "resources/forms/ holds no form definition"


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.name)
def test_every_form_file_loads_and_is_complete(path: Path) -> None:
    loaded = load_form(path)
    print()  # the report is part of the test output (pytest -s or -rA shows it)
    print(format_report(loaded))
    for entry in translation_report(loaded):
        assert entry.missing == (), f"{entry.language} misses {entry.missing[:10]}"
    assert loaded.file == path.name


def test_resources_dir_finds_the_checkout() -> None:
    assert Path(str(resources_dir())) == ROOT / "resources"
    assert Path(str(forms_dir())) == ROOT / "resources" / "forms"


def test_resources_dir_in_a_frozen_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert Path(str(resources_module.resources_dir())) == tmp_path / "resources"


def test_intake_form_identity_and_languages(form: Form) -> None:
    assert form.id == "intake-fi" and form.version in BUNDLED_VERSIONS
    latest = FormRegistry.load().latest("intake-fi")
    assert latest is not None and latest.version == BUNDLED_VERSIONS[-1]
    assert form.languages == UI_LANGUAGES
    assert form.default_language == "fi"
    assert form.translation_status["en"] == "source"
    # Nothing but English is reviewed by a native speaker yet, and the form must say so.
    assert {lang for lang, state in form.translation_status.items() if state != "draft"} == {"en"}
    assert form.title("fa-AF") and form.title("th") != form.title("en")


def test_intake_form_has_the_twelve_sections_in_order(form: Form) -> None:
    labels = [section.label("en") for section in form.questions]
    assert len(labels) == 12
    assert [label.split(" ", 1)[0] for label in labels] == [str(n) for n in range(1, 13)]
    assert all(section.type == "group" for section in form.questions)


NAMED = {
    "alias": "text",
    "legal_name": "text",
    "account": "long_text",
    "account_translation": "long_text",
    "observations": "long_text",
    "consent_interview": "select_one",
    "consent_data": "select_one",
    "consent_referral": "select_one",
    "consent_police": "select_one",
    "date_of_birth": "date",
    "nationality": "country",
    "mother_tongue": "language",
    "interview_language": "language",
    "other_languages": "repeat",
    "needs": "repeat",
}


@pytest.mark.parametrize(("name", "kind"), NAMED.items())
def test_intake_form_field_names_and_types(form: Form, name: str, kind: str) -> None:
    question = form.question(name)
    assert question is not None and question.type == kind


def test_consent_questions_and_choices(form: Form) -> None:
    referral = form.question("consent_referral")
    assert referral is not None and referral.required
    choices = form.choice_list(referral)
    assert choices is not None
    assert choices.codes() == ("yes", "no", "undecided", "anonymous")
    for name in ("consent_interview", "consent_data", "consent_police"):
        question = form.question(name)
        assert question is not None and question.required
    texts = [q for q in form.questions[0].children if q.type == "note"]
    assert len(texts) >= 4 and all(len(t.labels) == 10 for t in texts)


def test_consent_gate_and_legal_name_rule(form: Form) -> None:
    gate = form.consent_gate
    assert gate is not None and gate.open_sections == ("consent",)
    legal = form.question("legal_name")
    assert legal is not None and legal.consent is not None


def test_date_of_birth_accepts_partial_dates(form: Form) -> None:
    dob = form.question("date_of_birth")
    assert dob is not None and dob.partial


def test_account_translation_only_in_fi_sv_en(form: Form) -> None:
    question = form.question("account_translation")
    assert question is not None and question.languages == ("fi", "sv", "en")


def test_nationality_adds_stateless_and_unknown(form: Form) -> None:
    question = form.question("nationality")
    assert question is not None and question.multiple and question.required
    extra = form.choice_lists[question.extra_choices or ""]
    assert extra.codes() == ("stateless", "unknown")


def test_ilo_indicators_six_groups_and_sourced_grading(form: Form) -> None:
    groups = [q for q in form.walk() if q.indicator_group]
    sizes = {g.name: len([c for c in g.children if c.type == "yes_no_unknown"]) for g in groups}
    assert sizes == {
        "ind_deceptive": 10,
        "ind_coercive": 10,
        "ind_vulnerability": 16,
        "ind_conditions": 9,
        "ind_coercion": 15,
        "ind_vulnerability_dest": 7,
    }
    # The ILO grading could not be checked against the publication here, so none is given
    # (the issue: leave a grading out rather than guess); sources says so.
    assert not any(c.ilo_grade for g in groups for c in g.children)
    note = next(s.note for s in form.sources if s.id == "ilo-2009")
    assert "WCMS_105023" in note and "rather than guess" in note
    for group in groups:
        for item in group.children:
            assert item.note, f"{item.name} must accept a note"


def test_yes_no_unknown_list(form: Form) -> None:
    assert form.choice_lists["yes_no_unknown"].codes() == YES_NO_UNKNOWN_CODES


def test_no_exact_addresses_only_regions(form: Form) -> None:
    names = {q.name for q in form.walk()}
    assert not any("address" in name for name in names)
    regions = form.question("exploitation_regions")
    assert regions is not None and regions.type == "select_multiple"
