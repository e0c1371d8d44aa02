"""The vault: keys, the SQLCipher database, migrations and the interview store. No Qt here."""

from intake_app.storage.atomic import atomic_write_bytes, atomic_writer, remove_leftovers
from intake_app.storage.attachment_files import AttachmentFiles, WrittenFile
from intake_app.storage.attachment_reader import AttachmentReader
from intake_app.storage.attachments import (
    add_attachment,
    link_held,
    link_written,
    list_attachments,
    remove_all_attachments,
)
from intake_app.storage.chain import ChainReport, verify_chain
from intake_app.storage.database import Connection
from intake_app.storage.disk_usage import disk_usage
from intake_app.storage.documents import DELETED, searchable_texts
from intake_app.storage.editor_state import (
    ensure_editor_state,
    read_choice,
    read_place,
    save_choices,
    save_place,
)
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
from intake_app.storage.page_check import PageCheck
from intake_app.storage.search import TRIGRAM
from intake_app.storage.search_text import fts_phrase, like_pattern, query_terms
from intake_app.storage.vault import MIN_PASSPHRASE_LENGTH, Vault

__all__ = [
    "DELETED",
    "MIN_PASSPHRASE_LENGTH",
    "TRIGRAM",
    "AttachmentDamaged",
    "AttachmentFiles",
    "AttachmentInfo",
    "AttachmentReader",
    "ChainReport",
    "CheckReport",
    "Connection",
    "DiskUsage",
    "DraftInfo",
    "InterviewStore",
    "InterviewSummary",
    "KdfParams",
    "PageCheck",
    "RevisionInfo",
    "Vault",
    "VaultBusy",
    "VaultReadOnly",
    "WrittenFile",
    "add_attachment",
    "atomic_write_bytes",
    "atomic_writer",
    "disk_usage",
    "ensure_editor_state",
    "fts_phrase",
    "like_pattern",
    "link_held",
    "link_written",
    "list_attachments",
    "query_terms",
    "read_choice",
    "read_place",
    "remove_all_attachments",
    "remove_leftovers",
    "save_choices",
    "save_place",
    "searchable_texts",
    "verify_chain",
]
