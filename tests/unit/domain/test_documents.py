"""Interview documents: parsing with clear errors, the JSON round trip, retention."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from intake_app.domain import (
    RETENTION_DAYS,
    DocumentTooNew,
    FormRegistry,
    Interview,
    NotADocument,
    new_interview,
    normalise,
    parse_document,
    retention_date,
    retention_due,
    validate,
)
from intake_app.errors import KnownError

ROOT = Path(__file__).resolve().parents[3]
SECRET = "Maryam Example"  # stands for personal data that must never reach a message


def doc(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "intake-interview",
        "version": 1,
        "id": "5f0c2b4e-8a51-4d8e-9d6c-2f1f7f3b9a10",
        "revision": 0,
        "form": "intake-fi",
        "form_version": "2026.1",
        "created": "2026-11-28T16:02:11Z",
        "modified": "2026-11-28T16:05:00Z",
        "status": "draft",
        "answers": {"alias": "A.", "account": {"text": "…", "lang": "ar"}},
    }
    data.update(changes)
    return data


def test_parse_document_reads_the_envelope() -> None:
    interview = parse_document(json.dumps(doc()).encode("utf-8"))
    assert interview.id == "5f0c2b4e-8a51-4d8e-9d6c-2f1f7f3b9a10"
    assert interview.created == datetime(2026, 11, 28, 16, 2, 11, tzinfo=UTC)
    assert interview.status == "draft"
    assert interview.answers["account"] == {"text": "…", "lang": "ar"}


def test_json_round_trip_is_exact() -> None:
    original = doc(answers={"alias": "Ä", "needs": [{"need": "legal_aid"}], "hours_per_day": 12.5})
    interview = parse_document(json.dumps(original))
    assert interview.to_dict() == original
    assert parse_document(interview.to_json()) == interview
    assert parse_document(interview.to_json(indent=2)) == interview
    assert "Ä" in interview.to_json()  # UTF-8 kept, not \u-escaped


def test_to_dict_is_a_copy() -> None:
    interview = parse_document(json.dumps(doc()))
    copied = interview.to_dict()
    copied["answers"]["alias"] = "changed"
    assert interview.answers["alias"] == "A."


def test_new_interview_is_an_empty_draft() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    interview = new_interview("intake-fi", "2026.1", now=moment)
    assert interview.status == "draft" and interview.revision == 0 and not interview.answers
    assert interview.created == interview.modified == moment.replace(microsecond=0)
    assert parse_document(interview.to_json()) == interview
    later = interview.with_answers({"alias": "B."}, now=datetime(2026, 1, 3, tzinfo=UTC))
    assert later.modified.day == 3 and later.created == interview.created


BAD: list[tuple[str, bytes, str]] = [
    ("not json", b"hello", "not valid JSON at line 1, column 1"),
    ("not utf-8", b"\xff\xfe{}", "the file is not UTF-8 text"),
    ("a list", b"[]", "the top level must be a JSON object"),
    (
        "wrong format",
        json.dumps(doc(format="other")).encode(),
        "the field “format” must be “intake-interview”",
    ),
    ("version 0", json.dumps(doc(version=0)).encode(), "the field “version” must be 1"),
    ("version true", json.dumps(doc(version=True)).encode(), "the field “version” must be 1"),
    ("extra field", json.dumps(doc(owner="x")).encode(), "unexpected field “owner”"),
    ("odd extra field", json.dumps(doc(**{SECRET: 1})).encode(), "unexpected field “(unnamed)”"),
    (
        "bad id",
        json.dumps(doc(id="123")).encode(),
        "the field “id” must be a UUID in lower-case hex with hyphens",
    ),
    (
        "upper-case id",
        json.dumps(doc(id="5F0C2B4E-8A51-4D8E-9D6C-2F1F7F3B9A10")).encode(),
        "the field “id” must be a UUID in lower-case hex with hyphens",
    ),
    (
        "negative revision",
        json.dumps(doc(revision=-1)).encode(),
        "the field “revision” must be a whole number of 0 or more",
    ),
    (
        "bad form",
        json.dumps(doc(form="Intake FI")).encode(),
        "the field “form” is not a valid form id or version",
    ),
    (
        "bad time",
        json.dumps(doc(created="2026-11-28 16:02")).encode(),
        "the field “created” must be a UTC time like 2026-11-28T16:02:11Z",
    ),
    (
        "impossible time",
        json.dumps(doc(modified="2026-02-30T10:00:00Z")).encode(),
        "the field “modified” must be a UTC time like 2026-11-28T16:02:11Z",
    ),
    (
        "bad status",
        json.dumps(doc(status="done")).encode(),
        "the field “status” must be draft, final or withdrawn",
    ),
    (
        "answers a list",
        json.dumps(doc(answers=[])).encode(),
        "the field “answers” must be an object",
    ),
    (
        "repeated key",
        b'{"format": "intake-interview", "format": "x"}',
        "a key appears twice in the same object",
    ),
    (
        "NaN",
        json.dumps(doc(answers={"hours_per_day": float("nan")})).encode(),
        "NaN and Infinity are not allowed",
    ),
    (
        "surrogate",
        json.dumps(doc(answers={"alias": "\ud800"})).encode(),
        "a text holds an invalid character",
    ),
    (
        "deep",
        json.dumps(doc(answers={"a": [[[[[[[[[[[[[1]]]]]]]]]]]]]})).encode(),
        "the answers are nested too deeply",
    ),
    ("very deep", b"[" * 100_000 + b"]" * 100_000, "the JSON is nested too deeply"),
]


@pytest.mark.parametrize(("raw", "problem"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_not_a_document_says_why(raw: bytes, problem: str) -> None:
    with pytest.raises(NotADocument) as caught:
        parse_document(raw)
    assert caught.value.code == "not-a-document"
    assert caught.value.translated().endswith(problem)
    assert SECRET not in str(caught.value)


def test_missing_field_is_named() -> None:
    data = doc()
    del data["modified"]
    with pytest.raises(NotADocument) as caught:
        parse_document(json.dumps(data))
    assert caught.value.translated().endswith("the field “modified” is missing")


def test_bad_values_never_reach_the_message() -> None:
    with pytest.raises(KnownError) as caught:
        parse_document(json.dumps(doc(created=SECRET, answers={"alias": SECRET})))
    assert SECRET not in caught.value.translated()


def test_too_large() -> None:
    with pytest.raises(NotADocument) as caught:
        parse_document(b" " * (8 * 1024 * 1024 + 1))
    assert caught.value.translated().endswith("the file is larger than 8 MiB")


def test_newer_document_version_is_its_own_known_error() -> None:
    with pytest.raises(DocumentTooNew) as caught:
        parse_document(json.dumps(doc(version=2)))
    assert "version 2" in caught.value.translated()


def test_tombstone_status_is_readable() -> None:
    assert parse_document(json.dumps(doc(status="deleted", answers={}))).status == "deleted"


@pytest.mark.parametrize(
    ("status", "days"), [("draft", 30), ("final", 365), ("withdrawn", 0), ("deleted", 0)]
)
def test_retention_date_follows_status(status: str, days: int) -> None:
    interview = parse_document(json.dumps(doc(status=status, answers={})))
    assert RETENTION_DAYS[interview.status] == days
    expected = date(2026, 11, 28).toordinal() + days
    assert retention_date(interview).toordinal() == expected
    assert retention_due(interview, date.fromordinal(expected))
    assert not retention_due(interview, date.fromordinal(expected - 1))


def test_the_documented_example_parses_and_validates() -> None:
    text = (ROOT / "docs" / "document-format.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", text, re.S)
    assert block is not None
    interview = parse_document(block.group(1))
    form = FormRegistry.load().form_for(interview)
    assert form is not None
    assert validate(interview, form) == []
    assert normalise(interview, form).removed == ()
    assert isinstance(interview, Interview)
