"""The growing wait after wrong passphrases: 0, 0, 2, 4, 8, ... seconds, at most a minute."""

from __future__ import annotations

MAX_DELAY_SECONDS = 60
FREE_TRIES = 2


def delay_after(failures: int) -> int:
    """Seconds to wait before the next try after `failures` wrong tries in a row."""
    if failures <= FREE_TRIES:
        return 0
    return int(min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_TRIES)))
