"""The database's part of the vault check: SQLite's integrity_check, SQLCipher's page HMACs
and the revision chain (`Vault.check` adds the attachment files)."""

from __future__ import annotations

from intake_app.storage.chain import ChainReport, verify_chain
from intake_app.storage.database import Connection


def database_checks(conn: Connection, *, pages: bool = True) -> tuple[list[str], ChainReport]:
    """What SQLite and SQLCipher found wrong (one line each), and the chain's report.
    `pages=False`: without SQLCipher's page HMACs, for a caller that has just checked them."""
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    integrity = [line for line in integrity if line != "ok"]
    if pages:
        integrity += [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
    return integrity, verify_chain(conn)


def database_intact(conn: Connection, *, pages: bool = True) -> bool:
    """Whether the database passes its checks (no attachment file is read)."""
    integrity, chain = database_checks(conn, pages=pages)
    return not integrity and chain.ok
