"""The rest of check 6: each record matches its manifest entry and is valid for its form,
and no record named in the bundle belongs to another device."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from intake_app.sync.errors import BundleRefused, Reason
from intake_app.sync.format.manifest import Manifest, RecordEntry
from intake_app.sync.format.strict_json import FormatProblem, loads_object
from intake_app.sync.format.verified_payload import PayloadRecord

_DOCUMENT_FIELDS = frozenset(
    {"id", "revision", "form", "form_version", "created", "modified", "status", "answers"}
)


class FormCheck(StrEnum):
    """What the domain layer says about a record document."""

    VALID = "valid"
    UNKNOWN_FORM = "unknown-form"
    INVALID = "invalid"


RecordValidator = Callable[[Mapping[str, Any]], FormCheck]
"""Validate a record document against its form definition (supplied by the domain layer)."""

RecordOwner = Callable[[str], str | None]
"""The device id that a record id already belongs to at the centre, or None if unknown."""


def no_owner(record_id: str) -> str | None:
    """A `RecordOwner` for a centre that holds no records yet."""
    return None


def check_record(entry: RecordEntry, data: bytes, validate: RecordValidator) -> PayloadRecord:
    try:
        document = loads_object(data)
    except FormatProblem:
        raise BundleRefused(Reason.INVALID_RECORD, "record is not a JSON object") from None
    identity = (document.get("id"), document.get("revision"), document.get("form"),
                document.get("form_version"))
    complete = set(document) >= _DOCUMENT_FIELDS and type(document["revision"]) is int
    if not complete or identity != (entry.id, entry.revision, entry.form, entry.form_version):
        raise BundleRefused(Reason.INVALID_RECORD, "record does not match its manifest entry")
    verdict = validate(document)
    if verdict is FormCheck.UNKNOWN_FORM:
        raise BundleRefused(Reason.UNKNOWN_FORM)
    if verdict is not FormCheck.VALID:
        raise BundleRefused(Reason.INVALID_RECORD)
    return PayloadRecord(entry, data, document)


def check_records(manifest: Manifest, record_bytes: dict[str, bytes], device_id: str,
                   validate_record: RecordValidator, record_owner: RecordOwner
                   ) -> tuple[PayloadRecord, ...]:
    """The rest of check 6: records valid for their forms, none foreign."""
    records = tuple(check_record(entry, record_bytes[entry.path], validate_record)
                    for entry in manifest.records)
    ids = {entry.id for entry in manifest.records}
    ids.update(entry.record_id for entry in manifest.attachments)
    ids.update(entry.id for entry in manifest.deleted)
    for record_id in sorted(ids):
        owner = record_owner(record_id)
        if owner is not None and owner != device_id:
            raise BundleRefused(Reason.FOREIGN_RECORD)
    return records
