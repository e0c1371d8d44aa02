"""Validation against the intake form, one rule at a time; normalising; progress helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from intake_app.domain import (
    Form,
    FormRegistry,
    Interview,
    InterviewNotValid,
    indicator_counts,
    new_interview,
    normalise,
    require_valid,
    section_progress,
    validate,
    visible_in_entries,
    visible_questions,
)
from intake_app.domain.issues import MESSAGES
from intake_app.i18n import set_language

SECRET = "Maryam Example"


@pytest.fixture(scope="module")
def form() -> Form:
    found = FormRegistry.load().get("intake-fi", "2026.1")
    assert found is not None
    return found


CONSENTED: dict[str, Any] = {
    "consent_interview": "yes",
    "consent_data": "yes",
    "consent_referral": "yes",
    "consent_police": "no",
    "consent_text_language": "ar",
}


def complete() -> dict[str, Any]:
    """Answers to every required question of the intake form."""
    return {
        **CONSENTED,
        "interview_date": "2026-11-28",
        "interview_setting": "ngo_office",
        "worker_code": "W-17",
        "organisation": "Example NGO",
        "alias": "A.",
        "age_band": "age_30_39",
        "nationality": ["IQ"],
        "residence_status": "asylum_seeker",
        "mother_tongue": "ar",
        "interview_language": "ar",
        "interpreter_used": "no",
        "exploitation_types": ["forced_labour"],
        "account": {"text": "…", "lang": "ar"},
        "immediate_danger": "no",
        "risk_level": "medium",
    }


def interview(answers: dict[str, Any], status: str = "draft") -> Interview:
    made = new_interview("intake-fi", "2026.1", now=datetime(2026, 11, 28, tzinfo=UTC))
    return made.with_answers(answers).with_status(status)  # type: ignore[arg-type]


def codes(issues: list[Any]) -> set[tuple[str | None, str]]:
    return {(issue.question, issue.code) for issue in issues}


def test_a_complete_interview_is_valid_when_final(form: Form) -> None:
    assert validate(interview(complete(), "final"), form) == []
    require_valid(interview(complete(), "final"), form)


def test_drafts_may_be_incomplete_but_final_may_not(form: Form) -> None:
    answers = complete()
    del answers["alias"], answers["risk_level"]
    assert validate(interview(answers, "draft"), form) == []
    found = codes(validate(interview(answers, "final"), form))
    assert found == {("alias", "required"), ("risk_level", "required")}
    assert codes(validate(interview(answers), form, finalising=True)) == found
    with pytest.raises(InterviewNotValid) as caught:
        require_valid(interview(answers, "final"), form)
    assert len(caught.value.issues) == 2


def test_a_refusal_can_be_finalised_with_the_consent_section_alone(form: Form) -> None:
    answers = {"consent_interview": "no", "consent_text_language": "so"}
    assert codes(validate(interview(answers, "final"), form)) == {("consent_data", "required")}
    answers["consent_data"] = "no"
    assert validate(interview(answers, "final"), form) == []


# --- consent gating ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "consent",
    [{}, {"consent_interview": "yes"}, {"consent_interview": "yes", "consent_data": "no"}],
)
def test_nothing_beyond_section_one_without_both_consents(
    form: Form, consent: dict[str, str]
) -> None:
    answers = {**consent, "alias": "A.", "interview_date": "2026-11-28", "risk_level": "low"}
    found = codes(validate(interview(answers), form))
    assert {("alias", "no-consent"), ("interview_date", "no-consent")} <= found
    assert ("risk_level", "no-consent") in found
    result = normalise(interview(answers), form)
    assert set(result.interview.answers) == set(consent)
    assert {(i.question, i.code) for i in result.removed} == {
        ("alias", "dropped-no-consent"),
        ("interview_date", "dropped-no-consent"),
        ("risk_level", "dropped-no-consent"),
    }


@pytest.mark.parametrize("referral", ["no", "undecided", "anonymous"])
def test_legal_name_only_with_consent_to_referral(form: Form, referral: str) -> None:
    answers = {**complete(), "consent_referral": referral, "legal_name": SECRET}
    found = validate(interview(answers), form)
    assert codes(found) == {("legal_name", "no-consent")}
    assert all(SECRET not in issue.translated() for issue in found)
    assert "legal_name" not in normalise(interview(answers), form).interview.answers


def test_legal_name_with_consent_to_referral_is_kept(form: Form) -> None:
    answers = {**complete(), "legal_name": SECRET}
    assert validate(interview(answers), form) == []
    assert normalise(interview(answers), form).interview.answers["legal_name"] == SECRET


def test_referral_actions_need_their_consents(form: Form) -> None:
    answers = {
        **complete(),
        "consent_referral": "anonymous",
        "referral_actions": ["anonymous_consultation", "assistance_phone", "police_report"],
        "assistance_decision": "pending",
    }
    assert codes(validate(interview(answers), form)) == {("referral_actions", "choice-not-allowed")}
    result = normalise(interview(answers), form)
    assert result.interview.answers["referral_actions"] == ["anonymous_consultation"]
    # Dropping "assistance_phone" makes the decision question no longer apply: it goes too.
    assert "assistance_decision" not in result.interview.answers
    assert [(i.question, i.code) for i in result.removed] == [
        ("referral_actions", "dropped-choice"),
        ("assistance_decision", "dropped-not-relevant"),
    ]
    answers.update(consent_referral="yes", consent_police="yes")
    assert validate(interview(answers), form) == []


# --- relevance ---------------------------------------------------------------------------


def test_answers_to_questions_that_do_not_apply(form: Form) -> None:
    answers = {
        **complete(),
        "interpreter_used": "no",
        "interpreter_mode": "phone",
        "interpreter_code": "I-3",
        "exploitation_where": "finland",
        "exploitation_countries": ["SE"],
        "exploitation_regions": ["lapland"],
    }
    found = codes(validate(interview(answers), form))
    assert found == {
        ("interpreter_mode", "not-relevant"),
        ("interpreter_code", "not-relevant"),
        ("exploitation_countries", "not-relevant"),
    }
    kept = normalise(interview(answers), form).interview.answers
    assert "interpreter_mode" not in kept and "exploitation_countries" not in kept
    assert kept["exploitation_regions"] == ["lapland"]


def test_relevance_inside_repeat_entries_and_choices_from(form: Form) -> None:
    answers = {
        **complete(),
        "exploitation_types": ["forced_labour", "forced_begging"],
        "exploitation_main": "sexual_exploitation",
    }
    assert codes(validate(interview(answers), form)) == {
        ("exploitation_main", "choice-not-allowed")
    }
    answers["exploitation_main"] = "forced_begging"
    assert validate(interview(answers), form) == []


def test_normalise_is_idempotent_and_leaves_nothing_to_drop(form: Form) -> None:
    answers = {
        "consent_interview": "yes",
        "consent_data": "yes",
        "consent_referral": "no",
        "legal_name": SECRET,
        "alias": "",
        "dialect": None,
        "recruiter": [],
        "ilo_dr_job": {"value": "yes", "note": {"text": "  ", "lang": "fi"}},
        "ilo_cd_debt": {"value": "no"},
        "needs": [{}, {"need": "legal_aid", "need_note": ""}],
        "debt_at_start": "no",
        "debt_amount": 300,
    }
    first = normalise(interview(answers), form)
    kept = first.interview.answers
    assert "alias" not in kept and "dialect" not in kept and "recruiter" not in kept
    assert kept["ilo_dr_job"] == "yes" and kept["ilo_cd_debt"] == "no"
    assert kept["needs"] == [{"need": "legal_aid"}]
    assert "debt_amount" not in kept and "legal_name" not in kept
    second = normalise(first.interview, form)
    assert second.removed == () and second.interview == first.interview
    dropping = {"not-relevant", "no-consent", "choice-not-allowed"}
    assert not [i for i in validate(first.interview, form) if i.code in dropping]


# --- types and constraints ---------------------------------------------------------------

TYPE_CASES: list[tuple[str, Any, str]] = [
    ("alias", 12, "wrong-type"),
    ("alias", "two\nlines", "line-break"),
    ("alias", "x" * 101, "too-long"),
    ("account", "plain text", "wrong-type"),
    ("account", {"text": "t", "lang": "xx-Nowhere"}, "bad-language-tag"),
    ("account", {"text": "t", "lang": "ar", "extra": 1}, "wrong-type"),
    ("account_translation", {"text": "t", "lang": "ar"}, "language-not-allowed"),
    ("children_in_finland", 2.5, "wrong-type"),
    ("children_in_finland", True, "wrong-type"),
    ("children_in_finland", -1, "too-small"),
    ("children_in_finland", 31, "too-large"),
    ("hours_per_day", 25, "too-large"),
    ("hours_per_day", "12", "wrong-type"),
    ("interview_date", "2026-02-30", "bad-date"),
    ("interview_date", "28.11.2026", "bad-date"),
    ("interview_date", "2026-11", "partial-date"),
    ("interview_date", "1999-12-31", "date-too-early"),
    ("date_of_birth", "1899", "date-too-early"),
    ("interview_setting", "beach", "not-a-choice"),
    ("interview_setting", ["street"], "wrong-type"),
    ("exploitation_types", ["forced_labour", "forced_labour"], "duplicate-choice"),
    ("exploitation_types", "forced_labour", "wrong-type"),
    ("exploitation_types", ["forced_labour", "slavery"], "not-a-choice"),
    ("nationality", "IQ", "wrong-type"),
    ("nationality", ["IQ", "Atlantis"], "not-a-choice"),
    ("mother_tongue", "klingon", "not-a-choice"),
    ("mother_tongue", ["ar"], "wrong-type"),
    ("immediate_danger", "maybe", "not-a-choice"),
    ("immediate_danger", {"value": "yes", "note": {"text": "n", "lang": "fi"}}, "wrong-type"),
    ("ilo_dr_job", {"value": "perhaps"}, "not-a-choice"),
    ("ilo_dr_job", {"value": "yes", "note": "plain"}, "wrong-type"),
    ("ilo_dr_job", {"value": "yes", "extra": 1}, "wrong-type"),
    ("other_languages", {"other_language": "en"}, "wrong-type"),
    ("other_languages", [{"other_language": "en"}] * 11, "too-many-items"),
    ("indicators_intro", "read", "not-answerable"),
    ("consent", "yes", "not-answerable"),
    ("favourite_food", "bread", "unknown-question"),
    ("need", "legal_aid", "unknown-question"),
]


@pytest.mark.parametrize(
    ("name", "value", "code"), TYPE_CASES, ids=[f"{c[0]}-{c[2]}" for c in TYPE_CASES]
)
def test_types_and_constraints(form: Form, name: str, value: Any, code: str) -> None:
    found = validate(interview({**complete(), name: value}), form)
    assert (name, code) in codes(found)
    assert all(issue.code in MESSAGES for issue in found)


GOOD_VALUES: list[tuple[str, Any]] = [
    ("date_of_birth", "1994"),
    ("date_of_birth", "1994-05"),
    ("date_of_birth", "1994-05-17"),
    ("nationality", ["IQ", "stateless"]),
    ("mother_tongue", "fa-AF"),
    ("hours_per_day", 12),
    ("hours_per_day", 12.5),
    ("ilo_dr_job", {"value": "yes", "note": {"text": "n", "lang": "so"}}),
    ("account_translation", {"text": "t", "lang": "sv"}),
    ("other_languages", [{"other_language": "en", "other_language_level": "fluent"}]),
    ("safe_phone", "+358 40 000 0000"),
]


@pytest.mark.parametrize(("name", "value"), GOOD_VALUES, ids=[g[0] for g in GOOD_VALUES])
def test_good_values_pass(form: Form, name: str, value: Any) -> None:
    assert validate(interview({**complete(), name: value}), form) == []


def test_issues_inside_repeats_name_the_entry(form: Form) -> None:
    answers = {
        **complete(),
        "needs": [{"need": "legal_aid"}, {"need": "money", "colour": "red"}],
    }
    found = validate(interview(answers), form)
    assert {(i.question, i.item, i.code) for i in found} == {
        ("need", 1, "not-a-choice"),
        ("colour", 1, "unknown-question"),
    }
    assert str(next(i for i in found if i.code == "not-a-choice")) == "need[1]: not-a-choice"


def test_messages_are_translatable_and_free_of_values(form: Form) -> None:
    answers = {**complete(), "alias": SECRET + "\n", "children_in_finland": 99}
    found = validate(interview(answers), form)
    too_large = next(i for i in found if i.code == "too-large")
    assert too_large.translated() == "The answer to “children_in_finland” must be at most 30."
    question = form.question("children_in_finland")
    assert question is not None
    assert too_large.translated(question.label("en")).startswith(
        "The answer to “Number of the person's children in Finland”"
    )
    set_language("fi")
    assert all(SECRET not in issue.translated() for issue in found)
    for issue in found:
        assert issue.severity == "error" and issue.message in {m for _, m in MESSAGES.values()}


def test_unknown_answers_from_another_version_are_kept_read_only(form: Form) -> None:
    older = interview({**complete(), "retired_question": "x"})
    older = Interview(**{**older.__dict__, "form_version": "2025.9"})
    found = validate(older, form)
    assert codes(found) == {("retired_question", "kept-read-only")}
    assert found[0].severity == "warning"
    assert normalise(older, form).interview.answers["retired_question"] == "x"


# --- progress ----------------------------------------------------------------------------


def test_visible_questions_follow_consent_and_relevance(form: Form) -> None:
    nothing = visible_questions(form, {})
    assert "consent_interview" in nothing and "alias" not in nothing
    assert "consent_referral" not in nothing and "consent_minor_own" not in nothing
    shown = visible_questions(form, {**CONSENTED, "consent_age": "age_15_17"})
    assert {"alias", "consent_minor_own", "consent_guardian_signed"} <= set(shown)
    assert "legal_name" in shown and "interpreter_mode" not in shown
    assert "legal_name" not in visible_questions(form, {**CONSENTED, "consent_referral": "no"})


def test_visible_in_repeat_entries(form: Form) -> None:
    answers = {**complete(), "needs": [{"need": "other"}, {}]}
    assert visible_in_entries(form, answers, "needs") == [
        ["need", "need_urgency", "need_note"],
        ["need", "need_urgency", "need_note"],
    ]


def test_section_progress(form: Form) -> None:
    before = {p.section: p for p in section_progress(form, {})}
    assert len(before) == 12
    assert (before["consent"].answered_required, before["consent"].required) == (0, 3)
    assert not before["person"].open and before["person"].required == 0
    after = {p.section: p for p in section_progress(form, complete())}
    assert all(p.complete and p.open for p in after.values())
    assert (after["consent"].answered_required, after["consent"].required) == (5, 5)
    assert (after["person"].answered_required, after["person"].required) == (4, 4)
    partial = {p.section: p for p in section_progress(form, {**complete(), "risk_level": ""})}
    assert not partial["safety"].complete and partial["safety"].answered_required == 1


def test_indicator_counts_count_and_nothing_more(form: Form) -> None:
    answers = {
        **complete(),
        "ilo_dr_job": {"value": "yes", "note": {"text": "n", "lang": "fi"}},
        "ilo_dr_wages": "yes",
        "ilo_dr_travel": "unknown",
        "ilo_cd_debt": "no",
    }
    counts = {c.group: c for c in indicator_counts(form, answers)}
    assert (counts["ind_deceptive"].yes, counts["ind_deceptive"].unknown) == (2, 1)
    assert counts["ind_deceptive"].unanswered == 7
    assert (counts["ind_coercion"].no, counts["ind_coercion"].items) == (1, 15)
    # Without consent, indicator answers are not counted at all.
    no_consent = {**answers, "consent_data": "no"}
    assert all(c.yes == 0 for c in indicator_counts(form, no_consent))


def test_a_repeat_without_consent_is_reported_and_dropped_once(form: Form) -> None:
    answers = {"needs": [{"need": "legal_aid"}, {"need": "nonsense"}]}
    assert codes(validate(interview(answers), form)) == {("needs", "no-consent")}
    result = normalise(interview(answers), form)
    assert "needs" not in result.interview.answers
    assert [(i.question, i.code) for i in result.removed] == [("needs", "dropped-no-consent")]


def test_normalise_leaves_unknown_answers_as_they_are(form: Form) -> None:
    odd = {"value": "yes", "note": ""}
    result = normalise(interview({**complete(), "from_a_newer_form": odd}), form)
    assert result.interview.answers["from_a_newer_form"] == odd


def test_offered_codes_follow_consent_and_choices_from(form: Form) -> None:
    from intake_app.domain import offered_codes
    from intake_app.domain.relevance import walk

    def offered(answers: dict[str, Any], name: str) -> frozenset[str] | None:
        step = next(s for s in walk(form, answers) if s.question.name == name)
        return offered_codes(form, step)

    anonymous = {**complete(), "consent_referral": "anonymous"}
    assert offered(anonymous, "referral_actions") == {"anonymous_consultation"}
    everything = {**complete(), "consent_police": "yes"}
    assert offered(everything, "referral_actions") == set(
        form.choice_lists["referral_action"].codes()
    )
    types = {**complete(), "exploitation_types": ["forced_begging", "other"]}
    assert offered(types, "exploitation_main") == {"forced_begging", "other"}
    assert offered(types, "interview_setting") is None  # nothing depends on earlier answers
