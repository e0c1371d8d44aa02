"""sync.prehashed: a signature over a digest equals py-minisign's own prehashed signature."""

from __future__ import annotations

import os

import minisign
import pytest

from intake_app.sync import keys
from intake_app.sync.prehashed import new_digest, sign_digest


def test_signing_the_digest_gives_py_minisigns_signature_byte_for_byte() -> None:
    pair = keys.generate_signing_key()
    data = os.urandom(300_000)
    digest = new_digest()
    for start in range(0, len(data), 70_000):
        digest.update(data[start : start + 70_000])
    ours = sign_digest(pair.secret_key, digest.digest(), "device:x\tseq:1")
    theirs = pair.secret_key.sign(data, prehash=True, trusted_comment="device:x\tseq:1")
    assert bytes(ours) == bytes(theirs)
    pair.public_key.verify(data, ours)


def test_refuses_what_it_cannot_sign_honestly() -> None:
    pair = keys.generate_signing_key()
    digest = new_digest().digest()
    with pytest.raises(ValueError):
        sign_digest(pair.secret_key, digest[:32], "x")
    with pytest.raises(ValueError):
        sign_digest(pair.secret_key, digest, "two\nlines")
    encrypted = minisign.SecretKey.from_base64(pair.secret_key.to_base64())
    encrypted.encrypt("a password")
    with pytest.raises(ValueError):
        sign_digest(encrypted, digest, "x")
