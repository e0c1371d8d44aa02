"""Centre schema version 4 (record conflicts): `centre_revision` is rebuilt with `set_aside`,
keeping every row and its number, and stays append-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.sync.centre.schema import COMPONENT, MIGRATIONS
from tests.helpers.storage import new_vault

_ROW = ("INSERT INTO centre_revision (num, record_id, revision, sha256, document, device_id, "
        "seq, import_num, imported) VALUES (?, 'r', ?, ?, '{}', 'd', 1, 1, 'now')")


def test_version_4_keeps_the_revisions_and_their_numbers(tmp_path: Path) -> None:
    vault = new_vault(tmp_path / "vault")
    vault.ensure_schema(COMPONENT, MIGRATIONS[:3])
    with vault.transaction() as conn:
        conn.execute(_ROW, (7, 1, "a"))
        conn.execute(_ROW, (9, 2, "b"))
    vault.ensure_schema(COMPONENT, MIGRATIONS)
    with vault.transaction() as conn:
        rows = conn.execute("SELECT num, revision, sha256, set_aside FROM centre_revision "
                            "ORDER BY num").fetchall()
        assert [tuple(r) for r in rows] == [(7, 1, "a", None), (9, 2, "b", None)]
    with pytest.raises(Exception, match="UNIQUE"), vault.transaction() as conn:
        conn.execute(_ROW, (10, 1, "c"))  # two current versions of one revision
    with vault.transaction() as conn:  # a version set aside beside the current one
        conn.execute(_ROW.replace("imported)", "imported, set_aside)").replace(
            "'now')", "'now', 1)"), (10, 1, "c"))
    for statement in ("DELETE FROM centre_revision WHERE num = 7",
                      "UPDATE centre_revision SET sha256 = 'x' WHERE num = 7",
                      "UPDATE centre_revision SET document = 'x' WHERE num = 7",
                      "UPDATE centre_revision SET set_aside = NULL WHERE num = 10",
                      "UPDATE centre_revision SET set_aside = 2 WHERE num = 10"):
        with pytest.raises(Exception, match=r"append-only|only be removed|once"), \
                vault.transaction() as conn:
            conn.execute(statement)
    vault.lock()
