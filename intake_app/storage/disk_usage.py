"""How much disk a vault takes, by part (for the Settings screen and `vault check`)."""

from __future__ import annotations

import os
from pathlib import Path

from intake_app.paths import DATABASE_FILE, MIGRATION_BACKUP_PREFIX
from intake_app.storage.attachment_files import FOLDER_NAME, AttachmentFiles
from intake_app.storage.models import DiskUsage


def disk_usage(folder: Path) -> DiskUsage:
    """The sizes of the files in the vault's folder (no key needed; nothing is opened)."""
    folder = Path(folder)
    database = backups = other = 0
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        entries = []
    for entry in entries:
        if entry.name == FOLDER_NAME or not entry.is_file(follow_symlinks=False):
            continue
        try:
            size = entry.stat(follow_symlinks=False).st_size
        except FileNotFoundError:
            continue
        if entry.name.startswith(MIGRATION_BACKUP_PREFIX):
            backups += size
        elif entry.name == DATABASE_FILE or entry.name.startswith(DATABASE_FILE + "-"):
            database += size
        else:
            other += size
    attachments = AttachmentFiles(folder).size_on_disk()
    return DiskUsage(database=database, attachments=attachments, backups=backups, other=other)
