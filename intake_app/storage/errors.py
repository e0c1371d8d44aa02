"""Known errors that only the storage layer raises."""

from __future__ import annotations

from intake_app.errors import KnownError
from intake_app.i18n.core import N_


class VaultBusy(KnownError):
    code = "vault-busy"
    message = N_(
        "The vault is in use by another Intake window. Close the other window and try again; "
        "nothing was lost."
    )
