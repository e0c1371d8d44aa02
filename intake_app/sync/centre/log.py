"""The import log: one row per import attempt, whatever its outcome, and the alerts it raises.

The log is the centre's audit trail, so it is written even for a rejected bundle: "a refused
bundle changes nothing" means no record data changes (see `centre_schema.RECORD_TABLES`), not
that the attempt goes unrecorded. Alerts are log rows whose reason needs an administrator; they
stay until acknowledged. A log row holds codes, ids, numbers and the file's name, never content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intake_app.domain.utc_time import utc_now
from intake_app.storage import Connection, Vault
from intake_app.sync.errors import Outcome, Reason

ALERT_REASONS = frozenset({
    Reason.SEQ_CONFLICT,
    Reason.RECORD_CONFLICT,
    Reason.SEQ_FAR_AHEAD,
    Reason.DEVICE_PENDING,
    Reason.DEVICE_REVOKED,
    Reason.KEY_RETIRED,
    Reason.FOREIGN_RECORD,
})
"""Reasons that point at a laptop or a bundle an administrator should look at."""

MAX_FILE_NAME = 255
_SELECT = ("SELECT num, at, file_name, device_id, seq, payload_sha256, outcome, reason, records, "
           "acknowledged FROM centre_import")


@dataclass(frozen=True)
class LogEntry:
    """One import attempt."""

    num: int
    at: str
    file_name: str
    device_id: str | None
    seq: int | None
    payload_sha256: str | None
    outcome: Outcome
    reason: Reason | None
    records: int
    acknowledged: str | None

    @property
    def is_alert(self) -> bool:
        """Whether this attempt needs an administrator's attention."""
        return self.reason in ALERT_REASONS and self.acknowledged is None


def _entry(row: Sequence[object]) -> LogEntry:
    num, at, name, device, seq, payload, outcome, reason, records, acknowledged = row
    return LogEntry(
        num=int(str(num)), at=str(at), file_name=str(name),
        device_id=None if device is None else str(device),
        seq=None if seq is None else int(str(seq)),
        payload_sha256=None if payload is None else str(payload),
        outcome=Outcome(str(outcome)), reason=None if reason is None else Reason(str(reason)),
        records=int(str(records)), acknowledged=None if acknowledged is None else str(acknowledged),
    )


def log_import(conn: Connection, *, file_name: str, outcome: Outcome, reason: Reason | None,
               device_id: str | None = None, seq: int | None = None,
               payload_sha256: str | None = None, records: int = 0) -> int:
    """Add a log row inside the caller's transaction; returns its number."""
    cursor = conn.execute(
        "INSERT INTO centre_import (at, file_name, device_id, seq, payload_sha256, outcome, "
        "reason, records) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (utc_now(), file_name[:MAX_FILE_NAME], device_id, seq, payload_sha256, outcome.value,
         None if reason is None else reason.value, records),
    )
    return int(cursor.lastrowid)


def import_log(vault: Vault, *, device_id: str | None = None, limit: int | None = None
               ) -> list[LogEntry]:
    """The log, newest first; optionally one device's attempts only."""
    sql = _SELECT
    params: list[object] = []
    if device_id is not None:
        sql += " WHERE device_id = ?"
        params.append(device_id)
    sql += " ORDER BY num DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    with vault.reading() as conn:
        return [_entry(row) for row in conn.execute(sql, params).fetchall()]


def alerts(vault: Vault, *, include_acknowledged: bool = False) -> list[LogEntry]:
    """Log rows that need an administrator, newest first."""
    reasons = sorted(reason.value for reason in ALERT_REASONS)
    marks = ", ".join("?" for _ in reasons)
    sql = _SELECT + " WHERE reason IN (" + marks + ")"
    if not include_acknowledged:
        sql += " AND acknowledged IS NULL"
    with vault.reading() as conn:
        return [_entry(row) for row in conn.execute(sql + " ORDER BY num DESC", reasons)]


def acknowledge(vault: Vault, num: int) -> bool:
    """Mark an alert as seen; returns False when there was no such unacknowledged alert."""
    with vault.transaction() as conn:
        cursor = conn.execute("UPDATE centre_import SET acknowledged = ? WHERE num = ? AND "
                              "acknowledged IS NULL", (utc_now(), num))
        return bool(cursor.rowcount)
