"""The centre's follow-up of each interview: a status, a note, and every change with who and when.

Centre-side data (schema 5): it never goes into a receipt or back to a laptop, and it is keyed
by the record's id, so newer revisions of the record imported later leave it as it is. An
interview without a row is "new".

Who: the centre has one administrator vault and its set-up asks for no person's name, so a
change is recorded with the name of the operating-system user who runs the window or the
command (`who.default_chooser`, "administrator" when there is none); the command line
takes `--by NAME` for a name of the administrator's choosing. Names are never interviewees'.

A change is one transaction: the current row and a history row, or nothing. The history keeps
the note's new text only for changes that changed it (NULL otherwise). When a laptop's
tombstone deletes the interview, `forget_notes` clears the note and every note in the history
in the import's transaction; statuses, times and names stay. A deleted interview takes no new
note, only a status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intake_app.domain.utc_time import utc_now
from intake_app.errors import KnownError, NotFound
from intake_app.i18n import N_, gettext
from intake_app.storage import Connection, Vault
from intake_app.sync.centre.who import checked_name

NEW = "new"
IN_REVIEW = "in_review"
REFERRED = "referred"
CLOSED = "closed"
STATUSES = (NEW, IN_REVIEW, REFERRED, CLOSED)
STATUS_NAMES = {
    NEW: N_("New"),
    IN_REVIEW: N_("In review"),
    REFERRED: N_("Referred"),
    CLOSED: N_("Closed"),
}
MAX_NOTE = 10_000  # characters


def follow_up_text(status: str) -> str:
    """A follow-up status in words in the current language; an unknown code as it is."""
    return gettext(STATUS_NAMES[status]) if status in STATUS_NAMES else status


MIN_ID_PREFIX = 4


class FollowUpStatusInvalid(KnownError):
    code = "follow-up-status-invalid"
    message = N_(
        "The follow-up status must be one of: new, in_review, referred, closed. "
        "Nothing was changed."
    )


class NoteTooLong(KnownError):
    code = "note-too-long"
    message = N_("The note is longer than {limit} characters. Shorten it; nothing was changed.")


class NoteOnDeleted(KnownError):
    code = "note-on-deleted"
    message = N_(
        "This interview was deleted on its laptop, so it takes no note. Its status "
        "can still be changed. Nothing was changed."
    )


class InterviewAmbiguous(KnownError):
    code = "interview-ambiguous"
    message = N_(
        "More than one interview's id begins with “{record}”. Type more of the id. "
        "Nothing was changed."
    )


@dataclass(frozen=True)
class FollowUp:
    """An interview's follow-up now; `changed` and `by` are None while it is "new" untouched."""

    record_id: str
    status: str
    note: str
    changed: str | None
    by: str | None


@dataclass(frozen=True)
class FollowUpChange:
    """One change of an interview's follow-up."""

    num: int
    status: str
    note: str | None  # the new note when this change changed it, else None
    at: str
    by: str


@dataclass(frozen=True)
class FollowUpRecord:
    """An interview's follow-up with its history, oldest change first."""

    current: FollowUp
    history: tuple[FollowUpChange, ...]
    deleted: bool  # the interview was deleted: notes are gone, none taken


def find_record(vault: Vault, typed: str) -> str:
    """The record id an administrator typed (whole, or a unique beginning of 4+ characters);
    raises `NotFound` or `InterviewAmbiguous`."""
    wanted = typed.strip().lower()
    with vault.reading() as conn:
        if conn.execute("SELECT 1 FROM centre_record WHERE id = ?", (wanted,)).fetchone():
            return wanted
        if len(wanted) < MIN_ID_PREFIX:
            raise NotFound()
        rows = conn.execute(
            "SELECT id FROM centre_record WHERE substr(id, 1, ?) = ? LIMIT 2", (len(wanted), wanted)
        ).fetchall()
    if not rows:
        raise NotFound()
    if len(rows) > 1:
        raise InterviewAmbiguous(record=typed.strip())
    return str(rows[0][0])


def _current(conn: Connection, record_id: str) -> FollowUp:
    row = conn.execute(
        "SELECT status, note, changed, changed_by FROM centre_follow_up WHERE record_id = ?",
        (record_id,),
    ).fetchone()
    if row is None:
        return FollowUp(record_id, NEW, "", None, None)
    return FollowUp(record_id, str(row[0]), str(row[1]), str(row[2]), str(row[3]))


def _deleted(conn: Connection, record_id: str) -> bool:
    row = conn.execute("SELECT deleted FROM centre_record WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFound()
    return bool(row[0])


def follow_up(vault: Vault, record_id: str) -> FollowUpRecord:
    """An interview's follow-up and its history; raises `NotFound`."""
    with vault.reading() as conn:
        deleted = _deleted(conn, record_id)
        current = _current(conn, record_id)
        rows = conn.execute(
            "SELECT num, status, note, at, by FROM centre_follow_up_change "
            "WHERE record_id = ? ORDER BY num",
            (record_id,),
        ).fetchall()
    history = tuple(
        FollowUpChange(
            int(r[0]), str(r[1]), None if r[2] is None else str(r[2]), str(r[3]), str(r[4])
        )
        for r in rows
    )
    return FollowUpRecord(current, history, deleted)


def statuses(vault: Vault) -> dict[str, str]:
    """Every interview's status that is not "new", by record id."""
    with vault.reading() as conn:
        return {
            str(r[0]): str(r[1])
            for r in conn.execute(
                "SELECT record_id, status FROM centre_follow_up WHERE status != ?", (NEW,)
            )
        }


def clean_note(note: str) -> str:
    """A note as stored: line breaks as "\\n", no trailing blanks at its end."""
    return note.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def set_follow_up(
    vault: Vault,
    record_id: str,
    *,
    status: str | None = None,
    note: str | None = None,
    by: str | None = None,
) -> FollowUp:
    """Change an interview's status and/or note (None: unchanged) in one transaction, with a
    history row saying who and when; nothing happens when nothing changes. Raises `NotFound`,
    `FollowUpStatusInvalid`, `NoteTooLong`, `NoteOnDeleted`, `ChooserInvalid`."""
    if status is not None and status not in STATUSES:
        raise FollowUpStatusInvalid()
    if note is not None:
        note = clean_note(note)
        if len(note) > MAX_NOTE:
            raise NoteTooLong(limit=MAX_NOTE)
    who = checked_name(by)
    with vault.transaction() as conn:
        deleted = _deleted(conn, record_id)
        before = _current(conn, record_id)
        new_status = before.status if status is None else status
        new_note = before.note if note is None else note
        if new_status == before.status and new_note == before.note:
            return before
        if deleted and new_note != before.note and new_note:
            raise NoteOnDeleted()
        now = utc_now()
        conn.execute(
            "INSERT INTO centre_follow_up (record_id, status, note, changed, changed_by) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET status = excluded."
            "status, note = excluded.note, changed = excluded.changed, "
            "changed_by = excluded.changed_by",
            (record_id, new_status, new_note, now, who),
        )
        conn.execute(
            "INSERT INTO centre_follow_up_change (record_id, status, note, at, by) "
            "VALUES (?, ?, ?, ?, ?)",
            (record_id, new_status, new_note if new_note != before.note else None, now, who),
        )
    return FollowUp(record_id, new_status, new_note, now, who)


def forget_notes(conn: Connection, record_ids: Sequence[str]) -> None:
    """Clear the notes of deleted interviews, now and in their history (in the caller's
    transaction: the tombstone's)."""
    for record_id in record_ids:
        conn.execute(
            "UPDATE centre_follow_up SET note = '' WHERE record_id = ? AND note != ''", (record_id,)
        )
        conn.execute(
            "UPDATE centre_follow_up_change SET note = '' WHERE record_id = ? AND "
            "note IS NOT NULL AND note != ''",
            (record_id,),
        )
