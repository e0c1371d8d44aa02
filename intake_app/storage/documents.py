"""What the store needs from an interview document: checks, indexed fields, canonical JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from intake_app.domain.utc_time import UTC_TIME_RE, format_utc
from intake_app.domain.utc_time import utc_now as utc_now
from intake_app.errors import InvalidDocument
from intake_app.i18n.core import N_
from intake_app.storage.chain import canonical_json
from intake_app.storage.search_text import (
    searchable_texts as searchable_texts,  # re-exported: the sync layer imports it from here
)

FORMAT = "intake-interview"
VERSION = 1
STATUSES = ("draft", "final", "withdrawn")
DELETED = "deleted"
#: The stored spelling of a time (`domain.utc_time`); naive datetimes are refused.
format_time = format_utc


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


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def record_id_of(document: object) -> str:
    """The document's UUID, checked; enough for a draft."""
    if not isinstance(document, dict):
        raise InvalidDocument(problem=N_("it is not a JSON object"))
    value = document.get("id")
    # The canonical lower-case spelling only, so one record never has two ids.
    if not isinstance(value, str) or not _UUID.fullmatch(value):
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


def to_canonical(document: dict[str, Any]) -> tuple[str, bytes]:
    """Canonical JSON of a document and its UTF-8 bytes, refusing what JSON cannot carry."""
    try:
        text = canonical_json(document)
        return text, text.encode("utf-8")
    except (TypeError, ValueError):
        # ValueError covers NaN/Infinity, circular references and lone surrogates.
        raise InvalidDocument(problem=N_("it cannot be written as JSON")) from None


def _optional_time(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            # Already in the stored spelling: keep it (formatting costs more than parsing).
            return value if UTC_TIME_RE.fullmatch(value) else format_time(moment)
    raise InvalidDocument(problem=N_("a date is not an ISO 8601 time with a time zone"))
