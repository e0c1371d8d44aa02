"""An independent reader of published statistics (no flows): what can be worked out.

The reader knows every count the tables print, each as a sum of cells of one finer table (a
cell of a table by a field for one year is a cell; the same field over all years is a sum of
cells), which cells could exist (the form's choices, the years reported on) and, where a table
says some of its groups are not shown, that those hold at least one interview. Nothing else: a
cell not printed may be 0. A hidden quantity is safe when some table of cells consistent with
all that gives it the minimum or more."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Cell = tuple[str, str]
Equation = tuple[frozenset[Cell], int]


def could_reach(
    universe: Iterable[Cell],
    equations: Sequence[Equation],
    target: frozenset[Cell],
    at_least: int,
    some: Sequence[frozenset[Cell]] = (),
) -> bool:
    """Whether the cells of `target` could add up to `at_least` or more, for all the
    equations say and with each of `some` holding at least one interview (a depth-first
    search over every cell not printed on its own, largest values first)."""
    pinned = {next(iter(cells)): value for cells, value in equations if len(cells) == 1}
    # The target's cells first, so that the search gives up on a small target at once.
    free = sorted(
        (cell for cell in set(universe) if cell not in pinned),
        key=lambda cell: (cell not in target, cell),
    )
    left = [value - sum(pinned.get(cell, 0) for cell in group) for group, value in equations]
    open_ = [sum(1 for cell in group if cell not in pinned) for group, _value in equations]
    if any(n < 0 or (not k and n) for n, k in zip(left, open_, strict=True)):
        return False  # the printed numbers contradict each other
    touching: dict[Cell, list[int]] = {cell: [] for cell in free}
    for index, (group, _value) in enumerate(equations):
        for cell in group:
            if cell in touching:
                touching[cell].append(index)
    start_reached = min(at_least, sum(pinned.get(cell, 0) for cell in target))
    start_met = frozenset(i for i, group in enumerate(some) if any(pinned.get(c) for c in group))
    last_target = sum(1 for cell in free if cell in target)
    seen: set[tuple[object, ...]] = set()  # states already searched in vain

    def search(position: int, reached: int, met: frozenset[int]) -> bool:
        if position == last_target and reached < at_least:
            return False
        if position == len(free):
            return len(met) == len(some)
        state = (position, tuple(left), reached, met)
        if state in seen:
            return False
        cell = free[position]
        high = min((left[i] for i in touching[cell]), default=at_least)
        for value in range(high, -1, -1):
            for i in touching[cell]:
                left[i] -= value
                open_[i] -= 1
            found = all(left[i] >= 0 and (open_[i] or left[i] == 0) for i in touching[cell])
            if found:
                now = min(at_least, reached + value) if cell in target else reached
                also = met | {i for i, group in enumerate(some) if value and cell in group}
                found = search(position + 1, now, frozenset(also))
            for i in touching[cell]:
                left[i] += value
                open_[i] += 1
            if found:
                return True
        seen.add(state)
        return False

    return search(0, start_reached, start_met)
