"""The revision chain: each revision's hash covers the previous one, so history is tamper-evident.

    sha256(prev_sha256_hex + "\\n" + canonical_json(document))

The first revision of a record chains from 64 zeros. A purged revision keeps its hashes but not
its document; the chain then still proves the order and linkage of what was there, and every
revision that still has its document is checked against its hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from intake_app.storage.database import Connection

GENESIS = "0" * 64


def canonical_json(document: Any) -> str:
    """The one JSON spelling of a document that its hash is computed over."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def revision_hash(prev_sha256: str, canonical: str) -> str:
    """The hash of a revision whose canonical JSON is `canonical`."""
    return hashlib.sha256(f"{prev_sha256}\n{canonical}".encode()).hexdigest()


@dataclass
class ChainReport:
    """What verify_chain found: counts, and one line per problem (ids and numbers only)."""

    records: int = 0
    revisions: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(conn: Connection) -> ChainReport:
    """Check every record's revisions: numbering, linkage, hashes, and the head row."""
    report = ChainReport()
    heads = {
        row[0]: (row[1], row[2])
        for row in conn.execute("SELECT id, revision, head_sha256 FROM interview")
    }
    current: str | None = None
    expected_prev = GENESIS
    expected_number = 1
    rows = conn.execute(
        "SELECT interview_id, revision, sha256, prev_sha256, document FROM revision "
        "ORDER BY interview_id, revision"
    )
    for record_id, number, sha, prev, document in rows:
        if record_id != current:
            _check_head(report, current, expected_number - 1, expected_prev, heads)
            current, expected_prev, expected_number = record_id, GENESIS, 1
            report.records += 1
        report.revisions += 1
        where = f"record {record_id} revision {number}"
        if number != expected_number:
            report.problems.append(f"{where}: expected revision {expected_number}")
        if prev != expected_prev:
            report.problems.append(f"{where}: does not chain to the revision before it")
        if document is not None:
            if revision_hash(prev, document) != sha:
                report.problems.append(f"{where}: content does not match its hash")
            elif not _document_matches(document, record_id, number):
                report.problems.append(f"{where}: content belongs to another revision")
        expected_prev, expected_number = sha, number + 1
    _check_head(report, current, expected_number - 1, expected_prev, heads)
    for record_id in heads:
        report.problems.append(f"record {record_id}: has no revisions")
    return report


def _check_head(
    report: ChainReport,
    record_id: str | None,
    last_number: int,
    last_sha: str,
    heads: dict[str, tuple[int, str]],
) -> None:
    if record_id is None:
        return
    head = heads.pop(record_id, None)
    if head != (last_number, last_sha):
        report.problems.append(f"record {record_id}: head does not point at its newest revision")


def _document_matches(document: str, record_id: str, number: int) -> bool:
    try:
        body = json.loads(document)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("id") == record_id and body.get("revision") == number
