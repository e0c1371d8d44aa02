"""Strict reading of the JSON files we exchange, and the shared field formats.

Every exchanged file is parsed with no duplicate keys, no unknown keys, no NaN or Infinity,
and exact types (a bool is not an int). A problem raises `FormatProblem`, which each caller
turns into its own known error or reason code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from intake_app.domain.json_text import DuplicateKey, NotFiniteNumber, canonical_json, loads_strict
from intake_app.domain.utc_time import UTC_TIME_RE, format_utc, parse_utc

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
CODE_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MEDIA_TYPE_RE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
#: Every timestamp in an exchanged file is a stored time (`domain.utc_time`).
TIMESTAMP_RE = UTC_TIME_RE
format_timestamp = format_utc


class FormatProblem(ValueError):
    """A file or field is not in the expected form; the text is a fixed English hint."""


def loads_object(data: bytes) -> dict[str, Any]:
    """Parse UTF-8 JSON bytes that must hold one object; reject duplicates and NaN."""
    try:
        value = loads_strict(data.decode("utf-8"))
    except DuplicateKey as exc:
        raise FormatProblem("duplicate key") from exc
    except NotFiniteNumber as exc:
        raise FormatProblem("NaN or Infinity") from exc
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad UTF-8, bad JSON and integers beyond Python's digit limit.
        raise FormatProblem("not JSON") from exc
    if not isinstance(value, dict):
        raise FormatProblem("not a JSON object")
    return value


def dumps_canonical(value: object) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8), as the store hashes documents."""
    return canonical_json(value).encode("utf-8")


def dumps_ordered(value: object) -> bytes:
    """JSON in the given key order, compact, UTF-8 (manifests, receipts)."""
    return json.dumps(
        value, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def dumps_pretty(value: object) -> bytes:
    """Indented JSON with a final newline, for files people may open (profile, enrolment)."""
    text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def exact_keys(obj: Mapping[str, Any], keys: frozenset[str] | set[str]) -> None:
    """Require exactly these keys: none missing, none unknown."""
    if set(obj) != set(keys):
        raise FormatProblem("missing or unknown keys")


def get_str(obj: Mapping[str, Any], key: str, *, max_len: int = 256, empty: bool = False) -> str:
    """A string field of bounded length."""
    value = obj[key]
    if not isinstance(value, str) or len(value) > max_len or (not empty and not value):
        raise FormatProblem(f"field {key} is not a valid string")
    return value


def get_int(obj: Mapping[str, Any], key: str, *, minimum: int = 0, maximum: int = 2**53) -> int:
    """An integer field (not a bool) within bounds."""
    value = obj[key]
    if type(value) is not int or not minimum <= value <= maximum:
        raise FormatProblem(f"field {key} is not a valid integer")
    return value


def get_match(obj: Mapping[str, Any], key: str, pattern: re.Pattern[str]) -> str:
    """A string field that fully matches `pattern`."""
    value = obj[key]
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise FormatProblem(f"field {key} has the wrong form")
    return value


def get_list(obj: Mapping[str, Any], key: str, *, max_len: int) -> list[Any]:
    """A list field of bounded length."""
    value = obj[key]
    if not isinstance(value, list) or len(value) > max_len:
        raise FormatProblem(f"field {key} is not a valid list")
    return value


def get_object(value: object) -> dict[str, Any]:
    """A JSON object inside a list."""
    if not isinstance(value, dict):
        raise FormatProblem("list item is not an object")
    return value


def expect(obj: Mapping[str, Any], key: str, wanted: object) -> None:
    """A field with one fixed value (format names, versions)."""
    value = obj[key]
    if type(value) is not type(wanted) or value != wanted:
        raise FormatProblem(f"field {key} is not {wanted!r}")


def parse_timestamp(text: str) -> datetime:
    """Parse `YYYY-MM-DDTHH:MM:SSZ` (UTC) strictly; raises `FormatProblem`."""
    if not TIMESTAMP_RE.fullmatch(text):
        raise FormatProblem("timestamp has the wrong form")
    try:
        return parse_utc(text)
    except ValueError as exc:
        raise FormatProblem("timestamp is not a real time") from exc


def get_timestamp(obj: Mapping[str, Any], key: str) -> str:
    """A timestamp field, returned as the exact text."""
    value = get_match(obj, key, TIMESTAMP_RE)
    parse_timestamp(value)
    return value
