"""Property-based fuzzing of the import: mutated bundles end in an outcome with a reason code,
never in an unhandled exception, and a refused bundle leaves the record tables unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from tests.helpers.bundles import Laptop, attachment, comment_for, decrypt, payload_zip, seal
from tests.helpers.centre import make_centre, record_digest, register
from tests.helpers.documents import make_document

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few random edits: byte changes, an insertion, a cut, a truncation."""
    result = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["set", "flip", "insert", "cut", "truncate"]))
        at = draw(st.integers(0, max(len(result) - 1, 0)))
        if kind == "set" and result:
            result[at] = draw(st.integers(0, 255))
        elif kind == "flip" and result:
            result[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            result[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "cut":
            del result[at : at + draw(st.integers(1, 64))]
        else:
            del result[at:]
    return bytes(result)


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Centre, Laptop, bytes]]:
    folder = tmp_path_factory.mktemp("fuzz")
    centre = make_centre(folder)
    laptop = Laptop()
    register(centre, laptop)
    doc = make_document()
    written = laptop.bundle(folder / "out", centre, seq=1, records=[doc],
                            attachments=[attachment(b"attachment bytes " * 50, doc["id"])])
    bundle = written.path.read_bytes()
    assert import_bundle(centre, bundle).outcome is Outcome.ACCEPTED
    yield centre, laptop, bundle
    centre.close()


@given(data=st.data())
@FUZZ
def test_mutated_bundle_file_changes_nothing(setting: tuple[Centre, Laptop, bytes],
                                             data: st.DataObject) -> None:
    centre, _laptop, bundle = setting
    source = data.draw(mutated(bundle))
    before = record_digest(centre.vault)
    result = import_bundle(centre, source, file_name="fuzz.ibundle")
    # The original was imported already: the only way to pass is to be that same payload.
    assert result.outcome in (Outcome.DUPLICATE, Outcome.REJECTED)
    assert (result.reason is None) == (result.outcome is Outcome.DUPLICATE)
    assert result.reason is None or isinstance(result.reason, Reason)
    assert record_digest(centre.vault) == before


@given(data=st.data())
@FUZZ
def test_mutated_payload_signed_by_the_device(setting: tuple[Centre, Laptop, bytes],
                                              data: st.DataObject) -> None:
    """A key holder's malformed payload: refused with a payload reason, or harmless."""
    centre, _laptop, bundle = setting
    original = decrypt(bundle, centre)
    payload = data.draw(mutated(payload_zip(original)))
    laptop = Laptop()
    register(centre, laptop)
    source = seal(payload, centre, laptop, seq=1,
                  comment=comment_for(laptop, 1, original[0][1]))
    before = record_digest(centre.vault)
    result = import_bundle(centre, source, file_name="fuzz-payload.ibundle")
    if result.outcome is Outcome.ACCEPTED:
        return  # the edit hit bytes nothing depends on (a timestamp, say): a normal import
    assert result.outcome is Outcome.REJECTED and result.reason in {
        Reason.BAD_PAYLOAD, Reason.MANIFEST_MISMATCH, Reason.HASH_MISMATCH,
        Reason.INVALID_RECORD, Reason.NOT_FOR_THIS_CENTRE, Reason.FOREIGN_RECORD,
    }
    assert record_digest(centre.vault) == before


@given(source=st.binary(max_size=2048))
@FUZZ
def test_random_bytes_are_refused(setting: tuple[Centre, Laptop, bytes], source: bytes) -> None:
    centre = setting[0]
    before = record_digest(centre.vault)
    result = import_bundle(centre, source, file_name="random.ibundle")
    assert (result.outcome, result.reason) in {(Outcome.REJECTED, Reason.NOT_A_BUNDLE),
                                               (Outcome.REJECTED, Reason.BAD_CONTAINER)}
    assert record_digest(centre.vault) == before
