"""Answers a new interview starts with, so that the worker does not type them every time: the
worker code and organisation from this laptop's enrolment (the worker code the worker gave, the
centre's name), and the interview's date (the day it was started, in the local calendar).

They are only offered for questions still empty, and only once their section is open (consent
first: nothing else may hold an answer before it). Qt-free.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from intake_app.domain.form import Form
from intake_app.errors import KnownError

if TYPE_CHECKING:
    from intake_app.storage import Vault

# The form's questions these fill (interview-form.md, section 2), with the type each must have.
INTERVIEW_DATE = "interview_date"
WORKER_CODE = "worker_code"
ORGANISATION = "organisation"


@dataclass(frozen=True)
class Enrolled:
    """What the enrolment says about who records: None where this laptop does not know."""

    worker: str | None = None
    organisation: str | None = None


def enrolled_in(vault: Vault) -> Enrolled:
    """On the vault thread: the worker code and the centre's name from the enrolment (nothing
    when not enrolled or when it cannot be read)."""
    from intake_app.sync.device.identity import device_status

    exists = vault.connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'device_identity'"
    ).fetchone()
    if not exists:
        return Enrolled()
    try:
        identity, profile, _fingerprint = device_status(vault)
    except KnownError:
        return Enrolled()
    return Enrolled(
        identity.worker if identity is not None else None,
        str(profile.name) if profile is not None else None,
    )


def default_answers(
    form: Form, who: Enrolled, started: dt.date, answers: Mapping[str, object]
) -> dict[str, str]:
    """The defaults for the questions of `form` that are still empty in `answers`."""
    wanted: dict[str, tuple[str, str | None]] = {
        INTERVIEW_DATE: ("date", started.isoformat()),
        WORKER_CODE: ("text", who.worker),
        ORGANISATION: ("text", who.organisation),
    }
    found: dict[str, str] = {}
    for name, (kind, value) in wanted.items():
        question = form.question(name)
        if question is None or question.type != kind or not value or answers.get(name):
            continue
        if form.repeat_of(name) is not None:
            continue
        if question.max_length is not None and len(value) > question.max_length:
            continue  # a name longer than the form allows is typed (or shortened) by hand
        found[name] = value
    return found
