"""One canonical JSON spelling (`domain.json_text`) for the vault's chain and the bundle format.

The revision hashes stored in a real vault made by older code are recomputed with it and must
come out the same, byte for byte; so must the bundle format's spelling of each document.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from intake_app.domain.json_text import canonical_json
from intake_app.storage import Vault
from intake_app.storage.chain import GENESIS, revision_hash
from intake_app.sync.format.strict_json import dumps_canonical

FIXTURE = Path(__file__).resolve().parents[2] / "data" / "vault_core_v1" / "vault"
PASSPHRASE = "fixture passphrase for core v1"

DOCUMENT = {
    "id": "00000000-0000-4000-8000-000000000001",
    "revision": 2,
    "answers": {
        "alias": "Mira K.",
        "account": {"text": "Kemijärvellä — “työ” 日本 ئەو", "lang": "fi"},
        "count": 3,
        "ratio": 0.5,
        "flags": [True, False, None],
    },
    "format": "intake-interview",
}
# Made by the chain's own canonical_json before it moved to domain.json_text.
SPELLING = (
    '{"answers":{"account":{"lang":"fi","text":"Kemijärvellä — “työ” 日本 ئەو"},'
    '"alias":"Mira K.","count":3,"flags":[true,false,null],"ratio":0.5},'
    '"format":"intake-interview","id":"00000000-0000-4000-8000-000000000001","revision":2}'
)
HASH = "9058530742965e0b474878fb84f249472a4ac6cd8e0c17823cc302e9af0a2409"


def test_the_spelling_and_its_hash_are_those_of_the_older_code() -> None:
    assert canonical_json(DOCUMENT) == SPELLING
    assert dumps_canonical(DOCUMENT) == SPELLING.encode("utf-8")
    assert revision_hash(GENESIS, canonical_json(DOCUMENT)) == HASH


def test_every_stored_revision_of_an_old_vault_hashes_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURE, folder)
    vault = Vault.unlock(folder, PASSPHRASE)
    try:
        rows = vault.connection.execute(
            "SELECT sha256, prev_sha256, document FROM revision WHERE document IS NOT NULL"
        ).fetchall()
    finally:
        vault.lock()
    assert len(rows) >= 5
    for sha, prev, document in rows:
        body = json.loads(document)
        assert canonical_json(body) == document
        assert dumps_canonical(body) == document.encode("utf-8")
        assert revision_hash(prev, canonical_json(body)) == sha
