"""What the worker's window remembers inside the vault (encrypted, never in QSettings): where
each interview was last edited, and small choices such as the side-by-side second language,
which would say something about the people interviewed if they were kept in clear text.

The tables are a component of their own (`Vault.ensure_schema`), made the first time they are
written. Reads of a vault that has no such tables yet (or is open read-only) find nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from intake_app.storage.database import Connection
from intake_app.storage.documents import utc_now
from intake_app.storage.vault import Vault

COMPONENT = "editor_state"

# Version 1. `editor_place` holds one row per interview (its section, and the question and
# repeat entry when known); rows of interviews that left the vault are pruned when another
# place is saved. `editor_choice` holds a few named choices of the window (short codes).
EDITOR_STATE_V1 = """
CREATE TABLE editor_place (
    interview_id TEXT NOT NULL PRIMARY KEY,
    section TEXT NOT NULL,
    question TEXT,
    item INTEGER,
    saved TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE editor_choice (
    name TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

EDITOR_STATE_MIGRATIONS: list[str] = [EDITOR_STATE_V1]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_VALUE = re.compile(r"^[A-Za-z0-9_-]{0,32}$")
# Records whose place is still worth keeping: saved and not closed, or with a draft.
_PRUNE = (
    "DELETE FROM editor_place WHERE interview_id != ? "
    "AND interview_id NOT IN (SELECT interview_id FROM draft) "
    "AND interview_id NOT IN (SELECT id FROM interview WHERE purged = 0 "
    "AND status NOT IN ('deleted', 'withdrawn'))"
)
Place = tuple[str, str | None, int | None]  # section, question, repeat entry


def _check_place(place: Place) -> Place:
    section, question, item = place
    for name in (section, question if question is not None else section):
        if not (isinstance(name, str) and _NAME.match(name)):
            raise ValueError("not a form name")
    if item is not None and not (isinstance(item, int) and 0 <= item < 10_000):
        raise ValueError("not a repeat entry")
    return place


def ensure_editor_state(vault: Vault) -> None:
    """Create or upgrade the tables (the vault backs the database up first)."""
    vault.ensure_schema(COMPONENT, EDITOR_STATE_MIGRATIONS)


def _has_tables(conn: Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'editor_place'"
    ).fetchone()
    return row is not None


def read_place(vault: Vault, record_id: str) -> Place | None:
    """Where `record_id` was last edited (section, question, repeat entry), or None."""
    with vault.reading() as conn:
        if not _has_tables(conn):
            return None
        row = conn.execute(
            "SELECT section, question, item FROM editor_place WHERE interview_id = ?",
            (record_id,),
        ).fetchone()
    if row is None:
        return None
    try:
        return _check_place((row[0], row[1], row[2]))
    except ValueError:
        return None  # a row this version cannot use: start at the top instead


def save_place(vault: Vault, record_id: str, place: Place) -> None:
    """Remember where `record_id` is being edited (one transaction); forget the places of
    interviews no longer in the vault."""
    section, question, item = _check_place(place)
    ensure_editor_state(vault)
    with vault.transaction() as conn:
        conn.execute(
            "INSERT INTO editor_place (interview_id, section, question, item, saved) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (interview_id) DO UPDATE SET "
            "section = excluded.section, question = excluded.question, item = excluded.item, "
            "saved = excluded.saved",
            (record_id, section, question, item, utc_now()),
        )
        conn.execute(_PRUNE, (record_id,))


def read_choice(vault: Vault, name: str) -> str | None:
    """A remembered choice of the window, or None."""
    with vault.reading() as conn:
        if not _has_tables(conn):
            return None
        row = conn.execute("SELECT value FROM editor_choice WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def save_choices(vault: Vault, choices: Mapping[str, str | None]) -> None:
    """Remember some choices (short codes; None forgets one), all in one transaction."""
    for name, value in choices.items():
        if not _NAME.match(name) or (value is not None and not _VALUE.match(value)):
            raise ValueError("not a choice the window keeps")
    ensure_editor_state(vault)
    with vault.transaction() as conn:
        for name, value in choices.items():
            if value is None:
                conn.execute("DELETE FROM editor_choice WHERE name = ?", (name,))
            else:
                conn.execute(
                    "INSERT INTO editor_choice (name, value) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )
