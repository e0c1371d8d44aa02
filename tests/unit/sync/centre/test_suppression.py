"""Statistics suppression: no hidden count below the minimum can be worked out from a line's
total (public: any other table gives it) minus the counts shown in that line."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.sync.centre.suppression import Suppression, suppress

MIN = 5


def hidden_groups(
    counts: dict[tuple[str, ...], int], fields: int, minimum: int
) -> set[tuple[str, ...]]:
    """The groups a table does not show (every group when it is withheld)."""
    found = suppress(counts, fields, minimum)
    return set(counts) if found.withheld else set(found.hidden)


VALUES = ("a", "b", "c", "d")


def lines(groups: list[tuple[str, ...]], fields: int) -> list[list[tuple[str, ...]]]:
    found = [groups]
    for field in range(fields if fields > 1 else 0):
        rests = {g[:field] + g[field + 1 :] for g in groups}
        found += [[g for g in groups if g[:field] + g[field + 1 :] == rest] for rest in rests]
    return found


@settings(max_examples=400, deadline=None)
@given(fields=st.integers(1, 2), data=st.data())
def test_no_small_group_can_be_worked_out(fields: int, data: st.DataObject) -> None:
    groups = list(itertools.product(VALUES, repeat=fields))
    chosen = data.draw(st.lists(st.sampled_from(groups), min_size=1, unique=True))
    counts = {g: data.draw(st.integers(1, 12)) for g in chosen}
    hidden = hidden_groups(counts, fields, MIN)
    assert {g for g, c in counts.items() if c < MIN} <= hidden
    for line in lines(sorted(counts), fields):
        inside = sum(counts[g] for g in line if g in hidden)
        # The hidden cells of a line add up to nothing, to at least the minimum, or are all of it
        # (and then the line's own total is a group of that size, hidden where it is shown).
        assert inside == 0 or inside >= MIN or all(g in hidden for g in line)


def test_a_lone_small_cell_takes_the_next_smallest_with_it() -> None:
    counts = {("street",): 5, ("workplace",): 2, ("housing",): 9}
    assert hidden_groups(counts, 1, MIN) == {("street",), ("workplace",)}
    assert hidden_groups({("street",): 5, ("housing",): 9}, 1, MIN) == set()


# --- Nothing a reader can work out from a printed table ----------------------------------------
# An independent search (no flows): a reader knows the shown counts, that each hidden count is at
# least 1, the total, every row's and column's total that is not itself below the minimum (and
# so the sum of those that are). The rule holds when, for every hidden count, some table
# consistent with all that gives it the minimum or more: nobody can tell a hidden small group
# from a hidden large one, let alone pin its size.


def could_be_large(
    counts: dict[tuple[str, ...], int], hidden: set[tuple[str, ...]], cell: tuple[str, ...]
) -> bool:
    two = len(cell) == 2
    sums: dict[tuple[int, str], int] = {}
    for group, count in counts.items():
        for axis in range(len(group) if two else 0):
            sums[(axis, group[axis])] = sums.get((axis, group[axis]), 0) + count
    left = {
        line: total - sum(c for g, c in counts.items() if g[line[0]] == line[1] and g not in hidden)
        for line, total in sums.items()
        if total >= MIN
    }
    order = sorted(hidden)
    grand = sum(counts.values()) - sum(c for g, c in counts.items() if g not in hidden)

    def search(i: int, rest: int) -> bool:
        if i == len(order):
            return rest == 0 and not any(left.values())
        group = order[i]
        later = order[i + 1 :]
        low, high = (MIN if group == cell else 1), rest - len(later)
        if i == len(order) - 1:
            low = max(low, rest)
        for axis in range(2 if two else 0):
            line = (axis, group[axis])
            if line in left:
                others = sum(1 for g in later if g[axis] == group[axis])
                high = min(high, left[line] - others)
                if not others:
                    low = max(low, left[line])
        for value in range(low, high + 1):
            for axis in range(2 if two else 0):
                if (axis, group[axis]) in left:
                    left[(axis, group[axis])] -= value
            found = search(i + 1, rest - value)
            for axis in range(2 if two else 0):
                if (axis, group[axis]) in left:
                    left[(axis, group[axis])] += value
            if found:
                return True
        return False

    return search(0, grand)


@settings(max_examples=300, deadline=None)
@given(fields=st.integers(1, 2), data=st.data())
def test_every_hidden_count_could_be_five_or_more(fields: int, data: st.DataObject) -> None:
    groups = list(
        itertools.product(("a", "b", "c"), ("x", "y", "z", "w")[: 3 if fields == 2 else 1])
    )
    if fields == 1:
        groups = [(g[0] + g[1],) for g in itertools.product(VALUES, ("1", "2"))]
    chosen = data.draw(st.lists(st.sampled_from(groups), min_size=1, max_size=9, unique=True))
    counts = {g: data.draw(st.integers(1, 9)) for g in chosen}
    found = suppress(counts, fields, MIN)
    assert {g for g, c in counts.items() if c < MIN} <= found.hidden
    if found.withheld or sum(counts.values()) < MIN:
        return  # no group listed, or no total known
    for cell in found.hidden:
        assert could_be_large(counts, set(found.hidden), cell), (counts, cell)


def test_enough_hidden_in_every_line_can_still_give_a_count_away() -> None:
    # Two squares of hidden 3s joined by a hidden 2 at (r1, c3): every row and column holds
    # hidden counts adding up to 5 or more (all the old rule asked), yet the 2 is a bridge:
    # rows r1 and r2 hide 8 + 6, columns c1 and c2 hide 6 + 6, so it is 14 - 12 = 2 exactly.
    counts = {(f"r{r}", f"c{c}"): 8 for r in range(1, 5) for c in range(1, 5)}
    squares = [(r, c) for r, c in itertools.product(("r1", "r2"), ("c1", "c2"))]
    squares += [(r, c) for r, c in itertools.product(("r3", "r4"), ("c3", "c4"))]
    counts.update(dict.fromkeys(squares, 3))
    counts[("r1", "c3")] = 2
    small = {group for group, count in counts.items() if count < MIN}
    assert not could_be_large(counts, small, ("r1", "c3"))
    found = suppress(counts, 2, MIN)
    assert not found.withheld and small < found.hidden
    assert all(could_be_large(counts, set(found.hidden), cell) for cell in found.hidden)


def test_a_hidden_sum_too_small_to_split_hides_more_or_withholds() -> None:
    # 2 and 5 hidden with a total known: 7 split in two, each could still be 6.
    assert suppress({("a",): 2, ("b",): 5, ("c",): 9}, 1, MIN).hidden == {("a",), ("b",)}
    # Six groups of one: the total 6 would tell that each is exactly 1. No group is listed.
    ones = {(str(n),): 1 for n in range(6)}
    assert suppress(ones, 1, MIN).withheld
    # Below the minimum the total is hidden as well; then listing the hidden groups is safe.
    assert suppress({("a",): 1, ("b",): 2}, 1, MIN) == Suppression(frozenset({("a",), ("b",)}))


def test_more_than_two_fields_are_refused() -> None:
    with pytest.raises(ValueError):
        suppress({("a", "b", "c"): 1}, 3, MIN)
