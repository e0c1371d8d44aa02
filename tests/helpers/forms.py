"""A small interview form for the editor tests: consent gate, relevance, every input type."""

from __future__ import annotations

import json

from intake_app.domain.form_loader import load_form_text
from intake_app.domain.registry import FormRegistry
from intake_app.services.interviews import FormCatalogue

YES_NO = [{"name": "yes", "label::en": "Yes"}, {"name": "no", "label::en": "No"}]

FORM = {
    "format": "intake-form",
    "format_version": 1,
    "id": "intake-test",
    "version": "1.0",
    "languages": ["en", "fi"],
    "default_language": "en",
    "translation_status": {"en": "source", "fi": "draft"},
    "title::en": "Test interview",
    "consent_gate": {
        "condition": "${consent_interview} = 'yes' and ${consent_data} = 'yes'",
        "open": ["consent"],
    },
    "choices": {
        "yes_no": YES_NO,
        "yes_no_unknown": [
            {"name": "yes", "label::en": "Yes"},
            {"name": "no", "label::en": "No"},
            {"name": "unknown", "label::en": "Unknown"},
        ],
        "setting": [
            {"name": "street", "label::en": "Street", "label::fi": "Katu"},
            {"name": "workplace", "label::en": "Workplace"},
            {"name": "other", "label::en": "Other"},
        ],
        "needs": [
            {"name": "housing", "label::en": "Safe housing"},
            {"name": "medical", "label::en": "Medical care"},
            {"name": "legal", "label::en": "Legal aid"},
        ],
        "level": [
            {"name": "basic", "label::en": "Basic"},
            {"name": "fluent", "label::en": "Fluent"},
        ],
        "extra_countries": [
            {"name": "stateless", "label::en": "Stateless"},
            {"name": "unknown", "label::en": "Unknown"},
        ],
    },
    "questions": [
        {
            "type": "group",
            "name": "consent",
            "label::en": "Consent",
            "label::fi": "Suostumus",
            "children": [
                {
                    "type": "select_one",
                    "name": "consent_interview",
                    "required": True,
                    "choices": "yes_no",
                    "label::en": "Consent to the interview",
                    "label::fi": "Suostumus haastatteluun",
                },
                {
                    "type": "select_one",
                    "name": "consent_data",
                    "required": True,
                    "choices": "yes_no",
                    "label::en": "Consent to data processing",
                },
                {"type": "date", "name": "consent_withdrawn_date", "label::en": "Withdrawn on"},
            ],
        },
        {
            "type": "group",
            "name": "person",
            "label::en": "Person",
            "children": [
                {
                    "type": "text",
                    "name": "alias",
                    "required": True,
                    "label::en": "Alias",
                    "hint::en": "Not the legal name",
                },
                {
                    "type": "date",
                    "name": "birth_date",
                    "partial": True,
                    "label::en": "Date of birth",
                },
                {
                    "type": "country",
                    "name": "nationality",
                    "multiple": True,
                    "extra_choices": "extra_countries",
                    "label::en": "Nationality",
                },
                {
                    "type": "integer",
                    "name": "children_count",
                    "min": 0,
                    "max": 30,
                    "label::en": "Children in Finland",
                },
                {
                    "type": "select_one",
                    "name": "setting",
                    "choices": "setting",
                    "label::en": "Setting",
                },
                {
                    "type": "text",
                    "name": "setting_other",
                    "required": True,
                    "relevant": "${setting} = 'other'",
                    "label::en": "Other setting",
                },
            ],
        },
        {
            "type": "group",
            "name": "languages_section",
            "label::en": "Languages",
            "children": [
                {
                    "type": "language",
                    "name": "interview_language",
                    "required": True,
                    "label::en": "Interview language",
                },
                {
                    "type": "repeat",
                    "name": "other_languages",
                    "label::en": "Other languages",
                    "children": [
                        {"type": "language", "name": "other_language", "label::en": "Language"},
                        {
                            "type": "select_one",
                            "name": "other_level",
                            "choices": "level",
                            "label::en": "Level",
                        },
                    ],
                },
            ],
        },
        {
            "type": "group",
            "name": "account_section",
            "label::en": "Account",
            "children": [
                {
                    "type": "long_text",
                    "name": "account",
                    "required": True,
                    "label::en": "The person's own account",
                },
                {
                    "type": "select_multiple",
                    "name": "needs",
                    "choices": "needs",
                    "label::en": "Needs",
                },
                {
                    "type": "yes_no_unknown",
                    "name": "documents_held",
                    "note": True,
                    "label::en": "Documents held by someone else",
                },
                {"type": "note", "name": "closing_note", "label::en": "Thank the person."},
            ],
        },
    ],
}


def make_catalogue() -> FormCatalogue:
    """A catalogue holding only the test form."""
    form = load_form_text(json.dumps(FORM), "ui-test-form.json")
    return FormCatalogue(FormRegistry([form]))
