"""Keys, fingerprints and the centre profile, checked against the standard CLIs."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import minisign
import pyrage
import pytest

from intake_app.sync.centre.setup import write_profile
from intake_app.sync.errors import DeviceKeyDamaged, ProfileInvalid
from intake_app.sync.format import keys
from intake_app.sync.format.profile import (
    CentreProfile,
    load_profile,
    parse_profile,
    profile_fingerprint,
)
from intake_app.sync.format.strict_json import FormatProblem
from tests.helpers.bundles import CentreKeys, needs_cli, run
from tests.helpers.documents import new_id


def test_fingerprint_is_twenty_hex_digits_of_sha256_in_groups_of_four() -> None:
    data = b"centre profile bytes"
    printed = keys.fingerprint(data)
    assert re.fullmatch(r"[0-9a-f]{4}( [0-9a-f]{4}){4}", printed)
    assert printed.replace(" ", "") == hashlib.sha256(data).hexdigest()[:20]
    assert keys.key_fingerprint("RWQabc") == keys.fingerprint(b"RWQabc")


@needs_cli
def test_key_id_is_what_the_minisign_tool_prints(tmp_path: Path) -> None:
    result = run("minisign", "-G", "-W", "-p", tmp_path / "k.pub", "-s", tmp_path / "k.key")
    assert result.returncode == 0, result.stderr
    comment, text = (tmp_path / "k.pub").read_text().splitlines()
    printed_id = comment.rsplit(" ", 1)[1]
    public_key = keys.parse_public_key(text)
    assert keys.key_id(public_key) == printed_id
    assert keys.public_key_to_text(public_key) == text
    secret_key = minisign.SecretKey.from_file(tmp_path / "k.key")
    signature = secret_key.sign(b"x", prehash=True, trusted_comment="t")
    assert keys.signature_key_id(signature) == printed_id


def test_key_id_has_no_leading_zeros_like_the_minisign_tool() -> None:
    real = base64.b64decode(keys.public_key_to_text(keys.generate_signing_key().public_key))
    crafted = real[:2] + bytes([0xAB, 0x0C] + [0] * 6) + real[10:]
    public_key = keys.parse_public_key(base64.b64encode(crafted).decode())
    assert keys.key_id(public_key) == "CAB"  # 0x0000000000000CAB, printed as minisign does


@needs_cli
def test_our_public_key_file_verifies_with_the_minisign_tool(tmp_path: Path) -> None:
    pair = keys.generate_signing_key()
    (tmp_path / "message").write_bytes(b"hello")
    signature = pair.secret_key.sign(b"hello", prehash=True, trusted_comment="intake test")
    (tmp_path / "message.minisig").write_bytes(bytes(signature) + b"\n")
    (tmp_path / "device.pub").write_bytes(keys.public_key_file(pair.public_key))
    result = run("minisign", "-Vm", tmp_path / "message", "-p", tmp_path / "device.pub")
    assert result.returncode == 0, result.stderr
    assert b"Trusted comment: intake test" in result.stdout
    key_line = (tmp_path / "device.pub").read_text().splitlines()[0]
    assert key_line.endswith(keys.key_id(pair.public_key))


def test_secret_key_survives_export_and_import() -> None:
    pair = keys.generate_signing_key()
    stored = keys.export_secret_key(pair.secret_key)
    assert stored.isascii()
    loaded = keys.import_secret_key(stored, keys.public_key_to_text(pair.public_key))
    signature = loaded.sign(b"data", prehash=True, trusted_comment="c")
    pair.public_key.verify(b"data", signature)


def test_damaged_or_foreign_secret_key_is_refused() -> None:
    pair = keys.generate_signing_key()
    stored = bytearray(keys.export_secret_key(pair.secret_key))
    with pytest.raises(DeviceKeyDamaged):
        keys.import_secret_key(bytes(stored[:-4]))
    stored[100] = ord("A") if stored[100] != ord("A") else ord("B")
    with pytest.raises(DeviceKeyDamaged):
        keys.import_secret_key(bytes(stored))
    other = keys.public_key_to_text(keys.generate_signing_key().public_key)
    with pytest.raises(DeviceKeyDamaged):
        keys.import_secret_key(keys.export_secret_key(pair.secret_key), other)


@needs_cli
def test_centre_identity_works_with_the_age_tool(tmp_path: Path) -> None:
    identity = keys.generate_identity()
    (tmp_path / "id.txt").write_text(keys.identity_to_text(identity) + "\n")
    encrypted = run("age", "-r", keys.recipient_of(identity), stdin=b"secret").stdout
    assert pyrage.decrypt(encrypted, [keys.parse_identity(keys.identity_to_text(identity))]) \
        == b"secret"
    ours = pyrage.encrypt(b"back", [keys.parse_recipient(keys.recipient_of(identity))])
    assert run("age", "-d", "-i", tmp_path / "id.txt", stdin=ours).stdout == b"back"


def test_bad_key_texts_are_format_problems() -> None:
    for text in ("", "RWQ", "age1nope", "AGE-SECRET-KEY-1", "ünï"):
        with pytest.raises(FormatProblem):
            keys.parse_public_key(text)
        with pytest.raises(FormatProblem):
            keys.parse_recipient(text)
        with pytest.raises(FormatProblem):
            keys.parse_identity(text)


def test_centre_keys_list_primary_then_backup() -> None:
    centre_keys = keys.CentreKeys.generate(with_backup=True)
    assert centre_keys.backup is not None
    assert centre_keys.recipients() == [keys.recipient_of(centre_keys.primary),
                                        keys.recipient_of(centre_keys.backup)]
    assert keys.CentreKeys.generate(with_backup=False).recipients()[0].startswith("age1")
    keys.parse_public_key(centre_keys.receipt_key_text())


# --- the centre profile ---------------------------------------------------------------------


def _profile_json() -> dict[str, object]:
    return CentreKeys.make().profile.to_json()


def test_profile_round_trips_and_fingerprints_the_file_bytes(tmp_path: Path) -> None:
    profile = CentreKeys.make(share="\\\\files.example\\intake").profile
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "centre-profile.json"
    printed = write_profile(path, profile)
    loaded, fingerprint = load_profile(path)
    assert loaded == profile
    assert printed == fingerprint == profile_fingerprint(path.read_bytes())
    assert json.loads(path.read_text())["format"] == "intake-centre-profile"
    assert [p.name for p in path.parent.iterdir()] == ["centre-profile.json"]


def _mutations() -> list[tuple[str, object]]:
    return [
        ("unknown key", lambda o: o.update(extra=1)),
        ("missing key", lambda o: o.pop("share")),
        ("wrong format", lambda o: o.update(format="intake-profile")),
        ("version as text", lambda o: o.update(version="1")),
        ("version as bool", lambda o: o.update(version=True)),
        ("version 2", lambda o: o.update(version=2)),
        ("centre id not a uuid", lambda o: o.update(centre_id="centre")),
        ("empty name", lambda o: o.update(name="")),
        ("name not text", lambda o: o.update(name=5)),
        ("no recipients", lambda o: o.update(age_recipients=[])),
        ("recipient garbage", lambda o: o.update(age_recipients=["age1garbage"])),
        ("recipient not text", lambda o: o.update(age_recipients=[7])),
        ("duplicate recipient", lambda o: o.update(age_recipients=o["age_recipients"][:1] * 2)),
        ("recipients not a list", lambda o: o.update(age_recipients="age1")),
        ("receipt key garbage", lambda o: o.update(receipt_key="RWQgarbage")),
        ("share not text", lambda o: o.update(share=None)),
    ]


@pytest.mark.parametrize(("name", "mutate"), _mutations(), ids=[m[0] for m in _mutations()])
def test_profile_parse_is_strict(name: str, mutate: object) -> None:
    obj = _profile_json()
    mutate(obj)  # type: ignore[operator]
    with pytest.raises(ProfileInvalid):
        parse_profile(json.dumps(obj).encode())


def test_profile_rejects_duplicate_keys_nan_and_non_objects() -> None:
    text = json.dumps(_profile_json())
    with pytest.raises(ProfileInvalid):
        parse_profile(text.replace('"name"', '"name": "x", "name"', 1).encode())
    with pytest.raises(ProfileInvalid):
        parse_profile(text.replace('"version": 1', '"version": NaN').encode())
    for data in (b"[]", b"", b"\xff\xfe", b"{" * 100_000, b" " * 70_000):
        with pytest.raises(ProfileInvalid):
            parse_profile(data)
    parse_profile(text.encode())  # the unmodified text parses


def test_missing_profile_file_is_a_known_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileInvalid):
        load_profile(tmp_path / "nothing.json")


def test_profile_to_bytes_refuses_what_it_could_not_read_back() -> None:
    good = CentreKeys.make().profile
    bad = CentreProfile(new_id(), "x", ("age1bad",), good.receipt_key, "s")
    with pytest.raises(ProfileInvalid):
        bad.to_bytes()
