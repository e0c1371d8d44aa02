"""The words of our XLSForm workbooks: sheets, columns, types and how a language is written.

A text column is `label::Finnish (fi)`: XLSForm's `<column>::<language>` with the language's
English name and its code in brackets, as ODK and Kobo write them. Our own keys, which XLSForm
has no column for, are columns whose name starts with `intake_` (docs/form-format.md).
"""

from __future__ import annotations

import re

from intake_app.domain.codelists import language_name

SURVEY = "survey"
CHOICES = "choices"
SETTINGS = "settings"
#: Sheets pyxform reads besides ours; a workbook that fills one is refused.
REFUSED_SHEETS = ("external_choices", "entities", "osm")

#: Lists whose choices come from CLDR at run time (`select_one language`, ...).
CLDR_LISTS = ("language", "country")
YES_NO_UNKNOWN = "yes_no_unknown"
#: `appearance` of a `text` question that makes it our `long_text`.
MULTILINE = "multiline"
#: `choice_filter` of a select whose choices are those picked in an earlier question.
PICKED_FILTER = re.compile(r"^\s*selected\(\s*\$\{([a-z][a-z0-9_]*)\}\s*,\s*name\s*\)\s*$")

#: Survey columns that hold one text per language.
SURVEY_TEXTS = ("label", "hint")
#: Our own survey columns and the form-format keys they hold, in the order they are written.
SURVEY_OWN = {
    "intake_consent": "consent",
    "intake_min": "min",
    "intake_max": "max",
    "intake_min_length": "min_length",
    "intake_max_length": "max_length",
    "intake_partial": "partial",
    "intake_languages": "languages",
    "intake_extra_choices": "extra_choices",
    "intake_note": "note",
    "intake_ilo_grade": "ilo_grade",
    "intake_indicator_group": "indicator_group",
    "intake_max_items": "max_items",
}
#: A note's own review state per language (`intake_translation_status::Finnish (fi)`).
NOTE_STATUS = "intake_translation_status"
#: Survey columns of XLSForm that we read.
SURVEY_STANDARD = ("type", "name", "required", "relevant", "appearance", "choice_filter")
#: pyxform's spellings of the same columns (its aliases), read the same way.
SURVEY_ALIASES = {"relevance": "relevant", "caption": "label"}

CHOICE_RELEVANT = "intake_relevant"
CHOICES_ALIASES = {"value": "name", "caption": "label"}

TITLE = "form_title"
SETTINGS_ALIASES = {"set_form_title": "form_title", "set_form_id": "form_id"}
DRAFT_NOTICE = "intake_draft_notice"
FORM_STATUS = "intake_translation_status"
GATE = "intake_consent_gate"
GATE_OPEN = "intake_consent_gate_open"
#: Each settings row with these columns filled is one source of the form's content.
SOURCE_COLUMNS = {
    "intake_source_id": "id",
    "intake_source_title": "title",
    "intake_source_url": "url",
    "intake_source_note": "note",
}
#: Set in a translator's workbook: the one language it is for.
TRANSLATION = "intake_translation"

YES = "yes"
TRUE_WORDS = frozenset({"yes", "Yes", "YES", "true", "True", "TRUE", "true()"})
FALSE_WORDS = frozenset({"no", "No", "NO", "false", "False", "FALSE", "false()"})

_LANGUAGE = re.compile(r"^(?:.*?\s*)\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\)\s*$")


def language_label(code: str) -> str:
    """`Finnish (fi)`: the language's English name and its code, as ODK writes languages."""
    return f"{language_name(code, 'en')} ({code})"


def text_column(key: str, code: str) -> str:
    """`label::Finnish (fi)`."""
    return f"{key}::{language_label(code)}"


def language_of(spelled: str) -> str | None:
    """The code in `Finnish (fi)`, or `fi` itself; None when it names no code."""
    spelled = spelled.strip()
    found = _LANGUAGE.match(spelled)
    if found:
        return found.group(1).replace("_", "-")
    if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", spelled):
        return spelled
    return None


def split_column(header: str) -> tuple[str, str | None]:
    """(`label`, `Finnish (fi)`) for `label::Finnish (fi)`; (`required`, None) for `required`."""
    if "::" in header:
        key, language = header.split("::", 1)
        return key.strip(), language.strip()
    return header.strip(), None
