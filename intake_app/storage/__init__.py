"""The vault: keys, the SQLCipher database, migrations and the interview store. No Qt here."""

from intake_app.storage.chain import ChainReport, verify_chain
from intake_app.storage.errors import VaultBusy
from intake_app.storage.interviews import InterviewStore
from intake_app.storage.kdf import KdfParams
from intake_app.storage.models import (
    AttachmentInfo,
    CheckReport,
    DraftInfo,
    InterviewSummary,
    RevisionInfo,
)
from intake_app.storage.vault import MIN_PASSPHRASE_LENGTH, Vault

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "AttachmentInfo",
    "ChainReport",
    "CheckReport",
    "DraftInfo",
    "InterviewStore",
    "InterviewSummary",
    "KdfParams",
    "RevisionInfo",
    "Vault",
    "VaultBusy",
    "verify_chain",
]
