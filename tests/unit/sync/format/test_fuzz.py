"""Property-based fuzzing: random and mutated containers, payloads and manifests end in a
reason code (or a clean acceptance), never in an unhandled exception."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_app.sync.errors import BundleRefused, Outcome, Reason
from intake_app.sync.format.manifest import parse_manifest
from intake_app.sync.format.payload_reader import check_payload
from intake_app.sync.format.reader import SignedBundle
from intake_app.sync.format.spec import BundleComment
from intake_app.sync.format.strict_json import FormatProblem
from intake_app.sync.format.zip_reader import ZipProblem, iter_entry, read_directory
from tests.helpers.bundles import (
    CentreKeys,
    Laptop,
    attachment,
    build_zip,
    check,
    decrypt,
    payload_zip,
    validate,
    write,
)
from tests.helpers.documents import make_document

FUZZ = settings(max_examples=250, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def _world() -> tuple[CentreKeys, Laptop, bytes, list[tuple[str, bytes]]]:
    centre, device = CentreKeys.make(), Laptop()
    doc = make_document()
    folder = Path(tempfile.mkdtemp(prefix="intake-fuzz-"))
    data = write(folder, centre, device, records=[doc, make_document()],
                 attachments=[attachment(bytes(range(256)) * 8, doc["id"])]).path.read_bytes()
    return centre, device, data, decrypt(data, centre)


def _mutate(data: bytes, edits: list[tuple[float, int, int]]) -> bytes:
    out = bytearray(data)
    for where, kind, value in edits:
        if not out:
            out.append(value)
            continue
        at = min(int(where * len(out)), len(out) - 1)
        if kind == 0:
            out[at] = value
        elif kind == 1:
            out.insert(at, value)
        elif kind == 2:
            del out[at]
        else:
            del out[at:]
    return bytes(out)


EDITS = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), st.integers(0, 255)),
                 min_size=1, max_size=6)


def _verdict(bundle: bytes) -> tuple[Outcome, Reason | None]:
    centre, device, _, _ = _world()
    result = check(bundle, centre, device)
    if result.payload is not None:
        result.payload.close()
    assert (result.reason is None) == (result.outcome is Outcome.ACCEPTED)
    return result.outcome, result.reason


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_are_not_bundles(data: bytes) -> None:
    outcome, reason = _verdict(data)
    assert outcome is Outcome.REJECTED
    assert reason in (Reason.NOT_A_BUNDLE, Reason.BAD_CONTAINER)


@FUZZ
@given(EDITS)
def test_mutated_bundles_end_in_a_reason_code(edits: list[tuple[float, int, int]]) -> None:
    _, _, data, _ = _world()
    outcome, _ = _verdict(_mutate(data, edits))
    assert outcome in (Outcome.ACCEPTED, Outcome.REJECTED)


@FUZZ
@given(EDITS)
def test_mutated_signatures_end_in_a_reason_code(edits: list[tuple[float, int, int]]) -> None:
    _, _, data, _ = _world()
    payload, signature, readme = build_zip_entries(data)
    mutated = _mutate(signature[1], edits)
    outcome, reason = _verdict(build_zip([payload, (signature[0], mutated), readme]))
    assert reason in (None, Reason.BAD_SIGNATURE, Reason.BAD_TRUSTED_COMMENT,
                      Reason.UNKNOWN_DEVICE, Reason.BAD_CONTAINER)
    if outcome is Outcome.ACCEPTED:  # only the unsigned first line may change harmlessly
        assert mutated.split(b"\n")[1:] == signature[1].split(b"\n")[1:] or \
            mutated.splitlines()[1:] == signature[1].splitlines()[1:]


@FUZZ
@given(st.lists(st.sampled_from(["payload.age", "payload.age.minisig", "README.txt", "x",
                                 "payload.age/"]), max_size=4),
       st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
def test_reshuffled_containers_are_refused_unless_exactly_right(
        names: list[str], method: int) -> None:
    _, _, data, _ = _world()
    parts = dict(build_zip_entries(data))
    bundle = build_zip([(name, parts.get(name, b"")) for name in names], compression=method)
    outcome, _ = _verdict(bundle)
    exact = names[:2] == ["payload.age", "payload.age.minisig"] and names[2:] in ([],
                                                                                 ["README.txt"])
    assert (outcome is Outcome.ACCEPTED) == (exact and method == zipfile.ZIP_STORED)


def build_zip_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


def _signed_for(manifest: bytes) -> SignedBundle:
    _, device, _, _ = _world()
    comment = BundleComment(device.device_id, 1, "2026-11-28T16:02:11Z",
                            hashlib.sha256(manifest).hexdigest())
    return SignedBundle(device.known(), device.key_id, comment, "0" * 64)


def _payload_verdict(plaintext: bytes, manifest: bytes) -> Reason | None:
    centre, _, _, _ = _world()
    try:
        verified = check_payload(io.BytesIO(plaintext), _signed_for(manifest),
                                 centre_id=centre.profile.centre_id, validate_record=validate)
    except BundleRefused as refused:
        return refused.reason
    verified.close()
    return None


@FUZZ
@given(EDITS)
def test_mutated_payloads_end_in_a_reason_code(edits: list[tuple[float, int, int]]) -> None:
    _, _, _, entries = _world()
    plaintext = payload_zip(entries)
    assert _payload_verdict(plaintext, entries[0][1]) is None
    reason = _payload_verdict(_mutate(plaintext, edits), entries[0][1])
    assert reason is None or reason.outcome is Outcome.REJECTED


@FUZZ
@given(EDITS)
def test_mutated_manifests_end_in_a_reason_code(edits: list[tuple[float, int, int]]) -> None:
    _, _, _, entries = _world()
    manifest = _mutate(entries[0][1], edits)
    changed = [("manifest.json", manifest), *entries[1:]]
    plaintext = payload_zip(changed)
    reason = _payload_verdict(plaintext, manifest)
    assert reason is None or reason.outcome is Outcome.REJECTED


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=4),
    max_leaves=20)


@FUZZ
@given(st.dictionaries(st.sampled_from(["format", "version", "centre_id", "device_id", "seq",
                                        "created", "app", "records", "attachments", "deleted",
                                        "abandoned_seqs", "extra"]), JSON))
def test_manifest_parser_only_raises_format_problems(obj: dict[str, object]) -> None:
    with contextlib.suppress(FormatProblem):
        parse_manifest(json.dumps(obj).encode())


@FUZZ
@given(st.binary(max_size=2048))
def test_zip_reader_only_raises_zip_problems(data: bytes) -> None:
    handle = io.BytesIO(data)
    try:
        for entry in read_directory(handle, len(data), max_entries=50, max_directory=4096):
            for _ in iter_entry(handle, entry):
                pass
    except ZipProblem:
        pass
