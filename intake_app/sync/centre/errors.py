"""Known errors an administrator can meet at the centre (set-up, devices, exports)."""

from __future__ import annotations

from intake_app.errors import KnownError
from intake_app.i18n.core import N_, gettext

STATE_NAMES = {
    "pending": N_("waiting for approval"),
    "active": N_("active"),
    "retired": N_("retired"),
    "revoked": N_("revoked"),
}
ACTION_NAMES = {
    "approved": N_("approved"),
    "retired": N_("retired"),
    "revoked": N_("revoked"),
    "dismissed": N_("dismissed"),
}


class NotACentreVault(KnownError):
    code = "not-a-centre-vault"
    message = N_(
        "The vault in {folder} is a worker's vault, not a centre's. Choose the centre's "
        "data folder."
    )


class CentreNotSetUp(KnownError):
    code = "centre-not-set-up"
    message = N_(
        "The centre's keys are missing from its vault. Set the centre up with "
        "“intake-app centre init”."
    )


class BackupIdentityExists(KnownError):
    code = "backup-identity-exists"
    message = N_(
        "The file {file} already exists. The backup key is written only once, to a new file; "
        "choose another name. Nothing was created."
    )


class DeviceNotFound(KnownError):
    code = "device-not-found"
    message = N_("No registered laptop matches “{device}”.")


class DeviceAmbiguous(KnownError):
    code = "device-ambiguous"
    message = N_("More than one laptop matches “{device}”. Type more of its id.")


class DeviceStateWrong(KnownError):
    code = "device-state-wrong"
    message = N_("The laptop is {state}, so it cannot be {action}. Nothing was changed.")

    def __init__(self, state: str, action: str) -> None:
        self.state = state
        self.action = action
        super().__init__(state=STATE_NAMES[state], action=ACTION_NAMES[action])

    def translated(self) -> str:
        """The message with the state and the action in the current language too."""
        return gettext(self.message, state=gettext(STATE_NAMES[self.state]),
                       action=gettext(ACTION_NAMES[self.action]))


class EnrolmentConflict(KnownError):
    code = "enrolment-conflict"
    message = N_(
        "A laptop with the id {device} or with the same key is already registered with another "
        "key. The request was not registered; ask for a new one."
    )


class FingerprintMismatch(KnownError):
    code = "fingerprint-mismatch"
    message = N_(
        "The fingerprint you typed does not match the laptop's key. The laptop was not "
        "approved. Compare the fingerprint on both screens again."
    )


class FingerprintNeeded(KnownError):
    code = "fingerprint-needed"
    message = N_(
        "Compare the fingerprint {fingerprint} with the one shown on the laptop, then approve "
        "again with --fingerprint."
    )


class RetireBelowImported(KnownError):
    code = "retire-below-imported"
    message = N_(
        "Bundle {seq} from this laptop was already imported, so its last sequence number "
        "cannot be lower than that."
    )


class HeldBundleNotFound(KnownError):
    code = "held-bundle-not-found"
    message = N_("There is no bundle held in quarantine with the number {number}.")


class NoFormForExport(KnownError):
    code = "no-form-for-export"
    message = N_("No interview form is installed, so there is nothing to export by.")


class StatsFieldNotCoded(KnownError):
    code = "stats-field-not-coded"
    message = N_(
        "Interviews can be counted only by a coded answer (a choice, a country or a language) "
        "or by month, status or form; “{field}” is none of these."
    )


class StatsTooManyFields(KnownError):
    code = "stats-too-many-fields"
    message = N_(
        "Interviews can be counted by one or two fields at a time: by more, nearly every group "
        "would be too small to show."
    )


class StatsYearWithTwoFields(KnownError):
    code = "stats-year-with-two-fields"
    message = N_(
        "A table by two fields always counts all years together: a single year would be a third "
        "field, and nearly every group would be too small to show. For one year, count by one "
        "field."
    )


class ExportNotSaved(KnownError):
    code = "export-not-saved"
    message = N_(
        "The file could not be saved in {folder}. Check that the folder exists and can be "
        "written to, then try again. Nothing was left there."
    )


class LastSeqNegative(KnownError):
    code = "last-seq-negative"
    message = N_(
        "The last sequence number cannot be negative. Give the number of the last bundle still "
        "to be accepted from this laptop (0 for none). Nothing was changed."
    )


class HeldCapReached(KnownError):
    """A bundle would take the quarantine over one of its caps: it is left in the inbox,
    untouched and unanswered, and the administrator gets an alert (once per laptop and cap)."""

    code = "held-cap-reached"
    message = N_(
        "A bundle from the laptop {device} was left in the inbox: {cap}. Approve, revoke or "
        "dismiss the laptops waiting for approval to make room."
    )

    def __init__(self, device: str, cap: str) -> None:
        super().__init__(device=device, cap=cap)
        self.device = device
        self.cap = cap

    def translated(self) -> str:
        """The message with the cap in words, in the current language."""
        return gettext(self.message, device=self.device, cap=gettext(CAP_NAMES[self.cap]))


class ConflictNotFound(KnownError):
    code = "conflict-not-found"
    message = N_("No record conflict waiting for a choice matches “{record}”.")


class ConflictAmbiguous(KnownError):
    code = "conflict-ambiguous"
    message = N_(
        "More than one record conflict matches “{record}”. Type more of the interview's id, "
        "or give the revision number. Nothing was changed."
    )


class ChooserInvalid(KnownError):
    code = "chooser-invalid"
    message = N_(
        "The name of who chose must be 1 to {limit} printable characters. Nothing was changed."
    )


class RequestNotFound(KnownError):
    code = "enrolment-request-not-found"
    message = N_("No enrolment request waiting on the share matches “{request}”.")


CAP_NAMES = {
    "count": N_("it already has as many bundles held as a laptop waiting for approval may have"),
    "device-size": N_(
        "its held bundles would take more space than a laptop waiting for approval may use"),
    "total-size": N_("all held bundles together would take more space than the centre allows"),
}
