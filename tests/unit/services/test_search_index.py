"""After an unlock the worker's vault thread brings the search index up to date by itself, in
batches that let other work through, so the first search does not wait for it."""

from __future__ import annotations

import time
from pathlib import Path

from intake_app.services.worker import INDEX_BATCH, WorkerService
from intake_app.storage import KdfParams, Vault
from tests.helpers.documents import make_document

PASSPHRASE = "several words for the index test"


def unindexed(service: WorkerService) -> int:
    def count(vault: Vault) -> int:
        row = vault.connection.execute(
            "SELECT count(*) FROM interview WHERE indexed_rowid = 0").fetchone()
        return int(row[0])

    return int(service.run(count).result(timeout=30))


def test_the_index_catches_up_after_unlock_without_a_search(tmp_path: Path) -> None:
    records = 2 * INDEX_BATCH + 50
    service = WorkerService(tmp_path / "vault", kdf=KdfParams.MINIMUM)
    try:
        service.create_vault(PASSPHRASE).result(timeout=60)
        documents = [make_document(alias=f"Person {n:04d}") for n in range(records)]
        service.run(lambda vault: vault.interviews.save_revisions(documents)).result(timeout=60)
        assert unindexed(service) == records  # saving writes nothing for search
        service.lock()
        service.unlock(PASSPHRASE).result(timeout=60)
        # The unlock did not wait for the index: the steps run one by one behind it.
        assert 0 < unindexed(service) < records
        # A save queued right after the unlock is not held up by the whole catch-up.
        extra = make_document(alias="Saved meanwhile")
        service.run(lambda vault: vault.interviews.save_revision(extra)).result(timeout=30)
        deadline = time.monotonic() + 30
        while unindexed(service) > 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert unindexed(service) <= 1  # at most the save made meanwhile is left
        found = service.run(lambda vault: vault.interviews.search("Person 0017")).result(timeout=30)
        assert [s.alias for s in found] == ["Person 0017"]
    finally:
        service.shutdown()
