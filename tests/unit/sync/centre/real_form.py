"""A whole interview on the installed form intake-fi 2026.1 (fictional, as the demo makes it),
with repeat groups, an indicator note and an account of several paragraphs."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from intake_app.domain.document import interview_from_dict
from intake_app.domain.issues import errors
from intake_app.domain.registry import FormRegistry
from intake_app.domain.validation import validate
from intake_app.services.demo import fictional_interview

ACCOUNT = "First paragraph of the account.\n\nSecond paragraph, after a blank line."


@cache
def installed_forms() -> FormRegistry:
    return FormRegistry.load()


def full_document(n: int = 1, alias: str = "Fictional Amina") -> dict[str, Any]:
    """A valid document with every kind of answer the administrator must see in words."""
    form = installed_forms().get("intake-fi", "2026.1")
    assert form is not None
    document = fictional_interview(form, n, dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC)).to_dict()
    document["revision"] = 1
    document["status"] = "final"
    answers = document["answers"]
    answers["alias"] = alias
    answers["interview_date"] = "2026-12-07"
    answers["date_of_birth"] = "1994-05"
    answers["other_languages"] = [
        {"other_language": "en", "other_language_level": "fluent"},
        {"other_language": "ru", "other_language_level": "basic"},
    ]
    answers["needs"] = [{"need": "safe_housing", "need_urgency": "now"},
                        {"need": "legal_aid", "need_urgency": "this_week",
                         "need_note": "Court date soon"}]
    answers["ilo_cr_violence"] = {"value": "yes",
                                  "note": {"text": "Hit by the foreman", "lang": "en"}}
    answers["account"] = {"text": ACCOUNT, "lang": "en"}
    for _round in range(5):  # the demo's random answers may break a rule: leave those out
        problems = errors(validate(interview_from_dict(document), form))
        if not problems:
            return document
        for issue in problems:
            answers.pop(issue.question, None)
    raise AssertionError("no valid fictional document")
