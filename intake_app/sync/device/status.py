"""The sync status a worker reads at a glance, and its translated one-line description."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from intake_app.errors import KnownError
from intake_app.i18n.core import gettext, ngettext
from intake_app.i18n.formatting import format_moment


class SyncState(StrEnum):
    NOT_ENROLLED = "not-enrolled"
    OFFLINE = "offline"
    SENDING = "sending"
    WAITING = "waiting"
    DELIVERED = "delivered"
    PROBLEM = "problem"
    REVOKED = "revoked"  # the centre revoked this laptop: nothing is sent any more


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """Where sync stands. `problem` is set (with what to do) only in state `problem`."""

    state: SyncState
    sent: int = 0  # sending n ...
    total: int = 0  # ... of m (0 while bundles are being prepared)
    bytes_sent: int = 0
    bytes_total: int = 0
    waiting: int = 0  # bundles in the outbox without a final receipt
    held: int = 0  # of those, bundles the centre holds in quarantine
    undelivered: int = 0  # interviews whose newest revision the centre has not confirmed
    refused: int = 0  # of those, interviews the centre refused, held back until corrected
    last_receipt: str | None = None  # UTC, YYYY-MM-DDTHH:MM:SSZ
    problem: KnownError | None = None
    # False until the centre delivered a bundle: the administrator has not approved the laptop
    approved: bool = True

    def describe(self) -> str:
        """One line in the current language."""
        if self.state is SyncState.PROBLEM and self.problem is not None:
            return self.problem.translated()
        if self.state is SyncState.REVOKED:
            return gettext(
                "The centre has revoked this laptop, so it sends nothing more. Every interview "
                "stays on this laptop. Talk to your administrator."
            )
        if self.state is SyncState.NOT_ENROLLED:
            return gettext("This laptop is not enrolled with a reception centre yet.")
        if self.state is SyncState.SENDING and not self.total:
            return gettext("Preparing bundles for the centre…")
        if self.state is SyncState.SENDING:
            return gettext("Sending bundle {n} of {m} to the centre…", n=self.sent, m=self.total)
        if self.state is SyncState.OFFLINE:
            if not self.undelivered:
                return gettext("Not connected to the centre. Nothing is waiting to be sent.")
            return ngettext(
                "Not connected to the centre. {n} interview waits to be delivered.",
                "Not connected to the centre. {n} interviews wait to be delivered.",
                self.undelivered,
            )
        if self.state is SyncState.WAITING:
            if not self.waiting:
                return ngettext(
                    "{n} interview has not been sent yet.",
                    "{n} interviews have not been sent yet.",
                    self.undelivered,
                )
            if self.held:
                return ngettext(
                    "Sent. The centre holds {n} bundle until this laptop is approved.",
                    "Sent. The centre holds {n} bundles until this laptop is approved.",
                    self.held,
                )
            return ngettext(
                "Sent. Waiting for the centre's receipt for {n} bundle.",
                "Sent. Waiting for the centre's receipts for {n} bundles.",
                self.waiting,
            )
        if not self.approved:
            return gettext(
                "Waiting for the administrator's approval of this laptop. Settings shows the "
                "key fingerprint to read out to them."
            )
        if self.last_receipt is None:
            return gettext("Everything is delivered.")
        return gettext("Everything is delivered. Last receipt: {time}.",
                       time=format_moment(self.last_receipt))

    def as_dict(self) -> dict[str, Any]:
        """The status as JSON for `intake-app sync --json` (codes, counts, times)."""
        return {
            "state": self.state.value,
            "sent": self.sent,
            "total": self.total,
            "waiting": self.waiting,
            "held": self.held,
            "undelivered": self.undelivered,
            "refused": self.refused,
            "last_receipt": self.last_receipt,
            "approved": self.approved,
            "problem": None if self.problem is None else {
                "code": self.problem.code, "message": self.problem.translated(),
            },
            "text": self.describe(),
        }
