"""Interview work the UI asks for that involves the form: new, open, finish, withdraw. Qt-free.

Finishing normalises the answers (drops what no longer applies) and validates them with
`finalising=True`; the UI shows the issues instead of saving when there are errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from intake_app.domain.document import Interview, interview_from_dict, new_interview
from intake_app.domain.form import Form
from intake_app.domain.issues import Issue, errors
from intake_app.domain.registry import FormRegistry, OpenedInterview, RawInterview
from intake_app.domain.validation import normalise, validate


@dataclass(frozen=True)
class FinishResult:
    """Either the saved revision, or the errors that stop finishing (and nothing was saved)."""

    interview: Interview
    problems: tuple[Issue, ...]
    removed: tuple[Issue, ...]
    revision: Any = None

    @property
    def saved(self) -> bool:
        return self.revision is not None


class FormCatalogue:
    """The forms this application knows (loaded once, strictly)."""

    def __init__(self, registry: FormRegistry | None = None) -> None:
        self._given = registry

    @cached_property
    def registry(self) -> FormRegistry:
        return self._given if self._given is not None else FormRegistry.load()

    def current_form(self) -> Form:
        """The newest version of the main interview form (new interviews use it)."""
        forms = self.registry.forms()
        if not forms:
            raise LookupError("no interview form is installed")
        newest = self.registry.latest(forms[0].id)
        assert newest is not None
        return newest

    def new_interview(self) -> Interview:
        """An empty draft made with the current form."""
        form = self.current_form()
        return new_interview(form.id, form.version)

    def open(self, document: dict[str, Any]) -> OpenedInterview | RawInterview:
        """The interview with the form that opens it (or a raw read-only view)."""
        return self.registry.open(interview_from_dict(document))


def check_for_finishing(interview: Interview, form: Form) -> FinishResult:
    """Normalise and validate as final; `problems` holds the errors (empty: ready to save)."""
    normalised = normalise(interview.with_status("final"), form)
    issues = validate(normalised.interview, form, finalising=True)
    return FinishResult(normalised.interview, tuple(errors(issues)), normalised.removed)


def withdrawn(interview: Interview, when: dt.date, keep: tuple[str, ...]) -> Interview:
    """The interview after consent was withdrawn: status "withdrawn", only `keep` answers left.

    Further processing stops; the revision goes to the centre as a tombstone that says so.
    """
    answers = {name: value for name, value in interview.answers.items() if name in keep}
    now = dt.datetime.now(dt.UTC)
    return interview.with_answers(answers, now=now).with_status("withdrawn", now=now)
