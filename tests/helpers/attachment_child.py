"""A child process for the attachment kill tests (run as a script, killed on purpose).

It waits for a line on stdin, prints "ready <monotonic time>", then works until killed,
printing a line only after each change committed:

  add FOLDER PASSPHRASE RECORD SEED     add 50 MB attachments again and again: "A <sha256>"
  churn FOLDER PASSPHRASE RECORD SEED   add a small attachment, remove it, now and then delete
                                        a whole record with its files: "A <sha256>",
                                        "X <sha256>", "D <record> <sha256>..."
  unlock FOLDER PASSPHRASE              unlock (a vault of an older schema migrates); "ready"
                                        comes as the migration starts, "done <s>" after it
"""

from __future__ import annotations

import io
import random
import sys
import time
from pathlib import Path

from intake_app.storage import Vault
from tests.helpers.documents import make_document

FIFTY_MB = 50 * 1024 * 1024


class Generated(io.RawIOBase):
    """`size` bytes from a seed, made piece by piece as they are read."""

    def __init__(self, size: int, seed: int) -> None:
        self._left = size
        self._rng = random.Random(seed)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        count = min(len(buffer), self._left)
        buffer[:count] = self._rng.randbytes(count)
        self._left -= count
        return count


def _ready() -> None:
    sys.stdin.readline()


def add(folder: Path, passphrase: str, record_id: str, seed: int) -> None:
    _ready()
    vault = Vault.unlock(folder, passphrase)
    print(f"ready {time.monotonic()}", flush=True)
    while True:
        seed += 1
        info = vault.interviews.add_attachment(
            record_id, Generated(FIFTY_MB, seed), "video/mp4", f"{seed}.mp4")
        print(f"A {info.sha256}", flush=True)


def churn(folder: Path, passphrase: str, record_id: str, seed: int) -> None:
    _ready()
    vault = Vault.unlock(folder, passphrase)
    store = vault.interviews
    rng = random.Random(seed)
    print(f"ready {time.monotonic()}", flush=True)
    while True:
        seed += 1
        if rng.random() < 0.2:  # a whole record goes, with its files
            document = make_document()
            store.save_revision(document)
            shas = [store.add_attachment(document["id"], Generated(rng.randint(1, 300_000),
                                                                   seed * 10 + n),
                                         "image/jpeg", "p.jpg").sha256 for n in range(3)]
            store.delete(document["id"], "test")
            print(f"D {document['id']} {' '.join(shas)}", flush=True)
            continue
        info = store.add_attachment(record_id, Generated(rng.randint(1, 300_000), seed),
                                    "image/jpeg", "p.jpg")
        print(f"A {info.sha256}", flush=True)
        store.remove_attachment(record_id, info.sha256)
        print(f"X {info.sha256}", flush=True)


def unlock(folder: Path, passphrase: str) -> None:
    """Say "ready" once the key is derived, as the migration starts (the kills aim there)."""
    from intake_app.storage import vault as vault_module

    migrate = vault_module.migrate_core
    started: list[float] = []

    def announced(*args: object) -> None:
        started.append(time.monotonic())
        print(f"ready {started[0]}", flush=True)
        migrate(*args)  # type: ignore[arg-type]

    vault_module.migrate_core = announced  # type: ignore[assignment]
    _ready()
    Vault.unlock(folder, passphrase).lock()
    print(f"done {time.monotonic() - started[0]}", flush=True)


def main(argv: list[str]) -> None:
    mode, folder, passphrase = argv[0], Path(argv[1]), argv[2]
    if mode == "add":
        add(folder, passphrase, argv[3], int(argv[4]))
    elif mode == "churn":
        churn(folder, passphrase, argv[3], int(argv[4]))
    elif mode == "unlock":
        unlock(folder, passphrase)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
