"""Ages told three ways must agree: the age in the consent section, the age group and the date
of birth (which may be partial: a year, a year and month, or a full date).

The age group follows from a date of birth that is full enough (`derived_age_band`); answers
that contradict each other are a warning, never a block (`age_issues`): the person may not know
their birth date, and the worker decides. Ages are counted on the interview's day.

The questions are found by name (the intake form's names); a form without them has no checks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from intake_app.domain.issues import Issue, make_issue

CONSENT_AGE = "consent_age"
AGE_BAND = "age_band"
BIRTH_DATE = "date_of_birth"

# (lowest age, band), youngest first.
_BANDS = (
    (0, "under_15"),
    (15, "age_15_17"),
    (18, "age_18_29"),
    (30, "age_30_39"),
    (40, "age_40_49"),
    (50, "age_50_59"),
    (60, "age_60_plus"),
)
_CONSENT_OF_BAND = {"under_15": "under_15", "age_15_17": "age_15_17"}  # older: "adult"
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def band_of_age(age: int) -> str:
    """The age group code of someone `age` years old."""
    band = _BANDS[0][1]
    for lowest, code in _BANDS:
        if age >= lowest:
            band = code
    return band


def consent_age_of_band(band: str) -> str:
    """The consent section's age code ("under_15", "age_15_17", "adult") of an age group."""
    return _CONSENT_OF_BAND.get(band, "adult")


def possible_ages(birth: object, on: dt.date) -> tuple[int, int] | None:
    """The youngest and oldest the person can be on `on` with this (partial) birth date; None
    when it is not a date or lies after `on`."""
    if not isinstance(birth, str):
        return None
    match = _PARTIAL.match(birth)
    if match is None:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None
    oldest = on.year - year
    if month is None:
        youngest = oldest - 1
    elif day is None:
        if month > on.month:
            oldest -= 1
        youngest = oldest if month != on.month else oldest - 1
    else:
        try:
            born = dt.date(year, month, day)
        except ValueError:
            return None
        if (month, day) > (on.month, on.day):
            oldest -= 1
        if born > on:
            return None
        youngest = oldest
    if oldest < 0:
        return None
    return max(youngest, 0), oldest


def derived_age_band(birth: object, on: dt.date) -> str | None:
    """The age group the birth date settles (None when it could be either of two groups)."""
    ages = possible_ages(birth, on)
    if ages is None:
        return None
    young, old = band_of_age(ages[0]), band_of_age(ages[1])
    return young if young == old else None


def age_issues(answers: Mapping[str, object], on: dt.date) -> list[Issue]:
    """A warning on each age answer that contradicts another one."""
    consent = answers.get(CONSENT_AGE)
    if consent == "unknown" or not isinstance(consent, str):
        consent = None
    band = answers.get(AGE_BAND)
    band = band if isinstance(band, str) else None
    ages = possible_ages(answers.get(BIRTH_DATE), on)
    birth_bands = {band_of_age(ages[0]), band_of_age(ages[1])} if ages is not None else None
    wrong: set[str] = set()
    if consent is not None and band is not None and consent_age_of_band(band) != consent:
        wrong |= {CONSENT_AGE, AGE_BAND}
    if birth_bands is not None:
        if band is not None and band not in birth_bands:
            wrong |= {AGE_BAND, BIRTH_DATE}
        if consent is not None and consent not in {consent_age_of_band(b) for b in birth_bands}:
            wrong |= {CONSENT_AGE, BIRTH_DATE}
    order = (CONSENT_AGE, BIRTH_DATE, AGE_BAND)
    return [make_issue("ages-disagree", name) for name in order if name in wrong]
