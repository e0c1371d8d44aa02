"""One formatter for a moment shown to a person (Settings' form versions, the retention list,
`intake-app forms`): a stored UTC stamp or an aware datetime, in this computer's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from intake_app.i18n.formatting import format_date, format_datetime, format_moment

STAMP = "2026-11-28T23:30:00Z"
MOMENT = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)


def test_a_stamp_and_its_datetime_read_the_same() -> None:
    assert format_moment(STAMP) == format_moment(MOMENT) == format_datetime(MOMENT, "short")
    helsinki = MOMENT.astimezone(timezone(timedelta(hours=2)))
    assert format_moment(helsinki) == format_moment(MOMENT)


def test_the_date_is_the_local_calendars() -> None:
    local_day = MOMENT.astimezone().date()  # 29 November east of UTC, 28th west of it
    assert format_moment(STAMP, date_only=True) == format_date(local_day)
    assert format_moment(MOMENT, date_only=True) == format_date(local_day)


def test_no_moment_is_empty_and_a_stamp_that_does_not_parse_is_shown_as_it_is() -> None:
    assert format_moment(None) == "" and format_moment(None, date_only=True) == ""
    assert format_moment("yesterday") == "yesterday"


def test_in_another_language() -> None:
    assert format_moment(STAMP, in_lang="fi") == format_datetime(MOMENT, "short", in_lang="fi")
    assert format_moment(STAMP, in_lang="fi") != format_moment(STAMP, in_lang="en")
