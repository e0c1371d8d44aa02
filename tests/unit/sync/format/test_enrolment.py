"""Enrolment requests: written beside their signature, read back strictly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_app.sync.device.enrol import write_enrolment
from intake_app.sync.errors import EnrolmentInvalid
from intake_app.sync.format import keys
from intake_app.sync.format.enrolment import (
    EnrolmentRequest,
    enrolment_comment,
    parse_enrolment,
    read_enrolment,
)
from tests.helpers.bundles import CREATED, Laptop, needs_cli, run


def _request(device: Laptop) -> EnrolmentRequest:
    return EnrolmentRequest.make(device_id=device.device_id, device_name="Laptop 7",
                                 worker="W-17", public_key=device.keypair.public_key,
                                 created=CREATED)


@pytest.fixture
def enrol(tmp_path: Path) -> Path:
    folder = tmp_path / "share" / "enrol"
    folder.mkdir(parents=True)
    return folder


def test_request_round_trips_with_signature_beside_it(enrol: Path, laptop: Laptop) -> None:
    request = _request(laptop)
    path = write_enrolment(enrol, request, laptop.keypair.secret_key)
    assert path == enrol / f"{laptop.device_id}.json"
    assert sorted(p.name for p in enrol.iterdir()) == [path.name, path.name + ".minisig"]
    assert read_enrolment(path) == request
    assert request.fingerprint() == keys.key_fingerprint(laptop.public_text)
    obj = json.loads(path.read_bytes())
    assert list(obj) == ["format", "version", "device_id", "device_name", "worker",
                         "public_key", "created"]
    assert obj["created"] == "2026-11-28T16:02:11Z"


@needs_cli
def test_request_verifies_with_the_minisign_tool(enrol: Path, laptop: Laptop) -> None:
    path = write_enrolment(enrol, _request(laptop), laptop.keypair.secret_key)
    result = run("minisign", "-Vm", path, "-P", laptop.public_text)
    assert result.returncode == 0, result.stderr
    assert f"Trusted comment: intake-enrolment v1 device={laptop.device_id}\n".encode() \
        in result.stdout


def _signed(device: Laptop, data: bytes, comment: str | None = None, prehash: bool = True
            ) -> bytes:
    signature = device.keypair.secret_key.sign(
        data, prehash=prehash, trusted_comment=comment or enrolment_comment(device.device_id))
    return bytes(signature) + b"\n"


def test_changed_or_wrongly_signed_requests_are_refused(laptop: Laptop) -> None:
    data = _request(laptop).to_bytes()
    assert parse_enrolment(data, _signed(laptop, data)).device_id == laptop.device_id
    changed = data.replace(b"Laptop 7", b"Laptop 8")
    cases = {
        "content changed": (changed, _signed(laptop, data)),
        "other comment": (data, _signed(laptop, data, "intake-enrolment v1 device=x")),
        "comment with suffix": (data, _signed(laptop, data,
                                              enrolment_comment(laptop.device_id) + " ")),
        "signed by another key": (data, _signed(Laptop(), data)),
        "legacy non-prehashed": (data, _signed(laptop, data, prehash=False)),
        "garbage signature": (data, b"untrusted comment: x\nAAAA\n"),
        "empty": (b"", b""),
    }
    for name, (body, signature) in cases.items():
        with pytest.raises(EnrolmentInvalid):
            parse_enrolment(body, signature)
            pytest.fail(name)


def test_request_json_is_strict(laptop: Laptop) -> None:
    good = json.loads(_request(laptop).to_bytes())
    for mutate in (lambda o: o.update(extra=1), lambda o: o.pop("worker"),
                   lambda o: o.update(version=True), lambda o: o.update(created="yesterday"),
                   lambda o: o.update(device_name=""), lambda o: o.update(public_key="RWQx"),
                   lambda o: o.update(device_id="LAPTOP")):
        obj = dict(good)
        mutate(obj)
        data = json.dumps(obj).encode()
        with pytest.raises(EnrolmentInvalid):
            parse_enrolment(data, _signed(laptop, data))


def test_renamed_or_unsigned_request_files_are_refused(enrol: Path, laptop: Laptop) -> None:
    path = write_enrolment(enrol, _request(laptop), laptop.keypair.secret_key)
    renamed = path.with_name("other.json")
    renamed.write_bytes(path.read_bytes())
    renamed.with_name("other.json.minisig").write_bytes(
        path.with_name(path.name + ".minisig").read_bytes())
    with pytest.raises(EnrolmentInvalid):
        read_enrolment(renamed)
    path.with_name(path.name + ".minisig").unlink()
    with pytest.raises(EnrolmentInvalid):
        read_enrolment(path)
