"""Known errors: things a person can cause or meet, each with a translatable message.

Anything that is not a `KnownError` is a bug. Bugs are logged without personal data and shown
as "something went wrong, nothing was lost". A known error's message never contains personal
data either: its fields are codes, counts, file names the person chose, or sizes.
"""

from __future__ import annotations

from typing import ClassVar

from intake_app.i18n.core import N_, gettext


class KnownError(Exception):
    """An error with a stable code and a message that says what the person can do."""

    code: ClassVar[str] = "error"
    message: ClassVar[str] = N_("Something went wrong. Nothing was lost.")

    def __init__(self, **fields: object) -> None:
        self.fields = fields
        super().__init__(self.message.format(**fields) if fields else self.message)

    def translated(self) -> str:
        """The message in the current user-interface language."""
        return gettext(self.message, **self.fields)


class WrongPassphrase(KnownError):
    code = "wrong-passphrase"
    message = N_("The passphrase is not correct. Check the keyboard layout and Caps Lock.")


class WrongRecoveryCode(KnownError):
    code = "wrong-recovery-code"
    message = N_("The recovery code is not correct. Type it exactly as printed.")


class VaultDamageFound(KnownError):
    code = "vault-damage-found"
    message = N_(
        "A check of the whole vault after unlocking found damage. Interviews stored in the "
        "damaged part cannot be read. Keep this computer as it is, delete nothing, and contact "
        "your administrator."
    )


class VaultDamaged(KnownError):
    code = "vault-damaged"
    message = N_(
        "The vault is damaged and cannot be opened. Nothing was changed. "
        "Contact your administrator before doing anything else with this computer."
    )


class VaultTooNew(KnownError):
    code = "vault-too-new"
    message = N_(
        "This vault was made by a newer version of Intake. Install the newer version; "
        "nothing was changed."
    )


class VaultExists(KnownError):
    code = "vault-exists"
    message = N_("A vault already exists in this folder. Unlock it instead.")


class VaultNotFound(KnownError):
    code = "vault-not-found"
    message = N_("There is no vault in this folder yet. Create one first.")


class VaultLocked(KnownError):
    code = "vault-locked"
    message = N_("The vault is locked. Unlock it to continue.")


class DiskFull(KnownError):
    code = "disk-full"
    message = N_(
        "The disk is full. Your last change was not saved; free some space and try again."
    )


class WeakPassphrase(KnownError):
    code = "weak-passphrase"
    message = N_("The passphrase is too short. Use at least {minimum} characters.")


class NotFound(KnownError):
    code = "not-found"
    message = N_("That interview does not exist in this vault.")


class InvalidDocument(KnownError):
    code = "invalid-document"
    message = N_("The interview could not be saved: {problem}")


class AttachmentTooLarge(KnownError):
    code = "attachment-too-large"
    message = N_("The file is too large to attach (the limit is {limit}).")
