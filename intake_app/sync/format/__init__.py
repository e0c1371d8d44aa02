"""intake_app.sync.format: the bundle, enrolment, profile and receipt formats.

The names below are the ones used outside sync (the windows show them); everything else is
imported from its module by the other parts of sync."""

from intake_app.sync.format.enrolment import escape_hidden
from intake_app.sync.format.reader import DeviceState

__all__ = ["DeviceState", "escape_hidden"]
