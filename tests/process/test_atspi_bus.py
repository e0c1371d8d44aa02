"""Issue 20: Intake through the real Linux accessibility bus, as a screen reader meets it.

An X server (Xvfb), a D-Bus session (dbus-run-session, which starts the AT-SPI bus launcher
and registry on demand) and the system python's pyatspi walk the worker's demo (the interview
list, Settings, every section of the editor, the review with problems left, real Tab presses)
and the administrator's window (a centre set up with `intake-app centre init`): `atspi_walk.py`
says what it checks. In Finnish and Arabic. Skipped only when those system pieces are missing
(CI installs them: .ci/run).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.i18n import _, set_language
from intake_app.sync.format.profile import load_profile
from tests.helpers.bundles import Laptop

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
WALK = Path(__file__).with_name("atspi_walk.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-pyatspi lives there, not in the venv
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
CENTRE_PASSPHRASE = "bus walk centre passphrase 7"  # a throwaway test centre
WALK_TIMEOUT = 600


def missing_pieces() -> str | None:
    """Why the walk cannot run here (None: it can)."""
    if not sys.platform.startswith("linux"):
        return "the AT-SPI accessibility bus is Linux only"
    for tool, package in (
        ("Xvfb", "xvfb"),
        ("dbus-run-session", "dbus-daemon"),
        ("xdotool", "xdotool"),
    ):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian package {package})"
    if not any(Path(path).exists() for path in BUS_LAUNCHERS):
        return "at-spi-bus-launcher is missing (Debian package at-spi2-core)"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is missing (Debian package python3)"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, timeout=60, check=False
    )
    if probe.returncode != 0:
        return "the system python has no pyatspi (Debian package python3-pyatspi)"
    return None


def texts(lang: str) -> dict[str, object]:
    """What the walk looks for, in `lang`: from the application's own catalogs."""
    set_language(lang)
    try:
        marker = "\x00"
        prefix, suffix = _("{question} (required)", question=marker).split(marker)
        return {
            "lang": lang,
            "required": _("Required"),
            "required_label": [prefix, suffix],
            "sections": _("Sections of the interview"),
            "review": _("Review the answers and finish the interview"),
            "answers": _("Answers and problems"),
            "finish": _("Finish interview"),
            "min_sections": 10,
            "min_required": 20,
            "min_centre_tabs": 6,
        }
    finally:
        set_language("en")


def plain_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment: nothing of the test session's (offscreen Qt, settings) leaks in."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "TMPDIR": str(home / "tmp"),
    }
    for folder in ("config", "data", "cache", "tmp"):
        (home / folder).mkdir(parents=True, exist_ok=True)
    env.update(extra)
    return env


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """End a process started in a session of its own, and everything it started."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def start_x_server() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a free display number (it writes the number it took)."""
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert server.stdout is not None
    ready, _w, _x = select.select([server.stdout], [], [], 30)
    number = server.stdout.readline().decode().strip() if ready else ""
    server.stdout.close()  # nothing more comes on it
    if not number.isdigit():
        stop_group(server)
        pytest.fail("Xvfb did not start within 30 s")
    return server, f":{number}"


@pytest.fixture
def display() -> Iterator[str]:
    """An X server for the walk; the test is skipped where the system pieces are missing."""
    reason = missing_pieces()
    if reason is not None:
        pytest.skip(f"no accessibility bus to walk: {reason}")
    server, name = start_x_server()
    try:
        yield name
    finally:
        stop_group(server)


def set_up_centre(data: Path, share: Path, env: dict[str, str]) -> None:
    """A centre vault made the way an administrator makes one: `intake-app centre init`."""
    share.mkdir(parents=True)
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "intake_app",
            "--data-dir",
            str(data),
            "centre",
            "init",
            "--name",
            "Bus walk centre",
            "--share",
            str(share),
        ],
        input=CENTRE_PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    # A laptop asks to be enrolled and has already sent a bundle: the Laptops tab lists its
    # request and the Alerts tab its held bundle, so the walk meets rows, not empty tables.
    laptop = Laptop()
    laptop.enrol(share)
    profile, _fingerprint = load_profile(data / "centre-profile.json")
    laptop.bundle(share / "inbox" / laptop.device_id, profile)


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_a_screen_reader_can_use_both_windows(lang: str, tmp_path: Path, display: str) -> None:
    home = tmp_path / "home"
    env = plain_env(home, DISPLAY=display)
    set_up_centre(tmp_path / "centre", tmp_path / "share", env)
    app = [sys.executable, "-m", "intake_app", "--lang", lang]
    config = {
        "parts": ["worker", "centre"],
        "work": str(tmp_path),
        "cwd": str(ROOT),
        "report": str(tmp_path / "report.json"),
        # The README's quick start (scripts/start) opens the demo where there is no vault.
        "worker_command": [*app, "--data-dir", str(tmp_path / "worker"), "demo"],
        "admin_command": [*app, "--data-dir", str(tmp_path / "centre"), "centre", "window"],
        "centre_passphrase": CENTRE_PASSPHRASE,
        "app_env": {"QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_QPA_PLATFORM": "xcb"},
        "texts": texts(lang),
    }
    config_path = tmp_path / "walk.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    walk = subprocess.Popen(
        ["dbus-run-session", "--", SYSTEM_PYTHON, str(WALK), str(config_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _err = walk.communicate(timeout=WALK_TIMEOUT)
    except subprocess.TimeoutExpired:
        stop_group(walk)
        output, _err = walk.communicate(timeout=30)
        pytest.fail(f"the walk took more than {WALK_TIMEOUT} s:\n{output.decode()}")
    finally:
        stop_group(walk)
    printed = output.decode(errors="replace")
    print(printed)
    report_path = Path(config["report"])
    assert report_path.exists(), printed
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["failures"] == [], "\n".join(report["failures"])
    screens = [screen["screen"] for screen in report["screens"]]
    assert len([s for s in screens if s.startswith("editor: ")]) >= 10, screens
    assert len([s for s in screens if s.startswith("centre: ")]) >= 7, screens
    assert walk.returncode == 0, printed
