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


class VaultReadOnly(KnownError):
    code = "vault-read-only"
    message = N_(
        "The vault's folder cannot be written to (a read-only disk or missing permission). "
        "Your last change was not saved; nothing else was lost."
    )


class AttachmentDamaged(KnownError):
    code = "attachment-damaged"
    message = N_(
        "An attached file of this interview is damaged or missing and cannot be read. The "
        "interview itself is unchanged. Contact your administrator."
    )
