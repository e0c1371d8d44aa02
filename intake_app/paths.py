"""Where Intake keeps its data and finds its bundled files. No Qt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DATA_DIR = "INTAKE_DATA_DIR"


def default_data_dir() -> Path:
    """The platform's per-user application data folder (overridden by INTAKE_DATA_DIR)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Intake"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Intake"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "intake"


def vault_dir(data_dir: Path) -> Path:
    """The worker's vault inside a data folder."""
    return data_dir / "vault"


# A vault folder's files. They live here, beside the folders, rather than in the storage layer
# so that a window can ask whether a vault exists without importing SQLCipher and cryptography
# (a tenth of a second at every start).
VAULT_FILE = "vault.json"
DATABASE_FILE = "intake.db"
# The copies made before schema migrations: intake.db.bak-<component>-<from>-<to>
# (storage/migration_backups.py).
MIGRATION_BACKUP_PREFIX = f"{DATABASE_FILE}.bak-"
# The database is built under this name and renamed only after vault.json is durable, so a
# crash during creation never leaves an intake.db that no vault.json can open.
CREATING_FILE = "intake.db.creating"


def vault_exists(folder: Path) -> bool:
    """Whether `folder` holds a vault (an interrupted creation does not count)."""
    folder = Path(folder)
    if not (folder / VAULT_FILE).is_file():
        return False
    return (folder / DATABASE_FILE).exists() or not (folder / CREATING_FILE).exists()


def bundled_dir(name: str) -> Path:
    """A folder shipped with the application: `resources` or `translations`.

    Frozen builds keep them beside the executable's data; a source tree keeps them at the top;
    an installed package maps them into `intake_app.<name>`.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / name
    source = Path(__file__).resolve().parent.parent / name
    if source.is_dir():
        return source
    from importlib.resources import files

    return Path(str(files(f"intake_app.{name}")))
