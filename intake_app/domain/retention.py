"""The retention policy: how long a record is kept on this computer, decided by its status.

This is the one place the policy lives (docs/document-format.md, Retention). The dates are
reminders and purge points for the record on this device; delivery to the centre is handled by
the sync layer, which purges delivered records on receipt as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

from intake_app.domain.document import Interview, Status

#: Days after the last change until the record is due for review or purge, per status.
#: draft: an unfinished interview reminds the worker after 30 days (finish or discard it).
#: final: kept for follow-up for one year after the last change, then purged from this device.
#: withdrawn: consent was withdrawn; due at once (the tombstone still travels to the centre).
#: deleted: the store's tombstone; due at once.
RETENTION_DAYS: Final[Mapping[Status, int]] = MappingProxyType(
    {"draft": 30, "final": 365, "withdrawn": 0, "deleted": 0}
)


def retention_date(interview: Interview) -> date:
    """The day the record becomes due under the policy (UTC date of the last change + days)."""
    return interview.modified.date() + timedelta(days=RETENTION_DAYS[interview.status])


def retention_due(interview: Interview, today: date) -> bool:
    """Whether the record is due for review or purge on `today`."""
    return today >= retention_date(interview)
