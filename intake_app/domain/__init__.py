"""The domain layer: form definitions, code lists, interview documents, validation.

Pure Python: imports nothing from Qt, SQLCipher or the network.
"""

from intake_app.domain.codelists import (
    RIGHT_TO_LEFT,
    UI_LANGUAGES,
    country_choices,
    country_codes,
    country_name,
    language_choices,
    language_codes,
    language_name,
)
from intake_app.domain.completeness import LanguageCompleteness, format_report, translation_report
from intake_app.domain.document import (
    DOCUMENT_FORMAT,
    DOCUMENT_VERSION,
    STATUSES,
    Interview,
    Status,
    interview_from_dict,
    new_interview,
    parse_document,
)
from intake_app.domain.errors import (
    DocumentTooNew,
    FormInvalid,
    FormProblem,
    InterviewNotValid,
    NotADocument,
)
from intake_app.domain.form import Choice, ChoiceList, ConsentGate, Form, Question, Source
from intake_app.domain.form_loader import form_from_data, load_form, load_form_text
from intake_app.domain.issues import Issue, errors
from intake_app.domain.progress import (
    IndicatorCount,
    SectionProgress,
    indicator_counts,
    section_progress,
    visible_in_entries,
    visible_questions,
)
from intake_app.domain.registry import FormRegistry, OpenedInterview, RawInterview
from intake_app.domain.resources import forms_dir, resources_dir
from intake_app.domain.retention import RETENTION_DAYS, retention_date, retention_due
from intake_app.domain.validation import (
    Normalised,
    normalise,
    offered_codes,
    require_valid,
    validate,
)

__all__ = [
    "DOCUMENT_FORMAT",
    "DOCUMENT_VERSION",
    "RETENTION_DAYS",
    "RIGHT_TO_LEFT",
    "STATUSES",
    "UI_LANGUAGES",
    "Choice",
    "ChoiceList",
    "ConsentGate",
    "DocumentTooNew",
    "Form",
    "FormInvalid",
    "FormProblem",
    "FormRegistry",
    "IndicatorCount",
    "Interview",
    "InterviewNotValid",
    "Issue",
    "LanguageCompleteness",
    "Normalised",
    "NotADocument",
    "OpenedInterview",
    "Question",
    "RawInterview",
    "SectionProgress",
    "Source",
    "Status",
    "country_choices",
    "country_codes",
    "country_name",
    "errors",
    "form_from_data",
    "format_report",
    "forms_dir",
    "indicator_counts",
    "interview_from_dict",
    "language_choices",
    "language_codes",
    "language_name",
    "load_form",
    "load_form_text",
    "new_interview",
    "normalise",
    "offered_codes",
    "parse_document",
    "require_valid",
    "resources_dir",
    "retention_date",
    "retention_due",
    "section_progress",
    "translation_report",
    "validate",
    "visible_in_entries",
    "visible_questions",
]
