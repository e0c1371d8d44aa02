"""Screenshots of every screen of the worker's application and of the centre's set-up page,
for docs/screenshots/.

    python scripts/screenshots.py                       # offscreen, all screens, five languages
    python scripts/screenshots.py --scale 1.5 --langs en  # the 150 % check (QT_SCALE_FACTOR)
    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb python scripts/screenshots.py

A throwaway demo vault (fictional data) in a temp folder is used and removed afterwards.
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
LANGS = ("fi", "en", "ar", "th", "fa-AF")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    return parser.parse_args()


def main() -> int:
    args = parse()
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="intake-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    try:
        return shoot(args, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def shoot(args: argparse.Namespace, home: Path) -> int:
    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QWidget

    import intake_app.ui  # noqa: F401 - the PySide6 None guard
    from intake_app.i18n import set_language
    from intake_app.i18n.qt import bind_application
    from intake_app.services.demo import DEMO_PASSPHRASE, fill_demo_vault
    from intake_app.services.worker import WorkerService
    from intake_app.storage import KdfParams
    from intake_app.ui.application import apply_text_size, make_application
    from intake_app.ui.interview_model import ID_ROLE, STATUS_ROLE
    from intake_app.ui.preferences import Preferences
    from intake_app.ui.worker.settings_dialog import SettingsDialog
    from intake_app.ui.worker.shell import Shell

    app = make_application(["intake-screenshots"])
    bind_application(app)
    prefs = Preferences(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    apply_text_size(app, prefs.point_size)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.scale == 1.0 else f"-{round(args.scale * 100)}"

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def save(widget: QWidget, name: str, lang: str) -> None:
        settle()
        path = args.out / f"{name}-{lang}{suffix}.png"
        widget.grab().save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    for lang in args.langs.split(","):
        set_language(lang)
        fresh = WorkerService(home / f"first-{lang}", kdf=KdfParams.MINIMUM)
        first = Shell(fresh, prefs)
        first.start()
        first.show()
        save(first, "first-start-language", lang)
        first.first_start.pages.setCurrentWidget(first.first_start.passphrase_page)
        first.first_start.fields.passphrase.setText("several words only I know")
        save(first, "first-start-passphrase", lang)
        code = fresh.create_vault("several words only I know").result()
        first.first_start._created(code)
        save(first, "first-start-recovery", lang)
        first.first_start.pages.setCurrentWidget(first.first_start.centre_page)
        save(first, "first-start-centre", lang)
        first.close()
        fresh.shutdown()

        service = WorkerService(home / f"demo-{lang}", kdf=KdfParams.MINIMUM)
        service.create_vault(DEMO_PASSPHRASE).result()
        form = service.forms.current_form()
        service.run(lambda vault, form=form: fill_demo_vault(vault, form)).result()
        service.lock()
        shell = Shell(service, prefs, demo_passphrase=DEMO_PASSPHRASE)
        shell.start()
        shell.show()
        save(shell, "unlock", lang)
        service.unlock(DEMO_PASSPHRASE).result()
        shell.show_workspace()
        while shell.workspace.list.is_reading():  # the list is read in the background
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        save(shell, "main-window", lang)
        listing = shell.workspace.list
        finished = [
            listing.proxy.index(row, 0)
            for row in range(listing.proxy.rowCount())
            if listing.proxy.index(row, 0).data(STATUS_ROLE) == "final"
        ]
        shell.workspace.open_interview(str(finished[0].data(ID_ROLE)))
        while shell.workspace.is_opening():  # the interview is read in the background
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        editor = shell.workspace.editor
        if editor is not None:
            editor.show_section(form.questions[2].name)
            save(shell, "editor", lang)
            editor.finish_tried = True
            editor.show_section(form.questions[0].name)
            save(shell, "editor-consent", lang)
            if lang == "fi":  # side by side for an Arabic-speaking interpreter
                editor.side_by_side.set_language("ar")
                editor.side_by_side.toggle.setChecked(True)
                save(shell, "editor-side-by-side", "fi-ar")
                editor.side_by_side.toggle.setChecked(False)
        dialog = SettingsDialog(prefs, shell)
        dialog.show()
        save(dialog, "settings", lang)
        dialog.close()
        shell.lock()
        shell.close()
        service.shutdown()
        shoot_centre_setup(home, lang, save)
    set_language("en")
    return 0


def shoot_centre_setup(home: Path, lang: str, save: Callable[[Any, str, str], None]) -> None:
    """The administrator's set-up page, filled in, and what it shows once the centre is made."""
    from intake_app.services.centre import CentreService
    from intake_app.storage import KdfParams
    from intake_app.ui.admin.window import AdminWindow

    service = CentreService(home / f"centre-{lang}", kdf=KdfParams.MINIMUM)
    window = AdminWindow(service, watch_interval_ms=3_600_000)
    window.resize(1200, 800)
    window.show()
    page = window.setup_page
    assert page is not None
    (home / "srv").mkdir(exist_ok=True)
    page.name.setText("Example reception centre")
    page.share.setText(str(home / "srv" / f"intake-{lang}"))
    page.fields.passphrase.setText("several words only I know")
    page.fields.confirmation.setText("several words only I know")
    page.backup_box.setChecked(True)
    page.backup_file.setText(str(home / f"backup-key-{lang}.txt"))
    save(window, "admin-setup", lang)
    setup = service.set_up(name=page.name.text(), share=page.share.text(),
                           passphrase=page.fields.value(),
                           backup_identity=Path(page.backup_file.text())).result()
    page._made(setup)
    save(window, "admin-setup-done", lang)
    window.close()
    service.shutdown()


if __name__ == "__main__":
    raise SystemExit(main())
