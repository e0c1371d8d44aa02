"""Composition root: builds the services, the QApplication and the windows.

`run_worker` starts the worker's application, `run_admin` the centre administrator's window;
each returns the process exit code. `render_stats_pdf` draws the statistics report for the
command line (commands never import the window's code themselves). Everything Qt is imported
when one of them is called, so the command line starts without it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from intake_app.paths import vault_dir

if TYPE_CHECKING:
    from intake_app.sync.centre import StatsReport


def run_worker(data_dir: Path, demo: bool = False, language: str | None = None) -> int:
    """Show first start or the unlock screen (or a throwaway demo vault) until the window closes.

    `language` (the command line's `--lang`) wins over the saved one for this run, unsaved.
    """
    from intake_app.i18n.qt import bind_application
    from intake_app.services.worker import WorkerService
    from intake_app.ui.application import apply_text_size, make_application, start_language
    from intake_app.ui.preferences import Preferences
    from intake_app.ui.worker.shell import Shell

    app = make_application()
    demo_folder: Path | None = None
    demo_passphrase: str | None = None
    if demo:
        from intake_app.services.demo import DEMO_PASSPHRASE
        from intake_app.storage import KdfParams

        demo_folder = Path(tempfile.mkdtemp(prefix="intake-demo-"))
        demo_passphrase = DEMO_PASSPHRASE
        service = WorkerService(demo_folder / "vault", kdf=KdfParams.MINIMUM)
        prefs = Preferences()  # the demo follows the language last chosen anywhere
    else:
        service = WorkerService(vault_dir(data_dir))
        # The language belongs to this data folder; a first start speaks the system's.
        prefs = Preferences(data_folder=data_dir, inherit_language=service.vault_exists())
    start_language(language or prefs.language)
    stop_following = bind_application(app)
    apply_text_size(app, prefs.point_size)
    shell = Shell(service, prefs, demo_passphrase=demo_passphrase)
    try:
        if demo:
            from intake_app.ui.worker.demo_start import start_demo

            start_demo(shell)
        else:
            shell.start()
        shell.show()
        return int(app.exec())
    finally:
        service.shutdown()
        stop_following()
        if demo_folder is not None:
            shutil.rmtree(demo_folder, ignore_errors=True)


def render_stats_pdf(report: StatsReport) -> bytes:
    """The statistics report as a PDF with charts, for the command line (Qt draws it, so the
    commands come through here). Without a running application one is made for the drawing,
    on the offscreen platform unless QT_QPA_PLATFORM says otherwise, and ended afterwards."""
    import os

    from PySide6.QtGui import QGuiApplication

    from intake_app.ui.admin.stats_pdf import report_pdf

    made: QGuiApplication | None = None
    if QGuiApplication.instance() is None:
        platform = [] if os.environ.get("QT_QPA_PLATFORM") else ["-platform", "offscreen"]
        made = QGuiApplication(["intake-app", *platform])
    try:
        return report_pdf(report)
    finally:
        if made is not None:
            made.shutdown()


def run_admin(data_dir: Path, *, share: Path | None = None, language: str | None = None) -> int:
    """Show the centre's set-up or unlock page, then its window, until the window closes.

    `share` wins over the centre profile's share folder; `language` (the command line's
    `--lang`) over the saved one for this run, unsaved.
    """
    from intake_app.i18n.qt import bind_application
    from intake_app.services.centre import CentreService
    from intake_app.ui.admin.window import AdminWindow
    from intake_app.ui.application import apply_text_size, make_application, start_language
    from intake_app.ui.preferences import Preferences

    app = make_application()
    prefs = Preferences()
    start_language(language or prefs.language)
    stop_following = bind_application(app)
    apply_text_size(app, prefs.point_size)  # the worker's text size: never smaller than 12 pt
    service = CentreService(data_dir, share=share)
    window = AdminWindow(service)
    try:
        window.show()
        return int(app.exec())
    finally:
        service.shutdown()
        stop_following()
