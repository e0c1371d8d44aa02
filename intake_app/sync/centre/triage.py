"""What the administrator sorts and filters the interview list by, read in one query.

Each imported interview's head with its laptop (name and worker code from the registry), its
follow-up status, and the few answers triage needs, taken from its current revision by
SQLite's `json_extract` (one parse of each document, no row read twice). The answers stay as
stored (codes): the window puts them in words through the centre's answer renderer, and sorts
them by meaning. Possible duplicates are worked out from the same rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from intake_app.domain.answers import parse_partial_date
from intake_app.domain.utc_time import utc_now
from intake_app.errors import NotFound
from intake_app.storage import Vault
from intake_app.sync.centre.duplicates import (
    Person,
    PossibleDuplicate,
    duplicates_by_record,
    find_duplicates,
    pair_key,
)
from intake_app.sync.centre.follow_up import NEW
from intake_app.sync.centre.records import ImportedInterview
from intake_app.sync.centre.who import checked_name

RISK = "risk_level"
DANGER = "immediate_danger"
NEEDS = "needs"
REFERRAL_CONSENT = "consent_referral"
BIRTH = "date_of_birth"
NATIONALITY = "nationality"
INTERVIEW_DATE = "interview_date"
WORKER_CODE = "worker_code"
FIELDS = (RISK, DANGER, NEEDS, REFERRAL_CONSENT, BIRTH, NATIONALITY, INTERVIEW_DATE, WORKER_CODE)
NEED, URGENCY, URGENT = "need", "need_urgency", "now"
HIGH_RISK = "high"
RISK_RANKS = {"low": 1, "medium": 2, HIGH_RISK: 3}
YES = "yes"

_PATHS = ", ".join(f"'$.answers.{name}'" for name in FIELDS)
_QUERY = (
    "SELECT r.id, r.device_id, r.revision, r.status, r.alias, r.form, r.form_version, "
    "r.created, r.modified, r.deleted, r.imported, d.device_name, d.worker, "
    "coalesce(f.status, '" + NEW + "'), "
    f"CASE WHEN v.document IS NULL THEN NULL ELSE json_extract(v.document, {_PATHS}) END "
    "FROM centre_record AS r "
    "LEFT JOIN centre_device AS d ON d.device_id = r.device_id "
    "LEFT JOIN centre_revision AS v ON v.record_id = r.id AND v.revision = r.revision "
    "AND v.set_aside IS NULL "
    "LEFT JOIN centre_follow_up AS f ON f.record_id = r.id "
    "ORDER BY r.modified DESC, r.id"
)


@dataclass(frozen=True)
class TriageRow:
    """One interview in the administrator's list."""

    interview: ImportedInterview
    device_name: str | None  # None: a laptop the registry does not know
    device_worker: str | None
    follow_up: str  # a follow_up.STATUSES code
    answers: Mapping[str, Any]  # FIELDS as stored (codes), only those answered
    duplicates: tuple[PossibleDuplicate, ...] = field(default=())

    @property
    def record_id(self) -> str:
        return self.interview.id

    @property
    def in_danger(self) -> bool:
        """The worker answered "yes" to immediate danger."""
        return coded(self.answers.get(DANGER)) == YES

    @property
    def high_risk(self) -> bool:
        return coded(self.answers.get(RISK)) == HIGH_RISK

    @property
    def risk_rank(self) -> int:
        """The risk level by meaning: 3 high, 2 medium, 1 low, 0 not answered (or unknown)."""
        return RISK_RANKS.get(str(coded(self.answers.get(RISK))), 0)

    @property
    def priority(self) -> tuple[int, int, int]:
        """Most urgent first when sorted high to low: immediate danger, then the risk level,
        then how many needs are urgent."""
        return (int(self.in_danger), self.risk_rank, len(self.urgent_needs()))

    def urgent_needs(self) -> list[str]:
        """The codes of the needs marked urgent ("now"), in the order given."""
        needs = self.answers.get(NEEDS)
        if not isinstance(needs, list):
            return []
        return [
            str(item[NEED])
            for item in needs
            if isinstance(item, dict) and item.get(URGENCY) == URGENT and item.get(NEED)
        ]


def coded(value: object) -> object:
    """A yes/no/unknown answer's code (stored alone, or with a note)."""
    if isinstance(value, dict) and "value" in value:
        return value["value"]
    return value


def _row(row: Sequence[Any]) -> TriageRow:
    interview = ImportedInterview(
        row[0],
        row[1],
        int(row[2]),
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        bool(row[9]),
        row[10],
    )
    values = json.loads(row[14]) if row[14] is not None else [None] * len(FIELDS)
    answers = {name: value for name, value in zip(FIELDS, values, strict=True) if value is not None}
    return TriageRow(interview, row[11], row[12], str(row[13]), answers)


def triage_rows(vault: Vault) -> list[TriageRow]:
    """Every interview with its triage answers and possible duplicates, most recently changed
    first: one query for the rows, one for the pairs marked not the same person."""
    with vault.reading() as conn:
        rows = [_row(row) for row in conn.execute(_QUERY)]
        dismissed = [
            (str(a), str(b))
            for a, b in conn.execute("SELECT first_id, second_id FROM centre_not_duplicate")
        ]
    pairs = find_duplicates((person(row) for row in rows if not row.interview.deleted), dismissed)
    by_record = duplicates_by_record(pairs)
    return [
        TriageRow(
            row.interview,
            row.device_name,
            row.device_worker,
            row.follow_up,
            row.answers,
            tuple(by_record[row.record_id]),
        )
        if row.record_id in by_record
        else row
        for row in rows
    ]


def person(row: TriageRow) -> Person:
    """What duplicate matching reads of an interview."""
    answers = row.answers
    birth = answers.get(BIRTH)
    nationality = answers.get(NATIONALITY)
    codes = nationality if isinstance(nationality, list) else [nationality]
    worker = answers.get(WORKER_CODE)
    if not isinstance(worker, str) or not worker.strip():
        worker = row.device_worker or row.interview.device_id
    return Person(
        row.record_id,
        worker.strip(),
        parse_partial_date(birth) if isinstance(birth, str) else None,
        row.interview.alias or "",
        frozenset(str(code) for code in codes if isinstance(code, str)),
        interview_day(answers.get(INTERVIEW_DATE), row.interview.created),
    )


def interview_day(answer: object, created: str | None) -> dt.date | None:
    """The interview's date: its answer, else the day its laptop created it."""
    if isinstance(answer, str):
        parts = parse_partial_date(answer)
        if parts is not None and len(parts) == 3:
            return dt.date(*parts)
    if created:
        try:
            return dt.date.fromisoformat(created[:10])
        except ValueError:
            return None
    return None


def mark_not_duplicate(vault: Vault, first: str, second: str, by: str | None = None) -> None:
    """Record that two interviews are not of the same person (one transaction), so the pair
    is not flagged again; `by` as for a follow-up change. Raises `NotFound`,
    `ChooserInvalid`."""
    a, b = pair_key(first, second)
    who = checked_name(by)
    with vault.transaction() as conn:
        known = conn.execute(
            "SELECT count(*) FROM centre_record WHERE id IN (?, ?)", (a, b)
        ).fetchone()[0]
        if a == b or known != 2:
            raise NotFound()
        conn.execute(
            "INSERT OR IGNORE INTO centre_not_duplicate (first_id, second_id, marked, "
            "marked_by) VALUES (?, ?, ?, ?)",
            (a, b, utc_now(), who),
        )
