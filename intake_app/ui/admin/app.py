"""Start the administrator's window: `run_admin(data_dir)` returns the process exit code."""

from __future__ import annotations

from pathlib import Path


def run_admin(data_dir: Path, *, share: Path | None = None) -> int:
    """Show the centre's unlock page, then its window, until the window closes."""
    from intake_app.i18n.qt import bind_application
    from intake_app.services.centre import CentreService
    from intake_app.ui.admin.window import AdminWindow
    from intake_app.ui.application import make_application, start_language
    from intake_app.ui.preferences import Preferences

    app = make_application()
    start_language(Preferences().language)
    stop_following = bind_application(app)
    service = CentreService(data_dir, share=share)
    window = AdminWindow(service)
    try:
        window.show()
        return int(app.exec())
    finally:
        service.shutdown()
        stop_following()
