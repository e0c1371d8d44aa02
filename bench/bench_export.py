"""Export benchmark: the full device path against the bare cryptographic pipeline, same run.

Data: 1,000 interviews of about 4 KB and 50 MB of attachments in a real vault, enrolled with a
centre profile of two age recipients (primary and backup).

- device path: `export_changes` (collect, plan, payload ZIP, age, signature, the bundle file
  in the vault's outbox folder) and the copy to `<share>/inbox/<device>/` (partial, fsync,
  rename), in a fresh child process per run so its peak memory (ru_maxrss) is its own;
- bare pipeline: SHA-256, `pyrage.encrypt` and a prehashed minisign signature of the same
  plaintext bytes (the documents and attachments), held in memory;
- vault floor (for context): reading the attachments back out of the vault (SQLCipher), which
  any export from an encrypted vault must do and the bare pipeline does not.

Prints the times, the ratio bare/device (target >= 0.5) and the child's peak memory.
Run: `python bench/bench_export.py [--interviews N] [--attachment-mb M] [--runs R]`.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import minisign  # noqa: E402
import pyrage  # noqa: E402

from intake_app.storage import KdfParams, Vault  # noqa: E402
from intake_app.sync.centre.setup import write_profile  # noqa: E402
from intake_app.sync.device.enrol import accept_profile, read_profile_file  # noqa: E402
from intake_app.sync.device.schema import ensure_device_schema  # noqa: E402
from intake_app.sync.format import keys  # noqa: E402
from intake_app.sync.format.profile import CentreProfile  # noqa: E402

PASSPHRASE = "benchmark passphrase 2026"
ATTACHMENT_BYTES = 1_000_000


def _document(index: int) -> dict[str, Any]:
    story = ("Worked long days in a restaurant kitchen without a contract or pay. " * 50)[:3500]
    return {
        "format": "intake-interview", "version": 1, "id": str(uuid.uuid4()), "revision": 0,
        "form": "intake-fi", "form_version": "2026.1",
        "created": "2026-11-28T16:02:11Z", "modified": "2026-11-28T16:05:00Z",
        "status": "final",
        "answers": {"consent_interview": "yes", "alias": f"Person {index}",
                    "account": {"text": story, "lang": "en"}, "setting": "street"},
    }


def build(folder: Path, interviews: int, attachment_mb: int) -> tuple[bytes, list[Any]]:
    """Make the enrolled vault and return the plaintext bytes and the centre's recipients."""
    share = folder / "share"
    share.mkdir(parents=True)
    centre = keys.CentreKeys.generate(with_backup=True)
    profile = CentreProfile(str(uuid.uuid4()), "Bench centre", tuple(centre.recipients()),
                            centre.receipt_key_text(), str(share))
    write_profile(folder / "centre-profile.json", profile)
    vault, _code = Vault.create(folder / "vault", PASSPHRASE, kdf=KdfParams.MINIMUM)
    ensure_device_schema(vault)
    accept_profile(vault, read_profile_file(folder / "centre-profile.json"),
                   device_name="Bench laptop", worker="B-1")
    plain = bytearray()
    store = vault.interviews
    documents = [_document(i) for i in range(interviews)]
    store.save_revisions(documents)
    for document in documents:
        plain += json.dumps(store.get(document["id"]), sort_keys=True,
                            separators=(",", ":"), ensure_ascii=False).encode()
    count = attachment_mb * 1_000_000 // ATTACHMENT_BYTES
    for index in range(count):
        data = os.urandom(ATTACHMENT_BYTES)
        store.add_attachment(documents[index]["id"], io.BytesIO(data), "image/jpeg", "p.jpg")
        plain += data
    vault.lock()
    return bytes(plain), [keys.parse_recipient(r) for r in profile.age_recipients]


def bare_pipeline(plain: bytes, recipients: list[Any], signer: minisign.SecretKey) -> float:
    started = time.perf_counter()
    hashlib.sha256(plain).hexdigest()
    encrypted = pyrage.encrypt(plain, recipients)
    signer.sign(io.BytesIO(encrypted), prehash=True, trusted_comment="bench")
    return time.perf_counter() - started


def vault_floor(folder: Path) -> float:
    """Read every attachment back out of the vault, 256 KiB at a time."""
    vault = Vault.unlock(folder / "vault", PASSPHRASE)
    try:
        started = time.perf_counter()
        for summary in vault.interviews.list():
            for info in vault.interviews.attachments(summary.id):
                with vault.interviews.open_attachment(info.sha256) as reader:
                    while reader.read(256 * 1024):
                        pass
        return time.perf_counter() - started
    finally:
        vault.lock()


def child(folder: Path) -> None:
    """One device-path run in this fresh process; prints JSON."""
    from intake_app.sync.device.export import export_changes
    from intake_app.sync.device.identity import load_device
    from intake_app.sync.device.outbox import Outbox
    from intake_app.sync.device.transport import copy_bundle, prepare_inbox

    vault = Vault.unlock(folder / "vault", PASSPHRASE)
    device = load_device(vault)
    before = _reset_peak()  # unlocking (Argon2id) has its own, earlier peak
    started = time.perf_counter()
    result = export_changes(vault, device=device)
    exported = time.perf_counter()
    inbox = prepare_inbox(folder / "share", device.device_id)
    size = 0
    for bundle in Outbox(vault).bundles():
        size += copy_bundle(vault, bundle, inbox).stat().st_size
    copied = time.perf_counter()
    peak = _peak()
    vault.lock()
    print(json.dumps({"export": exported - started, "copy": copied - exported,
                      "bundles": len(result.bundles), "bytes": size,
                      "rss_before_kib": before, "rss_peak_kib": peak}))


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> int:
    """Reset the peak-RSS mark (Linux) and return the current RSS in KiB."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass
    return _status_kib("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak() -> int:
    """Peak RSS in KiB since `_reset_peak` (Linux), else since the process started."""
    return _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def device_run(template: Path, scratch: Path) -> dict[str, Any]:
    """Copy the prepared vault and run the device path on the copy in a child process."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(template, scratch)
    output = subprocess.run([sys.executable, __file__, "--child", str(scratch)],
                            capture_output=True, check=True, timeout=1800)
    result: dict[str, Any] = json.loads(output.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--attachment-mb", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as temp:
        template = Path(temp) / "template"
        plain, recipients = build(template, args.interviews, args.attachment_mb)
        signer = keys.generate_signing_key().secret_key
        bare, device, floors = [], [], []
        for run in range(args.runs):
            scratch = Path(temp) / f"run{run}"
            bare.append(bare_pipeline(plain, recipients, signer))
            device.append(device_run(template, scratch))
            floors.append(vault_floor(scratch))
            shutil.rmtree(scratch)
        floor = min(floors)
    best = min(device, key=lambda r: r["export"] + r["copy"])
    total = best["export"] + best["copy"]
    print(f"data: {args.interviews} interviews, {len(plain) / 1e6:.1f} MB plaintext, "
          f"{best['bundles']} bundle(s) of {best['bytes'] / 1e6:.1f} MB in all")
    print(f"bare pipeline (sha256 + age + minisign), best of {args.runs}: {min(bare):.3f} s")
    print(f"device path, best of {args.runs}: {total:.3f} s "
          f"(export into outbox {best['export']:.3f} s, copy to inbox {best['copy']:.3f} s)")
    print(f"ratio bare/device: {min(bare) / total:.2f} (target >= 0.5)")
    print(f"vault floor (read the attachments out of SQLCipher), best of {args.runs}: "
          f"{floor:.3f} s; ratio (bare + floor)/device: {(min(bare) + floor) / total:.2f}")
    print(f"peak memory during the device run: {best['rss_peak_kib'] / 1024:.0f} MiB RSS "
          f"(RSS before the export {best['rss_before_kib'] / 1024:.0f} MiB, "
          f"growth {(best['rss_peak_kib'] - best['rss_before_kib']) / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
