"""Attachment file benchmark: the vault's add and read against bare pyrage on the same bytes.

Each case runs in a fresh child process so its peak memory (ru_maxrss) is its own:
- vault add: `vault.interviews.add_attachment` from a file (SHA-256, age to a new identity,
  temporary file, fsync, rename, fsync of the folder, one transaction);
- bare add: `pyrage.encrypt_io` of the same file through a SHA-256 reader, then fsync;
- vault read: `open_attachment` read to the end in 1 MiB reads, hashed (decrypting thread);
- bare read: `pyrage.decrypt_io` of the same file into a SHA-256 writer.

Run: `python bench/bench_attachment_files.py [--mb 200] [--runs 3]`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark passphrase long enough"


def child(case: str, work: Path) -> dict[str, float]:
    import hashlib

    import pyrage
    from pyrage import x25519

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from intake_app.storage import KdfParams, Vault

    source = work / "source.bin"
    started = 0.0
    if case in ("vault-add", "vault-read"):
        vault = Vault.unlock(work / "vault", PASSPHRASE) if (work / "vault").exists() else \
            Vault.create(work / "vault", PASSPHRASE, kdf=KdfParams.MINIMUM)[0]
        store = vault.interviews
        ids = [s.id for s in store.list()]
        if case == "vault-add":
            document = {"format": "intake-interview", "version": 1, "id": "0" * 8 + "-0000-4000-"
                        "8000-" + "0" * 12, "revision": 0, "form": "intake-fi",
                        "form_version": "2026.1", "created": "2026-11-28T16:02:11Z",
                        "modified": "2026-11-28T16:05:00Z", "status": "final",
                        "answers": {"consent_interview": "yes", "alias": "B."}}
            if not ids:
                store.save_revision(document)
            started = time.perf_counter()
            with source.open("rb") as handle:
                store.add_attachment(document["id"], handle, "video/mp4", "v.mp4")
        else:
            (info,) = store.attachments(ids[0])
            started = time.perf_counter()
            digest = hashlib.sha256()
            with store.open_attachment(info.sha256) as reader:
                while piece := reader.read(1024 * 1024):
                    digest.update(piece)
            assert digest.hexdigest() == info.sha256
        vault.lock()
    elif case == "bare-add":
        identity = x25519.Identity.generate()
        (work / "bare.key").write_text(str(identity))
        started = time.perf_counter()

        class Hashing:
            def __init__(self, handle: object) -> None:
                self.handle = handle
                self.digest = hashlib.sha256()

            def read(self, size: int = -1) -> bytes:
                data: bytes = self.handle.read(size)  # type: ignore[attr-defined]
                self.digest.update(data)
                return data

        with source.open("rb") as handle, (work / "bare.age").open("wb") as out:
            pyrage.encrypt_io(Hashing(handle), out, [identity.to_public()])
            out.flush()
            os.fsync(out.fileno())
    else:
        identity = x25519.Identity.from_str((work / "bare.key").read_text())

        class Digest:
            def __init__(self) -> None:
                self.digest = hashlib.sha256()

            def write(self, data: bytes) -> int:
                self.digest.update(data)
                return len(data)

            def flush(self) -> None:
                pass

        started = time.perf_counter()
        with (work / "bare.age").open("rb") as handle:
            pyrage.decrypt_io(handle, Digest(), [identity])
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    results: dict[str, list[dict[str, float]]] = {}
    for _ in range(args.runs):
        work = Path(tempfile.mkdtemp(prefix="bench-attach-"))
        try:
            with (work / "source.bin").open("wb") as handle:
                for _ in range(args.mb):
                    handle.write(os.urandom(1024 * 1024))
            for case in ("bare-add", "vault-add", "bare-read", "vault-read"):
                done = subprocess.run(
                    [sys.executable, __file__, "--child", case, str(work)],
                    capture_output=True, text=True, check=True)
                results.setdefault(case, []).append(json.loads(done.stdout))
        finally:
            shutil.rmtree(work)
    for case, runs in results.items():
        best = min(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        print(f"{case:<11} {args.mb} MB  best {best:6.2f} s  {args.mb / best:7.1f} MB/s  "
              f"peak RSS {peak:6.1f} MB")
    for kind in ("add", "read"):
        bare = min(r["seconds"] for r in results[f"bare-{kind}"])
        ours = min(r["seconds"] for r in results[f"vault-{kind}"])
        print(f"{kind}: bare/vault = {bare / ours:.2f}")


if __name__ == "__main__":
    main()
