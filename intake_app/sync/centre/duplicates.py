"""Possible duplicates: one person interviewed twice by different workers, for a person to check.

Nothing here merges, hides or changes an interview. A pair is flagged when all of these hold:

- **the same date of birth**. Partial dates (the form allows "1994" and "1994-05") match when
  they agree on every part both give: "1994" matches "1994-05-12", "1994-05" does not match
  "1994-06-01". Interviews without a date of birth are never flagged (an age band is too coarse).
- **a similar alias or the same nationality**. Aliases are compared normalised (`normalise`:
  NFKD without combining marks, case folded, punctuation as spaces), so "Amína" is "amina";
  they are similar when equal, when their edit distance (with transpositions) is at most 1 for
  aliases of 3 to 5 letters and 2 for longer ones (aliases under 3 letters only when equal:
  one edit of "Jo" is another name), or when every word of 3+ letters of the shorter alias is
  a word of the longer ("Amina" and "Amina K."). Nationalities are the same when the two share
  a country code (or "stateless"; "unknown" is no nationality), and they count only when both
  dates of birth give at least the year and the month: a year and a nationality are shared by
  too many people (fifty Vietnamese workers born in 1990 are not one person).
- **interview dates close together**: at most `WINDOW_DAYS` (180) days apart (the interview's
  date, else the day the laptop created it).
- **different workers**: the worker code the interview names, else the laptop's worker.
- neither interview is deleted, and no administrator marked the pair "not the same person".

Interviews are blocked by year of birth and, inside a year, swept in date order, so the work
grows with the pairs that can match, not with the square of all interviews.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from intake_app.i18n import _

WINDOW_DAYS = 180
SHORT_ALIAS = 5  # letters; up to this, one edit; beyond, two
MIN_WORD = 3
NO_NATIONALITY = frozenset({"unknown"})
NATIONALITY_PRECISION = 2  # parts of the date of birth (year and month)

ALIAS = "alias"
NATIONALITY = "nationality"


@dataclass(frozen=True)
class Person:
    """What duplicate matching reads of one interview (made by `triage.people`)."""

    record_id: str
    worker: str  # who interviewed, compared case-folded
    birth: tuple[int, ...] | None  # (year,), (year, month) or (year, month, day)
    alias: str  # as typed; normalised when compared
    nationalities: frozenset[str]
    interviewed: dt.date | None

    @cached_property
    def alias_key(self) -> str:
        """The alias normalised (once per interview, not once per comparison)."""
        return normalise(self.alias)


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two interviews that may be of one person; `first` < `second` (record ids)."""

    first: str
    second: str
    reasons: tuple[str, ...]  # ALIAS and/or NATIONALITY, besides the date of birth

    def other(self, record_id: str) -> str:
        """The pair's other interview."""
        return self.second if record_id == self.first else self.first


def pair_key(a: str, b: str) -> tuple[str, str]:
    """A pair of record ids in the order the centre stores it."""
    return (a, b) if a < b else (b, a)


def normalise(alias: str) -> str:
    """An alias as compared: NFKD without combining marks, case folded, words of letters and
    digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", alias)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in bare).split())


def edit_distance(a: str, b: str, limit: int) -> int:
    """The edit distance of `a` and `b` counting an adjacent swap as one edit (optimal string
    alignment); anything above `limit` is returned as `limit + 1`. Only the cells within
    `limit` of the diagonal are worked out: the cost grows with the length, not its square."""
    over = limit + 1
    if abs(len(a) - len(b)) > limit:
        return over
    size = len(b)
    previous2: list[int] = []
    previous = [j if j <= limit else over for j in range(size + 1)]
    for i in range(1, len(a) + 1):
        current = [over] * (size + 1)
        if i <= limit:
            current[0] = i
        low, high = max(1, i - limit), min(size, i + limit)
        here, before = a[i - 1], a[i - 2] if i > 1 else ""
        row_best = current[low - 1]
        for j in range(low, high + 1):
            best = previous[j - 1] if here == b[j - 1] else previous[j - 1] + 1
            if previous[j] + 1 < best:
                best = previous[j] + 1
            if current[j - 1] + 1 < best:
                best = current[j - 1] + 1
            if j > 1 and here == b[j - 2] and before == b[j - 1] and previous2[j - 2] + 1 < best:
                best = previous2[j - 2] + 1
            current[j] = best if best < over else over
            if best < row_best:
                row_best = best
        if row_best > limit:
            return over
        previous2, previous = previous, current
    return previous[-1]


def similar_aliases(a: str, b: str) -> bool:
    """Whether two aliases may name the same person (see the module's rules)."""
    return similar_normalised(normalise(a), normalise(b))


def similar_normalised(first: str, second: str) -> bool:
    """`similar_aliases` of two aliases already normalised."""
    if not first or not second:
        return False
    if first == second:
        return True
    shortest = min(len(first), len(second))
    limit = 0 if shortest < MIN_WORD else 1 if shortest <= SHORT_ALIAS else 2
    if edit_distance(first, second, limit) <= limit:
        return True
    shorter, longer = sorted((first.split(), second.split()), key=len)
    words = [word for word in shorter if len(word) >= MIN_WORD]
    return bool(words) and all(word in longer for word in words)


def births_match(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> bool:
    """Whether two (partial) dates of birth agree on every part both give."""
    if not a or not b:
        return False
    return all(x == y for x, y in zip(a, b, strict=False))


def same_nationality(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool((a - NO_NATIONALITY) & (b - NO_NATIONALITY))


def compare(a: Person, b: Person, window_days: int = WINDOW_DAYS) -> PossibleDuplicate | None:
    """The pair, when the two interviews may be of one person; else None."""
    if a.record_id == b.record_id or a.worker.casefold() == b.worker.casefold():
        return None
    if not births_match(a.birth, b.birth):
        return None
    if a.interviewed is None or b.interviewed is None:
        return None
    if abs((a.interviewed - b.interviewed).days) > window_days:
        return None
    alias = similar_normalised(a.alias_key, b.alias_key)
    # A year alone is shared by too many people for a nationality to say much more.
    nationality = min(
        len(a.birth or ()), len(b.birth or ())
    ) >= NATIONALITY_PRECISION and same_nationality(a.nationalities, b.nationalities)
    reasons = tuple(
        reason for reason, holds in ((ALIAS, alias), (NATIONALITY, nationality)) if holds
    )
    if not reasons:
        return None
    first, second = pair_key(a.record_id, b.record_id)
    return PossibleDuplicate(first, second, reasons)


def find_duplicates(
    people: Iterable[Person],
    dismissed: Iterable[tuple[str, str]] = (),
    window_days: int = WINDOW_DAYS,
) -> list[PossibleDuplicate]:
    """Every flagged pair among `people`, less the `dismissed` ones (pairs of record ids), in
    the order of their record ids."""
    skipped = {pair_key(a, b) for a, b in dismissed}
    by_year: defaultdict[int, list[Person]] = defaultdict(list)
    for person in people:
        if person.birth and person.interviewed is not None:
            by_year[person.birth[0]].append(person)
    found: list[PossibleDuplicate] = []
    for block in by_year.values():
        found += _sweep(sorted(block, key=_when), window_days, skipped)
    return sorted(found, key=lambda pair: (pair.first, pair.second))


def _when(person: Person) -> dt.date:
    assert person.interviewed is not None
    return person.interviewed


def _sweep(
    block: Sequence[Person], window_days: int, skipped: set[tuple[str, str]]
) -> list[PossibleDuplicate]:
    found: list[PossibleDuplicate] = []
    for i, person in enumerate(block):
        for later in block[i + 1 :]:
            if (_when(later) - _when(person)).days > window_days:
                break
            pair = compare(person, later, window_days)
            if pair is not None and (pair.first, pair.second) not in skipped:
                found.append(pair)
    return found


def duplicates_by_record(pairs: Iterable[PossibleDuplicate]) -> dict[str, list[PossibleDuplicate]]:
    """Each flagged interview's pairs."""
    found: defaultdict[str, list[PossibleDuplicate]] = defaultdict(list)
    for pair in pairs:
        found[pair.first].append(pair)
        found[pair.second].append(pair)
    return dict(found)


def reasons_text(pair: PossibleDuplicate) -> str:
    """Why a pair is flagged, in words in the current language."""
    if set(pair.reasons) == {ALIAS, NATIONALITY}:
        return _("same date of birth, similar alias, same nationality")
    if ALIAS in pair.reasons:
        return _("same date of birth, similar alias")
    return _("same date of birth, same nationality")
