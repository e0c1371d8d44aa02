"""Centre schema version 5 (follow-up and not-the-same-person pairs): a version 4 centre vault
with imported interviews upgrades in place, keeps everything it held, and gets the new tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.sync.centre import vault as centre_vault
from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.records import list_interviews
from intake_app.sync.centre.schema import COMPONENT, MIGRATIONS
from tests.helpers.bundles import Laptop
from tests.helpers.centre import make_centre, open_centre, record_digest, register
from tests.helpers.documents import make_document
from tests.helpers.storage import new_vault

NEW_TABLES = {"centre_follow_up", "centre_follow_up_change", "centre_not_duplicate"}


def tables(centre: centre_vault.Centre) -> set[str]:
    with centre.vault.reading() as conn:
        return {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }


def test_a_version_4_centre_upgrades_and_keeps_its_interviews(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(MIGRATIONS) >= 5
    monkeypatch.setattr(centre_vault, "MIGRATIONS", MIGRATIONS[:4])
    centre = make_centre(tmp_path)
    assert not NEW_TABLES & tables(centre)
    laptop = Laptop()
    register(centre, laptop)
    documents = [
        make_document(answers={"consent_interview": "yes", "alias": f"P{n}"}) for n in range(3)
    ]
    bundle = laptop.bundle(tmp_path / "out", centre, records=documents)
    assert import_bundle(centre, bundle.path).delivered
    before = record_digest(centre.vault)
    centre.close()

    monkeypatch.setattr(centre_vault, "MIGRATIONS", MIGRATIONS)
    upgraded = open_centre(tmp_path)
    try:
        assert tables(upgraded) >= NEW_TABLES
        assert record_digest(upgraded.vault) == before
        assert {i.alias for i in list_interviews(upgraded.vault)} == {"P0", "P1", "P2"}
    finally:
        upgraded.close()


def test_version_5_refuses_unknown_statuses_and_unordered_pairs(tmp_path: Path) -> None:
    vault = new_vault(tmp_path / "vault")
    vault.ensure_schema(COMPONENT, MIGRATIONS[:5])
    with pytest.raises(Exception, match="CHECK"), vault.transaction() as conn:
        conn.execute(
            "INSERT INTO centre_follow_up (record_id, status, changed, changed_by) "
            "VALUES ('r', 'done', 'now', 'me')"
        )
    with pytest.raises(Exception, match="CHECK"), vault.transaction() as conn:
        conn.execute(
            "INSERT INTO centre_not_duplicate (first_id, second_id, marked, marked_by) "
            "VALUES ('b', 'a', 'now', 'me')"
        )
    vault.lock()
