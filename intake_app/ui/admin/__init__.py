"""The centre administrator's window: devices, import log, imported interviews, alerts.

Start it with `run_admin(data_dir)` (`intake-app centre window`). All vault work goes through
`intake_app.services.centre.CentreService` on its worker thread.
"""

from intake_app.ui.admin.app import run_admin

__all__ = ["run_admin"]
