"""The triage list's answers in words (issue 17): through the centre's answer renderer, with
each interview's own form, in the language asked for; codes no form knows shown as they are."""

from __future__ import annotations

from typing import Any

from intake_app.services.centre_triage import TriageTexts
from intake_app.sync.centre.records import ImportedInterview
from intake_app.sync.centre.triage import TriageRow
from tests.unit.sync.centre.real_form import installed_forms


def row(answers: dict[str, Any], form: str = "intake-fi", version: str = "2026.1") -> TriageRow:
    interview = ImportedInterview(
        "r1", "d1", 1, "final", "A.", form, version, None, None, False, "2026-12-07T10:00:00Z"
    )
    return TriageRow(interview, "Laptop 7", "W-12", "new", answers)


def test_answers_are_said_with_the_forms_labels_in_the_language_asked() -> None:
    texts = TriageTexts(installed_forms())
    item = row(
        {
            "risk_level": "high",
            "immediate_danger": "unknown",
            "consent_referral": "no",
            "interview_date": "2026-12-07",
            "needs": [
                {"need": "safe_housing", "need_urgency": "now"},
                {"need": "legal_aid", "need_urgency": "later"},
                {"need": "medical_care", "need_urgency": "now"},
            ],
        }
    )
    assert texts.answer(item, "risk_level", "en") == "High"
    assert texts.answer(item, "risk_level", "fi") == "Korkea"
    assert texts.answer(item, "immediate_danger", "en") == "Unknown"
    assert texts.answer(item, "interview_date", "fi") == "7.12.2026"
    assert texts.urgent_needs(item, "en") == "Safe housing; Medical care"
    assert texts.answer(item, "consent_referral", "en") == "No"
    assert texts.answer(item, "nationality", "en") == ""
    assert item.risk_rank == 3 and item.priority == (0, 3, 2)


def test_a_newer_form_version_reads_an_older_stored_version_and_unknown_forms_show_codes() -> None:
    texts = TriageTexts(installed_forms())
    assert texts.answer(row({"risk_level": "low"}, version="2025.9"), "risk_level", "en") == "Low"
    assert texts.answer(row({"risk_level": "low"}, version="x.y"), "risk_level", "en") == "Low"
    assert texts.answer(row({"risk_level": "low"}, form="other"), "risk_level", "en") == "low"
    newer = row({"risk_level": "low"}, version="2026.3")
    assert texts.answer(newer, "risk_level", "en") == "low"  # no form reads a newer version
