"""A real vault of core schema 1 (tests/data/vault_core_v1) upgrades to schema 2 whole.

Schema 2 keys each revision by `(record row << 24) + revision` and drops the separate
(record, revision) index and the search index's save-order bookmark; the index is rebuilt.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.errors import InvalidDocument, NotFound
from intake_app.storage import Vault
from intake_app.storage.migrations import newest_core_version
from intake_app.storage.revision_rows import MAX_REVISION, revision_row
from tests.helpers.documents import make_document

FIXTURE = Path(__file__).resolve().parents[2] / "data" / "vault_core_v1" / "vault"
PASSPHRASE = "fixture passphrase for core v1"
IDS = {key: f"00000000-0000-4000-8000-00000000000{n}" for n, key in enumerate("abcdef", 1)}


@pytest.fixture
def upgraded(tmp_path: Path) -> Iterator[Vault]:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURE, folder)
    vault = Vault.unlock(folder, PASSPHRASE)
    yield vault
    vault.lock()


def test_the_upgrade_keeps_every_revision_and_its_chain(upgraded: Vault) -> None:
    conn = upgraded.connection
    assert conn.execute("PRAGMA user_version").fetchone()[0] == newest_core_version()
    # The backup made before the upgrade goes once the upgraded vault passed its check.
    assert not any(p.name.startswith("intake.db.bak-") for p in upgraded.folder.iterdir())
    report = upgraded.check()
    assert report.ok, report
    assert (report.chain.records, report.chain.revisions) == (5, 8)
    misplaced = conn.execute(
        "SELECT count(*) FROM revision WHERE num != (interview_num << 24) + revision"
    ).fetchone()[0]
    assert misplaced == 0
    assert conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('search_state', 'revision_v2')"
    ).fetchone()[0] == 0


def test_records_read_back_as_they_were(upgraded: Vault) -> None:
    store = upgraded.interviews
    a = IDS["a"]
    assert store.get(a)["answers"]["alias"] == "Mira K."
    assert [r.revision for r in store.history(a)] == [1, 2, 3]
    assert "Kemijärvellä" in store.get_revision(a, 1)["answers"]["account"]["text"]
    delivered = upgraded.connection.execute(
        "SELECT revision FROM revision WHERE interview_id = ? AND delivered IS NOT NULL", (a,)
    ).fetchall()
    assert delivered == [(2,)]
    assert store.get(IDS["b"])["status"] == "deleted"
    with pytest.raises(NotFound):
        store.get(IDS["c"])
    assert len(store.history(IDS["c"])) == 1
    assert store.get_draft(IDS["d"])["answers"]["alias"] == "Layla (draft)"
    assert {d.id for d in store.drafts()} == {IDS["d"], IDS["f"]}
    [attachment] = store.attachments(IDS["e"])
    with store.open_attachment(attachment.sha256) as reader:
        assert reader.read() == b"fixture attachment bytes\n" * 100
    listed = {s.id for s in store.list()}
    assert listed == {IDS["a"], IDS["b"], IDS["d"], IDS["e"]}


def test_the_search_index_is_rebuilt_from_the_newest_revisions(upgraded: Vault) -> None:
    store = upgraded.interviews
    conn = upgraded.connection
    indexed = conn.execute("SELECT count(*) FROM interview WHERE indexed_rowid != 0").fetchone()
    assert indexed[0] == 0
    assert [s.id for s in store.search("Rovaniemellä")] == [IDS["a"]]
    assert store.search("Kemijärvellä") == []  # only in revision 1
    assert [s.id for s in store.search("Mira")] == [IDS["a"]]
    assert store.search("ресторане") == []  # deleted
    assert store.search("ร้านนวด") == []  # purged
    assert [s.id for s in store.search("Layla")] == [IDS["d"]]
    wrong = conn.execute(
        "SELECT count(*) FROM interview WHERE indexed_rowid != 0 "
        "AND indexed_rowid != (num << 24) + revision"
    ).fetchone()[0]
    assert wrong == 0


def test_saving_after_the_upgrade_continues_each_chain(upgraded: Vault) -> None:
    store = upgraded.interviews
    a = IDS["a"]
    info = store.save_revision({**store.get(a), "answers": {**store.get(a)["answers"],
                                                            "alias": "Mira Korhonen"}})
    assert info.revision == 4
    assert [s.id for s in store.search("Korhonen")] == [a]
    assert [s.id for s in store.search("Rovaniemellä")] == [a]  # the account did not change
    new = store.save_revision(make_document(alias="After the upgrade"))
    assert new.revision == 1
    with pytest.raises(InvalidDocument):
        store.save_revision(store.get(IDS["b"]))  # still deleted
    assert upgraded.check().ok


def test_revision_rows_are_record_and_revision() -> None:
    assert revision_row(1, 1) == (1 << 24) + 1
    assert revision_row(3, MAX_REVISION) + 1 == revision_row(4, 0)
