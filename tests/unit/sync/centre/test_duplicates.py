"""Possible duplicates (issue 17): partial dates of birth, aliases without diacritics or case,
the thresholds of the edit distance and of the 180-day window, different workers, blocking."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from intake_app.domain.answers import parse_partial_date
from intake_app.sync.centre import duplicates
from intake_app.sync.centre.duplicates import (
    ALIAS,
    NATIONALITY,
    WINDOW_DAYS,
    Person,
    births_match,
    edit_distance,
    find_duplicates,
    normalise,
    similar_aliases,
)

DAY = dt.date(2027, 3, 1)


def person(
    record_id: str,
    *,
    worker: str = "W-1",
    birth: str | None = "1994-05-12",
    alias: str = "Amina",
    nationality: tuple[str, ...] = ("SO",),
    day: dt.date | None = DAY,
) -> Person:
    return Person(
        record_id,
        worker,
        parse_partial_date(birth) if birth else None,
        alias,
        frozenset(nationality),
        day,
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("1994-05-12", "1994-05-12", True),
        ("1994", "1994-05-12", True),
        ("1994-05", "1994-05-12", True),
        ("1994-05", "1994", True),
        ("1994-05", "1994-06-01", False),
        ("1994-05-12", "1994-05-13", False),
        ("1994", "1995", False),
        (None, "1994", False),
    ],
)
def test_partial_dates_of_birth_match_on_the_parts_both_give(
    a: str | None, b: str | None, same: bool
) -> None:
    first = parse_partial_date(a) if a else None
    second = parse_partial_date(b) if b else None
    assert births_match(first, second) is same
    assert births_match(second, first) is same


def test_aliases_are_compared_without_diacritics_case_or_punctuation() -> None:
    assert normalise("  Amína  KÄRKI-Öz ") == "amina karki oz"
    assert normalise("ＡＭＩＮＡ") == "amina"  # fullwidth letters (NFKD)
    assert normalise("أَمِينَة") == normalise("أمينة")  # Arabic vowel marks are combining marks
    assert similar_aliases("Amína", "AMINA")
    assert similar_aliases("Nguyễn Thị Hoa", "nguyen thi hoa")


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("Ali", "Aly", True),  # one edit in a short alias
        ("Ali", "Alex", False),  # two edits in a short alias
        ("Amina", "Aimna", True),  # a swap is one edit
        ("Fatima", "Fatma", True),
        ("Fatima", "Fadime", True),  # two edits in a longer alias
        ("Fatima", "Fadiko", False),  # three
        ("Amina", "Amina K.", True),  # every word of 3+ letters of the shorter in the longer
        ("Fictional Aino", "Fictional Bao", False),  # a shared word is not enough
        ("", "Amina", False),
        ("X", "Y", False),  # under 3 letters: only the same alias
        ("Jo", "Jo.", True),
    ],
)
def test_alias_similarity_thresholds(a: str, b: str, similar: bool) -> None:
    assert similar_aliases(a, b) is similar


def test_edit_distance_counts_swaps_and_stops_above_its_limit() -> None:
    assert edit_distance("abcd", "abdc", 2) == 1
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("kitten", "sitting", 1) == 2  # limit + 1
    assert edit_distance("a", "abcdef", 2) == 3


def test_a_pair_needs_the_birth_date_and_an_alias_or_a_nationality() -> None:
    [pair] = find_duplicates([person("a"), person("b", worker="W-2", alias="Amiina")])
    assert (pair.first, pair.second) == ("a", "b")
    assert set(pair.reasons) == {ALIAS, NATIONALITY}
    [pair] = find_duplicates([person("a"), person("b", worker="W-2", alias="Leila")])
    assert pair.reasons == (NATIONALITY,)
    [pair] = find_duplicates([person("a"), person("b", worker="W-2", nationality=("IQ",))])
    assert pair.reasons == (ALIAS,)
    assert (
        find_duplicates(
            [person("a"), person("b", worker="W-2", alias="Leila", nationality=("IQ",))]
        )
        == []
    )
    assert find_duplicates([person("a"), person("b", worker="W-2", birth="1994-06")]) == []
    assert find_duplicates([person("a", birth=None), person("b", worker="W-2")]) == []


def test_a_nationality_needs_at_least_the_month_of_birth() -> None:
    year_only = [
        person("a", birth="1990", alias="Hoa"),
        person("b", worker="W-2", birth="1990-02-03", alias="Lan"),
    ]
    assert find_duplicates(year_only) == []
    months = [
        person("a", birth="1990-02", alias="Hoa"),
        person("b", worker="W-2", birth="1990-02-03", alias="Lan"),
    ]
    assert [p.reasons for p in find_duplicates(months)] == [(NATIONALITY,)]
    similar = [
        person("a", birth="1990", alias="Hoa"),
        person("b", worker="W-2", birth="1990-02-03", alias="Hoà"),
    ]
    assert [p.reasons for p in find_duplicates(similar)] == [(ALIAS,)]


def test_unknown_nationality_is_no_match_but_stateless_is() -> None:
    unknown = [
        person("a", alias="Xavier", nationality=("unknown",)),
        person("b", worker="W-2", alias="Leila", nationality=("unknown",)),
    ]
    assert find_duplicates(unknown) == []
    stateless = [
        person("a", alias="Xavier", nationality=("stateless",)),
        person("b", worker="W-2", alias="Leila", nationality=("stateless", "SY")),
    ]
    assert len(find_duplicates(stateless)) == 1


def test_the_window_is_180_days_either_way() -> None:
    assert WINDOW_DAYS == 180
    edge = DAY + dt.timedelta(days=WINDOW_DAYS)
    assert len(find_duplicates([person("a"), person("b", worker="W-2", day=edge)])) == 1
    assert len(find_duplicates([person("b", worker="W-2", day=edge), person("a")])) == 1
    beyond = edge + dt.timedelta(days=1)
    assert find_duplicates([person("a"), person("b", worker="W-2", day=beyond)]) == []
    assert find_duplicates([person("a"), person("b", worker="W-2", day=None)]) == []


def test_the_same_worker_twice_is_not_flagged_and_dismissed_pairs_stay_quiet() -> None:
    assert find_duplicates([person("a", worker="w-1"), person("b", worker="W-1")]) == []
    people = [person("a"), person("b", worker="W-2"), person("c", worker="W-3")]
    assert len(find_duplicates(people)) == 3
    left = find_duplicates(people, dismissed=[("b", "a")])
    assert {(p.first, p.second) for p in left} == {("a", "c"), ("b", "c")}
    assert left[0].other("c") in ("a", "b")


def test_blocking_keeps_2000_interviews_far_from_all_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[int] = []
    real = duplicates.compare

    def counting(a: Person, b: Person, window_days: int = WINDOW_DAYS) -> object:
        compared.append(1)
        return real(a, b, window_days)

    monkeypatch.setattr(duplicates, "compare", counting)
    people = [
        person(
            f"r{n:04}",
            worker=f"W-{n % 40}",
            birth=f"{1960 + n % 45}-{1 + n % 12:02}",
            alias=f"Person {n}",
            nationality=(("SO", "IQ", "VN", "TH")[n % 4],),
            day=DAY + dt.timedelta(days=n % 730),
        )
        for n in range(2000)
    ]
    started = time.perf_counter()
    find_duplicates(people)
    elapsed = time.perf_counter() - started
    all_pairs = 2000 * 1999 // 2
    assert len(compared) < all_pairs // 20
    assert elapsed < 2.0
