"""Real full and read-only disks for the tests: a small tmpfs, a read-only bind mount.

Both need `mount` and the right to use it (root, or a container that allows it); a test that
cannot have them is skipped with the reason, never passed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> str | None:
    """Run `mount args`; None when it worked, else why not."""
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        return "no mount command on this system"
    done = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        return (done.stderr or done.stdout).strip() or f"mount exited {done.returncode}"
    return None


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "8m") -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder` (made if missing), unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    problem = _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder))
    if problem is not None:
        pytest.skip(f"cannot mount a tmpfs here: {problem}")
    try:
        yield folder
    finally:
        _unmount(folder)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` bind-mounted on itself read-only (chmod would not stop root), then restored."""
    problem = _mount("--bind", str(folder), str(folder))
    if problem is not None:
        pytest.skip(f"cannot bind-mount here: {problem}")
    try:
        problem = _mount("-o", "remount,ro,bind", str(folder))
        if problem is not None:
            pytest.skip(f"cannot remount read-only here: {problem}")
        yield folder
    finally:
        _unmount(folder)


def fill(disk: Path) -> Path:
    """Write zeros into a file on `disk` until it is full; returns the file."""
    filler = disk / "filler"
    chunk = bytes(64 * 1024)
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        while True:
            try:
                if os.write(descriptor, chunk) == 0:
                    break
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                if len(chunk) == 1:
                    break
                chunk = chunk[: len(chunk) // 2]  # the last bytes that fit
    finally:
        os.close(descriptor)
    return filler
