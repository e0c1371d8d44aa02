"""Is the centre's share reachable? Probed in a thread with a time limit.

A hung network mount can block a file-system call for minutes. The probe therefore runs in a
daemon thread; if it does not answer in time the share counts as "not responding", and no
second probe is started while the first one is still stuck.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from intake_app.safelog import log_bug
from intake_app.sync.share import PARTIAL_SUFFIX, inbox_folder

DEFAULT_TIMEOUT = 5.0


class Reachability(StrEnum):
    REACHABLE = "reachable"
    OFFLINE = "offline"  # the share folder is not there (away from the centre)
    NOT_WRITABLE = "not-writable"
    NOT_RESPONDING = "not-responding"


ProbeFunction = Callable[[Path, str], Reachability]


def probe_folder(share: Path, device_id: str) -> Reachability:
    """Blocking check: the share is a folder and its inbox for this device takes a file."""
    try:
        if not share.is_dir():
            return Reachability.OFFLINE
    except OSError:
        return Reachability.OFFLINE
    folder = inbox_folder(share, device_id)
    # A real write, not os.access(): permissions on network shares are not what they seem.
    probe = folder / f".probe-{secrets.token_hex(6)}{PARTIAL_SUFFIX}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(probe, "xb") as handle:
            handle.write(b"intake probe\n")
        probe.unlink()
    except OSError:
        return Reachability.NOT_WRITABLE
    return Reachability.REACHABLE


class ShareProbe:
    """Runs a probe with a time limit; remembers a probe that is still stuck."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, probe: ProbeFunction = probe_folder
                 ) -> None:
        self._timeout = timeout
        self._probe = probe
        self._stuck: threading.Thread | None = None

    def check(self, share: Path, device_id: str) -> Reachability:
        """The share's reachability, within the time limit."""
        if self._stuck is not None:
            if self._stuck.is_alive():
                return Reachability.NOT_RESPONDING
            self._stuck = None
        answer: list[Reachability] = []

        def run() -> None:
            try:
                answer.append(self._probe(share, device_id))
            except Exception as bug:  # reported as unwritable, logged without details
                log_bug(bug, "share probe")
                answer.append(Reachability.NOT_WRITABLE)

        thread = threading.Thread(target=run, name="share-probe", daemon=True)
        thread.start()
        thread.join(self._timeout)
        if thread.is_alive():
            self._stuck = thread
            return Reachability.NOT_RESPONDING
        return answer[0] if answer else Reachability.NOT_WRITABLE
