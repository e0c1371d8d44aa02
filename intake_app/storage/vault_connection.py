"""The vault's SQLCipher connection class, and the actions that run once its transaction ends.

Files beside the database (attachments) change with its rows; `Database.transaction` marks,
commits and rolls back these actions with `action_marks`, `committed` and `rolled_back`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

Connection = Any  # sqlcipher3 ships no type information


class VaultConnection(sqlcipher3.Connection):  # type: ignore[misc]
    """A connection that knows its vault's folder and what to do once its transaction ends.

    Files beside the database (attachments) change with its rows: a file is written before
    the row naming it commits and removed only after the row's removal committed.
    `Database.transaction` runs `after_commit` actions after the outermost COMMIT and
    `after_rollback` actions when the transaction (or the savepoint they were added in) is
    undone; each runs once and its failures are ignored (the unlock sweep catches up).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vault_folder: Path | None = None
        self.after_commit: list[Callable[[], None]] = []
        self.after_rollback: list[Callable[[], None]] = []


def run_actions(actions: list[Callable[[], None]]) -> None:
    for action in actions:
        with contextlib.suppress(Exception):
            action()


def action_marks(conn: Connection) -> tuple[int, int]:
    return len(getattr(conn, "after_commit", ())), len(getattr(conn, "after_rollback", ()))


def rolled_back(conn: Connection, marks: tuple[int, int]) -> None:
    """Drop the commit actions added since `marks` and run the rollback actions, newest first."""
    if not isinstance(conn, VaultConnection):
        return
    commit_mark, rollback_mark = marks
    undo = conn.after_rollback[rollback_mark:]
    del conn.after_commit[commit_mark:]
    del conn.after_rollback[rollback_mark:]
    run_actions(undo[::-1])


def committed(conn: Connection) -> None:
    if not isinstance(conn, VaultConnection):
        return
    actions = conn.after_commit[:]
    conn.after_commit.clear()
    conn.after_rollback.clear()
    run_actions(actions)
