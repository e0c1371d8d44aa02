"""The centre administrator's window: devices, import log, imported interviews, alerts.

`intake_app.app.run_admin(data_dir)` starts it (`intake-app centre window`). All vault work
goes through `intake_app.services.centre.CentreService` on the centre's vault thread.
"""
