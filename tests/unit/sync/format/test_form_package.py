"""Form packages and the form index: signed by the centre's receipt key, verified before parsing."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import minisign
import pytest

from intake_app.domain.json_text import canonical_json
from intake_app.sync.errors import FormPackageProblem, FormPackageRefused
from intake_app.sync.format import keys
from intake_app.sync.format.form_package import (
    MAX_INDEX_SIZE,
    MAX_PACKAGE_SIZE,
    FormIndex,
    FormState,
    IndexEntry,
    SignedFile,
    package_bytes,
    package_comment,
    package_name,
    parse_index,
    sign_index,
    sign_package,
    verify_index,
    verify_package,
)
from intake_app.sync.format.strict_json import FormatProblem
from tests.helpers.bundles import CentreKeys, needs_cli, run
from tests.helpers.documents import new_id
from tests.helpers.forms import FORM

PUBLISHED = "2026-12-01T09:30:00Z"


def _definition(version: str = "1.0", **changes: Any) -> dict[str, Any]:
    definition = copy.deepcopy(FORM)
    definition["version"] = version
    definition.update(changes)
    return definition


def _package(centre: CentreKeys, version: str = "1.0") -> tuple[SignedFile, IndexEntry]:
    signed = sign_package(
        package_bytes(_definition(version)),
        centre_id=centre.centre_id,
        secret_key=centre.keys.receipt.secret_key,
    )
    entry = IndexEntry(
        "intake-test",
        version,
        FormState.CURRENT,
        hashlib.sha256(signed.data).hexdigest(),
        len(signed.data),
        PUBLISHED,
    )
    return signed, entry


def _index(centre: CentreKeys, *entries: IndexEntry, serial: int = 1) -> FormIndex:
    return FormIndex(centre.centre_id, serial, PUBLISHED, entries)


def _sig(
    centre: CentreKeys,
    data: bytes,
    comment: str,
    *,
    prehash: bool = True,
    key: minisign.SecretKey | None = None,
) -> bytes:
    secret = key or centre.keys.receipt.secret_key
    return bytes(secret.sign(data, prehash=prehash, trusted_comment=comment)) + b"\n"


def _verify(centre: CentreKeys, data: bytes, signature: bytes, entry: IndexEntry) -> Any:
    return verify_package(
        data,
        signature,
        centre_id=centre.centre_id,
        receipt_key=centre.profile.receipt_key,
        entry=entry,
    )


def _package_problem(
    centre: CentreKeys, data: bytes, signature: bytes, entry: IndexEntry
) -> FormPackageProblem:
    with pytest.raises(FormPackageRefused) as refused:
        _verify(centre, data, signature, entry)
    return refused.value.problem


def _index_problem(centre: CentreKeys, data: bytes, signature: bytes) -> FormPackageProblem:
    with pytest.raises(FormPackageRefused) as refused:
        verify_index(
            data, signature, centre_id=centre.centre_id, receipt_key=centre.profile.receipt_key
        )
    return refused.value.problem


def test_a_package_and_the_index_verify_and_read_back(centre_keys: CentreKeys) -> None:
    signed, entry = _package(centre_keys)
    assert signed.name == "intake-test_1.0.json" == package_name("intake-test", "1.0")
    assert signed.data == canonical_json(_definition()).encode("utf-8")
    verified = _verify(centre_keys, signed.data, signed.signature, entry)
    assert (verified.form_id, verified.version, verified.data) == (
        "intake-test",
        "1.0",
        signed.data,
    )
    assert verified.form.id == "intake-test" and verified.definition == _definition()
    retired = IndexEntry("intake-test", "0.9", FormState.RETIRED, "a" * 64, 10, PUBLISHED)
    index = _index(centre_keys, entry, retired, serial=4)
    signed_index = sign_index(index, centre_keys.keys.receipt.secret_key)
    assert signed_index.name == "index.json"
    got = verify_index(
        signed_index.data,
        signed_index.signature,
        centre_id=centre_keys.centre_id,
        receipt_key=centre_keys.profile.receipt_key,
    )
    assert got == index and [e.version for e in got.entries] == ["0.9", "1.0"]
    assert got.current() == (entry,) and got.entry("intake-test", "0.9") == retired
    assert json.loads(signed_index.data) == {
        "format": "intake-form-index",
        "version": 1,
        "centre_id": centre_keys.centre_id,
        "serial": 4,
        "updated": PUBLISHED,
        "forms": [retired.to_json(), entry.to_json()],
    }
    assert signed_index.data == canonical_json(json.loads(signed_index.data)).encode()


@needs_cli
def test_the_minisign_tool_verifies_packages_and_index_with_exact_comments(
    tmp_path: Path, centre_keys: CentreKeys
) -> None:
    signed, entry = _package(centre_keys)
    signed_index = sign_index(_index(centre_keys, entry), centre_keys.keys.receipt.secret_key)
    for item, comment in (
        (
            signed,
            f"intake-form v1 centre={centre_keys.centre_id} form=intake-test "
            f"version=1.0 sha256={hashlib.sha256(signed.data).hexdigest()}",
        ),
        (
            signed_index,
            f"intake-form-index v1 centre={centre_keys.centre_id} "
            f"sha256={hashlib.sha256(signed_index.data).hexdigest()}",
        ),
    ):
        path = tmp_path / item.name
        path.write_bytes(item.data)
        (tmp_path / (item.name + ".minisig")).write_bytes(item.signature)
        result = run("minisign", "-Vm", path, "-P", centre_keys.profile.receipt_key)
        assert result.returncode == 0, result.stderr
        assert f"Trusted comment: {comment}\n".encode() in result.stdout
        assert item.signature.split(b"\n")[2] == f"trusted comment: {comment}".encode()


def test_tampered_foreign_and_legacy_signatures_are_refused(centre_keys: CentreKeys) -> None:
    signed, entry = _package(centre_keys)
    tampered = signed.data.replace(b"Test interview", b"Test interviex")
    assert (
        _package_problem(centre_keys, tampered, signed.signature, entry)
        is FormPackageProblem.BAD_SIGNATURE
    )
    foreign = keys.generate_signing_key().secret_key
    comment = package_comment(centre_keys.centre_id, "intake-test", "1.0", entry.sha256)
    for signature in (
        _sig(centre_keys, signed.data, comment, key=foreign),
        _sig(centre_keys, signed.data, comment, prehash=False),
        b"not a signature",
        b"",
    ):
        assert (
            _package_problem(centre_keys, signed.data, signature, entry)
            is FormPackageProblem.BAD_SIGNATURE
        )
    index = sign_index(_index(centre_keys, entry), centre_keys.keys.receipt.secret_key)
    legacy = _sig(
        centre_keys,
        index.data,
        f"intake-form-index v1 centre={centre_keys.centre_id}"
        f" sha256={hashlib.sha256(index.data).hexdigest()}",
        prehash=False,
    )
    assert _index_problem(centre_keys, index.data, legacy) is FormPackageProblem.BAD_SIGNATURE
    assert (
        _index_problem(centre_keys, index.data + b" ", index.signature)
        is FormPackageProblem.BAD_SIGNATURE
    )


def test_oversized_files_are_refused_before_the_signature(centre_keys: CentreKeys) -> None:
    signed, entry = _package(centre_keys)
    big = b" " * (MAX_PACKAGE_SIZE + 1)
    assert (
        _package_problem(centre_keys, big, signed.signature, entry) is FormPackageProblem.TOO_LARGE
    )
    assert (
        _package_problem(centre_keys, signed.data, signed.signature + b"x" * 5000, entry)
        is FormPackageProblem.TOO_LARGE
    )
    assert (
        _index_problem(centre_keys, b" " * (MAX_INDEX_SIZE + 1), signed.signature)
        is FormPackageProblem.TOO_LARGE
    )


def test_comments_that_do_not_fit_are_refused(centre_keys: CentreKeys) -> None:
    signed, entry = _package(centre_keys)
    sha = entry.sha256
    mismatch, not_listed = FormPackageProblem.FIELDS_MISMATCH, FormPackageProblem.NOT_LISTED
    ours = centre_keys.centre_id
    cases = [
        (package_comment(new_id(), "intake-test", "1.0", sha), mismatch),
        (package_comment(ours, "intake-test", "1.0", "b" * 64), mismatch),
        (package_comment(ours, "intake-test", "1.0", sha) + " ", mismatch),
        (f"intake-form v2 centre={ours} form=intake-test version=1.0 sha256={sha}", mismatch),
        (package_comment(ours, "intake-test", "1.1", sha), not_listed),
        (package_comment(ours, "intake-other", "1.0", sha), not_listed),
    ]
    for comment, problem in cases:
        signature = _sig(centre_keys, signed.data, comment)
        assert _package_problem(centre_keys, signed.data, signature, entry) is problem, comment
    index = sign_index(_index(centre_keys, entry), centre_keys.keys.receipt.secret_key)
    other = _sig(
        centre_keys,
        index.data,
        f"intake-form-index v1 centre={new_id()} sha256={hashlib.sha256(index.data).hexdigest()}",
    )
    assert _index_problem(centre_keys, index.data, other) is FormPackageProblem.FIELDS_MISMATCH


def test_a_package_must_be_the_listed_version(centre_keys: CentreKeys) -> None:
    signed, entry = _package(centre_keys)
    newer, newer_entry = _package(centre_keys, "1.1")
    # A validly signed 1.1 put where the index names 1.0, and bytes other than listed.
    assert (
        _package_problem(centre_keys, newer.data, newer.signature, entry)
        is FormPackageProblem.NOT_LISTED
    )
    for other in (
        IndexEntry(entry.form_id, entry.version, entry.state, "c" * 64, entry.size, PUBLISHED),
        IndexEntry(
            entry.form_id, entry.version, entry.state, entry.sha256, entry.size + 1, PUBLISHED
        ),
    ):
        assert (
            _package_problem(centre_keys, signed.data, signed.signature, other)
            is FormPackageProblem.NOT_LISTED
        )
    assert _verify(centre_keys, newer.data, newer.signature, newer_entry).version == "1.1"


def _signed_as(centre: CentreKeys, data: bytes) -> tuple[bytes, IndexEntry]:
    sha = hashlib.sha256(data).hexdigest()
    entry = IndexEntry("intake-test", "1.0", FormState.CURRENT, sha, len(data), PUBLISHED)
    return _sig(centre, data, package_comment(centre.centre_id, "intake-test", "1.0", sha)), entry


def test_ill_formed_packages_signed_by_the_centre_are_still_refused(
    centre_keys: CentreKeys,
) -> None:
    pretty = json.dumps(_definition(), indent=1).encode()
    not_json = b'{"id": '
    invalid = canonical_json(_definition(questions=[])).encode()
    other_id = canonical_json(_definition(id="intake-other")).encode()
    twice = canonical_json(_definition()).encode().replace(b'{"choices"', b'{"id":"x","choices"')
    for data, problem in (
        (pretty, FormPackageProblem.UNREADABLE),
        (not_json, FormPackageProblem.UNREADABLE),
        (twice, FormPackageProblem.UNREADABLE),
        (b"[]", FormPackageProblem.UNREADABLE),
        (invalid, FormPackageProblem.INVALID_FORM),
        (other_id, FormPackageProblem.FIELDS_MISMATCH),
    ):
        signature, entry = _signed_as(centre_keys, data)
        assert _package_problem(centre_keys, data, signature, entry) is problem, data[:40]


def _index_signed(centre: CentreKeys, obj: Any) -> tuple[bytes, bytes]:
    data = json.dumps(obj).encode()
    comment = (
        f"intake-form-index v1 centre={centre.centre_id} sha256={hashlib.sha256(data).hexdigest()}"
    )
    return data, _sig(centre, data, comment)


def test_ill_formed_indexes_are_refused(centre_keys: CentreKeys) -> None:
    _, entry = _package(centre_keys)
    good = _index(centre_keys, entry).to_json()
    bad: list[Any] = []
    for key, value in (
        ("format", "intake-forms"),
        ("version", 2),
        ("serial", 0),
        ("updated", "yesterday"),
        ("forms", {}),
        ("extra", 1),
    ):
        bad.append({**good, key: value})
    bad.append({k: v for k, v in good.items() if k != "serial"})
    for key, value in (
        ("state", "draft"),
        ("size", 0),
        ("size", MAX_PACKAGE_SIZE + 1),
        ("version", "v1"),
        ("form", "Intake_FI"),
        ("sha256", "A" * 64),
        ("published", None),
    ):
        bad.append({**good, "forms": [{**entry.to_json(), key: value}]})
    bad.append({**good, "forms": [entry.to_json(), entry.to_json()]})
    bad.append([good])
    for obj in bad:
        data, signature = _index_signed(centre_keys, obj)
        assert _index_problem(centre_keys, data, signature) is FormPackageProblem.UNREADABLE, obj
        with pytest.raises(FormatProblem):
            parse_index(data)
    other_centre = {**good, "centre_id": new_id()}
    data, signature = _index_signed(centre_keys, other_centre)
    assert _index_problem(centre_keys, data, signature) is FormPackageProblem.FIELDS_MISMATCH


def test_the_writer_refuses_what_the_reader_would(centre_keys: CentreKeys) -> None:
    from intake_app.domain.errors import FormInvalid

    with pytest.raises(FormInvalid):
        package_bytes(_definition(questions=[]))
    with pytest.raises(ValueError):
        sign_package(
            json.dumps(_definition()).encode(),
            centre_id=centre_keys.centre_id,
            secret_key=centre_keys.keys.receipt.secret_key,
        )
    with pytest.raises(ValueError):
        package_name("intake_fi", "1.0")
    with pytest.raises(FormatProblem):
        _index(
            centre_keys, IndexEntry("intake-test", "1.0", FormState.CURRENT, "a" * 64, 0, PUBLISHED)
        ).to_bytes()
