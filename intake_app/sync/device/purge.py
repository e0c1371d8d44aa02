"""Purge: remove from this laptop what the centre confirmed, once the retention period is over.

An interview is purged only when all of these hold, checked again in the purge's own
transaction: its newest revision is marked delivered and was carried by a bundle whose
verified receipt closed it, it has no draft, every attachment it has went in a delivered
bundle, and the retention period since that receipt is over. Anything undelivered or
changed since delivery stays. The retention period is a vault setting: a number of days
(default 30) or never.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from intake_app.errors import KnownError
from intake_app.i18n.core import N_
from intake_app.storage import Vault
from intake_app.sync.device.outbox import OutboxState
from intake_app.sync.format.strict_json import format_timestamp, parse_timestamp

Connection = Any  # sqlcipher3 ships no type information
RETENTION_SETTING = "retention_days"
DEFAULT_RETENTION_DAYS = 30
NEVER = "never"
MAX_RETENTION_DAYS = 36_500


class RetentionInvalid(KnownError):
    code = "retention-invalid"
    message = N_("The retention period must be a number of days from 0 to {maximum}, or never.")


@dataclass(frozen=True, slots=True)
class PurgeItem:
    """An interview that will be removed from this laptop, and when."""

    record_id: str
    alias: str | None  # shown to the worker inside the app only; never logged
    revision: int
    delivered: str
    purge_after: str


def retention_days(vault: Vault) -> int | None:
    """The retention period in days, or None for never (default 30)."""
    with vault.transaction() as conn:
        return _retention(conn)


def set_retention_days(vault: Vault, days: int | None) -> None:
    """Set the retention period: whole days from 0, or None for never."""
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int)
        or not 0 <= days <= MAX_RETENTION_DAYS
    ):
        raise RetentionInvalid(maximum=MAX_RETENTION_DAYS)
    value = NEVER if days is None else str(days)
    with vault.transaction() as conn:
        conn.execute(
            "INSERT INTO device_setting (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (RETENTION_SETTING, value),
        )


def purge_schedule(vault: Vault) -> list[PurgeItem]:
    """Every interview that will be purged, with the time it may go, soonest first.

    Empty when the retention period is never.
    """
    with vault.transaction() as conn:
        return _schedule(vault, conn, _retention(conn))


def purge_due(vault: Vault, now: datetime) -> list[str]:
    """Purge every interview whose time has come; return their ids."""
    purged: list[str] = []
    stamp = format_timestamp(now)
    with vault.transaction() as conn:
        days = _retention(conn)
        for item in _schedule(vault, conn, days):
            if item.purge_after > stamp:
                break
            vault.interviews.purge(item.record_id)
            purged.append(item.record_id)
    return purged


def _retention(conn: Connection) -> int | None:
    row = conn.execute(
        "SELECT value FROM device_setting WHERE name = ?", (RETENTION_SETTING,)
    ).fetchone()
    if row is None:
        return DEFAULT_RETENTION_DAYS
    if row[0] == NEVER:
        return None
    return int(row[0])


def _schedule(vault: Vault, conn: Connection, days: int | None) -> list[PurgeItem]:
    """Delivered, unchanged interviews and when each may go (inside the caller's transaction)."""
    if days is None:
        return []
    delivered = OutboxState.DELIVERED.value
    delivered_at: dict[tuple[str, int], str] = {
        (row[0], int(row[1])): row[2]
        for row in conn.execute(
            "SELECT i.record_id, i.revision, max(o.closed) FROM device_outbox_item AS i "
            "JOIN device_outbox AS o ON o.seq = i.seq WHERE o.state = ? "
            "AND i.kind IN ('record', 'tombstone') GROUP BY i.record_id, i.revision",
            (delivered,),
        )
    }
    sent = {
        (row[0], row[1])
        for row in conn.execute(
            "SELECT i.record_id, i.sha256 FROM device_outbox_item AS i JOIN device_outbox AS o "
            "ON o.seq = i.seq WHERE o.state = ? AND i.kind = 'attachment'",
            (delivered,),
        )
    }
    delay = timedelta(days=days)
    items: list[PurgeItem] = []
    for summary in vault.interviews.list(delivered=True):
        when = delivered_at.get((summary.id, summary.revision))
        if when is None or summary.has_draft:
            continue  # a draft is a change since delivery
        attachments = vault.interviews.attachments(summary.id)
        if any((summary.id, info.sha256) not in sent for info in attachments):
            continue  # a file attached since delivery
        purge_after = format_timestamp(parse_timestamp(when) + delay)
        items.append(PurgeItem(summary.id, summary.alias, summary.revision, when, purge_after))
    items.sort(key=lambda item: (item.purge_after, item.record_id))
    return items
