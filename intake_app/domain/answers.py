"""The shape of one answer per question type, and the checks of types, constraints and codes.

Answer shapes (docs/document-format.md): text -> str; long_text -> {"text", "lang"};
integer -> int; decimal -> int or float; date -> "YYYY", "YYYY-MM" or "YYYY-MM-DD";
select_one -> code; select_multiple -> [codes]; language/country -> code, or [codes] when
`multiple`; yes_no_unknown -> "yes" | "no" | "unknown", or with `note` also
{"value": code, "note": {"text", "lang"}}; repeat -> [{child name: answer}].
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date

from intake_app.domain.codelists import country_codes, language_codes
from intake_app.domain.form import YES_NO_UNKNOWN_CODES, Form, Question
from intake_app.domain.issues import EXPECTED, Issue, make_issue

#: Limits that apply when a question sets none, so one answer can never swamp the vault.
TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 50_000
REPEAT_MAX_ITEMS = 50
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def is_empty(value: object) -> bool:
    """Whether an answer counts as not given: null, "", [], {} or a tagged text without text."""
    if value is None or value == "" or value == [] or value == {}:
        return True
    if isinstance(value, dict) and set(value) == {"text", "lang"}:
        text = value["text"]
        return isinstance(text, str) and not text.strip()
    return False


def is_tagged_text(value: object) -> bool:
    """Whether `value` has the {"text": str, "lang": str} shape."""
    return (
        isinstance(value, dict)
        and set(value) == {"text", "lang"}
        and isinstance(value["text"], str)
        and isinstance(value["lang"], str)
    )


def check_value(
    form: Form, question: Question, value: object, item: int | None = None
) -> list[Issue]:
    """Type, constraint and code problems of one non-empty answer (not relevance)."""
    return list(_check(form, question, value, item))


def _wrong(question: Question, expected: str, item: int | None) -> Issue:
    return make_issue("wrong-type", question.name, item, expected=EXPECTED[expected])


def _check(form: Form, q: Question, value: object, item: int | None) -> Iterator[Issue]:
    kind = q.type
    if kind == "text":
        if not isinstance(value, str):
            yield _wrong(q, "text", item)
            return
        if "\n" in value or "\r" in value:
            yield make_issue("line-break", q.name, item)
        yield from _length(q, value, TEXT_MAX_LENGTH, item)
    elif kind == "long_text":
        yield from _tagged_text(q, value, item)
    elif kind in ("integer", "decimal"):
        yield from _number(q, value, item)
    elif kind == "date":
        yield from _date(q, value, item)
    elif kind in ("select_one", "select_multiple", "language", "country"):
        yield from _codes(form, q, value, item)
    elif kind == "yes_no_unknown":
        yield from _yes_no_unknown(q, value, item)
    elif kind == "repeat":
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            yield _wrong(q, "repeat", item)
        elif len(value) > (q.max_items or REPEAT_MAX_ITEMS):
            yield make_issue("too-many-items", q.name, item, limit=q.max_items or REPEAT_MAX_ITEMS)
    else:
        yield make_issue("not-answerable", q.name, item)


def _length(q: Question, text: str, default_max: int, item: int | None) -> Iterator[Issue]:
    length = len(text.strip())
    high = q.max_length if q.max_length is not None else default_max
    if q.min_length is not None and length < q.min_length:
        yield make_issue("too-short", q.name, item, limit=q.min_length)
    if len(text) > high:
        yield make_issue("too-long", q.name, item, limit=high)


def _tagged_text(q: Question, value: object, item: int | None) -> Iterator[Issue]:
    if not is_tagged_text(value):
        yield _wrong(q, "long_text", item)
        return
    assert isinstance(value, dict)
    text, lang = value["text"], value["lang"]
    if q.languages is not None and lang not in q.languages:
        yield make_issue("language-not-allowed", q.name, item, allowed=", ".join(q.languages))
    elif lang not in language_codes():
        yield make_issue("bad-language-tag", q.name, item)
    yield from _length(q, text, LONG_TEXT_MAX_LENGTH, item)


def _number(q: Question, value: object, item: int | None) -> Iterator[Issue]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        yield _wrong(q, q.type, item)
        return
    if q.type == "integer" and not isinstance(value, int):
        yield _wrong(q, "integer", item)
        return
    if not math.isfinite(value):
        yield _wrong(q, q.type, item)
        return
    if q.minimum is not None and value < q.minimum:
        yield make_issue("too-small", q.name, item, limit=q.minimum)
    if q.maximum is not None and value > q.maximum:
        yield make_issue("too-large", q.name, item, limit=q.maximum)


def parse_partial_date(text: str) -> tuple[int, ...] | None:
    """(year,), (year, month) or (year, month, day) for a real (partial) date, else None."""
    match = _DATE.match(text)
    if match is None:
        return None
    parts = tuple(int(part) for part in match.groups() if part is not None)
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return parts if parts[0] >= 1 else None


def _date(q: Question, value: object, item: int | None) -> Iterator[Issue]:
    if not isinstance(value, str):
        yield _wrong(q, "date", item)
        return
    parts = parse_partial_date(value)
    if parts is None:
        yield make_issue("bad-date", q.name, item)
        return
    if len(parts) < 3 and not q.partial:
        yield make_issue("partial-date", q.name, item)
    # A partial date is compared at its own precision: "2026" is not before "2026-05-01".
    if q.earliest is not None and value < q.earliest[: len(value)]:
        yield make_issue("date-too-early", q.name, item, limit=q.earliest)
    if q.latest is not None and value > q.latest[: len(value)]:
        yield make_issue("date-too-late", q.name, item, limit=q.latest)


def allowed_codes(form: Form, q: Question) -> frozenset[str]:
    """Every code a select, language or country question accepts, before relevance."""
    if q.type == "language" or q.type == "country":
        base = language_codes() if q.type == "language" else country_codes()
        extra = form.choice_lists.get(q.extra_choices or "")
        return base | frozenset(extra.codes() if extra is not None else ())
    choice_list = form.choice_list(q)
    return frozenset(choice_list.codes() if choice_list is not None else ())


def _codes(form: Form, q: Question, value: object, item: int | None) -> Iterator[Issue]:
    is_list = q.type == "select_multiple" or q.multiple
    if is_list:
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            yield _wrong(q, f"{q.type}_list" if q.type != "select_multiple" else q.type, item)
            return
        codes = list(value)
        if len(set(codes)) != len(codes):
            yield make_issue("duplicate-choice", q.name, item)
    else:
        if not isinstance(value, str):
            yield _wrong(q, q.type, item)
            return
        codes = [value]
    allowed = allowed_codes(form, q)
    if any(code not in allowed for code in codes):
        yield make_issue("not-a-choice", q.name, item)


def _yes_no_unknown(q: Question, value: object, item: int | None) -> Iterator[Issue]:
    if isinstance(value, str):
        if value not in YES_NO_UNKNOWN_CODES:
            yield make_issue("not-a-choice", q.name, item)
        return
    shaped = (
        q.note
        and isinstance(value, dict)
        and set(value) in ({"value"}, {"value", "note"})
        and isinstance(value["value"], str)
    )
    if not shaped:
        yield _wrong(q, "yes_no_unknown_note" if q.note else "yes_no_unknown", item)
        return
    assert isinstance(value, dict)
    if value["value"] not in YES_NO_UNKNOWN_CODES:
        yield make_issue("not-a-choice", q.name, item)
    note = value.get("note")
    if note is not None and not is_empty(note):
        yield from _tagged_text(q, note, item)
