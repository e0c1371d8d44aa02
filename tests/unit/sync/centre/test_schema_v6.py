"""Centre schema version 6 (published form versions): a version 5 centre vault upgrades in place,
and a published version can be neither changed nor deleted, only retired once."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.sync.centre import vault as centre_vault
from intake_app.sync.centre.schema import COMPONENT, MIGRATIONS
from tests.helpers.centre import make_centre, open_centre
from tests.helpers.storage import new_vault

NEW_TABLES = {"centre_form_version", "centre_form_draft", "centre_form_index"}
ROW = ("intake-fi", "2026.3", b"{}", "a" * 64, "2026-12-01T09:00:00Z", "admin")


def _tables(vault: object) -> set[str]:
    with vault.reading() as conn:  # type: ignore[attr-defined]
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_version_5_centre_upgrades(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(MIGRATIONS) >= 6
    monkeypatch.setattr(centre_vault, "MIGRATIONS", MIGRATIONS[:5])
    centre = make_centre(tmp_path)
    assert not NEW_TABLES & _tables(centre.vault)
    centre.close()
    monkeypatch.setattr(centre_vault, "MIGRATIONS", MIGRATIONS)
    upgraded = open_centre(tmp_path)
    try:
        assert _tables(upgraded.vault) >= NEW_TABLES
    finally:
        upgraded.close()


def test_a_published_version_is_never_changed_and_retired_once(tmp_path: Path) -> None:
    vault = new_vault(tmp_path / "vault")
    vault.ensure_schema(COMPONENT, MIGRATIONS[:6])
    with vault.transaction() as conn:
        conn.execute(
            "INSERT INTO centre_form_version (form_id, version, definition, sha256, published,"
            " published_by) VALUES (?, ?, ?, ?, ?, ?)",
            ROW,
        )
    for sql in (
        "UPDATE centre_form_version SET definition = x'00'",
        "UPDATE centre_form_version SET sha256 = 'b'",
        "UPDATE centre_form_version SET version = '2026.4'",
        "DELETE FROM centre_form_version",
        "UPDATE centre_form_version SET retired = '2026-12-02T09:00:00Z'",  # without who
    ):
        with (
            pytest.raises(Exception, match=r"never changed|kept for good|CHECK"),
            vault.transaction() as conn,
        ):
            conn.execute(sql)
    with vault.transaction() as conn:
        conn.execute(
            "UPDATE centre_form_version SET retired = '2026-12-02T09:00:00Z', retired_by = 'a'"
        )
    with pytest.raises(Exception, match="retired once"), vault.transaction() as conn:
        conn.execute("UPDATE centre_form_version SET retired = NULL, retired_by = NULL")
    with pytest.raises(Exception, match="CHECK"), vault.transaction() as conn:
        conn.execute("INSERT INTO centre_form_index (id, serial) VALUES (1, 0)")
    vault.lock()
