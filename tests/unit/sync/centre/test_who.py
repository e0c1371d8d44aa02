"""Who did it at the centre: one name check (who.checked_name) for a conflict's choice, a
follow-up change and a form published or retired; the same names pass and fail, with the same
message, through the check and through a conflict's resolution."""

from __future__ import annotations

import pytest

from intake_app.sync.centre.conflicts import resolve_conflict
from intake_app.sync.centre.errors import ChooserInvalid, ConflictNotFound
from intake_app.sync.centre.vault import Centre
from intake_app.sync.centre.who import MAX_CHOOSER, checked_name, default_chooser

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("given", "recorded"),
    [
        ("Anna Virtanen", "Anna Virtanen"),
        ("  admin  ", "admin"),  # blanks around a typed name are not part of it
        ("x" * MAX_CHOOSER, "x" * MAX_CHOOSER),
        ("", None),
        ("   ", None),
        ("x" * (MAX_CHOOSER + 1), None),
        ("tab\there", None),
        ("line\nbreak", None),
    ],
)
def test_every_who_takes_the_same_names(
    centre: Centre, given: str, recorded: str | None
) -> None:
    if recorded is None:
        messages = set()
        with pytest.raises(ChooserInvalid) as raised:
            checked_name(given)
        messages.add(raised.value.translated())
        with pytest.raises(ChooserInvalid) as raised:
            resolve_conflict(centre, UNKNOWN, "laptop", by=given)
        messages.add(raised.value.translated())
        assert len(messages) == 1
        return
    assert checked_name(given) == recorded
    with pytest.raises(ConflictNotFound):  # the name passed; there is no such conflict
        resolve_conflict(centre, UNKNOWN, "laptop", by=given)


def test_no_name_is_the_computers_user() -> None:
    assert checked_name(None) == default_chooser() != ""
