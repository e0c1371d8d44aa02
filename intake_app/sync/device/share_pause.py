"""The pause before a file pair on the share is read once more.

The centre replaces a signed file (a receipt, the forms index) by renaming the new `.minisig`
into place and then the new file, so a pair read between the two renames does not verify.
A reader whose signature fails pauses, then reads the pair again before it counts as bad
(`receipts.take_receipt`, `form_pickup`).
"""

from __future__ import annotations

import time

# Long enough for the centre's second rename, even on a slow share; paid only when a
# signature fails, which otherwise is rare.
REREAD_PAUSE = 0.5


def reread_pause() -> None:
    """Wait `REREAD_PAUSE` seconds (the default of the readers' `pause` argument)."""
    time.sleep(REREAD_PAUSE)
