"""Statistics suppression: no hidden count below the minimum can be worked out from a line's
total (public: any other table gives it) minus the counts shown in that line."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.sync.centre.suppression import hidden_groups

MIN = 5
VALUES = ("a", "b", "c", "d")


def lines(groups: list[tuple[str, ...]], fields: int) -> list[list[tuple[str, ...]]]:
    found = [groups]
    for field in range(fields if fields > 1 else 0):
        rests = {g[:field] + g[field + 1:] for g in groups}
        found += [[g for g in groups if g[:field] + g[field + 1:] == rest] for rest in rests]
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
