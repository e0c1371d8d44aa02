"""Words for the codes the centre stores: outcomes, reasons, device states, caps, times."""

from __future__ import annotations

import datetime as dt

from intake_app.i18n import N_, _, gettext
from intake_app.i18n.formatting import format_date, format_time, isolate
from intake_app.sync.centre.errors import CAP_NAMES, STATE_NAMES, HeldCapReached
from intake_app.sync.errors import Outcome, Reason
from intake_app.sync.format.enrolment import escape_hidden

OUTCOME_NAMES = {
    Outcome.ACCEPTED: N_("Imported"),
    Outcome.DUPLICATE: N_("Already imported"),
    Outcome.QUARANTINED: N_("Held"),
    Outcome.REJECTED: N_("Refused"),
}


KEPT_NAMES = {
    "centre": N_("the centre's version"),
    "laptop": N_("the laptop's version"),
}


def kept_text(kept: str) -> str:
    """Which version of a record conflict was (or is to be) kept, in words."""
    return _(KEPT_NAMES[kept]) if kept in KEPT_NAMES else kept


def outcome_text(outcome: Outcome) -> str:
    """The outcome in words, in the current language."""
    return _(OUTCOME_NAMES[outcome])


def reason_text(reason: Reason | None) -> str:
    """The reason's description in the current language ("" for none)."""
    return "" if reason is None else gettext(reason.description)


def state_text(state: str) -> str:
    """A device state in words."""
    return gettext(STATE_NAMES.get(state, state))


def when(stamp: str | None) -> str:
    """A stored UTC time (`...Z`) in the local time: its date as every other date the centre
    shows (the language's medium format, "7.12.2026"; "Dec 7, 2026"), then the time."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    return f"{format_date(local.date(), 'medium')} {format_time(local, 'short')}"


def short_id(value: str | None) -> str:
    """The first block of a UUID, enough to tell laptops and interviews apart on screen."""
    return "" if not value else value.split("-")[0]


def laptop_words(device_id: str, device_name: str | None = None, *, whole_id: bool = False
                 ) -> str:
    """A laptop as a sentence names it: “Laptop 7” (3f1b2c4d), its id alone when the centre
    has no name for it. The name is the laptop's own (hidden characters escaped); the id stays
    one left-to-right piece in a right-to-left language. `whole_id`: the whole device id (the
    command line, where it is typed back), else its first block."""
    ident = isolate(device_id if whole_id else short_id(device_id))
    if not device_name:
        return ident
    return _("“{name}” ({laptop})", name=escape_hidden(device_name), laptop=ident)


def cap_text(cap: str) -> str:
    """A quarantine cap (`HeldCapReached.cap`) in words."""
    return gettext(CAP_NAMES[cap]) if cap in CAP_NAMES else cap


def cap_alert_text(device_id: str, cap: str, device_name: str | None = None, *,
                   whole_id: bool = False) -> str:
    """A cap's alert in words: which laptop's bundle was left in the inbox, which cap, and what
    makes room."""
    return gettext(HeldCapReached.message,
                   device=laptop_words(device_id, device_name, whole_id=whole_id),
                   cap=cap_text(cap))
