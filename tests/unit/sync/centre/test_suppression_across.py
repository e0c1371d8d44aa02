"""Statistics protected across reports: a table for one year beside the same table over all
years and the years' totals, a table by two fields beside the tables by each field. An
independent reader (tests/helpers/reader.py) sets every printed number beside the others and
must not be able to pin any hidden small count, small group or small year below the minimum."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.sync.centre.reports import MIN_GROUP, StatsTable, count_table
from tests.helpers.reader import Cell, Equation, could_reach

Published = tuple[list[Equation], list[frozenset[Cell]], list[frozenset[Cell]]]

YEARS = ("2024", "2025", "2026")
VALUES = ("a", "b", "c")


def documents(cells: dict[Cell, int], second: str = "year") -> list[dict[str, Any]]:
    """Interviews with a status (the value) made in a year, or with a form as the second."""
    found = []
    for (first, other), count in cells.items():
        for _n in range(count):
            made = f"{other}-06-15" if second == "year" else "2026-06-15"
            doc: dict[str, Any] = {"status": first, "created": made + "T10:00:00Z"}
            if second == "form":
                doc["form"] = other
            found.append(doc)
    return found


def shown(table: StatsTable) -> dict[str, int]:
    return {group[-1] if len(group) == 1 else "|".join(group): n for group, n in table.rows}


def year_universe(cells: dict[Cell, int]) -> list[Cell]:
    """Every value in every year reported on (the years with interviews)."""
    return list(itertools.product(VALUES, sorted({year for _value, year in cells})))


def published_by_year(cells: dict[Cell, int]) -> Published:
    """What the overview and every year's report print (equations over the (value, year)
    cells), the hidden small quantities a reader must not pin, and the groups of cells known
    to hold someone (a table's "groups not shown")."""
    docs = documents(cells)
    universe = year_universe(cells)
    equations: list[Equation] = []
    targets: list[frozenset[Cell]] = []
    some: list[frozenset[Cell]] = []
    overall = count_table(docs, ["status"])
    if overall.total is not None:
        equations.append((frozenset(universe), overall.total))
    column = {value: frozenset(c for c in universe if c[0] == value) for value in VALUES}
    for value, count in shown(overall).items():
        equations.append((column[value], count))
    if overall.folded:
        some.append(frozenset().union(*(column[v] for v in VALUES if v not in shown(overall))))
    for value, group in column.items():
        true = sum(cells.get(c, 0) for c in group)
        if 0 < true < MIN_GROUP and value not in shown(overall):
            targets.append(group)
    for year in sorted({year for _value, year in cells}):
        row = frozenset(c for c in universe if c[1] == year)
        table = count_table(docs, ["status"], int(year))
        if table.total is not None:
            equations.append((row, table.total))
        elif sum(cells.get(c, 0) for c in row) < MIN_GROUP:
            targets.append(row)
        printed = shown(table)
        for value, count in printed.items():
            equations.append((frozenset({(value, year)}), count))
        if table.folded:
            some.append(frozenset(c for c in row if c[0] not in printed))
        targets += [
            frozenset({cell})
            for cell in row
            if 0 < cells.get(cell, 0) < MIN_GROUP and cell[0] not in printed
        ]
    return equations, targets, some


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_no_year_report_gives_away_a_small_group_beside_the_others(data: st.DataObject) -> None:
    grid = list(itertools.product(VALUES, YEARS))
    chosen = data.draw(st.lists(st.sampled_from(grid), min_size=1, max_size=6, unique=True))
    cells = {cell: data.draw(st.integers(1, 8)) for cell in chosen}
    equations, targets, some = published_by_year(cells)
    for target in targets:
        assert could_reach(year_universe(cells), equations, target, MIN_GROUP, some), (
            cells,
            sorted(target),
        )


def test_the_overview_minus_a_year_no_longer_gives_a_small_group_away() -> None:
    # 3 in 2024 and 6 in 2025 of group "a": the overview's 9 minus 2025's 6 was 3 exactly
    # when each report was suppressed on its own.
    cells = {
        ("a", "2024"): 3,
        ("a", "2025"): 6,
        ("b", "2024"): 9,
        ("b", "2025"): 8,
        ("c", "2024"): 7,
        ("c", "2025"): 5,
    }
    equations, targets, some = published_by_year(cells)
    universe = year_universe(cells)
    assert frozenset({("a", "2024")}) in targets
    for target in targets:
        assert could_reach(universe, equations, target, MIN_GROUP, some), sorted(target)
    # The reader's search itself finds the old leak: printed on their own, 2025 showed a's 6.
    leak = [
        *equations,
        (frozenset({("a", "2025")}), 6),
        (frozenset(c for c in universe if c[0] == "a"), 9),
    ]
    assert not could_reach(universe, leak, frozenset({("a", "2024")}), MIN_GROUP, some)


FORMS = ("x", "y", "z")


def published_by_two(cells: dict[Cell, int]) -> Published:
    """The table by status and form beside the tables by status and by form."""
    docs = documents(cells, second="form")
    universe = list(itertools.product(VALUES, FORMS))
    equations: list[Equation] = []
    targets: list[frozenset[Cell]] = []
    some: list[frozenset[Cell]] = []
    both = count_table(docs, ["status", "form"])
    if both.total is None:
        return equations, targets, some
    equations.append((frozenset(universe), both.total))
    printed = shown(both)
    for cell in universe:
        if "|".join(cell) in printed:
            equations.append((frozenset({cell}), printed["|".join(cell)]))
        elif 0 < cells.get(cell, 0) < MIN_GROUP:
            targets.append(frozenset({cell}))
    if both.folded:
        some.append(frozenset(c for c in universe if "|".join(c) not in printed))
    for axis, field in ((0, "status"), (1, "form")):
        table = count_table(docs, [field])
        one = shown(table)
        values = VALUES if axis == 0 else FORMS
        for value in values:
            line = frozenset(c for c in universe if c[axis] == value)
            if value in one:
                equations.append((line, one[value]))
            elif 0 < sum(cells.get(c, 0) for c in line) < MIN_GROUP:
                targets.append(line)
        if table.folded:
            some.append(frozenset(c for c in universe if c[axis] not in one))
    return equations, targets, some


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_table_by_two_fields_gives_no_small_group_of_one_field_away(
    data: st.DataObject,
) -> None:
    grid = list(itertools.product(VALUES, FORMS))
    chosen = data.draw(st.lists(st.sampled_from(grid), min_size=1, max_size=6, unique=True))
    cells = {cell: data.draw(st.integers(1, 8)) for cell in chosen}
    equations, targets, some = published_by_two(cells)
    for target in targets:
        assert could_reach(grid, equations, target, MIN_GROUP, some), (cells, sorted(target))


def test_hidden_groups_are_not_named() -> None:
    cells = {("a", "2026"): 9, ("b", "2026"): 2, ("c", "2026"): 6}
    table = count_table(documents(cells), ["status"])
    assert table.folded and all(group != ("b",) for group, _n in table.rows)
    assert count_table(documents({("a", "2026"): 9}), ["status"]).folded is False
