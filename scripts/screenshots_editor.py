"""Screenshots of the editor's review page, a finished interview under its banner, the date
picker, side by side, the question after adding a file, the administrator's approval and the
Alerts tab with a held bundle, for docs/screenshots/ (the other screens: scripts/screenshots.py).

    python scripts/screenshots_editor.py                  # offscreen, five languages
    python scripts/screenshots_editor.py --langs ar th so fa-AF   # or --langs ar,th
    python scripts/screenshots_editor.py --langs ar --only review

A throwaway demo vault (fictional data) in a temp folder is used and removed afterwards.
Every window is shot at 1280×720, the smallest screen it must fit. The Alerts tab's
far-ahead bundle comes from the test kit's laptop (tests/helpers), which can write a bundle
with any sequence number.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LANGS = ("fi", "ar", "th", "so", "fa-AF")
SIZE = (1280, 720)
CENTRE_PASSPHRASE = "several words only I know"  # noqa: S105 - a throwaway centre


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--langs", nargs="+", default=list(LANGS),
                        help="languages, separated by spaces or commas")
    parser.add_argument("--only", default="", help="comma-separated shot groups")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    return parser.parse_args()


def main() -> int:
    args = parse()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="intake-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    try:
        return shoot(args, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


Save = Callable[..., None]


def shoot(args: argparse.Namespace, home: Path) -> int:
    from PySide6.QtCore import QPoint, QSettings
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QWidget

    import intake_app.ui  # noqa: F401 - the PySide6 None guard
    from intake_app.i18n import set_language
    from intake_app.i18n.qt import bind_application
    from intake_app.ui.application import apply_text_size, make_application
    from intake_app.ui.preferences import Preferences

    app = make_application(["intake-screenshots"])
    bind_application(app)
    prefs = Preferences(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    apply_text_size(app, prefs.point_size)
    args.out.mkdir(parents=True, exist_ok=True)
    only = {name for name in args.only.split(",") if name}

    def save(widget: QWidget, name: str, lang: str, popup: QWidget | None = None) -> None:
        """Save `widget` (with `popup`, a window of its own, drawn where it is on screen)."""
        for _ in range(5):
            app.processEvents()
        path = args.out / f"{name}-{lang}.png"
        picture = widget.grab()
        if popup is not None:
            painter = QPainter(picture)
            painter.drawPixmap(widget.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
            painter.end()
        picture.save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    langs = [lang for given in args.langs for lang in given.split(",") if lang]
    for lang in langs:
        set_language(lang)
        for group, shots in GROUPS.items():
            if not only or group in only:
                shots(home, lang, prefs, save)
    set_language("en")
    return 0


def _demo_service(home: Path, lang: str, name: str) -> Any:
    """A worker's service on a new demo vault (fictional interviews), unlocked."""
    from intake_app.services.demo import DEMO_PASSPHRASE, fill_demo_vault
    from intake_app.services.worker import WorkerService
    from intake_app.storage import KdfParams

    service = WorkerService(home / f"{name}-{lang}", kdf=KdfParams.MINIMUM)
    service.create_vault(DEMO_PASSPHRASE).result()
    form = service.forms.current_form()
    service.run(lambda vault: fill_demo_vault(vault, form)).result()
    return service


def _demo_shell(
    home: Path, lang: str, prefs: Any, name: str, service: Any = None
) -> tuple[Any, Any]:
    """A shown main window on a demo vault (`service`'s, or a new one), unlocked."""
    from intake_app.ui.worker.shell import Shell

    if service is None:
        service = _demo_service(home, lang, name)
    shell = Shell(service, prefs)
    shell.show_workspace()
    shell.resize(*SIZE)
    shell.show()
    _wait(lambda: not shell.workspace.list.is_reading())  # the list is read in the background
    return service, shell


def _editor(workspace: Any) -> Any:
    """The editor once the interview asked for is open (it may be read in the background)."""
    _wait(lambda: workspace.editor is not None
          and not getattr(workspace, "is_opening", lambda: False)())
    if workspace.editor is None:
        raise LookupError("the interview did not open")
    return workspace.editor


def _finished_id(shell: Any) -> str:
    from intake_app.ui.interview_model import ID_ROLE, STATUS_ROLE

    proxy = shell.workspace.list.proxy
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        if index.data(STATUS_ROLE) == "final":
            return str(index.data(ID_ROLE))
    raise LookupError("no finished demo interview")


def review_shots(home: Path, lang: str, prefs: Any, save: Save) -> None:
    """The review of a new interview (what must be fixed), a finished one read-only."""
    service, shell = _demo_shell(home, lang, prefs, "review")
    try:
        workspace = shell.workspace
        workspace.open_interview(_finished_id(shell))
        editor = _editor(workspace)
        save(shell, "editor-finished", lang)
        editor.review_page.back_button.click()
        save(shell, "editor-finished-questions", lang)
        workspace.show_list()
        workspace.new_action.trigger()
        editor = _editor(workspace)
        for name in ("consent_interview", "consent_data"):
            editor.block(name).input.buttons["yes"].click()
        editor.block("alias").input.edit.setText("Fictional Amal")
        editor.block("alias").changed.emit()
        editor.finish_button.click()
        save(shell, "editor-review", lang)
        editor.saver.discard()
    finally:
        shell.lock()
        shell.close()
        service.shutdown()


def _enrol(home: Path, name: str, lang: str, service: Any) -> Any:
    """Set up a centre of its own for the shot group `name` (its share in the temp folder)
    and enrol the laptop with it: each group and language gets a new centre folder."""
    from intake_app.services.centre import CentreService
    from intake_app.services.enrolment import accept_centre_profile, read_centre_profile
    from intake_app.storage import KdfParams

    centre = CentreService(home / f"centre-{name}-{lang}", kdf=KdfParams.MINIMUM)
    (home / "srv").mkdir(exist_ok=True)
    setup = centre.set_up(
        name="Example reception centre",
        share=str(home / "srv" / f"{name}-{lang}"),
        passphrase=CENTRE_PASSPHRASE,
    ).result()
    profile = read_centre_profile(setup.profile_path)
    accept_centre_profile(
        service, profile, device_name="Laptop 7", worker="W-12", expected_fingerprint=None
    ).result()
    return centre


def _sync_settled(workspace: Any) -> bool:
    """Whether the status bar's first sync round has reported and is over."""
    from intake_app.sync.device.status import SyncState

    status = workspace.sync.status
    return status is not None and status.state not in (SyncState.SENDING,
                                                       SyncState.NOT_ENROLLED)


def date_shots(home: Path, lang: str, prefs: Any, save: Save) -> None:
    """The interview section filled from the enrolment and today; the calendar open."""
    service = _demo_service(home, lang, "dates")
    centre = _enrol(home, "dates", lang, service)  # before the window: it shows the centre
    service, shell = _demo_shell(home, lang, prefs, "dates", service)
    try:
        workspace = shell.workspace
        workspace.new_action.trigger()
        editor = _editor(workspace)
        # The laptop is enrolled, so a sync round runs: shoot once it is over, not halfway.
        _wait(lambda: _sync_settled(workspace))
        for name in ("consent_interview", "consent_data"):
            editor.block(name).input.buttons["yes"].click()
        editor.show_section("interview")
        save(shell, "editor-defaults", lang)
        popup = editor.block("interview_date").input.open_calendar()
        save(shell, "editor-calendar", lang, popup)
        popup.close()
        editor.saver.discard()
    finally:
        shell.workspace.stop_background()
        shell.lock()
        shell.close()
        service.shutdown()
        centre.shutdown()


def side_shots(home: Path, lang: str, prefs: Any, save: Save) -> None:
    """Side by side: the questions also in a second language, as large and dark as the first."""
    service, shell = _demo_shell(home, lang, prefs, "side")
    try:
        workspace = shell.workspace
        workspace.new_action.trigger()
        editor = _editor(workspace)
        for name in ("consent_interview", "consent_data"):
            editor.block(name).input.buttons["yes"].click()
        editor.show_section("person")
        bar = editor.side_by_side
        second = "ar" if lang != "ar" else "fi"
        row = bar.picker.findData(second)
        bar.picker.setCurrentIndex(row)
        bar.picker.activated.emit(row)
        bar.toggle.click()
        save(shell, "editor-side-by-side", f"{lang}-{second}")  # UI language, second
        editor.saver.discard()
    finally:
        shell.lock()
        shell.close()
        service.shutdown()


def _wait(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    import time

    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def originals_shots(home: Path, lang: str, prefs: Any, save: Save) -> None:
    """After adding files: the offer to delete the originals, then what it did."""
    import os

    service, shell = _demo_shell(home, lang, prefs, "originals")
    try:
        shell.workspace.new_action.trigger()
        editor = _editor(shell.workspace)
        for name in ("consent_interview", "consent_data"):
            editor.block(name).input.buttons["yes"].click()
        editor.show_section("__attachments__")
        folder = home / f"Downloads-{lang}"
        folder.mkdir()
        files = [folder / "passport-photo.jpg", folder / "payslip-march.pdf"]
        for path in files:
            path.write_bytes(os.urandom(200_000))
        panel = editor.attachments
        panel.add_files(files)
        _wait(lambda: panel.offer is not None and panel.offer.isVisible())
        box = panel.offer
        save(shell, "editor-delete-originals", lang, box)
        next(b for b in box.buttons() if b.objectName() == "delete_originals_yes").click()
        _wait(lambda: bool(panel.note.text()) and not panel.note.text().endswith("…"))
        save(shell, "editor-originals-deleted", lang)
    finally:
        shell.lock()
        shell.close()
        service.shutdown()


def approval_shots(home: Path, lang: str, prefs: Any, save: Save) -> None:
    """The administrator approves a laptop by typing the fingerprint the worker reads out:
    the dialog as it opens, and after a wrong one."""
    from intake_app.services.enrolment import write_enrolment_request
    from intake_app.services.worker import WorkerService
    from intake_app.storage import KdfParams
    from intake_app.ui.admin.window import AdminWindow

    laptop = WorkerService(home / f"laptop-{lang}", kdf=KdfParams.MINIMUM)
    laptop.create_vault("several words only I know").result()
    centre = _enrol(home, "approval", lang, laptop)
    stick = home / f"stick-{lang}"
    stick.mkdir()
    request = write_enrolment_request(laptop, stick).result()
    laptop.shutdown()
    centre.unlock(CENTRE_PASSPHRASE).result()
    centre.read_enrolment_requests([request]).result()
    centre.lock()
    window = AdminWindow(centre, watch_interval_ms=3_600_000)
    window.resize(*SIZE)
    window.show()
    try:
        window.unlock_page.passphrase.setText(CENTRE_PASSPHRASE)
        window.unlock_page.open_button.click()
        _wait(lambda: window.pages.currentWidget() is window.workspace)
        devices = window.devices
        window.tabs.setCurrentWidget(devices)
        devices.refresh()
        _wait(lambda: devices.model.rowCount() == 1)
        flags = devices.table.selectionModel().SelectionFlag
        devices.table.selectionModel().select(
            devices.model.index(0, 0), flags.ClearAndSelect | flags.Rows
        )
        dialog = devices.approve_selected()
        assert dialog is not None, "no laptop selected"
        save(window, "admin-approve-laptop", lang, dialog)
        dialog.fingerprint.setText("0000 1111 2222 3333 4444")
        dialog.approve()
        _wait(lambda: dialog.message.isVisible())
        save(window, "admin-approve-wrong-fingerprint", lang, dialog)
        dialog.reject()
    finally:
        window.watch.stop()
        window.close()
        centre.shutdown()


def alerts_shots(home: Path, lang: str, prefs: Any, save: Save) -> None:
    """The Alerts tab: a bundle far ahead of the laptop's last one, held in quarantine, selected
    (the advice and "Import now…" under it)."""
    from intake_app.services.centre import CentreService
    from intake_app.storage import KdfParams
    from intake_app.sync.centre.sequence import SEQ_FAR_AHEAD
    from intake_app.ui.admin.window import AdminWindow
    from tests.helpers.bundles import Laptop
    from tests.helpers.centre import register

    centre = CentreService(home / f"centre-alerts-{lang}", kdf=KdfParams.MINIMUM)
    (home / "srv").mkdir(exist_ok=True)
    centre.set_up(name="Example reception centre", share=str(home / "srv" / f"alerts-{lang}"),
                  passphrase=CENTRE_PASSPHRASE).result()
    centre.unlock(CENTRE_PASSPHRASE).result()
    laptop = Laptop()
    centre.run(lambda vault: register(vault, laptop)).result()
    far = centre.run(lambda vault: laptop.bundle(home / f"stick-alerts-{lang}", vault,
                                                 seq=SEQ_FAR_AHEAD + 3).path).result()
    centre.lock().result()
    window = AdminWindow(centre, watch_interval_ms=3_600_000)
    window.resize(1280, 720)
    window.show()
    try:
        window.unlock_page.passphrase.setText(CENTRE_PASSPHRASE)
        window.unlock_page.open_button.click()
        _wait(lambda: window.pages.currentWidget() is window.workspace)
        _wait(lambda: not window.watch.busy)
        window.import_paths([far])
        held = window.alerts.held
        _wait(lambda: held.model.rowCount() == 1 and window.alerts.count() == 1)
        window.tabs.setCurrentWidget(window.alerts)
        held.table.selectRow(0)
        _wait(lambda: held.import_button.isEnabled())
        save(window, "admin-alerts", lang)
    finally:
        window.watch.stop()
        window.close()
        centre.shutdown()


GROUPS: dict[str, Callable[[Path, str, Any, Save], None]] = {
    "alerts": alerts_shots,
    "approval": approval_shots,
    "originals": originals_shots,
    "side": side_shots,
    "review": review_shots,
    "dates": date_shots,
}


if __name__ == "__main__":
    raise SystemExit(main())
