"""Deleting an original after its copy is in the vault: zeros first, then unlink; never a file
that changed, a link, or another name of the same bytes; errors are known and translated."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from intake_app.services import original_files
from intake_app.services.original_files import (
    ALREADY_GONE,
    DELETED,
    Original,
    OriginalChanged,
    OriginalNoPermission,
    OriginalNotAFile,
    delete_original,
    delete_originals,
)


def _original(path: Path, data: bytes) -> Original:
    path.write_bytes(data)
    return Original(path, hashlib.sha256(data).hexdigest(), len(data))


def test_the_file_is_overwritten_with_zeros_before_it_is_unlinked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = os.urandom(3 * original_files.CHUNK + 5)
    original = _original(tmp_path / "passport.jpg", data)
    seen: list[bytes] = []
    unlink = Path.unlink

    def watched(self: Path, missing_ok: bool = False) -> None:
        seen.append(self.read_bytes())
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", watched)
    assert delete_original(original) == DELETED
    assert not original.path.exists()
    assert seen == [bytes(len(data))]


def test_a_file_that_changed_or_was_replaced_is_left_alone(tmp_path: Path) -> None:
    original = _original(tmp_path / "photo.png", b"the photo as added")
    original.path.write_bytes(b"the photo as added, then edited")
    with pytest.raises(OriginalChanged) as raised:
        delete_original(original)
    assert "photo.png" in raised.value.translated()
    assert original.path.read_bytes() == b"the photo as added, then edited"
    same_size = _original(tmp_path / "same.png", b"abc")
    same_size.path.write_bytes(b"xyz")
    with pytest.raises(OriginalChanged):
        delete_original(same_size)
    assert same_size.path.read_bytes() == b"xyz"


def test_a_link_is_never_followed(tmp_path: Path) -> None:
    target = _original(tmp_path / "real.pdf", b"statement")
    link = tmp_path / "link.pdf"
    link.symlink_to(target.path)
    with pytest.raises(OriginalNotAFile):
        delete_original(Original(link, target.sha256, target.size))
    assert target.path.read_bytes() == b"statement" and link.is_symlink()


def test_another_name_of_the_same_bytes_keeps_them(tmp_path: Path) -> None:
    original = _original(tmp_path / "audio.ogg", b"recording")
    other = tmp_path / "kept.ogg"
    os.link(original.path, other)
    assert delete_original(original) == DELETED
    assert not original.path.exists() and other.read_bytes() == b"recording"


def test_gone_already_and_no_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = Original(tmp_path / "gone.jpg", "0" * 64, 1)
    assert delete_original(missing) == ALREADY_GONE
    original = _original(tmp_path / "locked.jpg", b"photo")
    monkeypatch.setattr(original_files.os, "access", lambda _path, _mode: False)
    with pytest.raises(OriginalNoPermission):
        delete_original(original)
    assert original.path.read_bytes() == b"photo"  # not zeroed: it could not be unlinked


def test_many_at_once_each_with_its_outcome(tmp_path: Path) -> None:
    first = _original(tmp_path / "a.jpg", b"a")
    changed = _original(tmp_path / "b.jpg", b"b")
    changed.path.write_bytes(b"B")
    outcomes = delete_originals([first, changed]).result(timeout=10)
    assert [o.result for o in outcomes] == [DELETED, None]
    assert isinstance(outcomes[1].error, OriginalChanged)
