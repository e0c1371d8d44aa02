"""sync.prehashed: a signature over a digest equals py-minisign's own prehashed signature."""

from __future__ import annotations

import os

import minisign
import pytest

from intake_app.sync.format import keys
from intake_app.sync.format.prehashed import new_digest, sign_digest


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


def test_verify_digest_agrees_with_py_minisign() -> None:
    from intake_app.sync.format.prehashed import verify_digest

    pair, other = keys.generate_signing_key(), keys.generate_signing_key()
    data = os.urandom(50_000)
    digest = new_digest()
    digest.update(data)
    signature = pair.secret_key.sign(data, prehash=True, trusted_comment="seq:1")
    verify_digest(pair.public_key, signature, digest.digest())
    wrong = new_digest()
    wrong.update(data + b"x")
    with pytest.raises(minisign.VerifyError):
        verify_digest(pair.public_key, signature, wrong.digest())
    with pytest.raises(minisign.VerifyError):
        verify_digest(other.public_key, signature, digest.digest())
    # An edited trusted comment breaks the global signature.
    text = bytes(signature).replace(b"seq:1", b"seq:2")
    with pytest.raises(minisign.VerifyError):
        verify_digest(pair.public_key, minisign.Signature.from_bytes(text), digest.digest())
    pure = pair.secret_key.sign(data, prehash=False)
    with pytest.raises(minisign.VerifyError):
        verify_digest(pair.public_key, pure, digest.digest())
