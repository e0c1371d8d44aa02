"""Which cells of a statistics table to hide, so that no group smaller than the minimum shows
or can be worked out from what does.

Primary suppression hides every count below the minimum. That alone is not enough: totals are
public (any other table, or a table by form, gives the number of interviews), so one hidden
cell in a table is that total minus the shown cells. Secondary suppression therefore hides the
smallest shown cells of a line until the hidden cells of the line add up to at least the
minimum, or nothing in the line is shown. A line is the whole table and, in a table by several
fields, every row and column along one field with the others fixed (those margins come from the
tables by fewer fields).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

Group = tuple[str, ...]


def _lines(groups: list[Group], fields: int) -> list[list[Group]]:
    lines = [groups]
    if fields > 1:
        for field in range(fields):
            along: dict[Group, list[Group]] = defaultdict(list)
            for group in groups:
                along[group[:field] + group[field + 1:]].append(group)
            lines.extend(along.values())
    return lines


def hidden_groups(counts: Mapping[Group, int], fields: int, minimum: int) -> set[Group]:
    """The groups whose counts must not be shown (primary and secondary suppression)."""
    hidden = {group for group, count in counts.items() if count < minimum}
    lines = _lines(sorted(counts), fields)
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            inside = sum(counts[group] for group in line if group in hidden)
            if inside == 0 or inside >= minimum:
                continue
            shown = [group for group in line if group not in hidden]
            if shown:
                hidden.add(min(shown, key=lambda group: (counts[group], group)))
                changed = True
    return hidden
