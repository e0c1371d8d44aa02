"""Interview documents: the JSON envelope of docs/document-format.md, parsed and written.

This module checks the envelope only (is this an interview document at all?). Whether the
answers fit the form is `validation`'s job, which reports issues instead of raising.
"""

from __future__ import annotations

import copy
import json
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final, Literal

from intake_app.domain.errors import DocumentTooNew, NotADocument
from intake_app.domain.json_text import DuplicateKey, loads_strict
from intake_app.domain.utc_time import format_utc, parse_utc
from intake_app.i18n.core import N_

DOCUMENT_FORMAT: Final = "intake-interview"
DOCUMENT_VERSION: Final = 1
MAX_DOCUMENT_BYTES: Final = 8 * 1024 * 1024
#: answers -> repeat -> entry -> tagged text is 4 levels; anything far deeper is not an answer.
MAX_ANSWER_DEPTH: Final = 12
Status = Literal["draft", "final", "withdrawn", "deleted"]
#: "deleted" is the store's tombstone (answers removed); people set the other three.
STATUSES: Final[tuple[Status, ...]] = ("draft", "final", "withdrawn", "deleted")
_FIELDS: Final = (
    "format",
    "version",
    "id",
    "revision",
    "form",
    "form_version",
    "created",
    "modified",
    "status",
    "answers",
)
_FORM_ID = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
_VERSION = re.compile(r"^\d{1,6}(\.\d{1,6}){0,3}$")
_SAFE_KEY = re.compile(r"^[a-z_]{1,40}$")


def parse_time(text: str) -> datetime | None:
    """The stored time format back to an aware datetime, or None when it does not match."""
    try:
        return parse_utc(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Interview:
    """One interview document. `answers` maps question names to answers (codes, not labels)."""

    id: str
    revision: int
    form: str
    form_version: str
    created: datetime
    modified: datetime
    status: Status
    answers: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of docs/document-format.md (a deep copy; safe to change)."""
        return {
            "format": DOCUMENT_FORMAT,
            "version": DOCUMENT_VERSION,
            "id": self.id,
            "revision": self.revision,
            "form": self.form,
            "form_version": self.form_version,
            "created": format_utc(self.created),
            "modified": format_utc(self.modified),
            "status": self.status,
            "answers": copy.deepcopy(dict(self.answers)),
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """The document as JSON text (UTF-8 characters kept, keys sorted)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=indent)

    def with_answers(self, answers: Mapping[str, Any], *, now: datetime | None = None) -> Interview:
        """A copy with new answers; `modified` moves to `now` when given."""
        modified = self.modified if now is None else now.astimezone(UTC).replace(microsecond=0)
        return replace(self, answers=copy.deepcopy(dict(answers)), modified=modified)

    def with_status(self, status: Status, *, now: datetime | None = None) -> Interview:
        """A copy with another status; `modified` moves to `now` when given."""
        modified = self.modified if now is None else now.astimezone(UTC).replace(microsecond=0)
        return replace(self, status=status, modified=modified)


def new_interview(
    form_id: str, form_version: str, *, now: datetime | None = None, record_id: str | None = None
) -> Interview:
    """A new, empty draft made with the given form version."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return Interview(
        id=record_id or str(uuid.uuid4()),
        revision=0,
        form=form_id,
        form_version=form_version,
        created=moment,
        modified=moment,
        status="draft",
        answers={},
    )


def _field_name(key: object) -> str:
    # A key from outside could be anything, even personal data; only name plain field names.
    return key if isinstance(key, str) and _SAFE_KEY.match(key) else "(unnamed)"


def interview_from_dict(data: object) -> Interview:
    """Check the envelope of a parsed document; raises NotADocument or DocumentTooNew."""
    if not isinstance(data, dict):
        raise NotADocument(N_("the top level must be a JSON object"))
    if data.get("format") != DOCUMENT_FORMAT:
        raise NotADocument(N_("the field “format” must be “intake-interview”"))
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > DOCUMENT_VERSION:
        raise DocumentTooNew(version=version)
    if version != DOCUMENT_VERSION or isinstance(version, bool):
        raise NotADocument(N_("the field “version” must be 1"))
    for key in data:
        if key not in _FIELDS:
            raise NotADocument(N_("unexpected field “{field}”"), field=_field_name(key))
    for key in _FIELDS:
        if key not in data:
            raise NotADocument(N_("the field “{field}” is missing"), field=key)
    return Interview(
        id=_record_id(data["id"]),
        revision=_revision(data["revision"]),
        form=_matching(data["form"], _FORM_ID, "form"),
        form_version=_matching(data["form_version"], _VERSION, "form_version"),
        created=_time(data["created"], "created"),
        modified=_time(data["modified"], "modified"),
        status=_status(data["status"]),
        answers=_answers(data["answers"]),
    )


def _record_id(value: object) -> str:
    try:
        if isinstance(value, str) and str(uuid.UUID(value)) == value:
            return value
    except ValueError:
        pass
    raise NotADocument(N_("the field “id” must be a UUID in lower-case hex with hyphens"))


def _revision(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53:
        return value
    raise NotADocument(N_("the field “revision” must be a whole number of 0 or more"))


def _matching(value: object, pattern: re.Pattern[str], field: str) -> str:
    if isinstance(value, str) and pattern.match(value):
        return value
    raise NotADocument(N_("the field “{field}” is not a valid form id or version"), field=field)


def _time(value: object, field: str) -> datetime:
    moment = parse_time(value) if isinstance(value, str) else None
    if moment is None:
        raise NotADocument(
            N_("the field “{field}” must be a UTC time like 2026-11-28T16:02:11Z"), field=field
        )
    return moment


def _status(value: object) -> Status:
    for status in STATUSES:
        if value == status:
            return status
    raise NotADocument(N_("the field “status” must be draft, final or withdrawn"))


def _answers(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise NotADocument(N_("the field “answers” must be an object"))
    _check_values(value)
    return copy.deepcopy(value)


def _check_values(answers: dict[str, Any]) -> None:
    """Reject what no answer can hold: deep nesting, non-JSON values, unpaired surrogates."""
    stack: list[tuple[object, int]] = [(answers, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_ANSWER_DEPTH:
            raise NotADocument(N_("the answers are nested too deeply"))
        if isinstance(value, dict):
            for key, inner in value.items():
                if not isinstance(key, str):
                    raise NotADocument(N_("an answer key is not text"))
                _check_text(key)
                stack.append((inner, depth + 1))
        elif isinstance(value, list):
            stack.extend((inner, depth + 1) for inner in value)
        elif isinstance(value, str):
            _check_text(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise NotADocument(N_("NaN and Infinity are not allowed"))
        elif value is not None and not isinstance(value, bool | int):
            raise NotADocument(N_("an answer holds a value that JSON cannot carry"))


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise NotADocument(N_("a text holds an invalid character")) from None


def parse_document(raw: bytes | str) -> Interview:
    """Parse an interview document from JSON text; raises NotADocument with a clear reason.

    Rejects what JSON allows but a document must not hold: repeated keys, NaN and Infinity.
    """
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise NotADocument(
            N_("the file is larger than {limit} MiB"), limit=MAX_DOCUMENT_BYTES // 2**20
        )
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise NotADocument(N_("the file is not UTF-8 text")) from None
    try:
        data = loads_strict(raw)
    except DuplicateKey:
        raise NotADocument(N_("a key appears twice in the same object")) from None
    except json.JSONDecodeError as exc:
        raise NotADocument(
            N_("not valid JSON at line {line}, column {column}"), line=exc.lineno, column=exc.colno
        ) from None
    except ValueError:  # NotFiniteNumber, as before also any other ValueError of json
        raise NotADocument(N_("NaN and Infinity are not allowed")) from None
    except RecursionError:
        raise NotADocument(N_("the JSON is nested too deeply")) from None
    return interview_from_dict(data)
