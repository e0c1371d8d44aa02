"""Helpers shared by the storage tests (not a conftest: the lead owns tests/conftest.py)."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from intake_app.storage import KdfParams, Vault

REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).resolve().parent / "storage_child.py"
FAST = KdfParams.MINIMUM
PASSPHRASE = "correct horse battery staple"


def new_vault(folder: Path, passphrase: str = PASSPHRASE, *, fresh: bool = False,
              **kwargs: Any) -> Vault:
    """A vault with the fast (minimum) KDF parameters, unlocked.

    With the default passphrase and no other arguments it is a copy of the session's template
    vault (made once, by `Vault.create`), which saves creating one per test. Copies share the
    template's keys and ids: a test that needs a vault of its own keys asks for `fresh=True`.
    """
    if fresh or passphrase != PASSPHRASE or kwargs or folder.exists():
        vault, _code = Vault.create(folder, passphrase, kdf=FAST, **kwargs)
        return vault
    shutil.copytree(_template(), folder)
    return Vault.unlock(folder, passphrase)


@functools.cache
def _template() -> Path:
    """The session's template vault, locked, in the session's own cache folder."""
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "template-vault" / "vault"
    vault, _code = Vault.create(folder, PASSPHRASE, kdf=FAST)
    vault.lock()
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path -> sha256), to prove nothing changed."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a child Python that imports the package from this source tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def child_command(*args: str) -> list[str]:
    return [sys.executable, str(CHILD), *args]
