"""The interview form versions the centre published, and the drafts waiting to be published.

Stored in the centre vault (schema version 6). A published version keeps its exact package
bytes (the definition's canonical JSON, `sync.format.form_package.package_bytes`) for good:
the tables' triggers refuse any change or deletion, except retiring a version, once. A draft
is a definition the strict form loader accepted, staged from a workbook: at most one per form
id (staging again replaces it), removed when it is published.

The rules a new version must pass (`check_new_version`), in this order:
- the same form id and version already published with the same bytes: nothing to publish
  (the caller may write the share again);
- published with other bytes: `FormVersionPublished` (a correction is a new version);
- a version built into the application: `FormVersionShipped` (laptops have it already);
- not higher than every version of that form the centre knows, built in or published:
  `FormVersionNotNewer` (new interviews start with the highest current version, so a lower
  one would never be used).

Every function takes an open connection; the callers run them in one transaction each.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from intake_app.domain.errors import FormInvalid
from intake_app.domain.form import Form, version_key
from intake_app.domain.form_loader import form_from_data
from intake_app.domain.json_text import loads_strict
from intake_app.sync.centre.form_errors import (
    FormVersionNotNewer,
    FormVersionPublished,
    FormVersionShipped,
)
from intake_app.sync.format.form_package import FormState, IndexEntry, package_bytes

Connection = sqlite3.Connection


@dataclass(frozen=True, slots=True)
class PublishedVersion:
    """A form version the centre published; `retired` is when it was retired, if it was."""

    form_id: str
    version: str
    sha256: str
    size: int
    published: str
    published_by: str
    retired: str | None = None
    retired_by: str | None = None

    @property
    def state(self) -> FormState:
        return FormState.CURRENT if self.retired is None else FormState.RETIRED

    def index_entry(self) -> IndexEntry:
        """The version as the share's form index lists it."""
        return IndexEntry(
            self.form_id, self.version, self.state, self.sha256, self.size, self.published
        )


@dataclass(frozen=True, slots=True)
class StagedForm:
    """A checked definition waiting to be published; `source` is the workbook's file name."""

    form_id: str
    version: str
    source: str
    staged: str
    staged_by: str


_SELECT_VERSIONS = (
    "SELECT form_id, version, sha256, length(definition), published, "
    "published_by, retired, retired_by FROM centre_form_version"
)


def _version(row: Iterable[Any]) -> PublishedVersion:
    return PublishedVersion(*row)


def published_versions(conn: Connection) -> list[PublishedVersion]:
    """Every published version, by form id then version."""
    rows = conn.execute(_SELECT_VERSIONS).fetchall()
    return sorted((_version(r) for r in rows), key=lambda v: (v.form_id, version_key(v.version)))


def published_version(conn: Connection, form_id: str, version: str) -> PublishedVersion | None:
    row = conn.execute(
        _SELECT_VERSIONS + " WHERE form_id = ? AND version = ?", (form_id, version)
    ).fetchone()
    return None if row is None else _version(row)


def package_data(conn: Connection, form_id: str, version: str) -> bytes | None:
    """The exact package bytes of a published version."""
    row = conn.execute(
        "SELECT definition FROM centre_form_version WHERE form_id = ? AND version = ?",
        (form_id, version),
    ).fetchone()
    return None if row is None else bytes(row[0])


def load_definition(data: bytes, file: str) -> Form:
    """A stored definition as a form (it was checked when stored; a failure is a bug)."""
    try:
        return form_from_data(loads_strict(data.decode("utf-8")), file)
    except FormInvalid as exc:  # pragma: no cover - stored only after the same check
        raise ValueError("a stored form definition no longer loads") from exc


def published_forms(conn: Connection) -> list[Form]:
    """Every published version as a loaded form (retired ones too: their records still count)."""
    rows = conn.execute("SELECT form_id, version, definition FROM centre_form_version")
    return [
        load_definition(bytes(data), f"{form_id}_{version}.json")
        for form_id, version, data in rows.fetchall()
    ]


def published_keys(conn: Connection) -> frozenset[tuple[str, str, str]]:
    """(form id, version, sha256) of every published version: cheap, to notice a change."""
    rows = conn.execute("SELECT form_id, version, sha256 FROM centre_form_version")
    return frozenset((str(a), str(b), str(c)) for a, b, c in rows.fetchall())


# --- drafts ---------------------------------------------------------------------------------


def stage_draft(
    conn: Connection, definition: Mapping[str, Any], *, source: str, at: str, by: str
) -> StagedForm:
    """Keep a checked definition as its form's draft, replacing an earlier draft of that form."""
    data = package_bytes(definition)  # canonical, and the strict loader accepts it
    form_id, version = str(definition["id"]), str(definition["version"])
    conn.execute(
        "INSERT OR REPLACE INTO centre_form_draft (form_id, version, definition, "
        "source, staged, staged_by) VALUES (?, ?, ?, ?, ?, ?)",
        (form_id, version, data, source, at, by),
    )
    return StagedForm(form_id, version, source, at, by)


def drafts(conn: Connection) -> list[StagedForm]:
    """The drafts waiting to be published, by form id."""
    rows = conn.execute(
        "SELECT form_id, version, source, staged, staged_by FROM centre_form_draft ORDER BY form_id"
    ).fetchall()
    return [StagedForm(*row) for row in rows]


def draft_data(conn: Connection, form_id: str) -> bytes | None:
    """The package bytes of a form's draft, if there is one."""
    row = conn.execute(
        "SELECT definition FROM centre_form_draft WHERE form_id = ?", (form_id,)
    ).fetchone()
    return None if row is None else bytes(row[0])


def drop_draft(conn: Connection, form_id: str) -> None:
    conn.execute("DELETE FROM centre_form_draft WHERE form_id = ?", (form_id,))


# --- publishing -----------------------------------------------------------------------------


def check_new_version(conn: Connection, shipped: Iterable[Form], data: bytes) -> bool:
    """Whether package bytes may be published: True for a new version, False when exactly
    these bytes are published already. Raises the module docstring's known errors."""
    definition = loads_strict(data.decode("utf-8"))
    form_id, version = str(definition["id"]), str(definition["version"])
    held = package_data(conn, form_id, version)
    if held is not None:
        if held != data:
            raise FormVersionPublished(form=form_id, version=version)
        return False
    built_in = [form.version for form in shipped if form.id == form_id]
    if version in built_in:
        raise FormVersionShipped(form=form_id, version=version)
    known = built_in + [v.version for v in published_versions(conn) if v.form_id == form_id]
    newest = max(known, key=version_key, default=None)
    if newest is not None and version_key(version) <= version_key(newest):
        raise FormVersionNotNewer(form=form_id, version=version, newest=newest)
    return True


def insert_version(conn: Connection, data: bytes, *, at: str, by: str) -> PublishedVersion:
    """Store a new published version (checked with `check_new_version` in this transaction)."""
    definition = loads_strict(data.decode("utf-8"))
    form_id, version = str(definition["id"]), str(definition["version"])
    sha256 = hashlib.sha256(data).hexdigest()
    conn.execute(
        "INSERT INTO centre_form_version (form_id, version, definition, sha256, "
        "published, published_by) VALUES (?, ?, ?, ?, ?, ?)",
        (form_id, version, data, sha256, at, by),
    )
    return PublishedVersion(form_id, version, sha256, len(data), at, by)


def retire_version(conn: Connection, form_id: str, version: str, *, at: str, by: str) -> bool:
    """Retire a published version; False when it was retired already (nothing changes)."""
    cursor = conn.execute(
        "UPDATE centre_form_version SET retired = ?, retired_by = ? "
        "WHERE form_id = ? AND version = ? AND retired IS NULL",
        (at, by, form_id, version),
    )
    return cursor.rowcount == 1


def next_index_serial(conn: Connection, *, above: int = 0) -> int:
    """The serial number of the next form index written to the share (1, 2, ...), kept in the
    vault: one more than both the last one the vault wrote and `above`, the serial of the
    index now on the share (after a restore from a backup the vault's may be behind)."""
    conn.execute(
        "INSERT INTO centre_form_index (id, serial) VALUES (1, max(?1, 0) + 1) "
        "ON CONFLICT (id) DO UPDATE SET serial = max(serial, ?1) + 1",
        (above,),
    )
    row = conn.execute("SELECT serial FROM centre_form_index WHERE id = 1").fetchone()
    return int(row[0])
