"""Start the worker's application: `run(data_dir, demo)` returns the process exit code."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from intake_app.paths import vault_dir


def run(data_dir: Path, demo: bool = False) -> int:
    """Show first start or the unlock screen (or a throwaway demo vault) until the window closes."""
    from intake_app.i18n.qt import bind_application
    from intake_app.services.worker import WorkerService
    from intake_app.ui.application import apply_text_size, make_application, start_language
    from intake_app.ui.preferences import Preferences
    from intake_app.ui.worker.shell import Shell

    app = make_application()
    prefs = Preferences()
    start_language(prefs.language)
    stop_following = bind_application(app)
    apply_text_size(app, prefs.point_size)
    demo_folder: Path | None = None
    demo_passphrase: str | None = None
    if demo:
        from intake_app.services.demo import DEMO_PASSPHRASE
        from intake_app.storage import KdfParams

        demo_folder = Path(tempfile.mkdtemp(prefix="intake-demo-"))
        demo_passphrase = DEMO_PASSPHRASE
        service = WorkerService(demo_folder / "vault", kdf=KdfParams.MINIMUM)
    else:
        service = WorkerService(vault_dir(data_dir))
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
