"""UI benchmarks (issue 4), printed as figures and ratios against baselines from the same run.

1. Process start to the unlock window, as a ratio to a bare PySide6 window started the same way
   (target <= 3).
2. Opening the interview list with 10,000 interviews (read + model + first paint), and the
   process's peak memory with them listed.
3. Editor figures: opening an interview, one answer change (relevance + completeness),
   a draft save of a full interview, a language switch with the editor open.
4. Opening an interview from the list as the worker does (the workspace reads it on the vault
   thread): to the editor on screen, and the longest the GUI thread was busy in one go, also
   with the vault thread busy for half a second (a slow disk).

    python bench/bench_ui.py [--runs 5] [--interviews 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = """
import time, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setWindowTitle("Intake")
window.resize(1100, 760)
window.show()
QTimer.singleShot(0, lambda: (print("SHOWN", flush=True), app.quit()))
app.exec()
"""

APP = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
import intake_app.ui.worker.shell as shell_module
original_show = shell_module.Shell.show
def show(self):
    original_show(self)
    assert self.unlock_screen is not None and self.pages.currentWidget() is self.unlock_screen
    QTimer.singleShot(0, lambda: (print("SHOWN", flush=True), self.close()))
shell_module.Shell.show = show
from intake_app.app import run_worker as run
sys.exit(run(Path({data!r})))
"""


def _time_start(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.communicate(timeout=60)
    if not line.startswith("SHOWN"):
        raise RuntimeError("the child did not show its window")
    return elapsed


def bench_start(runs: int, folder: Path) -> None:
    from intake_app.services.worker import WorkerService
    from intake_app.storage import KdfParams

    data = folder / "start-data"
    service = WorkerService(data / "vault", kdf=KdfParams.MINIMUM)
    service.create_vault("benchmark passphrase").result()
    service.shutdown()
    env = dict(os.environ, XDG_CONFIG_HOME=str(folder / "config"))
    bare, app = [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        bare.append(_time_start(BARE, env))
        app.append(_time_start(APP.format(root=str(ROOT), data=str(data)), env))
    b, a = statistics.median(bare), statistics.median(app)
    print(
        f"start to window: bare PySide6 {b * 1000:.0f} ms, unlock window {a * 1000:.0f} ms, "
        f"ratio {a / b:.2f} (target <= 3)"
    )


UNLOCK = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import intake_app.ui.worker.shell as shell_module
original_show = shell_module.Shell.show
gaps, last = [], [0.0]
def beat():
    now = time.perf_counter()
    gaps.append(now - last[0])
    last[0] = now
def show(self):
    original_show(self)
    def unlock():
        clicked = time.perf_counter()
        def ready():
            done = time.perf_counter()
            QTimer.singleShot(0, lambda: finish(clicked, done, self))
        self.workspace_ready.connect(ready)
        self.unlock_screen.passphrase.setText("benchmark passphrase")
        last[0] = time.perf_counter()
        gaps.clear()
        self.unlock_screen._unlock()
    QTimer.singleShot(1000, unlock)  # as a person would: the window first, then the passphrase
    timer = QTimer(self)
    timer.timeout.connect(beat)
    timer.start(5)
def finish(clicked, done, window):
    beat()  # the stall that ends here counts too
    print("UNLOCKED", (done - clicked) * 1000, max(gaps) * 1000, flush=True)
    window.close()
shell_module.Shell.show = show
from intake_app.app import run_worker as run
sys.exit(run(Path({data!r})))
"""


def bench_unlock(runs: int, count: int, folder: Path) -> None:
    """From pressing Unlock to the list on screen, and the longest the window stopped answering.

    The baseline is the same vault unlocked bare (`Vault.unlock`, same key derivation) in this run.
    """
    from intake_app.services.worker import WorkerService
    from intake_app.storage import KdfParams, Vault, search

    data = folder / "unlock-data"
    service = WorkerService(data / "vault", kdf=KdfParams.MINIMUM)
    service.create_vault("benchmark passphrase").result()
    _fill(service, count)
    # As a worker's vault is on an ordinary day: its search index up to date.
    service.lock()
    service.unlock("benchmark passphrase").result()
    while service.run(lambda vault: search.has_stale(vault.connection)).result():
        time.sleep(0.02)
    service.shutdown()
    env = dict(os.environ, XDG_CONFIG_HOME=str(folder / "config"))
    bare, total, stall = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        Vault.unlock(data / "vault", "benchmark passphrase").lock()
        bare.append(time.perf_counter() - started)
        child = subprocess.run(
            [sys.executable, "-c", UNLOCK.format(root=str(ROOT), data=str(data))],
            capture_output=True, text=True, env=env, timeout=120, check=True,
        )
        line = next(x for x in child.stdout.splitlines() if x.startswith("UNLOCKED"))
        total.append(float(line.split()[1]))
        stall.append(float(line.split()[2]))
    b, t, s = statistics.median(bare) * 1000, statistics.median(total), statistics.median(stall)
    print(
        f"unlock to the list with {count} interviews: {t:.0f} ms (bare Vault.unlock {b:.0f} ms, "
        f"ratio {t / b:.2f}); longest the window did not answer meanwhile: {s:.0f} ms"
    )


def _fill(service: object, count: int) -> None:
    from intake_app.services.demo import fictional_interview

    form = service.forms.current_form()  # type: ignore[attr-defined]
    now = dt.datetime.now(dt.UTC)
    template = fictional_interview(form, 1, now)

    def write(vault: object) -> None:
        batch = []
        for n in range(count):
            answers = dict(template.answers, alias=f"Fictional {n:05d}")
            doc = template.with_answers(answers)
            doc = type(template)(**{**doc.__dict__, "id": _uuid(n)})
            batch.append(doc.to_dict())
            if len(batch) == 1000:
                vault.interviews.save_revisions(batch)  # type: ignore[attr-defined]
                batch = []
        if batch:
            vault.interviews.save_revisions(batch)  # type: ignore[attr-defined]

    service.run(write).result()  # type: ignore[attr-defined]


def _uuid(n: int) -> str:
    import uuid

    return str(uuid.UUID(int=(0x4000 << 64) | (0x8000 << 48) | n))


def bench_list(count: int, folder: Path) -> None:
    from PySide6.QtWidgets import QApplication

    import intake_app.ui  # noqa: F401 - the PySide6 None guard
    from intake_app.services.worker import WorkerService
    from intake_app.storage import KdfParams, search
    from intake_app.ui.worker.interview_list import InterviewList

    app = QApplication.instance() or QApplication([])
    service = WorkerService(folder / "list-vault", kdf=KdfParams.MINIMUM)
    service.create_vault("benchmark passphrase").result()
    started = time.perf_counter()
    _fill(service, count)
    print(f"(filled {count} interviews in {time.perf_counter() - started:.1f} s)")
    # As a worker would come to them: unlocked, with the search index catching up behind.
    service.lock()
    service.unlock("benchmark passphrase").result()
    started = time.perf_counter()
    while service.run(lambda vault: search.has_stale(vault.connection)).result():
        time.sleep(0.02)
    print(f"search index brought up to date after the unlock, in the background: "
          f"{time.perf_counter() - started:.1f} s")
    bare_start = time.perf_counter()
    service.run(lambda vault: vault.interviews.list()).result()
    bare = time.perf_counter() - bare_start
    listing = InterviewList(service)
    listing.resize(1100, 700)
    listing.show()
    app.processEvents()
    start = time.perf_counter()
    listing.reload()
    while listing.is_reading():  # read in the background: on screen once it came back
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
    opened = time.perf_counter() - start
    search_start = time.perf_counter()
    found = service.search("Fictional 01234")
    searched = time.perf_counter() - search_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"open the list with {listing.model.rowCount()} interviews: {opened * 1000:.0f} ms "
        f"(store list alone {bare * 1000:.0f} ms, ratio {opened / bare:.2f})"
    )
    print(f"search over {count}: {searched * 1000:.0f} ms ({len(found)} found)")
    print(f"peak memory (RSS) with the list open: {peak:.0f} MiB")
    bench_editor(service, app, "with the full list open behind it")
    listing.close()
    listing.deleteLater()
    app.processEvents()  # type: ignore[attr-defined]
    bench_editor(service, app, "alone")
    bench_open(service, app, count, folder)
    service.shutdown()


def bench_open(service: object, app: object, count: int, folder: Path, runs: int = 5) -> None:
    from PySide6.QtCore import QSettings

    from intake_app.ui.preferences import Preferences
    from intake_app.ui.worker.workspace import Workspace

    settings = QSettings(str(folder / "open-settings.ini"), QSettings.Format.IniFormat)
    workspace = Workspace(service, Preferences(settings))  # type: ignore[arg-type]
    workspace.resize(1100, 760)
    workspace.show()
    workspace.list.reload()
    app.processEvents()  # type: ignore[attr-defined]

    def open_one(record_id: str, busy: float) -> tuple[float, float]:
        if busy:
            service.run(lambda _vault: time.sleep(busy))  # type: ignore[attr-defined]
        start = time.perf_counter()
        workspace.open_interview(record_id)
        blocks = [time.perf_counter() - start]
        while workspace.is_opening() or workspace.editor is None:
            t = time.perf_counter()
            app.processEvents()  # type: ignore[attr-defined]
            blocks.append(time.perf_counter() - t)
            time.sleep(0.001)
        t = time.perf_counter()
        app.processEvents()  # type: ignore[attr-defined]  # painted
        blocks.append(time.perf_counter() - t)
        ready = time.perf_counter() - start
        workspace.show_list()
        app.processEvents()  # type: ignore[attr-defined]
        return ready, max(blocks)

    for n, busy in enumerate((0.0, 0.5)):
        found = [open_one(_uuid(10 + n * runs + i), busy) for i in range(runs)]
        ready = statistics.median(f[0] for f in found) * 1000
        block = statistics.median(f[1] for f in found) * 1000
        print(
            f"open from the list ({count} listed)"
            f"{', the vault thread busy 0.5 s' if busy else ''}: editor on screen after "
            f"{ready:.0f} ms; longest the window did not answer meanwhile: {block:.0f} ms"
        )
    workspace.close()
    workspace.deleteLater()


def bench_editor(service: object, app: object, setting: str) -> None:
    from intake_app.i18n import set_language
    from intake_app.i18n.qt import bind_application
    from intake_app.services.demo import fictional_interview
    from intake_app.ui.editor.editor import InterviewEditor

    stop = bind_application(app)  # type: ignore[arg-type]
    form = service.forms.current_form()  # type: ignore[attr-defined]
    document = fictional_interview(form, 3, dt.datetime.now(dt.UTC)).to_dict()
    start = time.perf_counter()
    editor = InterviewEditor(service, document)  # type: ignore[arg-type]
    editor.resize(1100, 760)
    editor.show()
    app.processEvents()  # type: ignore[attr-defined]
    opened = time.perf_counter() - start
    row = editor.block("consent_police")
    changes = []
    for code in ("no", "yes") * 10:
        t = time.perf_counter()
        row.input.buttons[code].click()
        changes.append(time.perf_counter() - t)
    saves = []
    for _ in range(30):
        t = time.perf_counter()
        service.save_draft(editor.snapshot()).result()  # type: ignore[attr-defined]
        saves.append(time.perf_counter() - t)
    for lang in ("fi", "ar", "th", "fa-AF", "en"):  # load every catalog once, untimed
        set_language(lang)
        app.processEvents()  # type: ignore[attr-defined]
    switches = []
    for lang in ("fi", "ar", "th", "fa-AF", "en") * 2:
        t = time.perf_counter()
        set_language(lang)
        app.processEvents()  # type: ignore[attr-defined]
        switches.append(time.perf_counter() - t)
    rebuilds = []
    editor.hide()  # the other way to switch: close the editor, switch, open it again
    for lang in ("fi", "ar", "th", "fa-AF", "en"):
        t = time.perf_counter()
        set_language(lang)
        again = InterviewEditor(service, document)  # type: ignore[arg-type]
        again.resize(1100, 760)
        again.show()
        app.processEvents()  # type: ignore[attr-defined]
        rebuilds.append(time.perf_counter() - t)
        again.saver.flush()
        again.close()
        again.deleteLater()
    size = len(str(editor.snapshot()).encode())
    print(f"-- the editor, {setting}")
    print(f"open an interview in the editor: {opened * 1000:.0f} ms")
    print(
        f"one answer change (relevance, completeness): median "
        f"{statistics.median(changes) * 1000:.1f} ms, max {max(changes) * 1000:.1f} ms"
    )
    print(
        f"draft save of a ~{size // 1024} KB interview (vault thread, waited for): median "
        f"{statistics.median(saves) * 1000:.2f} ms, max {max(saves) * 1000:.2f} ms"
    )
    print(
        f"language switch with the editor open: median "
        f"{statistics.median(switches) * 1000:.0f} ms, max {max(switches) * 1000:.0f} ms "
        f"(budget 100 ms)"
    )
    print(
        f"language switch / closing the editor, switching and re-opening it, same languages: "
        f"{statistics.median(switches) / statistics.median(rebuilds):.2f} "
        f"(re-creating: median {statistics.median(rebuilds) * 1000:.0f} ms)"
    )
    set_language("en")
    stop()
    editor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--interviews", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="intake-bench-ui-") as tmp:
        folder = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
        bench_start(args.runs, folder)
        bench_unlock(args.runs, min(args.interviews, 2000), folder)
        bench_list(args.interviews, folder)


if __name__ == "__main__":
    main()
