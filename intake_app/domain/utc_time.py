"""The one spelling of a moment in every file and row we write: `2026-11-28T16:02:11Z`.

UTC, whole seconds, a trailing `Z`. Documents, the vault's rows, bundles, receipts and
enrolment requests all use it, so the storage and sync layers import it from here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

UTC_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
UTC_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def format_utc(moment: datetime) -> str:
    """`moment` in the stored spelling; a naive datetime is refused (`ValueError`)."""
    if moment.tzinfo is None:
        raise ValueError("a time without a time zone cannot be compared safely")
    return moment.astimezone(UTC).strftime(UTC_TIME_FORMAT)


def parse_utc(text: str) -> datetime:
    """The stored spelling back to an aware datetime; `ValueError` when it is not one."""
    if not UTC_TIME_RE.fullmatch(text):
        raise ValueError("not a time in the form 2026-11-28T16:02:11Z")
    return datetime.strptime(text, UTC_TIME_FORMAT).replace(tzinfo=UTC)


def utc_now() -> str:
    """The current time in the stored spelling."""
    return format_utc(datetime.now(UTC))
