"""Known errors of the device side of sync: enrolment, the share, the centre's answers."""

from __future__ import annotations

from intake_app.errors import KnownError
from intake_app.i18n.core import N_, gettext
from intake_app.sync.errors import Reason


class NotEnrolled(KnownError):
    code = "not-enrolled"
    message = N_(
        "This laptop is not enrolled with a reception centre yet. Load the centre profile "
        "your administrator gave you, then try again."
    )


class EnrolledElsewhere(KnownError):
    code = "enrolled-elsewhere"
    message = N_(
        "This laptop is enrolled with another centre and still has bundles waiting for that "
        "centre's receipt. Let them be delivered first, or ask your administrator."
    )


class FingerprintMismatch(KnownError):
    code = "profile-fingerprint-mismatch"
    message = N_(
        "The centre profile's fingerprint is {actual}, not the one you were given. Do not use "
        "this file; ask your administrator for the profile again."
    )


class ShareUnreachable(KnownError):
    code = "share-unreachable"
    message = N_(
        "The centre's share {folder} cannot be reached. Connect to the centre's network and "
        "try again, or export to a USB stick instead. Nothing was lost."
    )


class ShareNotResponding(KnownError):
    code = "share-not-responding"
    message = N_(
        "The centre's share does not answer. Check the network connection; Intake will try "
        "again by itself. Nothing was lost."
    )


class ShareNotWritable(KnownError):
    code = "share-not-writable"
    message = N_(
        "The centre's share {folder} can be seen but Intake cannot write to it. Ask your "
        "administrator to check the inbox folder's permissions. Nothing was lost."
    )


class BundleRefusedByCentre(KnownError):
    """The centre's verified receipt says it rejected one of this laptop's bundles."""

    code = "bundle-refused-by-centre"
    message = N_(
        "The centre did not accept bundle {seq}: {reason} The interviews in it stay on this "
        "laptop and will be sent again in a new bundle. If this repeats, contact your "
        "administrator."
    )

    def __init__(self, seq: int, reason: Reason) -> None:
        self.seq = seq
        self.reason = reason
        super().__init__(seq=seq, reason=reason.description)

    def translated(self) -> str:
        """The message with the reason's description, both in the current language."""
        return gettext(self.message, seq=self.seq, reason=gettext(self.reason.description))


class InterviewsNotExportable(KnownError):
    code = "interviews-not-exportable"
    message = N_(
        "{count} saved interviews could not be put into a bundle because they are missing "
        "required fields. They stay on this laptop; contact support."
    )


class OutboxCopyDamaged(KnownError):
    code = "outbox-copy-damaged"
    message = N_(
        "A bundle waiting in the outbox was damaged and cannot be sent. Its interviews will "
        "be sent again in a new bundle; nothing was lost."
    )


class EnrolmentDetailsMissing(KnownError):
    code = "enrolment-details-missing"
    message = N_("Enter a name for this laptop and your worker code, then try again.")


class PublicKeyInvalid(KnownError):
    code = "public-key-invalid"
    message = N_(
        "That is not a laptop's public key. Give the key as shown by the centre (it starts "
        "with RW) or the path of its .pub file."
    )


class FileUnreadable(KnownError):
    code = "file-unreadable"
    message = N_("The file {name} cannot be read. Check the name and that the drive is connected.")
