"""Known errors that only the storage layer raises."""

from __future__ import annotations

from intake_app.errors import DiskFull, KnownError
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


class VaultIOError(KnownError):
    code = "vault-io-error"
    message = N_(
        "The disk reported an error while reading or writing the vault. Your last change may "
        "not have been saved; nothing else was lost. If this happens again, contact your "
        "administrator."
    )


# Unlocking changes nothing when it fails: these say so, and that the vault stays closed.


class DiskFullAtUnlock(DiskFull):
    message = N_(
        "The disk is full, so the vault cannot be opened. Free some space and try again; "
        "nothing was changed."
    )


class VaultReadOnlyAtUnlock(VaultReadOnly):
    message = N_(
        "The vault's folder cannot be written to (a read-only disk or missing permission), "
        "so the vault cannot be opened. Nothing was changed."
    )


class VaultIOErrorAtUnlock(VaultIOError):
    message = N_(
        "The disk reported an error while the vault was being opened. Nothing was changed. "
        "Check the disk and try again; if this happens again, contact your administrator."
    )
