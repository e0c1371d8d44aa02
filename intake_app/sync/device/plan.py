"""Split an export into bundles that each stay under the size cap.

Sizes are upper bounds (deflate's worst case, age's per-chunk overhead, ZIP headers), so a
planned bundle never exceeds the cap when written. A record travels with its attachments in
one bundle; tombstones and abandoned sequence numbers go into the first bundle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from intake_app.sync.errors import ExportTooLarge
from intake_app.sync.format.bundle_file import (
    AttachmentSource,
    BundleContents,
    PreparedRecord,
    RecordInput,
    latest_revisions,
)
from intake_app.sync.format.manifest import Tombstone
from intake_app.sync.format.spec import (
    MAX_BUNDLE_SIZE,
    MAX_PAYLOAD_ENTRIES,
    MAX_PAYLOAD_UNCOMPRESSED,
    README_TEXT,
    size_text,
)
from intake_app.sync.format.strict_json import dumps_ordered

_MANIFEST_FIXED = 1024  # format, ids, seq, created, app and the list brackets
_ZIP_ENTRY = 30 + 46 + 16 + 22  # local header, central record, data descriptor, slack
_AGE_HEADER = 128
_AGE_PER_RECIPIENT = 128
_AGE_CHUNK = 64 * 1024
_AGE_TAG = 16
_OUTER = 3 * (30 + 46 + 2 * 24) + 22 + 1024 + len(README_TEXT)  # entries, signature, README


def deflate_bound(size: int) -> int:
    """zlib's compressBound: the most deflate can turn `size` bytes into."""
    return size + (size >> 12) + (size >> 14) + (size >> 25) + 13


def bundle_bound(payload_bound: int, recipients: int) -> int:
    """The most an .ibundle file can be for a payload ZIP of at most `payload_bound` bytes."""
    chunks = payload_bound // _AGE_CHUNK + 1
    age = _AGE_HEADER + _AGE_PER_RECIPIENT * recipients + chunks * _AGE_TAG
    return _OUTER + age + payload_bound


@dataclass
class _Unit:
    """Items that travel together: one record and its attachments (or orphan attachments)."""

    records: list[PreparedRecord] = field(default_factory=list)
    attachments: list[AttachmentSource] = field(default_factory=list)
    payload: int = 0  # bound on the payload-ZIP bytes
    plain: int = 0  # uncompressed bytes
    entries: int = 0


def _drop_superseded(
    records: Sequence[RecordInput], deleted: Sequence[Tombstone]
) -> tuple[list[PreparedRecord], list[Tombstone], set[str]]:
    """A record and its tombstone never travel together: the higher revision wins.

    Returns the records and tombstones to carry, and the ids of records left out.
    """
    tombstones = {t.id: t for t in deleted}
    kept: list[PreparedRecord] = []
    dropped: set[str] = set()
    for record in latest_revisions(records):
        tombstone = tombstones.get(record.entry.id)
        if tombstone is not None and tombstone.revision >= record.entry.revision:
            dropped.add(record.entry.id)
            continue
        tombstones.pop(record.entry.id, None)
        kept.append(record)
    return kept, [t for t in deleted if tombstones.get(t.id) is t], dropped


def _units(
    records: list[PreparedRecord], attachments: Sequence[AttachmentSource], dropped: set[str],
) -> list[_Unit]:
    units: dict[str, _Unit] = {}
    for record in records:
        entry = record.entry
        unit = units.setdefault(entry.id, _Unit())
        unit.records.append(record)
        unit.payload += _ZIP_ENTRY + 2 * len(entry.path) + deflate_bound(entry.size)
        unit.payload += _manifest_cost(entry.to_json())
        unit.plain += entry.size
        unit.entries += 1
    seen: set[tuple[str, str]] = set()
    for source in attachments:
        key = (source.sha256, source.record_id)
        if source.record_id in dropped or key in seen:
            continue
        seen.add(key)
        unit = units.setdefault(source.record_id, _Unit())
        unit.attachments.append(source)
        path_len = len("attachments/") + len(source.sha256)
        unit.payload += _ZIP_ENTRY + 2 * path_len + source.size
        unit.payload += _manifest_cost(source.entry().to_json())
        unit.plain += source.size
        unit.entries += 1
    return list(units.values())


def _fixed_cost(deleted: Sequence[Tombstone], abandoned: Sequence[int]) -> int:
    return (_MANIFEST_FIXED + _ZIP_ENTRY + sum(_manifest_cost(t.to_json()) for t in deleted)
            + 24 * len(abandoned))


def _manifest_cost(item: dict[str, Any]) -> int:
    # The manifest is deflated; twice its raw JSON is far above deflate's worst case.
    return 2 * (len(dumps_ordered(item)) + 1)


def plan_bundles(
    records: Sequence[RecordInput],
    attachments: Sequence[AttachmentSource],
    deleted: Sequence[Tombstone] = (),
    abandoned_seqs: Sequence[int] = (),
    *,
    recipients: int,
    max_size: int = MAX_BUNDLE_SIZE,
) -> list[BundleContents]:
    """Group an export into bundle contents, in order; at least one bundle is planned.

    The contents carry records already serialised (`PreparedRecord`), so the writer does not
    serialise them again. Raises `ExportTooLarge` if one record with its attachments cannot
    fit in a bundle.
    """
    kept, tombstones, dropped = _drop_superseded(records, deleted)
    plans: list[_Unit] = [_Unit(payload=_fixed_cost(tombstones, abandoned_seqs), entries=1)]
    for unit in _units(kept, attachments, dropped):
        if (bundle_bound(unit.payload + _fixed_cost((), ()), recipients) > max_size
                or unit.plain > MAX_PAYLOAD_UNCOMPRESSED or unit.entries >= MAX_PAYLOAD_ENTRIES):
            raise ExportTooLarge(limit=size_text(max_size))
        current = plans[-1]
        fits = (bundle_bound(current.payload + unit.payload, recipients) <= max_size
                and current.plain + unit.plain <= MAX_PAYLOAD_UNCOMPRESSED
                and current.entries + unit.entries <= MAX_PAYLOAD_ENTRIES)
        if not fits:
            current = _Unit(payload=_fixed_cost((), ()), entries=1)
            plans.append(current)
        current.records += unit.records
        current.attachments += unit.attachments
        current.payload += unit.payload
        current.plain += unit.plain
        current.entries += unit.entries
    first = plans[0]
    result = [BundleContents(tuple(first.records), tuple(first.attachments), tuple(tombstones),
                             tuple(abandoned_seqs))]
    result += [BundleContents(tuple(p.records), tuple(p.attachments)) for p in plans[1:]]
    return result
