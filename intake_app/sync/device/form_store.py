"""The interview form versions this laptop holds from the centre (`device_form`, schema v4).

A row is written only by `form_pickup`, inside the transaction that takes a verified index:
a version received from the share keeps its exact package bytes and signature; a version the
centre listed that this application also ships (same bytes) is a row of source `shipped`
without bytes, so that its state follows the index too. A version, its bytes and its hash never
change (the schema's triggers refuse it); only its state does.

`shipped_hashes` gives the SHA-256 of each shipped form's package bytes (its canonical JSON),
so that a package the centre lists under a shipped version can be compared with it. When the
centre lists a shipped version with other bytes, the received version is kept (source `share`,
with its bytes) and is used in place of the shipped one, unless an interview on this laptop
already uses that version (`versions_in_use`): then that entry is left out
(docs/bundle-notes.md, "Form packages").

The last pickup problem (a refused index or package, or an entry left out) is a device setting
too (`read_problem`): a code, the file's name in `forms/` (a form id and version, or the
index's name: never content) and since when; a pickup that took everything clears it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from intake_app.domain import registry
from intake_app.domain.json_text import canonical_json, loads_strict
from intake_app.storage import Vault
from intake_app.sync.format.form_package import FormState

Connection = Any  # sqlcipher3 ships no type information
FormKey = tuple[str, str]  # (form id, version)

CHECKED_SETTING = "forms_checked"  # when the share's forms were last taken (UTC stamp)
INDEX_SERIAL_SETTING = "forms_index_serial"  # the serial of the last index taken
INDEX_SHA256_SETTING = "forms_index_sha256"  # and the SHA-256 of its bytes
PROBLEM_SETTING = "forms_problem"  # the last pickup problem (JSON: code, file, since)


class FormSource(StrEnum):
    """Where a form version came from."""

    SHIPPED = "shipped"  # built into the application
    SHARE = "share"  # published by the centre on its share


@dataclass(frozen=True, slots=True)
class StoredForm:
    """One row of `device_form`; `data` is None for a shipped version."""

    form_id: str
    version: str
    state: FormState
    source: FormSource
    sha256: str
    received: str
    data: bytes | None

    @property
    def key(self) -> FormKey:
        return self.form_id, self.version


@dataclass(frozen=True, slots=True)
class SeenIndex:
    """The last index taken: its serial and the SHA-256 of its bytes."""

    serial: int
    sha256: str


@dataclass(frozen=True, slots=True)
class PickupProblem:
    """Why the last pickup refused the share's forms or left a version out: a code
    (`form_pickup`), the file's name in `forms/`, and when it was first seen (UTC stamp)."""

    code: str
    file: str
    since: str


def has_form_table(conn: Connection) -> bool:
    """Whether the vault has the device tables of version 4 (never enrolled: no)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'device_form'"
    ).fetchone()
    return row is not None


def read_forms(conn: Connection, *, with_data: bool = True) -> list[StoredForm]:
    """Every row, by form id then when it came; empty when there is no table."""
    if not has_form_table(conn):
        return []
    rows = conn.execute(
        "SELECT form_id, version, state, source, sha256, received, data "
        "FROM device_form ORDER BY form_id, num"
        if with_data
        else "SELECT form_id, version, state, source, sha256, received, NULL "
        "FROM device_form ORDER BY form_id, num"
    ).fetchall()
    return [
        StoredForm(
            str(r[0]),
            str(r[1]),
            FormState(r[2]),
            FormSource(r[3]),
            str(r[4]),
            str(r[5]),
            None if r[6] is None else bytes(r[6]),
        )
        for r in rows
    ]


def stored_forms(vault: Vault, *, with_data: bool = True) -> list[StoredForm]:
    """Every form version kept in the vault (see `read_forms`); reads only."""
    with vault.transaction() as conn:
        return read_forms(conn, with_data=with_data)


def _setting(conn: Connection, name: str) -> str | None:
    if not has_form_table(conn):  # the settings table may be missing too (never enrolled)
        return None
    row = conn.execute("SELECT value FROM device_setting WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def read_checked(conn: Connection) -> str | None:
    """When this laptop last took the forms on the share (UTC stamp), or None: never."""
    return _setting(conn, CHECKED_SETTING)


def forms_checked(vault: Vault) -> str | None:
    """When this laptop last took the forms on the share (see `read_checked`)."""
    with vault.transaction() as conn:
        return read_checked(conn)


def seen_index(conn: Connection) -> SeenIndex | None:
    """The last index taken, or None."""
    serial, sha256 = _setting(conn, INDEX_SERIAL_SETTING), _setting(conn, INDEX_SHA256_SETTING)
    if serial is None or sha256 is None:
        return None
    return SeenIndex(int(serial), sha256)


def read_problem(conn: Connection) -> PickupProblem | None:
    """The last pickup problem, or None (never one, or the last pickup took everything)."""
    value = _setting(conn, PROBLEM_SETTING)
    if value is None:
        return None
    try:
        found = json.loads(value)
        return PickupProblem(str(found["code"]), str(found["file"]), str(found["since"]))
    except (ValueError, KeyError, TypeError):
        return None  # written by this module only; unreadable: as if none


def note_problem(conn: Connection, code: str, file: str, now: str) -> None:
    """Keep a pickup problem (inside the caller's transaction); the same problem again keeps
    the time it was first seen."""
    held = read_problem(conn)
    since = held.since if held is not None and (held.code, held.file) == (code, file) else now
    value = json.dumps({"code": code, "file": file, "since": since}, sort_keys=True)
    put_setting(conn, PROBLEM_SETTING, value)


def clear_problem(conn: Connection) -> None:
    """Forget the last pickup problem (inside the caller's transaction)."""
    conn.execute("DELETE FROM device_setting WHERE name = ?", (PROBLEM_SETTING,))


def versions_in_use(conn: Connection) -> set[FormKey]:
    """(form id, version) of every interview on this laptop: saved (unless purged, when nothing
    of it is left to open) or only a draft."""
    rows = conn.execute(
        "SELECT form, form_version FROM interview WHERE purged = 0 "
        "UNION SELECT json_extract(document, '$.form'), json_extract(document, '$.form_version') "
        "FROM draft"
    ).fetchall()
    return {(str(form), str(version)) for form, version in rows}


def put_setting(conn: Connection, name: str, value: str) -> None:
    """Set one device setting (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO device_setting (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )


def package_sha256(text: str | bytes) -> str:
    """The SHA-256 of a form file's package bytes: its definition as canonical JSON."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    data = canonical_json(loads_strict(text)).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def shipped_hashes() -> dict[FormKey, str]:
    """(form id, version) -> SHA-256 of the package bytes, for every form this build ships
    (the folder `FormRegistry.load` reads; a few milliseconds, so asked only when needed)."""
    found: dict[FormKey, str] = {}
    # Looked up in `registry` at each call, as `FormRegistry.load` does (tests point it elsewhere).
    folder = registry.forms_dir()  # type: ignore[attr-defined]
    for entry in folder.iterdir():
        if not (entry.is_file() and entry.name.endswith(".json")):
            continue
        text = entry.read_text(encoding="utf-8")
        definition = loads_strict(text)
        found[(str(definition["id"]), str(definition["version"]))] = package_sha256(text)
    return found
