"""What bench_export, bench_import and bench_unlock share: data sets, vaults, child processes.

- `DataSet`: (a) 1,000 interviews + 50 MiB of 1 MiB photos, (b) one interview with a single
  200 MiB recording; `--quick` makes them ten times smaller.
- `build_pair`: a centre (its vault, profile and share) and an enrolled, approved laptop vault
  holding a data set, its attachments written through the vault (age files, one identity each).
- `run_cases`: each case in a fresh child process, interleaved (bare, ours, bare, ours, ...),
  the child reporting its seconds and its peak RSS (VmHWM) over the timed part.
- `bare_database`: a bare SQLCipher database with the vault's pragmas, for the baselines.

Large data goes under a temporary folder (`work_folder`) that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from intake_app.storage import KdfParams, Vault  # noqa: E402

MiB = 1024 * 1024
PASSPHRASE = "benchmark passphrase 2026"
FORM = {
    "format": "intake-form", "format_version": 1, "id": "intake-fi", "version": "2026.1",
    "languages": ["en"], "default_language": "en", "translation_status": {"en": "source"},
    "title::en": "Bench interview",
    "choices": {"yes_no": [{"name": "yes", "label::en": "Yes"}, {"name": "no", "label::en": "No"}]},
    "questions": [{"type": "group", "name": "main", "label::en": "Interview", "children": [
        {"type": "select_one", "name": "consent_interview", "required": True,
         "choices": "yes_no", "label::en": "Consent"},
        {"type": "text", "name": "alias", "label::en": "Alias"},
        {"type": "long_text", "name": "account", "label::en": "Account"},
    ]}],
}
_STORY = ("Worked long days in a restaurant kitchen without a contract or pay. " * 60)[:3500]


@dataclass(frozen=True)
class DataSet:
    key: str
    interviews: int
    attachments: tuple[int, ...]  # sizes in bytes, attached to the first interviews in turn

    @property
    def attachment_bytes(self) -> int:
        return sum(self.attachments)

    def label(self) -> str:
        sizes = set(self.attachments)
        kind = (f"{len(self.attachments)} x {next(iter(sizes)) / MiB:g} MiB" if len(sizes) == 1
                else f"{self.attachment_bytes / MiB:g} MiB")
        return f"({self.key}) {self.interviews} interview(s) + {kind}"


def data_sets(quick: bool) -> list[DataSet]:
    scale = 10 if quick else 1
    return [DataSet("a", 1000 // scale, (MiB,) * (50 // scale)),
            DataSet("b", 1, (200 * MiB // scale,))]


def common_arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a data set ten times smaller")
    parser.add_argument("--runs", type=int, default=5, help="runs of each case (best is kept)")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    return parser


@contextlib.contextmanager
def work_folder(name: str) -> Iterator[Path]:
    """A temporary folder for the data, removed afterwards whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix=f"intake-bench-{name}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def document(index: int) -> dict[str, Any]:
    """An interview of about 4 KB of JSON."""
    return {
        "format": "intake-interview", "version": 1, "id": str(uuid.uuid4()), "revision": 0,
        "form": "intake-fi", "form_version": "2026.1",
        "created": "2026-11-28T16:02:11Z", "modified": "2026-11-28T16:05:00Z",
        "status": "final",
        "answers": {"consent_interview": "yes", "alias": f"Person {index}",
                    "account": {"text": _STORY, "lang": "en"}},
    }


class RandomBytes:
    """`size` random bytes, read in pieces (a 200 MiB recording is never held whole)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, size: int = -1, /) -> bytes:
        count = self.left if size < 0 else min(size, self.left)
        self.left -= count
        return os.urandom(count)


def fill_vault(vault: Vault, interviews: int, attachments: Sequence[int]) -> None:
    """Save `interviews` interviews and attach the attachments to the first ones in turn."""
    store = vault.interviews
    documents = [document(i) for i in range(interviews)]
    for first in range(0, len(documents), 500):
        store.save_revisions(documents[first : first + 500])
    add_attachments(vault, [d["id"] for d in documents], attachments)


def add_attachments(vault: Vault, record_ids: Sequence[str], sizes: Sequence[int]) -> None:
    for index, size in enumerate(sizes):
        media = "video/mp4" if size > 10 * MiB else "image/jpeg"
        vault.interviews.add_attachment(record_ids[index % len(record_ids)], RandomBytes(size),
                                        media, "a.mp4" if media == "video/mp4" else "p.jpg")


def validator() -> Any:
    from intake_app.domain.form_loader import load_form_text
    from intake_app.domain.registry import FormRegistry
    from intake_app.sync.centre.forms import registry_validator

    return registry_validator(FormRegistry([load_form_text(json.dumps(FORM), "bench.json")]))


@dataclass(frozen=True)
class Pair:
    folder: Path

    @property
    def centre_data(self) -> Path:
        return self.folder / "centre-data"

    @property
    def device(self) -> Path:
        return self.folder / "device"

    @property
    def share(self) -> Path:
        return self.folder / "share"


def build_pair(folder: Path, data: DataSet) -> Pair:
    """A centre with one approved laptop whose vault holds `data`, not yet exported."""
    from intake_app.sync.centre.devices import approve, register_request
    from intake_app.sync.centre.setup import init_centre
    from intake_app.sync.centre.vault import Centre
    from intake_app.sync.device.enrol import accept_profile, enrolment_request, read_profile_file
    from intake_app.sync.device.schema import ensure_device_schema

    pair = Pair(folder)
    pair.share.mkdir(parents=True)
    setup = init_centre(pair.centre_data, name="Bench centre", share=str(pair.share),
                        passphrase=PASSPHRASE, kdf=KdfParams.MINIMUM)
    vault, _code = Vault.create(pair.device, PASSPHRASE, kdf=KdfParams.MINIMUM)
    try:
        ensure_device_schema(vault)
        accept_profile(vault, read_profile_file(setup.profile_path), device_name="Bench laptop",
                       worker="B-1", now=datetime.now(UTC))
        request = enrolment_request(vault)
        fill_vault(vault, data.interviews, data.attachments)
    finally:
        vault.lock()
    with Centre.open(pair.centre_data, PASSPHRASE, validator=validator) as centre:
        device = register_request(centre.vault, request)
        approve(centre.vault, request.device_id, device.fingerprint)
    (folder / "device.pub").write_text(request.public_key)
    return pair


def export_bundles(device_folder: Path) -> list[Path]:
    """Export everything in the laptop vault into its outbox; the bundle files made."""
    from intake_app.sync.device.export import export_changes
    from intake_app.sync.device.outbox import Outbox

    vault = Vault.unlock(device_folder, PASSPHRASE)
    try:
        made = export_changes(vault).bundles
        outbox = Outbox(vault)
        return [outbox.files.path(bundle.name) for bundle in made if bundle.name]
    finally:
        vault.lock()


def copy_tree(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


# Child processes ----------------------------------------------------------------------------

def _status_kib(field: str) -> int | None:
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


class Peak:
    """The RSS high-water mark of this process over a block (Linux: reset with clear_refs)."""

    profiling = False  # set in a child run for `--profile`: the timed part is profiled

    def __enter__(self) -> Peak:
        self.profile = Profiled() if Peak.profiling else None
        with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        self.before_mib = (_status_kib("VmRSS") or 0) / 1024
        self.started = time.perf_counter()
        if self.profile is not None:
            self.profile.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started
        if self.profile is not None:
            self.profile.__exit__()
        peak = _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.peak_mib = peak / 1024

    def report(self, **extra: Any) -> dict[str, Any]:
        if self.profile is not None:
            extra["profile"] = self.profile.text
        return {"seconds": self.seconds, "peak_mib": self.peak_mib,
                "before_mib": self.before_mib, **extra}


class Profiled:
    """cProfile over a block, including the threads started in it (each thread's own
    profile, merged): `text` lists the functions with the most own time."""

    def __enter__(self) -> Profiled:
        import cProfile
        import threading

        self._profiles: list[Any] = []
        self._run = original = threading.Thread.run
        profiles = self._profiles

        def run(thread: threading.Thread) -> None:
            profile = cProfile.Profile()
            profiles.append(profile)
            profile.runcall(original, thread)

        threading.Thread.run = run  # type: ignore[method-assign]
        self._main = cProfile.Profile()
        self._main.enable()
        return self

    def __exit__(self, *exc: object) -> None:
        import io
        import pstats
        import threading

        self._main.disable()
        threading.Thread.run = self._run  # type: ignore[method-assign]
        out = io.StringIO()
        stats = pstats.Stats(self._main, stream=out)
        for profile in self._profiles:
            stats.add(profile)
        stats.sort_stats("tottime").print_stats(18)
        self.text = out.getvalue()


ChildCase = Callable[[Path], dict[str, Any]]


def child_main(cases: dict[str, ChildCase], case: str, folder: str) -> None:
    """In the child: run one case and print its report as the last line of JSON."""
    print(json.dumps(cases[case](Path(folder))))


def run_child(script: str, case: str, folder: Path,
              before: Callable[[], None] | None = None) -> dict[str, Any]:
    if before is not None:
        before()  # untimed preparation in the parent (a fresh copy of a vault)
    done = subprocess.run([sys.executable, script, "--child", case, str(folder)],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"child {case} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_cases(script: str, plan: Sequence[tuple[str, Path, Callable[[], None] | None]],
              runs: int) -> dict[str, list[dict[str, Any]]]:
    """Every (case, folder, preparation) once per run, interleaved; the reports by case."""
    results: dict[str, list[dict[str, Any]]] = {}
    for _ in range(runs):
        for case, folder, before in plan:
            results.setdefault(case, []).append(run_child(script, case, folder, before))
    return results


Plan = list[tuple[str, Path, Callable[[], None] | None]]


def profiled(case: ChildCase) -> ChildCase:
    """A child case whose timed part runs under `Profiled`; the report carries its text."""
    def run(folder: Path) -> dict[str, Any]:
        Peak.profiling = True
        return case(folder)

    return run


def compare_main(script: str, doc: str, kind: str, cases: dict[str, ChildCase],
                 prepare: Callable[[Path, DataSet], Plan]) -> None:
    """bench_export's and bench_import's main: for each data set, `prepare` builds it in a
    folder of its own and says which child cases to run there (bare first, then ours);
    they run interleaved and one line per data set gives the ratio."""
    parser = common_arguments(doc.splitlines()[0])
    parser.add_argument("--profile", action="store_true",
                        help=f"also profile one {kind} of each data set (cProfile)")
    args = parser.parse_args()
    cases = {**cases, "profile": profiled(cases["ours"])}
    if args.child:
        child_main(cases, *args.child)
        return
    lines = []
    with work_folder(kind) as work:
        for data in data_sets(args.quick):
            plan = prepare(work / f"set-{data.key}", data)
            results = run_cases(script, plan, args.runs)
            if args.profile:
                report = run_child(script, "profile", *plan[-1][1:])
                print(f"-- profile of the {kind} {data.label()}, {report['seconds']:.3f} s\n"
                      f"{report['profile']}")
            lines.append(ratio_line(f"{kind} {data.label()}", results["bare"], results["ours"],
                                    data.attachment_bytes / MiB))
            shutil.rmtree(work / f"set-{data.key}", ignore_errors=True)
    print("\n".join(lines))


def best(reports: list[dict[str, Any]]) -> float:
    return min(report["seconds"] for report in reports)


def peak(reports: list[dict[str, Any]]) -> float:
    return max(report["peak_mib"] for report in reports)


def ratio_line(label: str, bare: list[dict[str, Any]], ours: list[dict[str, Any]],
               megabytes: float) -> str:
    b, o = best(bare), best(ours)
    return (f"{label:<44} bare {b:7.3f} s  ours {o:7.3f} s  ({megabytes / o:6.1f} MiB/s)  "
            f"ratio bare/ours {b / o:.2f} (target >= 0.5)  "
            f"peak RSS bare {peak(bare):.0f} / ours {peak(ours):.0f} MiB")


# Bare SQLCipher -----------------------------------------------------------------------------

def bare_database(path: Path, tables: Sequence[str]) -> Any:
    """A SQLCipher database with the vault's pragmas (bench_store's baseline) and the given
    CREATE TABLE statements: the baselines' store."""
    from bench_store import open_bare

    conn = open_bare(path)
    for table in tables:
        conn.execute(table)
    return conn
