"""What the store needs from an interview document: checks, index fields, searchable text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from intake_app.errors import InvalidDocument
from intake_app.i18n.core import N_
from intake_app.storage.chain import canonical_json

FORMAT = "intake-interview"
VERSION = 1
STATUSES = ("draft", "final", "withdrawn")
DELETED = "deleted"


@dataclass(frozen=True)
class Head:
    """The fields of a document that the interview table indexes."""

    id: str
    status: str
    alias: str | None
    form: str
    form_version: str
    created: str | None
    modified: str | None


def utc_now() -> str:
    """The current time as stored: ISO 8601, UTC, whole seconds, `Z`."""
    return format_time(datetime.now(UTC))


def format_time(moment: datetime) -> str:
    """`moment` in the stored spelling; naive datetimes are refused."""
    if moment.tzinfo is None:
        raise ValueError("a time without a time zone cannot be compared safely")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_id_of(document: object) -> str:
    """The document's UUID, checked; enough for a draft."""
    if not isinstance(document, dict):
        raise InvalidDocument(problem=N_("it is not a JSON object"))
    value = document.get("id")
    if not isinstance(value, str) or not _is_uuid(value):
        raise InvalidDocument(problem=N_("its id is not a UUID"))
    return value


def check_revision(document: object) -> Head:
    """Check a document about to become a revision and return its indexed fields."""
    record_id = record_id_of(document)
    assert isinstance(document, dict)
    if document.get("format") != FORMAT:
        raise InvalidDocument(problem=N_("it is not an interview document"))
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        raise InvalidDocument(problem=N_("its format version is not supported"))
    status = document.get("status")
    if status not in STATUSES:
        raise InvalidDocument(problem=N_("its status is not known"))
    answers = document.get("answers")
    if not isinstance(answers, dict):
        raise InvalidDocument(problem=N_("its answers are not a JSON object"))
    form, form_version = document.get("form"), document.get("form_version")
    if not isinstance(form, str) or not isinstance(form_version, str):
        raise InvalidDocument(problem=N_("it does not name its form"))
    alias = answers.get("alias")
    return Head(
        id=record_id,
        status=status,
        alias=alias if isinstance(alias, str) else None,
        form=form,
        form_version=form_version,
        created=_optional_time(document.get("created")),
        modified=_optional_time(document.get("modified")),
    )


def to_canonical(document: dict[str, Any]) -> str:
    """Canonical JSON of a document, refusing what JSON or UTF-8 cannot carry."""
    try:
        text = canonical_json(document)
        text.encode("utf-8")
    except (TypeError, ValueError):
        # ValueError covers NaN/Infinity, circular references and lone surrogates.
        raise InvalidDocument(problem=N_("it cannot be written as JSON")) from None
    return text


def searchable_texts(answers: dict[str, Any]) -> str:
    """Every language-tagged free text `{"text", "lang"}` anywhere in the answers, one per line."""
    found: list[str] = []
    stack: list[Any] = [answers]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            text = value.get("text")
            if isinstance(text, str) and isinstance(value.get("lang"), str):
                found.append(text)
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return "\n".join(found)


def _optional_time(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return format_time(datetime.fromisoformat(value))
        except ValueError:
            pass
    raise InvalidDocument(problem=N_("a date is not an ISO 8601 time with a time zone"))


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False
