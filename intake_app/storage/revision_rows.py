"""Where a revision lives: its row number is `(record row number << 24) + revision number`.

So the row number alone finds a revision, keeps (record, revision) unique and keeps a record's
revisions together, without an index to write on every save (core schema 2, schema.py).
"""

from __future__ import annotations

REVISION_BITS = 24  # SQL spells it out: `(i.num << 24) + i.revision` is record i's head
MAX_REVISION = (1 << REVISION_BITS) - 1


def revision_row(record_num: int, revision: int) -> int:
    """The row number of a record's revision (core schema 2)."""
    return (record_num << REVISION_BITS) + revision
