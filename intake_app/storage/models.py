"""Plain records the storage layer hands out. Times are ISO 8601 UTC strings (`...Z`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake_app.storage.chain import ChainReport


@dataclass(frozen=True)
class DraftInfo:
    """An autosaved draft: which record, when it was saved, which revision it started from."""

    id: str
    modified: str
    base_revision: int


@dataclass(frozen=True)
class RevisionInfo:
    """One saved revision of a record and its place in the chain."""

    id: str
    revision: int
    sha256: str
    prev_sha256: str
    saved: str
    status: str


@dataclass(frozen=True)
class InterviewSummary:
    """A record's newest revision, as shown in lists and search results."""

    id: str
    revision: int
    status: str
    alias: str | None
    form: str
    form_version: str
    created: str
    modified: str
    delivered: bool
    deleted: bool
    has_draft: bool


@dataclass(frozen=True)
class AttachmentInfo:
    """A file attached to a record, stored once per content."""

    sha256: str
    size: int
    media_type: str
    name: str


@dataclass(frozen=True)
class CheckReport:
    """The result of `Vault.check()`: SQLite's and SQLCipher's checks, the revision chain and
    the attachment files (each decrypted and hashed)."""

    integrity: list[str] = field(default_factory=list)
    chain: ChainReport = field(default_factory=ChainReport)
    attachments: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.integrity and self.chain.ok and not self.attachments


@dataclass(frozen=True)
class DiskUsage:
    """Bytes a vault takes on disk: the database (with its journal), the attachment files,
    the migration backups, and the small rest (vault.json)."""

    database: int
    attachments: int
    backups: int
    other: int

    @property
    def total(self) -> int:
        return self.database + self.attachments + self.backups + self.other
