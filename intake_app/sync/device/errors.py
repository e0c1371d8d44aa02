"""Known errors of the device side of sync: enrolment, the share, the centre's answers."""

from __future__ import annotations

from intake_app.errors import KnownError
from intake_app.i18n.core import N_, gettext, ngettext
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
    """The centre's verified receipt says it rejected one of this laptop's bundles.

    This class says what happens for most reasons: the contents go again in a new bundle.
    Its subclasses say what happens after a refusal for the contents (`device_refusals`).
    """

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


class BundleRefusedSplit(BundleRefusedByCentre):
    """Refused for its contents, with several interviews in it: they now go one per bundle."""

    code = "bundle-refused-split"
    message = N_(
        "The centre did not accept bundle {seq}: {reason} Intake now sends the interviews in "
        "it one per bundle, so that the centre can take all the others. Nothing was lost."
    )


class BundleRefusedInterviewKept(BundleRefusedByCentre):
    """Refused for its contents, with one interview in it: that interview is held back."""

    code = "bundle-refused-interview-kept"
    message = N_(
        "The centre did not accept bundle {seq}: {reason} The interview in it stays on this "
        "laptop and is not sent again until it is corrected and saved again."
    )


class _Counted(KnownError):
    """A known error about `count` interviews, whose message has plural forms.

    `translated()` picks the form with `ngettext`; its literal msgids are what gets extracted
    for translators. `message` repeats the English plural form, for `str()` in logs only.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(n=count)


class InterviewsRefusedByCentre(_Counted):
    """Interviews the centre refused on their own, held back until corrected (lasting)."""

    code = "interviews-refused-by-centre"
    message = (
        "The centre refused {n} interviews because of what they contain. They stay on this "
        "laptop and are not sent again until they are corrected and saved again. Ask your "
        "administrator what the centre found wrong with them."
    )

    def translated(self) -> str:
        return ngettext(
            "The centre refused {n} interview because of what it contains. It stays on this "
            "laptop and is not sent again until it is corrected and saved again. Ask your "
            "administrator what the centre found wrong with it.",
            "The centre refused {n} interviews because of what they contain. They stay on this "
            "laptop and are not sent again until they are corrected and saved again. Ask your "
            "administrator what the centre found wrong with them.",
            self.count,
        )


class InterviewsNotExportable(_Counted):
    """Saved interviews that cannot go into any bundle (see the two kinds below)."""

    code = "interviews-not-exportable"


class InterviewsTooLarge(InterviewsNotExportable):
    """Interviews that with their attachments are larger than a bundle may be."""

    code = "interviews-too-large"
    message = (
        "{n} saved interviews are too large to send to the centre, even each in a bundle of "
        "its own. Remove an attachment from each, or replace it with a smaller file; until "
        "then they stay on this laptop."
    )

    def translated(self) -> str:
        return ngettext(
            "{n} saved interview is too large to send to the centre, even in a bundle of its "
            "own. Remove one of its attachments, or replace it with a smaller file; until then "
            "it stays on this laptop.",
            "{n} saved interviews are too large to send to the centre, even each in a bundle of "
            "its own. Remove an attachment from each, or replace it with a smaller file; until "
            "then they stay on this laptop.",
            self.count,
        )


class InterviewsIncomplete(InterviewsNotExportable):
    """Interviews whose stored document lacks fields every interview must have."""

    code = "interviews-incomplete"
    message = (
        "{n} saved interviews cannot be sent because they are incomplete: they lack details "
        "every interview must have. They stay on this laptop; contact your administrator."
    )

    def translated(self) -> str:
        return ngettext(
            "{n} saved interview cannot be sent because it is incomplete: it lacks details "
            "every interview must have. It stays on this laptop; contact your administrator.",
            "{n} saved interviews cannot be sent because they are incomplete: they lack details "
            "every interview must have. They stay on this laptop; contact your administrator.",
            self.count,
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


class LaptopRevoked(KnownError):
    """A verified `device-revoked` receipt: the centre will take nothing more from this laptop."""

    code = "laptop-revoked"
    message = N_(
        "The centre has revoked this laptop, so it sends nothing more. Every interview stays "
        "on this laptop. Talk to your administrator."
    )
