"""A child process for the storage crash and leak tests (run as a script, killed on purpose).

Modes:
  save-then-die FOLDER PASSPHRASE          save a little, then SIGKILL itself (leaves a hot WAL)
  save-loop FOLDER PASSPHRASE SEED         after a line on stdin, save drafts, revisions,
                                           attachments and deletes until killed, printing
                                           each one after it committed
  change-passphrase FOLDER OLD NEW [WHEN]  change the passphrase; WHEN = before-replace or
                                           after-replace kills the process at that point
  leak-session FOLDER PASSPHRASE MARKER    a whole session with MARKER in every kind of data;
                                           pauses (prints "paused") until a line on stdin
"""

from __future__ import annotations

import io
import os
import random
import signal
import sys
import time
import uuid
from pathlib import Path

from intake_app.storage import Vault
from tests.helpers.documents import make_document
from tests.helpers.storage import FAST


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def save_then_die(folder: Path, passphrase: str) -> None:
    vault = Vault.unlock(folder, passphrase)
    for _ in range(5):
        document = make_document(revision=0)
        vault.interviews.save_revision(document)
        vault.interviews.save_draft(document)
    _die()


def save_loop(folder: Path, passphrase: str, seed: int) -> None:
    rng = random.Random(seed)
    sys.stdin.readline()  # started early; unlock only when the parent says so
    store = Vault.unlock(folder, passphrase).interviews
    saved = [s.id for s in store.list() if not s.deleted]
    known = saved + [d.id for d in store.drafts() if d.id not in saved]
    print(f"ready {time.monotonic()}", flush=True)
    step = seed * 1_000_000
    while True:
        step += 1
        roll = rng.random()
        if not known or roll < 0.1:
            known.append(str(uuid.uuid4()))
        record_id = rng.choice(known)
        document = make_document(record_id, revision=0, account="word " * rng.randint(10, 300),
                                 counter=step)
        if roll < 0.5 or (roll >= 0.9 and record_id not in saved):
            store.save_draft(document)
            print(f"D {record_id} {step}", flush=True)
        elif roll < 0.9:
            info = store.save_revision(document)
            if record_id not in saved:
                saved.append(record_id)
            print(f"R {record_id} {info.revision} {info.sha256}", flush=True)
        elif roll < 0.97:
            # Mostly small files; now and then one that spans two chunks.
            size = (
                rng.randint(1_100_000, 1_200_000) if rng.random() < 0.04 else rng.randint(1, 60_000)
            )
            content = io.BytesIO(rng.randbytes(size))
            attached = store.add_attachment(record_id, content, "application/octet-stream", "f")
            print(f"A {record_id} {attached.sha256}", flush=True)
        else:
            info = store.delete(record_id, "test")
            saved.remove(record_id)
            known.remove(record_id)
            print(f"X {record_id} {info.revision}", flush=True)


def change_passphrase(folder: Path, old: str, new: str, when: str) -> None:
    vault = Vault.unlock(folder, old)
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if when == "before-replace":
            _die()
        real_replace(source, target)
        if when == "after-replace":
            _die()

    os.replace = replace  # type: ignore[assignment]
    print(f"ready {time.monotonic()}", flush=True)
    vault.change_passphrase(old, new)
    print("changed", flush=True)


def leak_session(folder: Path, passphrase: str, marker: str) -> None:
    vault, _code = Vault.create(folder, passphrase, kdf=FAST)
    store = vault.interviews
    ids = []
    for n in range(6):
        document = make_document(
            revision=0,
            alias=f"{marker} {n}",
            account=f"She said {marker} worked at the farm.",
            lang="ar",
            notes={"text": f"Note about {marker}", "lang": "fi"},
        )
        for keystroke in range(5):  # autosave while typing
            document["answers"]["account"]["text"] += f" {marker}{keystroke}"
            store.save_draft(document)
        store.save_revision(document)
        document["answers"]["account"]["text"] += f" edited {marker}"
        store.save_revision(document)
        payload = (f"photo {n} of {marker} passport ".encode() * 20_000)[:1_300_000]
        store.add_attachment(document["id"], io.BytesIO(payload), "image/jpeg", f"{marker}.jpg")
        ids.append(document["id"])
    assert store.search(marker), "the marker must be found"
    assert store.search(marker[:2])
    store.search(f'"{marker}" OR {marker}*')
    with store.open_attachment(store.attachments(ids[4])[0].sha256) as reader:
        assert marker.encode() in reader.read()  # read back through the decrypting thread
    store.remove_attachment(ids[0], store.attachments(ids[0])[0].sha256)
    store.delete(ids[1], f"entered by mistake {marker}")
    store.purge(ids[2])
    store.discard_draft(ids[3])
    vault.ensure_schema("device", ["CREATE TABLE device_note (text TEXT)"])
    vault.connection.execute("INSERT INTO device_note VALUES (?)", (marker,))
    assert vault.check().ok
    print("paused", flush=True)
    sys.stdin.readline()
    vault.lock()
    again = Vault.unlock(folder, passphrase)
    assert again.interviews.search(marker)
    again.lock()
    print("done", flush=True)


def main(argv: list[str]) -> None:
    mode, folder = argv[0], Path(argv[1])
    if mode == "save-then-die":
        save_then_die(folder, argv[2])
    elif mode == "save-loop":
        save_loop(folder, argv[2], int(argv[3]))
    elif mode == "change-passphrase":
        change_passphrase(folder, argv[2], argv[3], argv[4] if len(argv) > 4 else "")
    elif mode == "leak-session":
        leak_session(folder, argv[2], argv[3])
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
