"""How long delivered interviews stay on this laptop, and what will be removed when. Qt-free.

The policy is the vault's (intake_app.sync.device.purge): a number of days after the centre's
receipt, or never. Only delivered, unchanged interviews are ever removed; this lists every
interview with what will happen to it, so the worker sees that nothing else goes.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intake_app.services.worker import WorkerService

# As in intake_app.sync.device.purge (not imported here: it loads the storage layer).
DEFAULT_DAYS = 30
MAX_DAYS = 36_500


class Removal(StrEnum):
    """What happens to an interview on this laptop."""

    SCHEDULED = "scheduled"  # delivered and unchanged: removed after the retention period
    CHANGED = "changed"  # delivered, then changed (a draft or a new file): kept
    NOT_DELIVERED = "not-delivered"  # kept until the centre confirms it
    KEPT = "kept"  # delivered, but the retention period is "never"


@dataclass(frozen=True, slots=True)
class InterviewRemoval:
    """One interview and when it leaves this laptop. The alias is shown inside the app only."""

    record_id: str
    alias: str | None
    deleted: bool
    removal: Removal
    delivered: datetime | None  # when the centre's receipt closed it (scheduled ones)
    remove_after: datetime | None  # the earliest time it is removed (scheduled ones)


@dataclass(frozen=True, slots=True)
class RetentionOverview:
    """The retention period (days, None for never) and every interview's removal."""

    days: int | None
    interviews: list[InterviewRemoval]


def retention_overview(service: WorkerService) -> Future[RetentionOverview]:
    """Read the retention period and the removal plan (on the vault thread)."""
    return service.run(_overview)


def set_retention(service: WorkerService, days: int | None) -> Future[RetentionOverview]:
    """Store the retention period (raises `RetentionInvalid`) and return the new plan."""
    from intake_app.sync.device.purge import set_retention_days
    from intake_app.sync.device.schema import ensure_device_schema

    def store(vault: Any) -> RetentionOverview:
        ensure_device_schema(vault)
        set_retention_days(vault, days)
        return _overview(vault)

    return service.run(store)


def _overview(vault: Any) -> RetentionOverview:
    from intake_app.services.draft_summaries import unsaved_drafts
    from intake_app.sync.device.purge import purge_schedule, retention_days
    from intake_app.sync.device.schema import ensure_device_schema
    from intake_app.sync.format.strict_json import parse_timestamp

    ensure_device_schema(vault)
    days = retention_days(vault)
    summaries = {s.id: s for s in [*vault.interviews.list(), *unsaved_drafts(vault, None)]}
    rows: list[InterviewRemoval] = []
    for item in purge_schedule(vault):  # soonest first
        summary = summaries.pop(item.record_id, None)
        rows.append(
            InterviewRemoval(
                item.record_id,
                item.alias,
                bool(summary is not None and summary.deleted),
                Removal.SCHEDULED,
                parse_timestamp(item.delivered),
                parse_timestamp(item.purge_after),
            )
        )
    kept = [
        InterviewRemoval(
            summary.id,
            summary.alias,
            bool(summary.deleted),
            _kept_because(bool(summary.delivered), days),
            None,
            None,
        )
        for summary in summaries.values()
    ]
    kept.sort(key=lambda row: _KEPT_ORDER.index(row.removal))
    return RetentionOverview(days, rows + kept)


_KEPT_ORDER = (Removal.CHANGED, Removal.KEPT, Removal.NOT_DELIVERED)


def _kept_because(delivered: bool, days: int | None) -> Removal:
    """Why an interview that is not in the purge schedule stays."""
    if not delivered:
        return Removal.NOT_DELIVERED
    return Removal.KEPT if days is None else Removal.CHANGED
