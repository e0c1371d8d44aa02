"""Enrolment on the laptop: strict profile, key made inside the vault, signed request."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlcipher3

from intake_app.sync.device.enrol import (
    accept_profile,
    enrolment_request,
    read_profile_file,
    same_fingerprint,
    write_enrolment_request,
)
from intake_app.sync.device.errors import (
    EnrolledElsewhere,
    EnrolmentDetailsMissing,
    FingerprintMismatch,
    NotEnrolled,
    ShareUnreachable,
)
from intake_app.sync.device.export import export_changes
from intake_app.sync.device.identity import device_status, load_device
from intake_app.sync.device.outbox import Outbox
from intake_app.sync.errors import ProfileInvalid
from intake_app.sync.format.enrolment import read_enrolment
from tests.helpers.bundles import CentreKeys, needs_cli, run
from tests.helpers.device import enrolled, open_vault, real_names, save_interview


def test_profile_fingerprint_is_of_the_file_bytes(centre_keys: CentreKeys) -> None:
    profile_file = read_profile_file(centre_keys.profile_path)
    digest = hashlib.sha256(centre_keys.profile_path.read_bytes()).hexdigest()[:20]
    assert profile_file.fingerprint == " ".join(digest[i:i + 4] for i in range(0, 20, 4))
    assert same_fingerprint(profile_file.fingerprint.upper().replace(" ", ""),
                            profile_file.fingerprint)


@pytest.mark.parametrize("edit", ["unknown key", "bad recipient", "not json", "missing"])
def test_bad_profile_is_refused_and_nothing_is_stored(
        tmp_path: Path, edit: str, centre_keys: CentreKeys) -> None:
    data = json.loads(centre_keys.profile_path.read_bytes())
    if edit == "unknown key":
        data["extra"] = 1
    elif edit == "bad recipient":
        data["age_recipients"] = ["age1notarecipient"]
    path = tmp_path / "edited.json"
    if edit == "not json":
        path.write_bytes(b"{\"format\": ")
    elif edit != "missing":
        path.write_text(json.dumps(data))
    with pytest.raises(ProfileInvalid):
        read_profile_file(path)


def test_enrol_makes_the_key_in_the_vault_and_writes_a_signed_request(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    path = write_enrolment_request(vault)
    assert path == centre.share / "enrol" / f"{identity.device_id}.json"
    assert real_names(path.parent) == [path.name, path.name + ".minisig"]
    request = read_enrolment(path)
    assert request.device_id == identity.device_id
    assert request.public_key == identity.public_key
    assert (request.device_name, request.worker) == ("Laptop 7", "W-12")
    assert request.fingerprint() == identity.key_fingerprint()
    # Asking again gives the same request: the key is made once.
    again = write_enrolment_request(vault, tmp_path / "usb-stick")
    assert again.read_bytes() == path.read_bytes()
    assert enrolment_request(vault) == request


@needs_cli
@pytest.mark.cli_tools
def test_enrolment_request_verifies_with_minisign(tmp_path: Path) -> None:
    vault, _centre, identity = enrolled(tmp_path)
    path = write_enrolment_request(vault, tmp_path / "usb")
    result = run("/usr/bin/minisign", "-Vm", path, "-P", identity.public_key)
    assert result.returncode == 0, result.stderr
    assert f"intake-enrolment v1 device={identity.device_id}" in result.stdout.decode()


def test_request_to_a_missing_share_is_a_known_error(tmp_path: Path) -> None:
    vault, centre, _identity = enrolled(tmp_path)
    centre.share.rmdir()
    with pytest.raises(ShareUnreachable):
        write_enrolment_request(vault)


def test_wrong_fingerprint_stores_nothing(tmp_path: Path, centre_keys: CentreKeys) -> None:
    vault = open_vault(tmp_path / "vault")
    with pytest.raises(FingerprintMismatch):
        accept_profile(vault, read_profile_file(centre_keys.profile_path), device_name="L",
                       worker="W", expected_fingerprint="0000 0000 0000 0000 0000")
    assert device_status(vault) == (None, None, None)
    with pytest.raises(NotEnrolled):
        load_device(vault)
    with pytest.raises(EnrolmentDetailsMissing):
        accept_profile(vault, read_profile_file(centre_keys.profile_path), device_name="  ",
                       worker="W")


def test_new_profile_of_the_same_centre_keeps_the_device(tmp_path: Path) -> None:
    vault, centre, identity = enrolled(tmp_path)
    moved = CentreKeys(centre.keys, centre.profile, tmp_path / "p2.json")
    from dataclasses import replace

    from intake_app.sync.centre.setup import write_profile

    write_profile(moved.profile_path, replace(centre.profile, share=str(tmp_path / "s2")))
    again = accept_profile(vault, read_profile_file(moved.profile_path), device_name="X",
                           worker="Y")
    assert again.device_id == identity.device_id and again.public_key == identity.public_key
    assert load_device(vault).profile.share == str(tmp_path / "s2")


def test_another_centre_is_refused_while_bundles_wait(tmp_path: Path) -> None:
    vault, _centre, identity = enrolled(tmp_path)
    save_interview(vault)
    export_changes(vault)
    other = CentreKeys.make(tmp_path / "other")
    with pytest.raises(EnrolledElsewhere):
        accept_profile(vault, read_profile_file(other.profile_path), device_name="L",
                       worker="W")
    assert load_device(vault).profile.centre_id != other.profile.centre_id
    Outbox(vault).abandon(1, "2026-11-28T17:00:00Z")  # nothing waits any more
    moved = accept_profile(vault, read_profile_file(other.profile_path), device_name="L",
                           worker="W")
    assert moved.device_id == identity.device_id
    assert load_device(vault).profile.centre_id == other.profile.centre_id


def test_sequence_counter_only_grows_and_the_key_cannot_change(tmp_path: Path) -> None:
    vault, _centre, _identity = enrolled(tmp_path)
    assert Outbox(vault).reserve("2026-11-28T17:00:00Z") == 1
    for statement in ("UPDATE device_identity SET next_seq = 1",
                      "UPDATE device_identity SET secret_key = 'x'",
                      "UPDATE device_identity SET device_id = 'x'",
                      "DELETE FROM device_identity",
                      "DELETE FROM device_outbox"):
        with pytest.raises(sqlcipher3.IntegrityError), vault.transaction() as conn:
            conn.execute(statement)
    assert Outbox(vault).reserve("2026-11-28T17:00:00Z") == 2
