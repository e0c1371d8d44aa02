"""Screenshots of the keyboard focus on each Tab stop of the interview list (issue 20), for
docs/screenshots/focus-N-LANG.png, and of the administrator's window (focus-centre-N-LANG.png).

    python scripts/focus_screenshots.py                  # offscreen, fi and ar, 1280x720
    python scripts/focus_screenshots.py --langs en --centre

A throwaway demo vault (fictional data) in a temp folder is used and removed afterwards. The
first stop is the table, where the list opens; each Tab press then gives the next picture until
the focus is back on the table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MAX_STOPS = 40
CENTRE_PASSPHRASE = "several words only I know"  # noqa: S105 - a throwaway centre


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--langs", default="fi,ar")
    parser.add_argument("--centre", action="store_true", help="also the administrator's window")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    return parser.parse_args()


def main() -> int:
    args = parse()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="intake-focus-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    try:
        return shoot(args, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def shoot(args: argparse.Namespace, home: Path) -> int:
    from PySide6.QtCore import QEventLoop, QPoint, QSettings, Qt
    from PySide6.QtGui import QCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    import intake_app.ui  # noqa: F401 - the PySide6 None guard
    from intake_app.i18n import set_language
    from intake_app.i18n.qt import bind_application
    from intake_app.services.demo import DEMO_PASSPHRASE, fill_demo_vault
    from intake_app.services.worker import WorkerService
    from intake_app.storage import KdfParams
    from intake_app.ui.application import apply_text_size, make_application
    from intake_app.ui.preferences import Preferences
    from intake_app.ui.worker.shell import Shell

    app = make_application(["intake-focus-screenshots"])
    QCursor.setPos(QPoint(4000, 4000))  # off every window: no button is shown as hovered
    bind_application(app)
    prefs = Preferences(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    apply_text_size(app, prefs.point_size)
    args.out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def tab_through(window: QWidget, start: QWidget, name: str, lang: str) -> None:
        """Save the window with the focus on `start`, then on each stop Tab reaches."""
        window.activateWindow()
        start.setFocus(Qt.FocusReason.TabFocusReason)
        for number in range(1, MAX_STOPS + 1):
            settle()
            path = args.out / f"{name}-{number}-{lang}.png"
            window.grab().save(str(path))
            focus = QApplication.focusWidget()
            print(path.name, type(focus).__name__, focus.accessibleName())
            QTest.keyClick(focus, Qt.Key.Key_Tab)
            if QApplication.focusWidget() is start:
                return

    for lang in args.langs.split(","):
        set_language(lang)
        service = WorkerService(home / f"demo-{lang}", kdf=KdfParams.MINIMUM)
        service.create_vault(DEMO_PASSPHRASE).result()
        form = service.forms.current_form()
        service.run(lambda vault, form=form: fill_demo_vault(vault, form)).result()
        shell = Shell(service, prefs, demo_passphrase=DEMO_PASSPHRASE)
        shell.resize(1280, 720)
        shell.show_workspace()
        shell.show()
        assert shell.workspace is not None
        while shell.workspace.list.is_reading():  # the list is read in the background
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        tab_through(shell, shell.workspace.list.table, "focus", lang)
        shell.lock()
        shell.close()
        service.shutdown()
        if args.centre:
            shoot_centre(home, lang, tab_through)
    set_language("en")
    return 0


def shoot_centre(home: Path, lang: str, tab_through) -> None:  # type: ignore[no-untyped-def]
    """The administrator's window after unlocking, each Tab stop from the tabs round."""
    from PySide6.QtWidgets import QApplication

    from intake_app.services.centre import CentreService
    from intake_app.storage import KdfParams
    from intake_app.ui.admin.window import AdminWindow

    service = CentreService(home / f"centre-{lang}", kdf=KdfParams.MINIMUM)
    (home / "srv").mkdir(exist_ok=True)
    service.set_up(
        name="Example reception centre",
        share=str(home / "srv" / lang),
        passphrase=CENTRE_PASSPHRASE,
        backup_identity=None,
    ).result()
    window = AdminWindow(service, watch_interval_ms=3_600_000)
    window.resize(1280, 720)
    window.show()
    window.unlock_page.passphrase.setText(CENTRE_PASSPHRASE)
    window.unlock_page.open_button.click()
    while window.pages.currentWidget() is not window.workspace:
        QApplication.processEvents()
    tab_through(window, window.tabs.tabBar(), "focus-centre", lang)
    window.close()
    service.shutdown()


if __name__ == "__main__":
    raise SystemExit(main())
