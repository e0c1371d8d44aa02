"""Setting a centre up, opening it, and keeping its secrets inside its vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_app.errors import VaultExists
from intake_app.storage import Vault
from intake_app.sync.centre.devices import lookup_by_key_id
from intake_app.sync.centre.errors import BackupIdentityExists, NotACentreVault
from intake_app.sync.centre.setup import SetupFieldInvalid, init_centre
from intake_app.sync.centre.vault import Centre, centre_dir, profile_file
from intake_app.sync.errors import Outcome
from intake_app.sync.format.check import check_bundle
from intake_app.sync.format.keys import export_secret_key, identity_to_text, parse_identity
from intake_app.sync.format.profile import load_profile
from tests.helpers.bundles import Laptop
from tests.helpers.centre import PASSPHRASE, make_centre, open_centre, register, validator
from tests.helpers.storage import FAST


def test_init_makes_vault_keys_and_profile(tmp_path: Path) -> None:
    share = tmp_path / "srv" / "intake"
    share.parent.mkdir()
    setup = init_centre(tmp_path / "data", name="Centre B", share=str(share),
                        passphrase=PASSPHRASE, kdf=FAST)
    profile, fingerprint = load_profile(profile_file(tmp_path / "data"))
    assert (profile, fingerprint) == (setup.profile, setup.fingerprint)
    assert len(profile.age_recipients) == 1 and profile.share == str(share)
    # The share and the folders laptops use were made, ready for the first enrolment.
    assert setup.share_ready
    assert sorted(p.name for p in share.iterdir()) == ["enrol", "inbox", "receipts"]
    with Centre.open(tmp_path / "data", PASSPHRASE, validator=validator) as centre:
        assert centre.vault.kind == "centre" and centre.profile == profile
        assert centre.fingerprint == fingerprint
        assert centre.share == share
        secrets = [export_secret_key(centre.receipt_key),
                   identity_to_text(centre.identities[0]).encode(), b"AGE-SECRET-KEY"]
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            for secret in secrets:
                assert secret not in path.read_bytes(), path.name


def test_backup_identity_is_written_once_and_opens_bundles(tmp_path: Path) -> None:
    backup = tmp_path / "backup.txt"
    centre = make_centre(tmp_path, backup=backup)
    laptop = Laptop()
    register(centre, laptop)
    written = laptop.bundle(tmp_path / "out", centre)
    identity = parse_identity(backup.read_text().splitlines()[-1])
    verdict = check_bundle(written.path, lookup=lambda k: lookup_by_key_id(centre.vault, k),
                           identities=[identity], centre_id=centre.centre_id,
                           validate_record=centre.validate_record)
    assert verdict.outcome is Outcome.ACCEPTED and verdict.payload is not None
    verdict.payload.close()
    assert str(identity.to_public()) == centre.profile.age_recipients[1]
    centre.close()
    with pytest.raises(BackupIdentityExists):
        init_centre(tmp_path / "other", name="C", share="s", passphrase=PASSPHRASE, kdf=FAST,
                    backup_identity=backup)
    assert not centre_dir(tmp_path / "other").exists()


def test_init_refuses_a_second_centre_and_bad_fields(tmp_path: Path) -> None:
    make_centre(tmp_path).close()
    with pytest.raises(VaultExists):
        init_centre(tmp_path / "centre-data", name="Again", share="s", passphrase=PASSPHRASE,
                    kdf=FAST)
    for name, share in (("", "s"), ("x" * 201, "s"), ("two\nlines", "s"), ("ok", "")):
        with pytest.raises(SetupFieldInvalid):
            init_centre(tmp_path / "bad", name=name, share=share, passphrase=PASSPHRASE,
                        kdf=FAST)
    assert not (tmp_path / "bad").exists()


def test_the_vaults_profile_wins_over_the_file(tmp_path: Path) -> None:
    make_centre(tmp_path).close()
    path = profile_file(tmp_path / "centre-data")
    changed = json.loads(path.read_text())
    changed["share"] = "/somewhere/else"
    path.write_text(json.dumps(changed))
    with open_centre(tmp_path) as centre:
        assert centre.share == tmp_path / "share"


def test_a_worker_vault_is_not_a_centre(tmp_path: Path) -> None:
    vault, _code = Vault.create(centre_dir(tmp_path), PASSPHRASE, kdf=FAST)
    vault.lock()
    with pytest.raises(NotACentreVault):
        Centre.open(tmp_path, PASSPHRASE, validator=validator)


def test_init_works_while_the_share_cannot_be_reached(tmp_path: Path) -> None:
    share = tmp_path / "not-mounted" / "intake"
    setup = init_centre(tmp_path / "data", name="Centre B", share=str(share),
                        passphrase=PASSPHRASE, kdf=FAST)
    assert not setup.share_ready and not share.parent.exists()
    assert setup.profile.share == str(share)
