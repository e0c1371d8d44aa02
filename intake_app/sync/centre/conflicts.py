"""Record conflicts (bundle-format.md "Record conflicts"): list the open ones, settle one.

A bundle carrying a revision the centre holds as another version is held (`record-conflict`).
The administrator sees both versions, answer by answer (`compare_answers`), and chooses which is
current; `resolve_conflict` then imports the held bundle again with that choice, with every
check made afresh. The choice takes effect only inside that import's one transaction (check 7):
the version kept becomes current, the other stays in the record's history marked set aside
with who chose and when, the bundle is recorded and its receipt lists the revision under
`conflicts`. A kill or an error before the commit leaves the bundle held and nothing chosen.

A bundle with several conflicts is imported once each has a choice; the choices made until
then wait with the held bundle (`centre_conflict_choice`) and are shown with it.

Listing decrypts each held bundle in memory (the checks of the importer, attachments only
hashed, never kept): conflicts are rare and the administrator must see both versions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intake_app.domain.registry import FormRegistry
from intake_app.domain.utc_time import utc_now
from intake_app.sync.centre.answer_text import answer_lines, form_of, top_questions
from intake_app.sync.centre.apply import Choice, Kept, conflicting_records
from intake_app.sync.centre.devices import device_for_key
from intake_app.sync.centre.errors import ConflictAmbiguous, ConflictNotFound
from intake_app.sync.centre.importer import ImportResult, import_bundle
from intake_app.sync.centre.quarantine import HeldBundle, held_bundles, held_bytes, held_choices
from intake_app.sync.centre.vault import Centre
from intake_app.sync.centre.who import checked_name
from intake_app.sync.errors import Reason
from intake_app.sync.format.check import check_bundle
from intake_app.sync.format.payload_reader import HeldBytes, Readable, StoredAttachment

MIN_ID_PREFIX = 4


@dataclass(frozen=True)
class OpenConflict:
    """One revision held as a record conflict: both versions and the bundle that holds it."""

    held_num: int
    device_id: str
    seq: int
    file_name: str
    held: str
    record_id: str
    revision: int
    centre_sha256: str
    laptop_sha256: str
    centre_document: dict[str, Any] | None  # None once a tombstone removed its content
    laptop_document: dict[str, Any]
    chosen: Choice | None = None  # made already; the bundle waits for its other conflicts

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON object (codes, both documents as stored)."""
        return {"held": self.held_num, "device_id": self.device_id, "seq": self.seq,
                "file": self.file_name, "id": self.record_id, "revision": self.revision,
                "centre_sha256": self.centre_sha256, "laptop_sha256": self.laptop_sha256,
                "chosen": None if self.chosen is None else self.chosen.kept.value,
                "centre": self.centre_document, "laptop": self.laptop_document}


@dataclass(frozen=True)
class Resolution:
    """A settled choice and what importing the held bundle with it did: `accepted` (the
    bundle is in, its receipt lists the conflicts), or held again while others wait."""

    conflict: OpenConflict
    choice: Choice
    result: ImportResult

    @property
    def waiting(self) -> bool:
        """The bundle is still held: another of its conflicts needs a choice."""
        return self.result.reason is Reason.RECORD_CONFLICT


@dataclass(frozen=True)
class AnswerPair:
    """One question's answer in both versions, in words (`""`: not answered)."""

    name: str
    section: str
    label: str
    centre: str
    laptop: str

    @property
    def differs(self) -> bool:
        return self.centre != self.laptop


class _HashingSink:
    """Checks attachments without keeping them: listing needs only the records."""

    def store(self, source: Readable) -> HeldBytes:
        digest, size = hashlib.sha256(), 0
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
        return HeldBytes(digest.hexdigest(), size, b"")

    def discard(self, stored: StoredAttachment) -> None:
        return None


def _open_in(centre: Centre, held: HeldBundle) -> list[OpenConflict]:
    conn = centre.vault.connection
    verdict = check_bundle(held_bytes(centre.vault, held.num),
                           lookup=lambda key_id: device_for_key(conn, key_id),
                           identities=centre.identities, centre_id=centre.centre_id,
                           validate_record=centre.validate_record, sink=_HashingSink())
    payload = verdict.payload
    if payload is None:
        return []  # no longer importable as it is: releasing it will say why
    try:
        carried = {(r.entry.id, r.entry.revision): r.document for r in payload.records}
        with centre.vault.reading() as reading:
            found = conflicting_records(reading, payload)
            chosen = {(c.record_id, c.revision): c for c in held_choices(reading, held.num)}
            rows = {c.key: reading.execute(
                "SELECT document FROM centre_revision WHERE record_id = ? AND revision = ? AND "
                "set_aside IS NULL", c.key).fetchone() for c in found}
    finally:
        payload.close()
    conflicts: list[OpenConflict] = []
    for c in found:
        row = rows[c.key]
        document = None if row is None or row[0] is None else json.loads(row[0])
        choice = chosen.get(c.key)
        if choice is not None and choice.laptop_sha256 != c.laptop_sha256:
            choice = None
        conflicts.append(OpenConflict(held.num, held.device_id, held.seq, held.file_name,
                                      held.held, c.record_id, c.revision, c.centre_sha256,
                                      c.laptop_sha256, document, carried[c.key], choice))
    return conflicts


def open_conflicts(centre: Centre) -> list[OpenConflict]:
    """Every open record conflict, by held bundle, then record id and revision."""
    found: list[OpenConflict] = []
    for held in held_bundles(centre.vault, reason=Reason.RECORD_CONFLICT):
        found += _open_in(centre, held)
    return found


def find_conflict(conflicts: list[OpenConflict], record_id: str, revision: int | None
                  ) -> OpenConflict:
    """The conflict an administrator names by record id (or a unique beginning of 4+
    characters) and, when the record has several, revision; raises `ConflictNotFound` or
    `ConflictAmbiguous`. The same version held in several bundles is settled in the oldest."""
    wanted = record_id.strip().lower()
    matches = [c for c in conflicts
               if (c.record_id == wanted or (len(wanted) >= MIN_ID_PREFIX
                                             and c.record_id.startswith(wanted)))
               and (revision is None or c.revision == revision)]
    if not matches:
        raise ConflictNotFound(record=record_id)
    if len({(c.record_id, c.revision, c.laptop_sha256) for c in matches}) > 1:
        raise ConflictAmbiguous(record=record_id)
    return min(matches, key=lambda c: c.held_num)


def resolve_conflict(centre: Centre, record_id: str, kept: Kept | str, *,
                     revision: int | None = None, by: str | None = None) -> Resolution:
    """Settle one conflict with the administrator's choice and import its held bundle.

    `by` is who chose (a name typed by the administrator; the OS user by default), never
    anything about an interviewee. Raises `ConflictNotFound`, `ConflictAmbiguous`,
    `ChooserInvalid`, and what releasing a held bundle raises.
    """
    chooser = checked_name(by)
    conflict = find_conflict(open_conflicts(centre), record_id, revision)
    choice = Choice(conflict.record_id, conflict.revision, conflict.laptop_sha256, Kept(kept),
                    chooser, utc_now())
    with centre.vault.reading() as conn:
        choices: dict[tuple[str, int], Choice] = {
            (c.record_id, c.revision): c for c in held_choices(conn, conflict.held_num)}
    choices[(choice.record_id, choice.revision)] = choice
    result = import_bundle(centre, held_bytes(centre.vault, conflict.held_num),
                           file_name=conflict.file_name, held_num=conflict.held_num,
                           choices=choices)
    return Resolution(conflict, choice, result)


def compare_answers(registry: FormRegistry, centre_document: Mapping[str, Any] | None,
                    laptop_document: Mapping[str, Any], lang: str) -> list[AnswerPair]:
    """Both versions answer by answer, in the form's order (then answers the form lacks):
    one pair per question either version answered, said in words in `lang`."""
    centre_lines = {} if centre_document is None else {
        line.name: line for line in answer_lines(registry, centre_document, lang)}
    laptop_lines = {line.name: line for line in answer_lines(registry, laptop_document, lang)}
    order: list[str] = []
    form = form_of(registry, laptop_document) or (
        None if centre_document is None else form_of(registry, centre_document))
    if form is not None:
        order = [q.name for q in top_questions([form])
                 if q.name in centre_lines or q.name in laptop_lines]
    for name in [*centre_lines, *laptop_lines]:
        if name not in order:
            order.append(name)
    pairs: list[AnswerPair] = []
    for name in order:
        line = laptop_lines.get(name) or centre_lines[name]
        pairs.append(AnswerPair(name, line.section, line.label,
                                centre_lines[name].text if name in centre_lines else "",
                                laptop_lines[name].text if name in laptop_lines else ""))
    return pairs
