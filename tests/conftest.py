"""One place that isolates every test: data folder, temp folder, settings, language, bugs.

- Each test gets its own data folder, temp folder and Qt settings files, and starts in English.
- A test fails when the application logs a bug (`safelog.log_bug`), unless it is marked
  `expects_bug`: a bug in a slot must never pass as a green test.
- Argon2id runs for real, but its result is remembered for the session per (secret, salt,
  parameters), so unlocking a copy of the session's template vault does not pay the KDF again.
  Tests that time the KDF itself are marked `real_kdf`.
- The share's 5-second rule (`sync.share_read.SETTLE_SECONDS`) is 0 unless a test sets its own.
- `slow` tests (kill loops, fuzzing) are deselected by default (pyproject `addopts`); CI runs
  them as a step of their own (`scripts/test`).
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Qt reads these once, before any QApplication exists: no screen, and settings in a throwaway place.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="intake-test-home-"))
os.environ["XDG_CONFIG_HOME"] = str(_SESSION_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_SESSION_HOME / "data")
os.environ["XDG_CACHE_HOME"] = str(_SESSION_HOME / "cache")


def pytest_configure(config: pytest.Config) -> None:
    _remember_derived_keys()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


def _remember_derived_keys() -> None:
    """Argon2id once per (secret, salt, parameters) in this session; every result is real."""
    from intake_app.storage import keyfile

    real = keyfile.derive_key
    if getattr(real, "cache_info", None) is not None:
        return
    keyfile.derive_key = functools.lru_cache(maxsize=4096)(real)  # type: ignore[assignment]
    keyfile.derive_key.real = real  # type: ignore[attr-defined]


class _BugWatch(logging.Filter):
    """Notes every bug the application logs, whatever handlers `safelog.configure` set up."""

    def __init__(self) -> None:
        super().__init__()
        self.bugs: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("bug in "):
            self.bugs.append(message)
        return True


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             request: pytest.FixtureRequest) -> Iterator[None]:
    """Own data, temp and settings folders; English; the real KDF where the test asks for it."""
    data = tmp_path / "data"
    temp = tmp_path / "tmp"
    data.mkdir()
    temp.mkdir()
    monkeypatch.setenv("INTAKE_DATA_DIR", str(data))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    _settings_in(tmp_path / "settings")
    # The share's 5-second rule takes its two looks back to back here; tests of the rule
    # pass their own `settle` (tests/unit/sync/test_share_read.py).
    from intake_app.sync import share_read

    monkeypatch.setattr(share_read, "SETTLE_SECONDS", 0.0)
    if request.node.get_closest_marker("real_kdf"):
        from intake_app.storage import keyfile

        monkeypatch.setattr(keyfile, "derive_key", keyfile.derive_key.real)
    from intake_app.i18n import set_language

    set_language("en")
    yield
    set_language("en")


def _settings_in(folder: Path) -> None:
    """Point Qt's default settings (QSettings()) at a folder of this test's own."""
    from PySide6.QtCore import QSettings

    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(folder))


@pytest.fixture(autouse=True)
def _no_silent_bugs(request: pytest.FixtureRequest) -> Iterator[_BugWatch]:
    """Fail the test when a bug was logged, unless it is marked `expects_bug`."""
    from intake_app.safelog import logger

    watch = _BugWatch()
    logger.addFilter(watch)
    try:
        yield watch
    finally:
        logger.removeFilter(watch)
    if watch.bugs and not request.node.get_closest_marker("expects_bug"):
        pytest.fail("the application logged a bug: " + "; ".join(watch.bugs), pytrace=False)


@pytest.fixture
def logged_bugs(_no_silent_bugs: _BugWatch) -> list[str]:
    """The bugs logged so far in this test (for tests marked `expects_bug`)."""
    return _no_silent_bugs.bugs


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


# --- The kit's common pieces (tests/helpers), for tests that need one of each ---------------
# Tests that need several, or special ones, call the kit's functions themselves.

from typing import TYPE_CHECKING  # noqa: E402 (kept in this block, below the lead's part)

if TYPE_CHECKING:
    from intake_app.storage import Vault
    from intake_app.sync.centre.vault import Centre
    from tests.helpers.bundles import CentreKeys, Laptop


@pytest.fixture
def laptop() -> Laptop:
    """A laptop with a new device id and a real minisign key pair (not registered anywhere)."""
    from tests.helpers.bundles import Laptop

    return Laptop()


@pytest.fixture
def centre_keys(tmp_path: Path) -> CentreKeys:
    """A centre's keys and profile without a vault; its share is `tmp_path/share`."""
    from tests.helpers.bundles import CentreKeys

    return CentreKeys.make(tmp_path)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    """A real centre vault in `tmp_path/centre-data`, its share `tmp_path/share`; closed after."""
    from tests.helpers.centre import make_centre

    with make_centre(tmp_path) as made:
        yield made


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    """A new worker vault in `tmp_path/vault` (`new_vault`), locked after the test."""
    from tests.helpers.storage import new_vault

    made = new_vault(tmp_path / "vault")
    yield made
    made.lock()
