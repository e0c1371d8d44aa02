"""Words for the codes the centre stores: outcomes, reasons, device states, times."""

from __future__ import annotations

import datetime as dt

from intake_app.i18n import N_, _, gettext
from intake_app.i18n.formatting import format_date, format_time
from intake_app.sync.centre.errors import STATE_NAMES
from intake_app.sync.errors import Outcome, Reason

OUTCOME_NAMES = {
    Outcome.ACCEPTED: N_("Imported"),
    Outcome.DUPLICATE: N_("Already imported"),
    Outcome.QUARANTINED: N_("Held"),
    Outcome.REJECTED: N_("Refused"),
}


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
