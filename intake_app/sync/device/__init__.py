"""intake_app.sync.device: the laptop's side of sync.

The names below are the value types the worker's window shows; everything else is reached
through `intake_app.services`."""

from intake_app.sync.device.folder_export import FolderExport
from intake_app.sync.device.status import SyncState, SyncStatus

__all__ = ["FolderExport", "SyncState", "SyncStatus"]
