"""Import benchmark: the centre's whole import against the bare pipeline on the same bundles.

Data sets (`bundle_kit`): (a) 1,000 interviews + 50 MiB of attachments, (b) one interview
with a single 200 MiB recording; `--quick`: ten times smaller. The bundles are made once by
the laptop's own export.

- ours: `import_bundle` for every bundle into a fresh copy of the empty centre (copying and
  unlocking untimed): the seven checks (container, signature, sequence, the payload decrypted
  as a stream, the ZIP walked and each record validated against its form), the attachments
  encrypted into the centre's attachment files, one transaction storing the records, the
  attachment rows, the log row and the receipt, then the receipt written to the share;
- bare: read `payload.age` and its signature, minisign verify (prehashed), `pyrage.decrypt`,
  SHA-256 of every payload entry, each attachment written encrypted (`pyrage.encrypt` to a
  fresh X25519 identity, temporary file, fsync, rename, folder fsync), and one SQLCipher
  transaction (the vault's pragmas) inserting the record and attachment rows; in memory.

Each case runs in a fresh child process, interleaved (bare, ours, bare, ours, ...); the best
of `--runs` is kept. Printed: times, the ratio bare/ours (target >= 0.5), and each case's peak
RSS over the timed part (VmHWM), which must not grow with the attachments' size.

Run: `.venv/bin/python bench/bench_import.py [--quick] [--runs 5] [--profile]`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import zipfile
from pathlib import Path
from typing import Any

import bundle_kit as kit
import minisign
import pyrage
from pyrage import x25519

_TABLES = (
    "CREATE TABLE record (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, document TEXT NOT NULL)",
    "CREATE TABLE attachment_file (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, "
    "file TEXT NOT NULL, identity TEXT NOT NULL)",
)


def _bundles(folder: Path) -> list[Path]:
    return [Path(p) for p in json.loads((folder / "bundles.json").read_text())]


def ours(folder: Path) -> dict[str, Any]:
    from intake_app.sync.centre.importer import import_bundle
    from intake_app.sync.centre.vault import Centre
    from intake_app.sync.errors import Outcome

    share = folder / "share"
    share.mkdir(exist_ok=True)
    with Centre.open(folder / "centre-data", kit.PASSPHRASE, share=share,
                     validator=kit.validator) as centre, kit.Peak() as peak:
        for path in _bundles(folder):
            result = import_bundle(centre, path)
            if result.outcome is not Outcome.ACCEPTED:
                raise SystemExit(f"bundle not accepted: {result.reason}")
    return peak.report()


def bare(folder: Path) -> dict[str, Any]:
    from intake_app.sync.centre.vault import Centre

    with Centre.open(folder / "centre-data", kit.PASSPHRASE, validator=kit.validator) as centre:
        identities = [x25519.Identity.from_str(str(i)) for i in centre.identities]
    public_key = minisign.PublicKey.from_base64((folder.parent / "device.pub").read_text())
    files = folder / "attachments"
    files.mkdir(mode=0o700)
    conn = kit.bare_database(folder / "bare.db", _TABLES)
    with kit.Peak() as peak:
        for path in _bundles(folder):
            with zipfile.ZipFile(path) as outer:
                encrypted = outer.read("payload.age")
                signature = minisign.Signature.from_bytes(outer.read("payload.age.minisig"))
            public_key.verify(encrypted, signature)
            plain = pyrage.decrypt(encrypted, identities)
            del encrypted
            records, attachments = [], []
            with zipfile.ZipFile(io.BytesIO(plain)) as inner:
                for info in inner.infolist():
                    data = inner.read(info)
                    digest = hashlib.sha256(data).hexdigest()
                    if info.filename.startswith("attachments/"):
                        attachments.append(_write_file(files, data, digest))
                    elif info.filename.startswith("records/"):
                        records.append((info.filename[8:-5], digest, data.decode()))
            del plain
            directory = os.open(files, os.O_RDONLY)
            os.fsync(directory)
            os.close(directory)
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO record VALUES (?, ?, ?)", records)
            conn.executemany("INSERT INTO attachment_file VALUES (?, ?, ?, ?)", attachments)
            conn.execute("COMMIT")
    conn.close()
    return peak.report()


def _write_file(files: Path, data: bytes, digest: str) -> tuple[str, int, str, str]:
    identity = x25519.Identity.generate()
    name = secrets.token_hex(16) + ".age"
    partial = files / f".{name}.partial"
    with partial.open("wb") as handle:
        handle.write(pyrage.encrypt(data, [identity.to_public()]))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, files / name)
    return digest, len(data), name, str(identity)


def prepare(folder: Path, data: kit.DataSet) -> kit.Plan:
    """The centre and the laptop's bundles; each run imports into a fresh copy of the centre."""
    pair = kit.build_pair(folder, data)
    bundles = kit.export_bundles(pair.device)
    (folder / "bundles.json").write_text(json.dumps([str(p) for p in bundles]))
    scratch = folder / "scratch"

    def fresh() -> None:
        shutil.rmtree(scratch, ignore_errors=True)
        kit.copy_tree(pair.centre_data, scratch / "centre-data")
        shutil.copy(folder / "bundles.json", scratch / "bundles.json")

    return [("bare", scratch, fresh), ("ours", scratch, fresh)]


if __name__ == "__main__":
    kit.compare_main(__file__, __doc__ or "", "import", {"bare": bare, "ours": ours}, prepare)
