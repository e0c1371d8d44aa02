"""Tampering with each part of a real bundle is caught, and changes no record data.

Two kinds of tampering: changing bytes without the device key (the signature catches it), and a
device key holder re-signing changed contents (the manifest and hash checks catch it).
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable, Iterator

import pytest

from intake_app.sync.centre.importer import import_bundle
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import Outcome, Reason
from tests.helpers.bundles import (
    Laptop,
    attachment,
    build_zip,
    comment_for,
    decrypt,
    seal,
    zip_entries,
)
from tests.helpers.centre import make_centre, record_digest, register
from tests.helpers.documents import make_document

Entries = list[tuple[str, bytes]]


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Centre, Laptop, bytes]]:
    folder = tmp_path_factory.mktemp("tamper")
    centre = make_centre(folder)
    laptop = Laptop()
    register(centre, laptop)
    doc = make_document()
    written = laptop.bundle(folder / "out", centre, seq=1, records=[doc],
                            attachments=[attachment(os.urandom(2000), doc["id"])])
    yield centre, laptop, written.path.read_bytes()
    centre.close()


def _flip(data: bytes, index: int) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def _outer(change: Callable[[Entries], Entries]) -> Callable[[Centre, Laptop, bytes], bytes]:
    def tamper(_centre: Centre, _laptop: Laptop, bundle: bytes) -> bytes:
        return build_zip(change(zip_entries(bundle)))
    return tamper


def _signature_line(entries: Entries, line: int, change: Callable[[bytes], bytes]) -> Entries:
    lines = entries[1][1].split(b"\n")
    lines[line] = change(lines[line])
    return [entries[0], ("payload.age.minisig", b"\n".join(lines)), *entries[2:]]


def _resealed(change: Callable[[Entries], Entries]) -> Callable[[Centre, Laptop, bytes], bytes]:
    """Decrypt, change the payload, encrypt and sign again with the device's own key (and the
    original trusted comment)."""
    def tamper(centre: Centre, laptop: Laptop, bundle: bytes) -> bytes:
        original = decrypt(bundle, centre)
        comment = comment_for(laptop, 1, original[0][1])
        return seal(change(list(original)), centre, laptop, seq=1, comment=comment)
    return tamper


def _replace(prefix: str, change: Callable[[bytes], bytes]) -> Callable[[Entries], Entries]:
    def edit(entries: Entries) -> Entries:
        return [(n, change(d) if n.startswith(prefix) else d) for n, d in entries]
    return edit


def _one_record_changed(entries: Entries) -> Entries:
    return _replace("records/", lambda d: d.replace(b'"A."', b'"Z."'))(entries)


def _b64_flip(line: bytes) -> bytes:
    raw = bytearray(base64.b64decode(line))
    raw[-1] ^= 1
    return base64.b64encode(bytes(raw))


CASES: dict[str, tuple[Callable[[Centre, Laptop, bytes], bytes], Reason]] = {
    "payload.age first byte": (_outer(lambda e: [("payload.age", _flip(e[0][1], 0)), *e[1:]]),
                               Reason.BAD_SIGNATURE),
    "payload.age last byte": (_outer(lambda e: [("payload.age", _flip(e[0][1], -1)), *e[1:]]),
                              Reason.BAD_SIGNATURE),
    "payload.age truncated": (_outer(lambda e: [("payload.age", e[0][1][:-100]), *e[1:]]),
                              Reason.BAD_SIGNATURE),
    "signature bytes": (_outer(lambda e: _signature_line(e, 1, _b64_flip)),
                        Reason.BAD_SIGNATURE),
    "trusted comment text": (_outer(lambda e: _signature_line(
        e, 2, lambda line: line.replace(b"seq=1 ", b"seq=2 "))), Reason.BAD_SIGNATURE),
    "global signature": (_outer(lambda e: _signature_line(e, 3, _b64_flip)),
                         Reason.BAD_SIGNATURE),
    "signature entry removed": (_outer(lambda e: [e[0], *e[2:]]), Reason.BAD_CONTAINER),
    "entries swapped": (_outer(lambda e: [e[1], e[0], *e[2:]]), Reason.BAD_CONTAINER),
    "README too large": (_outer(lambda e: [*e[:2], ("README.txt", b"x" * 5000)]),
                         Reason.BAD_CONTAINER),
    "outer ZIP truncated": (lambda _c, _l, bundle: bundle[:-10], Reason.BAD_CONTAINER),
    "manifest changed": (_resealed(_replace("manifest.json",
                                            lambda d: d.replace(b"intake-app", b"intake-xyz"))),
                         Reason.MANIFEST_MISMATCH),
    "comment names another seq": (lambda c, lap, b: seal(decrypt(b, c), c, lap, seq=2),
                                  Reason.MANIFEST_MISMATCH),
    "one record changed": (_resealed(_one_record_changed), Reason.HASH_MISMATCH),
    "one attachment changed": (_resealed(_replace("attachments/", lambda d: _flip(d, 10))),
                               Reason.HASH_MISMATCH),
    "attachment removed": (_resealed(lambda e: [x for x in e
                                                if not x[0].startswith("attachments/")]),
                           Reason.HASH_MISMATCH),
    "unlisted file added": (_resealed(lambda e: [*e, ("attachments/" + hashlib.sha256(
        b"extra").hexdigest(), b"extra")]), Reason.HASH_MISMATCH),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_tampering_is_caught(setting: tuple[Centre, Laptop, bytes], name: str) -> None:
    centre, laptop, bundle = setting
    tamper, reason = CASES[name]
    before = record_digest(centre.vault)
    result = import_bundle(centre, tamper(centre, laptop, bundle), file_name=name)
    assert (result.outcome, result.reason) == (Outcome.REJECTED, reason)
    assert record_digest(centre.vault) == before


def test_unsigned_parts_change_nothing_that_is_used(setting: tuple[Centre, Laptop, bytes]
                                                    ) -> None:
    """README.txt and the untrusted comment are not signed; changing them changes no data."""
    centre, _laptop, bundle = setting
    entries = zip_entries(bundle)
    changed = build_zip(_signature_line([*entries[:2], ("README.txt", b"changed readme")], 0,
                                        lambda _line: b"untrusted comment: edited"))
    first = import_bundle(centre, bundle, file_name="original")
    assert first.delivered
    before = record_digest(centre.vault)
    result = import_bundle(centre, changed, file_name="changed")
    assert result.outcome is Outcome.DUPLICATE  # the very payload that was already imported
    assert record_digest(centre.vault) == before
