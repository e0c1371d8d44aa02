"""`record attach`, `record attachments` and `record attachment` end to end, on a real vault."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASS = "correct horse battery staple"
EXAMPLE = ROOT / "docs" / "document-format.md"


def run(data: Path, *args: str, stdin: str = PASS + "\n") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, INTAKE_KDF="minimum", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "intake_app", "--data-dir", str(data), *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )


def _example_document() -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("```json") + len("```json")
    return text[start : text.index("```", start)]


def test_attach_list_and_copy_out(tmp_path: Path) -> None:
    data = tmp_path / "cli-data"
    assert run(data, "init").returncode == 0
    added = run(data, "record", "add", "-", stdin=PASS + "\n" + _example_document())
    assert added.returncode == 0, added.stderr
    record_id = json.loads(added.stdout)["id"]
    photo = tmp_path / "passport.jpg"
    content = os.urandom(3_000_000)
    photo.write_bytes(content)
    sha = hashlib.sha256(content).hexdigest()

    attached = run(data, "record", "attach", record_id, str(photo))
    assert attached.returncode == 0, attached.stderr
    assert attached.stdout.strip() == sha
    other = tmp_path / "notes.bin"
    other.write_bytes(b"notes")
    typed = run(data, "record", "attach", record_id, str(other), "--media-type", "text/plain")
    assert typed.returncode == 0, typed.stderr

    listed = run(data, "record", "attachments", record_id, "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(json.loads(listed.stdout), key=lambda row: row["size"]) == [
        {"sha256": hashlib.sha256(b"notes").hexdigest(), "size": 5, "media_type": "text/plain",
         "name": "notes.bin"},
        {"sha256": sha, "size": len(content), "media_type": "image/jpeg", "name": "passport.jpg"},
    ]

    target = tmp_path / "out" / "copy.jpg"
    target.parent.mkdir()
    copied = run(data, "record", "attachment", record_id, sha, "--to", str(target))
    assert copied.returncode == 0, copied.stderr
    assert "clear, unencrypted copy" in copied.stderr and str(target) in copied.stderr
    assert target.read_bytes() == content
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = run(data, "record", "attachment", record_id, sha, "--to", str(target))
    assert again.returncode == 2 and "exists already" in again.stderr
    unknown = run(data, "record", "attachment", record_id, "0" * 64, "--to",
                  str(tmp_path / "none"))
    assert unknown.returncode == 2 and not (tmp_path / "none").exists()

    checked = run(data, "vault", "check", "--json")
    assert checked.returncode == 0, checked.stdout
    assert json.loads(checked.stdout)["attachments"] == []
    files = list((data / "vault" / "attachments").iterdir())
    assert len(files) == 2 and not any(content[:64] in f.read_bytes() for f in files)
