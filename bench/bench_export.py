"""Export benchmark: the laptop's whole export against the bare pipeline on the same bytes.

Data sets (`bundle_kit`): (a) 1,000 interviews + 50 MiB of attachments, (b) one interview
with a single 200 MiB recording; `--quick`: ten times smaller.

- ours: `export_changes` on a fresh copy of the enrolled laptop vault (collect the changes,
  plan, payload ZIP streamed from the attachment files, age to the centre's recipients,
  prehashed minisign signature, the bundle file in the outbox with fsync and rename, the
  outbox rows);
- bare: on the same vault's rows, prepared untimed (record documents as canonical JSON, each
  attachment's file name and identity): read each attachment file and decrypt it
  (`pyrage.decrypt` with its identity), SHA-256 (checked against its row), the payload ZIP
  (records deflated at level 1, attachments stored, as ours), `pyrage.encrypt` to the centre's
  recipients, minisign prehashed sign, and the bundle file written, fsynced and renamed;
  everything in memory.

Each case runs in a fresh child process, interleaved (bare, ours, bare, ours, ...); the best
of `--runs` is kept. Printed: times, the ratio bare/ours (target >= 0.5), and each case's peak
RSS over the timed part (VmHWM), which must not grow with the attachments' size.

Run: `.venv/bin/python bench/bench_export.py [--quick] [--runs 5] [--profile]`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import bundle_kit as kit

from intake_app.storage import Vault


def ours(folder: Path) -> dict[str, Any]:
    from intake_app.sync.device.export import export_changes
    from intake_app.sync.device.identity import load_device

    vault = Vault.unlock(folder / "device", kit.PASSPHRASE)
    try:
        device = load_device(vault)
        with kit.Peak() as peak:
            result = export_changes(vault, device=device)
        size = sum(bundle.size or 0 for bundle in result.bundles)
    finally:
        vault.lock()
    return peak.report(bundles=len(result.bundles), bytes=size)


def bare(folder: Path) -> dict[str, Any]:
    import pyrage
    from pyrage import x25519

    from intake_app.storage.attachments import file_rows
    from intake_app.sync.device.identity import load_device
    from intake_app.sync.format.keys import parse_recipient
    from intake_app.sync.format.strict_json import dumps_canonical

    vault = Vault.unlock(folder / "device", kit.PASSPHRASE)
    try:
        device = load_device(vault)
        store = vault.interviews
        ids = [summary.id for summary in store.list()]
        records = [(f"records/{i}.json", dumps_canonical(doc)) for i, (doc, _head)
                   in store.heads(ids).items()]
        with vault.reading() as conn:
            rows = file_rows(conn)
    finally:
        vault.lock()
    recipients = [parse_recipient(text) for text in device.profile.age_recipients]
    files = folder / "device" / "attachments"
    target = folder / "bare.ibundle"
    with kit.Peak() as peak:
        buffer = io.BytesIO()
        manifest = {"records": [{"path": p, "sha256": hashlib.sha256(d).hexdigest()}
                                for p, d in records],
                    "attachments": [{"sha256": sha256, "size": size}
                                    for _f, _i, sha256, size in rows]}
        with zipfile.ZipFile(buffer, "w") as inner:
            inner.writestr("manifest.json", json.dumps(manifest).encode(),
                           zipfile.ZIP_DEFLATED, 1)
            for path, data in records:
                inner.writestr(path, data, zipfile.ZIP_DEFLATED, 1)
            for name, identity, sha256, _size in rows:
                plain = pyrage.decrypt((files / name).read_bytes(),
                                       [x25519.Identity.from_str(identity)])
                if hashlib.sha256(plain).hexdigest() != sha256:
                    raise SystemExit("attachment damaged")
                inner.writestr(f"attachments/{sha256}", plain)
                del plain
        encrypted = pyrage.encrypt(buffer.getvalue(), recipients)
        del buffer
        signature = device.secret_key.sign(encrypted, prehash=True, trusted_comment="bench")
        partial = target.with_name(".bare.partial")
        with partial.open("wb") as handle:
            with zipfile.ZipFile(handle, "w") as outer:
                outer.writestr("payload.age", encrypted)
                outer.writestr("payload.age.minisig", bytes(signature) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
        fd = os.open(folder, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    size = target.stat().st_size
    target.unlink()
    return peak.report(bundles=1, bytes=size)


def prepare(folder: Path, data: kit.DataSet) -> kit.Plan:
    """The laptop vault, measured as it is (bare) and in a fresh copy for each export (ours)."""
    template = kit.build_pair(folder, data)
    scratch = folder / "scratch"

    def fresh() -> None:
        kit.copy_tree(template.device, scratch / "device")

    return [("bare", template.folder, None), ("ours", scratch, fresh)]


if __name__ == "__main__":
    kit.compare_main(__file__, __doc__ or "", "export", {"bare": bare, "ours": ours}, prepare)
