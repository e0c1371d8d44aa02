"""Known errors of the sync layer and the importer's stable outcomes and reason codes.

The reason codes are those of design/bundle-format.md ("Outcomes and their stable reason
codes"); the command line prints them as they are, the UI shows their translated description.
"""

from __future__ import annotations

from enum import StrEnum

from intake_app.errors import KnownError
from intake_app.i18n.core import N_, gettext


class Outcome(StrEnum):
    """What the centre did with a bundle."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"
    REJECTED = "rejected"


class Reason(StrEnum):
    """Why a bundle was quarantined or rejected (stable codes from the spec's table)."""

    DEVICE_PENDING = "device-pending"
    RECORD_CONFLICT = "record-conflict"
    SEQ_FAR_AHEAD = "seq-far-ahead"
    NOT_A_BUNDLE = "not-a-bundle"
    TOO_LARGE = "too-large"
    BAD_CONTAINER = "bad-container"
    UNKNOWN_DEVICE = "unknown-device"
    DEVICE_REVOKED = "device-revoked"
    KEY_RETIRED = "key-retired"
    BAD_SIGNATURE = "bad-signature"
    BAD_TRUSTED_COMMENT = "bad-trusted-comment"
    SEQ_CONFLICT = "seq-conflict"
    NOT_FOR_THIS_CENTRE = "not-for-this-centre"
    BAD_PAYLOAD = "bad-payload"
    MANIFEST_MISMATCH = "manifest-mismatch"
    HASH_MISMATCH = "hash-mismatch"
    UNKNOWN_FORM = "unknown-form"
    INVALID_RECORD = "invalid-record"
    FOREIGN_RECORD = "foreign-record"

    @property
    def outcome(self) -> Outcome:
        """The outcome this reason leads to (quarantined or rejected)."""
        return Outcome.QUARANTINED if self in _QUARANTINE_REASONS else Outcome.REJECTED

    @property
    def description(self) -> str:
        """The English msgid describing this reason; translate with `gettext`."""
        return REASON_DESCRIPTIONS[self]


_QUARANTINE_REASONS = frozenset(
    {Reason.DEVICE_PENDING, Reason.RECORD_CONFLICT, Reason.SEQ_FAR_AHEAD}
)

REASON_DESCRIPTIONS: dict[Reason, str] = {
    Reason.DEVICE_PENDING: N_(
        "The laptop that made this bundle is waiting for approval. "
        "The bundle is held until the laptop is approved."
    ),
    Reason.RECORD_CONFLICT: N_(
        "The bundle holds a different version of an interview revision that was already "
        "imported. It is held until an administrator looks at it."
    ),
    Reason.SEQ_FAR_AHEAD: N_(
        "The bundle's sequence number is far ahead of the last one received from this laptop. "
        "It is held until an administrator looks at it."
    ),
    Reason.NOT_A_BUNDLE: N_("The file is not an Intake bundle."),
    Reason.TOO_LARGE: N_("The file is larger than a bundle may be."),
    Reason.BAD_CONTAINER: N_("The bundle file is damaged or was not put together correctly."),
    Reason.UNKNOWN_DEVICE: N_(
        "The bundle was signed by a laptop that is not registered at this centre."
    ),
    Reason.DEVICE_REVOKED: N_("The laptop that signed this bundle has been revoked."),
    Reason.KEY_RETIRED: N_(
        "The laptop that signed this bundle was retired before this bundle was made."
    ),
    Reason.BAD_SIGNATURE: N_(
        "The bundle's signature does not verify: the bundle is damaged or was changed "
        "after the laptop made it."
    ),
    Reason.BAD_TRUSTED_COMMENT: N_(
        "The bundle's signed description is not in the expected form or names another laptop."
    ),
    Reason.SEQ_CONFLICT: N_(
        "A different bundle with the same sequence number from this laptop was already "
        "imported. An administrator should look at this laptop."
    ),
    Reason.NOT_FOR_THIS_CENTRE: N_(
        "The bundle was made for another centre and cannot be opened here."
    ),
    Reason.BAD_PAYLOAD: N_("The bundle's contents are damaged or not in the expected form."),
    Reason.MANIFEST_MISMATCH: N_(
        "The bundle's list of contents does not match its signed description."
    ),
    Reason.HASH_MISMATCH: N_(
        "A file in the bundle is missing, not listed, or does not match the list of contents."
    ),
    Reason.UNKNOWN_FORM: N_(
        "The bundle holds an interview made with a form this centre does not know. "
        "Update Intake at the centre and import the bundle again."
    ),
    Reason.INVALID_RECORD: N_(
        "The bundle holds an interview that does not pass its form's checks."
    ),
    Reason.FOREIGN_RECORD: N_("The bundle holds an interview that belongs to another laptop."),
}


class BundleRefused(KnownError):
    """A bundle failed one of the importer's checks; `reason` is the stable code."""

    code = "bundle-refused"
    message = N_("The bundle was not imported: {reason}")

    def __init__(self, reason: Reason, detail: str = "") -> None:
        # `detail` is a fixed English hint for logs and tests; it never holds file content.
        self.reason = reason
        self.outcome = reason.outcome
        self.detail = detail
        super().__init__(reason=reason.description)

    def translated(self) -> str:
        """The message with the reason's description, both in the current language."""
        return gettext(self.message, reason=gettext(self.reason.description))


class ReceiptProblem(StrEnum):
    """Why a receipt was not accepted by the device."""

    UNREADABLE = "unreadable"
    BAD_SIGNATURE = "bad-signature"
    FIELDS_MISMATCH = "fields-mismatch"
    OTHER_BUNDLE = "other-bundle"
    RECORDS_NOT_CARRIED = "records-not-carried"


RECEIPT_PROBLEM_DESCRIPTIONS: dict[ReceiptProblem, str] = {
    ReceiptProblem.UNREADABLE: N_("it is damaged or not a receipt"),
    ReceiptProblem.BAD_SIGNATURE: N_("it is not signed by your centre"),
    ReceiptProblem.FIELDS_MISMATCH: N_("its signed description does not match its contents"),
    ReceiptProblem.OTHER_BUNDLE: N_("it is for a different bundle"),
    ReceiptProblem.RECORDS_NOT_CARRIED: N_("it lists interviews the bundle did not carry"),
}


class ReceiptRejected(KnownError):
    """A receipt failed verification; nothing may be marked delivered."""

    code = "receipt-rejected"
    message = N_(
        "A receipt from the centre was not accepted ({problem}). Nothing was marked as "
        "delivered: the bundle stays on this laptop, and Intake looks for a valid receipt "
        "again at the next sync. If this repeats, contact your administrator."
    )

    def __init__(self, problem: ReceiptProblem, detail: str = "") -> None:
        self.problem = problem
        self.detail = detail
        super().__init__(problem=RECEIPT_PROBLEM_DESCRIPTIONS[problem])

    def translated(self) -> str:
        """The message with the problem's description, both in the current language."""
        return gettext(self.message, problem=gettext(RECEIPT_PROBLEM_DESCRIPTIONS[self.problem]))


class ProfileInvalid(KnownError):
    code = "profile-invalid"
    message = N_(
        "This centre profile cannot be used: it is damaged or not a centre profile. "
        "Ask your administrator for the file again."
    )


class EnrolmentInvalid(KnownError):
    code = "enrolment-invalid"
    message = N_(
        "This enrolment request cannot be used: it is damaged, incomplete, or was changed "
        "after the laptop made it. Ask for a new request."
    )


class DeviceKeyDamaged(KnownError):
    code = "device-key-damaged"
    message = N_(
        "The signing key stored in this vault is damaged. Contact your administrator to "
        "enrol this laptop again."
    )


class ExportTooLarge(KnownError):
    code = "export-too-large"
    message = N_(
        "One interview with its attachments is larger than a bundle may be ({limit}). "
        "Remove an attachment from it and export again."
    )


class ShareWriteFailed(KnownError):
    code = "share-write-failed"
    message = N_(
        "Could not write to {folder}. Check that the share or drive is connected and "
        "writable, then try again. Nothing was lost."
    )


class ShareReadOnly(ShareWriteFailed):
    """The share or drive is mounted read-only (EROFS); the message is `ShareWriteFailed`'s."""

    code = "share-read-only"


class ShareFull(ShareWriteFailed):
    """The share or drive has no space left (ENOSPC, EDQUOT): this computer's own disk is
    not the one that is full, and what was to be written is still kept where it was."""

    code = "share-full"
    message = N_(
        "{folder} is full, so Intake could not write there. Nothing was lost: it is kept on "
        "this computer and written when there is space again. Ask whoever looks after the "
        "share or drive to free some space."
    )


class ShareTargetNotAFile(ShareWriteFailed):
    """A link, folder or device stands where a file is to be written on the share."""

    code = "share-target-not-a-file"
    message = N_(
        "Intake did not write {file}: something other than an ordinary file (a link or a "
        "folder) has that name on the share. Ask your administrator to look at the share. "
        "Nothing was lost."
    )


class ShareReadFailed(KnownError):
    """A file on the share (or a folder chosen by a person) could not be read."""

    code = "share-read-failed"
    message = N_(
        "Could not read {file}. Check that the share or drive is connected, then try again. "
        "Nothing was changed."
    )


class ShareNotAFile(ShareReadFailed):
    """A link, folder, pipe or device stands where a file is to be read: never followed,
    never opened to read, never moved."""

    code = "share-not-a-file"
    message = N_(
        "Intake did not read {file}: it is not an ordinary file (it is a link, a folder, a "
        "pipe or a device). It was left where it is. Ask your administrator to look at the "
        "share. Nothing was changed."
    )


class ShareFileChanged(ShareReadFailed):
    """The file changed while it was read: it is left where it is and read again later."""

    code = "share-file-changed"
    message = N_(
        "{file} changed while Intake read it, so it was left where it is and will be read "
        "again later. Nothing was changed."
    )


class ShareNotAnswering(ShareReadFailed):
    """A call on the share took longer than its time limit (a share that stopped answering)."""

    code = "share-not-answering"
    message = N_(
        "{folder} did not answer within {seconds} seconds. Check the connection to the share "
        "or drive, then try again. Nothing was changed."
    )


class FormPackageProblem(StrEnum):
    """Why a form package or the share's form index was not accepted (`form_package`)."""

    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"
    BAD_SIGNATURE = "bad-signature"
    FIELDS_MISMATCH = "fields-mismatch"
    NOT_LISTED = "not-listed"
    INVALID_FORM = "invalid-form"


FORM_PACKAGE_PROBLEM_DESCRIPTIONS: dict[FormPackageProblem, str] = {
    FormPackageProblem.UNREADABLE: N_("it is damaged or not in the expected form"),
    FormPackageProblem.TOO_LARGE: N_("it is larger than a form file may be"),
    FormPackageProblem.BAD_SIGNATURE: N_("it is not signed by your centre"),
    FormPackageProblem.FIELDS_MISMATCH: N_("its signed description does not match its contents"),
    FormPackageProblem.NOT_LISTED: N_("it is not the version the centre's list of forms names"),
    FormPackageProblem.INVALID_FORM: N_("it is not a form this version of Intake can use"),
}


class FormPackageRefused(KnownError):
    """A form package or form index failed verification: nothing of it may be used."""

    code = "form-package-refused"
    message = N_(
        "A form from the centre was not accepted ({problem}). Nothing was changed: Intake "
        "keeps using the forms it has. If this repeats, contact your administrator."
    )

    def __init__(self, problem: FormPackageProblem, detail: str = "") -> None:
        # `detail` is a fixed English hint for logs and tests; it never holds file content.
        self.problem = problem
        self.detail = detail
        super().__init__(problem=FORM_PACKAGE_PROBLEM_DESCRIPTIONS[problem])

    def translated(self) -> str:
        """The message with the problem's description, both in the current language."""
        return gettext(
            self.message, problem=gettext(FORM_PACKAGE_PROBLEM_DESCRIPTIONS[self.problem])
        )
