"""Bundle export and import against the bare cryptographic pipeline, in the same run.

    python bench/bench_bundle.py [--interviews 1000] [--attachment-mb 50] [--repeat 3]

Export: plan + write_bundle for every planned bundle (ZIP, age, minisign, fsync, rename)
versus SHA-256 + pyrage.encrypt + minisign sign of the same bytes held in memory.
Import: checks 1, 2, 4, 5, 6 (check_bundle; storing the contents, check 7, is the
importer's) versus minisign verify + pyrage.decrypt + SHA-256.
The ratio is bare time / our time (target >= 0.5). Peak memory is measured in a fresh
child process per phase, as the rise of the resident set over what the inputs take.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyrage  # noqa: E402

from intake_app.sync.device.plan import plan_bundles  # noqa: E402
from intake_app.sync.device.transport import write_bundle  # noqa: E402
from intake_app.sync.errors import Outcome  # noqa: E402
from intake_app.sync.format import keys  # noqa: E402
from intake_app.sync.format.bundle_file import AttachmentSource, WrittenBundle  # noqa: E402
from intake_app.sync.format.check import check_bundle  # noqa: E402
from intake_app.sync.format.payload_reader import FormCheck  # noqa: E402
from intake_app.sync.format.profile import CentreProfile  # noqa: E402
from intake_app.sync.format.reader import DeviceState, KnownDevice  # noqa: E402
from intake_app.sync.format.strict_json import dumps_canonical  # noqa: E402

MiB = 1024 * 1024
WORDS = [
    "työ", "passi", "palkka", "asunto", "velka", "pomo", "matka", "lupa", "kieli", "raha",
    "pelko", "apu", "yö", "päivä", "work", "passport", "salary", "flat", "debt", "boss",
    "travel", "permit", "language", "money", "fear", "help",
]


def make_interviews(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Interviews of about 4 KB of canonical JSON each."""
    documents = []
    for _ in range(count):
        account = " ".join(rng.choice(WORDS) for _ in range(520))
        documents.append({
            "format": "intake-interview", "version": 1, "id": str(uuid.uuid4()),
            "revision": 1, "form": "intake-fi", "form_version": "2026.1",
            "created": "2026-11-28T16:02:11Z", "modified": "2026-11-28T16:05:00Z",
            "status": "final",
            "answers": {"consent_interview": "yes", "alias": f"A{rng.randrange(1000)}",
                        "account": {"text": account, "lang": "fi"}},
        })
    return documents


def make_attachments(documents: list[dict[str, Any]], total_mb: int
                     ) -> tuple[list[AttachmentSource], list[bytes]]:
    """`total_mb` of random bytes in 2 MiB photos attached to the first interviews."""
    sources, blobs = [], []
    for index in range(total_mb // 2):
        blob = os.urandom(2 * MiB)
        blobs.append(blob)
        sources.append(AttachmentSource(hashlib.sha256(blob).hexdigest(),
                                        documents[index]["id"], len(blob), "image/jpeg",
                                        lambda blob=blob: io.BytesIO(blob)))
    return sources, blobs


class World:
    """Keys, a centre profile and one export's inputs."""

    def __init__(self, interviews: int, attachment_mb: int) -> None:
        self.centre = keys.CentreKeys.generate(with_backup=True)
        self.profile = CentreProfile(str(uuid.uuid4()), "Bench centre",
                                     tuple(self.centre.recipients()),
                                     self.centre.receipt_key_text(), "/srv/share")
        self.device_id = str(uuid.uuid4())
        self.device = keys.generate_signing_key()
        self.documents = make_interviews(interviews, random.Random(7))
        self.attachments, self.blobs = make_attachments(self.documents, attachment_mb)
        known = KnownDevice(self.device_id, keys.public_key_to_text(self.device.public_key),
                            DeviceState.ACTIVE)
        self.lookup = lambda key_id: known

    def plain_bytes(self) -> bytes:
        """The same bytes the bundles carry, as one buffer for the bare pipeline."""
        return b"".join([*(dumps_canonical(d) for d in self.documents), *self.blobs])


def export(world: World, folder: Path) -> list[WrittenBundle]:
    plans = plan_bundles(world.documents, world.attachments,
                         recipients=len(world.profile.age_recipients))
    return [write_bundle(folder, profile=world.profile, device_id=world.device_id,
                         device_key=world.device.secret_key, seq=seq,
                         created=_now(), contents=contents)
            for seq, contents in enumerate(plans, start=1)]


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def bare_export(world: World, data: bytes) -> tuple[bytes, Any]:
    hashlib.sha256(data).hexdigest()
    recipients = [keys.parse_recipient(r) for r in world.profile.age_recipients]
    encrypted = pyrage.encrypt(data, recipients)
    signature = world.device.secret_key.sign(encrypted, prehash=True, trusted_comment="bench")
    return encrypted, signature


def import_all(world: World, bundles: list[WrittenBundle]) -> None:
    for bundle in bundles:
        result = check_bundle(bundle.path, lookup=world.lookup, identities=[world.centre.primary],
                              centre_id=world.profile.centre_id,
                              validate_record=lambda document: FormCheck.VALID)
        if result.outcome is not Outcome.ACCEPTED or result.payload is None:
            raise SystemExit(f"bundle not accepted: {result.reason}")
        result.payload.close()


def bare_import(world: World, encrypted: bytes, signature: Any) -> None:
    world.device.public_key.verify(encrypted, signature)
    plaintext = pyrage.decrypt(encrypted, [world.centre.primary])
    hashlib.sha256(plaintext).hexdigest()


def best_of(repeat: int, ours: Callable[[], object], bare: Callable[[], object]
            ) -> tuple[float, float]:
    """Best times of both, run alternately so that a noisy machine slows both alike."""
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    for _ in range(repeat):
        for name, action in (("ours", ours), ("bare", bare)):
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return min(times["ours"]), min(times["bare"])


# --- peak memory, in a child process per phase ------------------------------------------------


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux >= 4.0)
        return True
    except OSError:
        return False


def measure_child(phase: str, interviews: int, attachment_mb: int) -> None:
    world = World(interviews, attachment_mb)
    with tempfile.TemporaryDirectory() as folder:
        bundles = export(world, Path(folder)) if phase == "import" else []
        data = world.plain_bytes() if phase.startswith("bare") else b""
        encrypted, signature = bare_export(world, data) if phase == "bare-import" else (b"", None)
        before = _rss_kib("VmRSS")
        if not _reset_peak():
            print("n/a")
            return
        if phase == "export":
            export(world, Path(folder))
        elif phase == "import":
            import_all(world, bundles)
        elif phase == "bare-export":
            bare_export(world, data)
        else:
            bare_import(world, encrypted, signature)
        print((_rss_kib("VmHWM") - before) // 1024)


def peak_mib(phase: str, interviews: int, attachment_mb: int) -> str:
    command = [sys.executable, __file__, "--measure", phase, "--interviews", str(interviews),
               "--attachment-mb", str(attachment_mb)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--attachment-mb", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", choices=["export", "import", "bare-export", "bare-import"])
    args = parser.parse_args()
    if args.measure:
        measure_child(args.measure, args.interviews, args.attachment_mb)
        return

    world = World(args.interviews, args.attachment_mb)
    data = world.plain_bytes()
    with tempfile.TemporaryDirectory() as folder:
        written: list[WrittenBundle] = []

        def ours_export() -> None:
            for path in Path(folder).iterdir():
                path.unlink()
            written[:] = export(world, Path(folder))

        t_export, t_bare_export = best_of(args.repeat, ours_export,
                                          lambda: bare_export(world, data))
        encrypted, signature = bare_export(world, data)
        t_import, t_bare_import = best_of(args.repeat, lambda: import_all(world, written),
                                          lambda: bare_import(world, encrypted, signature))
        total = sum(b.size for b in written)

    mb = len(data) / MiB
    rows = [
        ("export (write_bundle)", t_export, t_bare_export,
         peak_mib("export", args.interviews, args.attachment_mb),
         peak_mib("bare-export", args.interviews, args.attachment_mb)),
        ("import (checks 1-6)", t_import, t_bare_import,
         peak_mib("import", args.interviews, args.attachment_mb),
         peak_mib("bare-import", args.interviews, args.attachment_mb)),
    ]
    print(f"{args.interviews} interviews + {args.attachment_mb} MiB attachments = "
          f"{mb:.1f} MiB of plaintext; {len(written)} bundle(s), {total / MiB:.1f} MiB on disk; "
          f"best of {args.repeat}")
    print(f"{'phase':24} {'ours s':>8} {'bare s':>8} {'ratio':>6} {'ours MiB/s':>11} "
          f"{'peak MiB':>9} {'bare peak':>9}")
    for name, ours, bare, peak, bare_peak in rows:
        print(f"{name:24} {ours:8.3f} {bare:8.3f} {bare / ours:6.2f} {mb / ours:11.1f} "
              f"{peak:>9} {bare_peak:>9}")
    print("ratio = bare / ours (target >= 0.50); peak = rise of resident memory during the phase")


if __name__ == "__main__":
    main()
