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

from intake_app.domain.json_text import canonical_json as canonical_json  # the one spelling
from intake_app.storage.database import Connection
from intake_app.storage.revision_rows import revision_row

GENESIS = "0" * 64


def revision_hash(prev_sha256: str, canonical: str | bytes) -> str:
    """The hash of a revision whose canonical JSON (text or its UTF-8 bytes) is `canonical`."""
    data = canonical.encode("utf-8") if isinstance(canonical, str) else canonical
    digest = hashlib.sha256(prev_sha256.encode("utf-8"))
    digest.update(b"\n")
    digest.update(data)
    return digest.hexdigest()


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
    heads: dict[int, tuple[str, int, str]] = {
        row[0]: (row[1], row[2], row[3])
        for row in conn.execute("SELECT num, id, revision, head_sha256 FROM interview")
    }
    walk = _Walk(report, heads)
    rows = conn.execute(
        "SELECT num, interview_num, interview_id, revision, sha256, prev_sha256, document "
        "FROM revision ORDER BY num"
    )
    for row_num, num, record_id, number, sha, prev, document in rows:
        if row_num != revision_row(num, number):
            report.problems.append(f"record {record_id} revision {number}: stored out of place")
        walk.step(num, record_id, number, sha, prev, document)
    walk.finish_record()
    for record_id, _number, _sha in heads.values():
        report.problems.append(f"record {record_id}: has no revisions")
    return report


class _Walk:
    """The state of walking all revisions in (record, revision) order."""

    def __init__(self, report: ChainReport, heads: dict[int, tuple[str, int, str]]) -> None:
        self.report = report
        self.heads = heads
        self.num: int | None = None
        self.record_id = ""
        self.prev = GENESIS
        self.number = 0

    def step(
        self, num: int, record_id: str, number: int, sha: str, prev: str, document: str | None
    ) -> None:
        if num != self.num:
            self.finish_record()
            self.num, self.record_id, self.prev, self.number = num, record_id, GENESIS, 0
            self.report.records += 1
        self.report.revisions += 1
        problems = self.report.problems
        where = f"record {record_id} revision {number}"
        if record_id != self.record_id:
            problems.append(f"{where}: filed under another record")
        if number != self.number + 1:
            problems.append(f"{where}: expected revision {self.number + 1}")
        if prev != self.prev:
            problems.append(f"{where}: does not chain to the revision before it")
        if document is not None:
            if revision_hash(prev, document) != sha:
                problems.append(f"{where}: content does not match its hash")
            elif not _document_matches(document, record_id, number):
                problems.append(f"{where}: content belongs to another revision")
        self.prev, self.number = sha, number

    def finish_record(self) -> None:
        if self.num is None:
            return
        head = self.heads.pop(self.num, None)
        if head != (self.record_id, self.number, self.prev):
            self.report.problems.append(
                f"record {self.record_id}: head does not point at its newest revision"
            )


def _document_matches(document: str, record_id: str, number: int) -> bool:
    try:
        body = json.loads(document)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("id") == record_id and body.get("revision") == number
