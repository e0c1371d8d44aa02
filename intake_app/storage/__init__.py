"""The vault: keys, the SQLCipher database, migrations and the interview store. No Qt here."""

from intake_app.storage.atomic import atomic_write_bytes, atomic_writer
from intake_app.storage.attachment_files import AttachmentFiles, WrittenFile
from intake_app.storage.attachment_reader import AttachmentReader
from intake_app.storage.chain import ChainReport, verify_chain
from intake_app.storage.disk_usage import disk_usage
from intake_app.storage.errors import AttachmentDamaged, VaultBusy, VaultReadOnly
from intake_app.storage.interviews import InterviewStore
from intake_app.storage.kdf import KdfParams
from intake_app.storage.models import (
    AttachmentInfo,
    CheckReport,
    DiskUsage,
    DraftInfo,
    InterviewSummary,
    RevisionInfo,
)
from intake_app.storage.vault import MIN_PASSPHRASE_LENGTH, Vault

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "AttachmentDamaged",
    "AttachmentFiles",
    "AttachmentInfo",
    "AttachmentReader",
    "ChainReport",
    "CheckReport",
    "DiskUsage",
    "DraftInfo",
    "InterviewStore",
    "InterviewSummary",
    "KdfParams",
    "RevisionInfo",
    "Vault",
    "VaultBusy",
    "VaultReadOnly",
    "WrittenFile",
    "atomic_write_bytes",
    "atomic_writer",
    "disk_usage",
    "verify_chain",
]
