"""Which cells of a statistics table to hide, so that no group smaller than the minimum shows,
nor can be worked out from what does.

Reports are protected together by what is counted here (reports.count_table): a table by a
field for one year is one row of the table by the year and that field, whose row totals are the
years' totals and whose column totals are the same field's table over all years; a table by
two fields has the tables by each field as its margins. So nothing a reader can set beside a
table (those margins) gives a hidden count away. What is not covered, and the administrator's
guide says so: two different tables by two fields are each protected against the tables by one
field, not against each other; and a report made again after more interviews arrived can be
compared with the earlier one.

What a reader is assumed to know (more than a table prints, to be safe): the number of
interviews counted (the table's total, when it is shown) and every line's total, where a line
is the whole table and, in a table by two fields, every row and every column (those margins
come from the tables by one field). A row or column whose total is below the minimum is hidden
in the table by its field, so only the sum of all such small lines is taken as known. Every
hidden count is at least 1: a group nobody is in is not listed.

The rule:

1. Every count below the minimum is hidden (primary suppression).
2. Every hidden count must be able to be the minimum or more, for all a reader can work out:
   so nobody can tell a small hidden group from a large one, let alone its size. While a
   hidden count could not be that large, the smallest shown count of its line is hidden as
   well (secondary suppression). In a table by one field the largest a hidden count can be is
   the sum of the hidden counts minus one for each other hidden count; in a table by two fields
   rows and columns are worked out together (a transport problem: the most one cell can carry
   is found as a maximum flow).
3. When even hiding every count would not be enough (few interviews spread over many groups),
   no group is listed at all: the table is `withheld` and shows only its total.
4. A total below the minimum is hidden too; then no line total is known and (1) is enough.

Every hidden count is printed the same way: a count hidden under (2) is the minimum or more,
so printing it as "below 5", or differently from the small ones, would be false or would let
a reader work a small one out (a known hidden sum of 6 made of a "below 5" and an "at least
5" means 1 and 5). The reports go further and do not name hidden groups at all.

A small line's own total needs no check of its own: it is at least any of its cells, and each
of those could be the minimum or more.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass

Group = tuple[str, ...]


@dataclass(frozen=True)
class HiddenLines:
    """What a reader knows of a table by two fields beyond its own cells. `rows`, `columns`:
    the lines whose totals no other report shows (their sum is known: the grand total minus
    the shown ones). `unnamed_in_rows`: each row is a report of its own (a year's) that prints
    hidden groups without their names, so in a row holding hidden groups a group not listed may
    be one of them; False where a reader knows which groups exist (months: the year is in their
    name)."""

    rows: frozenset[str]
    columns: frozenset[str]
    unnamed_in_rows: bool = False


@dataclass(frozen=True)
class Suppression:
    """The groups whose counts are hidden; `withheld`: list no group at all."""

    hidden: frozenset[Group]
    withheld: bool = False


def suppress(
    counts: Mapping[Group, int],
    fields: int,
    minimum: int,
    total: int | None = None,
    lines: HiddenLines | None = None,
) -> Suppression:
    """Apply the rule above to a table by one or two fields; `total` is the number of
    interviews counted (by default the sum of the counts); `lines` the lines of a table by two
    fields whose totals the other reports hide (by default the small ones: every line's total
    of the minimum or more is taken as known, the safe side)."""
    if fields > 2:
        raise ValueError("statistics count by one or two fields")
    hidden = {group for group, count in counts.items() if count < minimum}
    known = (sum(counts.values()) if total is None else total) >= minimum
    if not hidden or not known:
        return Suppression(frozenset(hidden))
    if fields < 2:
        return _one_field(counts, hidden, minimum)
    return _two_fields(counts, hidden, minimum, lines)


def _one_field(counts: Mapping[Group, int], hidden: set[Group], minimum: int) -> Suppression:
    while True:
        hidden_sum = sum(counts[group] for group in hidden)
        if hidden_sum - (len(hidden) - 1) >= minimum:
            return Suppression(frozenset(hidden))
        shown = [group for group in counts if group not in hidden]
        if not shown:
            return Suppression(frozenset(hidden), withheld=True)
        hidden.add(min(shown, key=lambda group: (counts[group], group)))


def _two_fields(
    counts: Mapping[Group, int], hidden: set[Group], minimum: int, lines: HiddenLines | None
) -> Suppression:
    def exposed(hiding: set[Group]) -> bool:
        small = [group for group in sorted(hiding) if counts[group] < minimum]
        if not small:
            return False
        network = _network(counts, hiding, minimum, lines)
        return any(_largest(network, counts, group, minimum) < minimum for group in small)

    primary = set(hidden)
    while exposed(hidden):
        shown = [group for group in counts if group not in hidden]
        if not shown:
            return Suppression(frozenset(hidden), withheld=True)
        hidden.add(min(shown, key=lambda group: _cost(counts, hidden, group)))
    # Hiding cell after cell can hide more than the last ones needed: show again, largest
    # first, every extra cell whose showing gives nothing away.
    for group in sorted(hidden - primary, key=lambda group: (-counts[group], group)):
        if not exposed(hidden - {group}):
            hidden.discard(group)
    return Suppression(frozenset(hidden))


def _cost(counts: Mapping[Group, int], hidden: set[Group], group: Group) -> tuple[int, int, Group]:
    """Which shown cell to hide next: one whose row and column both hold hidden cells (it
    closes a cycle along which the hidden counts can shift), else one in a line with hidden
    cells; the smallest first."""
    rows = {cell[0] for cell in hidden}
    columns = {cell[1] for cell in hidden}
    return (-((group[0] in rows) + (group[1] in columns)), counts[group], group)


# --- The largest a hidden cell of a two-field table could be -----------------------------------
# Cells x >= 1 are written x = 1 + y, y >= 0. A row sends its known y-sum to the columns through
# its hidden cells; rows whose totals are not known (the small ones, or those `lines` names)
# draw theirs from one node SR (their sum is known, each is not), such columns deliver to SC.
# The most cell (r, c) can hold is its value plus the largest flow that can come back from c
# to r in the residual network without using (r, c) itself. A group a reader cannot tell from
# a hidden one (`_unlisted`) is a cell that could be more than 0 but not less.

_SR, _SC = ("rows",), ("columns",)


Residual = dict[tuple[object, ...], dict[tuple[object, ...], int]]


def _network(
    counts: Mapping[Group, int], hidden: set[Group], minimum: int, lines: HiddenLines | None
) -> Residual:
    """The residual network of every change a reader cannot rule out (see above), built once
    for all the hidden cells checked against it."""
    line_sums: dict[tuple[int, str], int] = defaultdict(int)
    for group, count in counts.items():
        line_sums[(0, group[0])] += count
        line_sums[(1, group[1])] += count
    infinite = _infinite(counts)
    residual: Residual = defaultdict(dict)

    def arc(tail: tuple[object, ...], head: tuple[object, ...], capacity: int) -> None:
        residual[tail][head] = residual[tail].get(head, 0) + capacity
        residual[head].setdefault(tail, 0)

    per_line: dict[tuple[int, str], list[Group]] = defaultdict(list)
    for group in hidden:
        per_line[(0, group[0])].append(group)
        per_line[(1, group[1])].append(group)
        arc((0, group[0]), (1, group[1]), infinite)
        arc((1, group[1]), (0, group[0]), counts[group] - 1)
    for row_value, column_value in _unlisted(counts, hidden, lines):
        arc((0, row_value), (1, column_value), infinite)  # could be more than 0, never less
    for (axis, value), members in per_line.items():
        if lines is not None:
            unknown = value in (lines.rows if axis == 0 else lines.columns)
        else:
            unknown = line_sums[(axis, value)] < minimum
        if not unknown:
            continue  # a known total: nothing comes in or goes out but through its cells
        spare = sum(counts[group] for group in members) - len(members)
        if axis == 0:
            arc(_SR, (0, value), infinite)
            arc((0, value), _SR, spare)
        else:
            arc((1, value), _SC, infinite)
            arc(_SC, (1, value), spare)
    return residual


def _infinite(counts: Mapping[Group, int]) -> int:
    return sum(counts.values()) + 1


def _largest(network: Residual, counts: Mapping[Group, int], cell: Group, minimum: int) -> int:
    """The most hidden `cell` could hold for all a reader knows, or `minimum` when it could
    hold that much (the search stops there): a copy of `network` without the cell's own arcs."""
    residual: Residual = defaultdict(dict, {node: dict(arcs) for node, arcs in network.items()})
    row, column = (0, cell[0]), (1, cell[1])
    residual[row][column] -= _infinite(counts)
    residual[column][row] -= counts[cell] - 1
    wanted = minimum - counts[cell]
    return counts[cell] + _max_flow(residual, column, row, wanted)


def _unlisted(
    counts: Mapping[Group, int], hidden: set[Group], lines: HiddenLines | None
) -> list[Group]:
    """The groups not in the table that a reader cannot tell from hidden ones."""
    if lines is None or not lines.unnamed_in_rows or not hidden:
        return []
    rows = sorted({group[0] for group in hidden})
    columns = sorted({group[1] for group in counts})
    return [(row, column) for row in rows for column in columns if (row, column) not in counts]


def _max_flow(
    residual: Residual,
    source: tuple[object, ...],
    sink: tuple[object, ...],
    enough: int,
) -> int:
    """Edmonds-Karp on `residual` (changed in place); stops once `enough` has flowed."""
    flowed = 0
    while flowed < enough:
        previous: dict[tuple[object, ...], tuple[object, ...]] = {source: source}
        queue = deque([source])
        while queue and sink not in previous:
            node = queue.popleft()
            for head, capacity in residual.get(node, {}).items():
                if capacity > 0 and head not in previous:
                    previous[head] = node
                    queue.append(head)
        if sink not in previous:
            return flowed
        path = []
        node = sink
        while node != source:
            path.append((previous[node], node))
            node = previous[node]
        pushed = min(residual[tail][head] for tail, head in path)
        for tail, head in path:
            residual[tail][head] -= pushed
            residual[head][tail] += pushed
        flowed += pushed
    return flowed
