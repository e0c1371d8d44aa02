"""The importer's record check: does a record document fit a form this centre knows?

A record opens with its own form version or, failing that, the newest newer version of the same
form (the domain registry's rule); with neither, or when the document's own format is newer
than this application knows, it is `unknown-form`. A document that is not an
interview document, or whose answers have errors against that form, is `invalid-record`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from intake_app.domain.document import interview_from_dict
from intake_app.domain.errors import DocumentTooNew, NotADocument
from intake_app.domain.issues import errors
from intake_app.domain.registry import FormRegistry
from intake_app.domain.validation import validate
from intake_app.sync.format.payload_reader import FormCheck, RecordValidator

RecordValidatorFactory = Callable[[], RecordValidator]


def registry_validator(registry: FormRegistry) -> RecordValidator:
    """A record validator over the forms of `registry`."""

    def validate_record(document: Mapping[str, Any]) -> FormCheck:
        try:
            interview = interview_from_dict(dict(document))
        except DocumentTooNew:
            return FormCheck.UNKNOWN_FORM  # a newer Intake wrote it: update the centre
        except NotADocument:
            return FormCheck.INVALID
        form = registry.form_for(interview)
        if form is None:
            return FormCheck.UNKNOWN_FORM
        return FormCheck.INVALID if errors(validate(interview, form)) else FormCheck.VALID

    return validate_record


def form_validator() -> RecordValidator:
    """A record validator over the forms installed with the application."""
    return registry_validator(FormRegistry.load())
