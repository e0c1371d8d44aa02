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
from intake_app.services.form_versions import (
    FormVersions,
    VaultForms,
    combined_registry,
    list_versions,
    main_form_id,
    start_form,
    states,
)


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
    """The forms this application knows: those it ships (loaded once, strictly) and, while a
    vault is open, the versions the laptop picked up from the centre (`use_vault_forms`)."""

    def __init__(self, registry: FormRegistry | None = None) -> None:
        self._given = registry
        # Replaced whole (one assignment), so a reader on another thread sees one or the other.
        self._with_vault: tuple[FormRegistry, VaultForms] | None = None

    @cached_property
    def shipped(self) -> FormRegistry:
        """The forms built into the application."""
        return self._given if self._given is not None else FormRegistry.load()

    @property
    def registry(self) -> FormRegistry:
        """Every version known: shipped, and received when a vault is open."""
        found = self._with_vault
        return self.shipped if found is None else found[0]

    def use_vault_forms(self, found: VaultForms | None) -> None:
        """Know the vault's versions too (None: the vault was locked, forget them)."""
        if found is None:
            self._with_vault = None
            return
        self._with_vault = (combined_registry(self.shipped, found.forms), found)

    def versions(self, found: VaultForms | None = None) -> FormVersions:
        """Every version known, its state and source (with `found`: as read just now)."""
        if found is None:
            found = VaultForms() if self._with_vault is None else self._with_vault[1]
        return list_versions(self.shipped, found)

    def current_form(self) -> Form:
        """The form new interviews use: the highest current version of the main form."""
        found = self._with_vault
        registry = self.registry if found is None else found[0]
        form_id = main_form_id(self.shipped, registry)
        held = () if found is None else found[1].held
        form = None if form_id is None else start_form(registry, form_id,
                                                       states(self.shipped, held))
        if form is None:
            raise LookupError("no interview form is installed")
        return form

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


def reopened(interview: Interview) -> Interview:
    """A finished interview opened for changes: the same answers as a draft. Saved as its next
    revision, so its history says when it was reopened; finishing it again saves another."""
    return interview.with_status("draft", now=dt.datetime.now(dt.UTC))
